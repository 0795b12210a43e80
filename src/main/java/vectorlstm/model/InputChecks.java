package vectorlstm.model;

import vectorlstm.layers.Input;
import vectorlstm.layers.Shape;

/** Validates user data once, before any batch runs, so errors name the sample at fault. */
final class InputChecks {
    /** Longest float sequence a model takes: memory grows with it, so a hostile length is refused, not allocated. */
    static final int MAX_SEQUENCE_STEPS = Sequential.MAX_SEQUENCE_STEPS;

    private InputChecks() {}

    /** fit and evaluate: labels are required. */
    static void checkLabelled(Samples x, float[] y, Sequential model) {
        if (y == null) throw new IllegalArgumentException("labels (y) are required");
        check(x, y, model);
    }

    static void check(Samples x, float[] y, Sequential model) {
        int units = model.layers().get(model.layers().size() - 1).outputShape().last();
        if (x == null || x.size() == 0) throw new IllegalArgumentException("no input samples");
        if (y != null && y.length != x.size()) {
            throw new IllegalArgumentException("x has " + x.size() + " samples but y has " + y.length);
        }
        switch (x) {
            case Samples.Tokens t -> checkTokens(t.x(), model);
            case Samples.Sequences q -> checkSequences(q.x(), model);
        }
        if (y == null || model.loss() == null) return;
        for (int n = 0; n < y.length; n++) {
            String bad = model.loss().checkTarget(y[n], units);
            if (bad != null) throw new IllegalArgumentException("label of sample " + n + " is " + y[n] + "; " + bad);
        }
    }

    private static void checkTokens(int[][] x, Sequential model) {
        if (model.layers().get(0) instanceof Input) {
            throw new IllegalArgumentException("this model reads float sequences (it starts with an Input layer), not token ids");
        }
        int steps = model.inputShape().dim(0), vocab = model.vocabularySize();
        for (int n = 0; n < x.length; n++) {
            if (steps == Shape.VARIABLE) {
                if (x[n] == null || x[n].length == 0) throw new IllegalArgumentException("sample " + n + " has no token ids: a sequence needs at least one");
                if (x[n].length > MAX_SEQUENCE_STEPS) {
                    throw new IllegalArgumentException("sample " + n + " has " + x[n].length + " token ids, more than the limit of " + MAX_SEQUENCE_STEPS);
                }
            } else if (x[n] == null || x[n].length != steps) {
                throw new IllegalArgumentException("sample " + n + " has " + (x[n] == null ? "no" : x[n].length)
                        + " token ids, the model expects " + steps + " (pad the sequences first)");
            }
            for (int t = 0; t < x[n].length; t++) {
                int id = x[n][t];
                if (id < 0 || (vocab > 0 && id >= vocab)) {
                    throw new IllegalArgumentException("sample " + n + ", step " + t + ": token id " + id
                            + " is outside the vocabulary [0, " + vocab + ")");
                }
            }
        }
    }

    /**
     * The one length of these token rows (checked by {@link #check} first). A model whose
     * Embedding takes any length trains and evaluates on rows of one length per call: workers
     * stage a batch at one stride, and padding a shorter row to a longer one's length would change
     * its result (without a mask, padding is read as steps).
     */
    static int oneLength(int[][] x) {
        int steps = x[0].length;
        for (int n = 1; n < x.length; n++) {
            if (x[n].length != steps) {
                throw new IllegalArgumentException("sample " + n + " has " + x[n].length + " token ids and sample 0 has " + steps
                        + ": this model's Embedding takes any length, but fit and evaluate take sequences of one length per call"
                        + " (as Keras' fit takes one padded array); pad them to one length first, or predict, which reads each at its own");
            }
        }
        return steps;
    }

    private static void checkSequences(float[][][] x, Sequential model) {
        if (!(model.layers().get(0) instanceof Input input)) {
            throw new IllegalArgumentException("this model reads token ids (it starts with " + model.layers().get(0).typeName()
                    + "), not float sequences");
        }
        int features = input.features(), fixed = input.timesteps();
        for (int n = 0; n < x.length; n++) {
            float[][] seq = x[n];
            if (seq == null || seq.length == 0) throw new IllegalArgumentException("sample " + n + " is empty: a sequence needs at least one step");
            if (fixed != Shape.VARIABLE && seq.length != fixed) {
                throw new IllegalArgumentException("sample " + n + " has " + seq.length + " steps, the model's Input takes exactly " + fixed);
            }
            if (seq.length > MAX_SEQUENCE_STEPS) {
                throw new IllegalArgumentException("sample " + n + " has " + seq.length + " steps, more than the limit of " + MAX_SEQUENCE_STEPS);
            }
            for (int t = 0; t < seq.length; t++) {
                if (seq[t] == null || seq[t].length != features) {
                    throw new IllegalArgumentException("sample " + n + ", step " + t + " has " + (seq[t] == null ? "no" : seq[t].length)
                            + " features, the model expects " + features);
                }
                for (int j = 0; j < features; j++) {
                    if (!Float.isFinite(seq[t][j])) {
                        throw new IllegalArgumentException("sample " + n + ", step " + t + ", feature " + j + " is " + seq[t][j] + ": inputs must be finite");
                    }
                }
            }
        }
    }
}
