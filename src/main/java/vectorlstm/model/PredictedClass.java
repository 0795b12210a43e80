package vectorlstm.model;

/**
 * The class a model's outputs decide, one rule for every place that names it (eval's confusion
 * matrix, classify's answers, explain's verdict): one sigmoid unit says class 1 when p > 0.5, as
 * Keras' binary_accuracy counts it; several units say their arg-max, the first on ties. A NaN
 * output decides nothing in favour of itself (it compares false).
 */
public final class PredictedClass {
    private PredictedClass() {}

    /** The class of {@code units} outputs starting at {@code outputs[from]}. */
    public static int of(float[] outputs, int from, int units) {
        if (units == 1) return outputs[from] > 0.5f ? 1 : 0;
        int best = 0;
        for (int j = 1; j < units; j++) if (outputs[from + j] > outputs[from + best]) best = j;
        return best;
    }
}
