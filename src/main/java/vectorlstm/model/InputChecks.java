package vectorlstm.model;

/** Validates user data once, before any batch runs, so errors name the sample at fault. */
final class InputChecks {
    private InputChecks() {}

    /** fit and evaluate: labels are required. */
    static void checkLabelled(int[][] x, float[] y, Sequential model) {
        if (y == null) throw new IllegalArgumentException("labels (y) are required");
        check(x, y, model);
    }

    static void check(int[][] x, float[] y, Sequential model) {
        int units = model.layers().get(model.layers().size() - 1).outputShape().last();
        if (x == null || x.length == 0) throw new IllegalArgumentException("no input samples");
        if (y != null && y.length != x.length) {
            throw new IllegalArgumentException("x has " + x.length + " samples but y has " + y.length);
        }
        int steps = model.inputShape().dim(0), vocab = model.vocabularySize();
        for (int n = 0; n < x.length; n++) {
            if (x[n] == null || x[n].length != steps) {
                throw new IllegalArgumentException("sample " + n + " has " + (x[n] == null ? "no" : x[n].length)
                        + " token ids, the model expects " + steps + " (pad the sequences first)");
            }
            for (int t = 0; t < steps; t++) {
                int id = x[n][t];
                if (id < 0 || (vocab > 0 && id >= vocab)) {
                    throw new IllegalArgumentException("sample " + n + ", step " + t + ": token id " + id
                            + " is outside the vocabulary [0, " + vocab + ")");
                }
            }
            String bad = y == null || model.loss() == null ? null : model.loss().checkTarget(y[n], units);
            if (bad != null) throw new IllegalArgumentException("label of sample " + n + " is " + y[n] + "; " + bad);
        }
    }
}
