package vectorlstm.model;

import vectorlstm.layers.Dense;
import vectorlstm.memory.Tensor;

/**
 * A loss fused with the output layer's activation, working on its logits (pre-activations), as
 * Keras does internally for numerical stability. Gradients come out with respect to the logits.
 */
public interface Loss {
    /** Keras' name, e.g. "binary_crossentropy". */
    String name();

    /** Throws with a clear message when the model's last layer does not fit this loss. */
    void checkOutputLayer(Dense last);

    /** Null when {@code y} is a valid target for an output of {@code units}, else what is wrong. */
    String checkTarget(float y, int units);

    /**
     * For rows [0, b): writes {@code dLogits = scale · dLoss/dLogits} and returns the summed loss
     * and the number of correct predictions (accuracy metric) in {@code result}.
     */
    void lossAndGradient(Tensor logits, Tensor targets, int b, float scale, Tensor dLogits, BatchResult result);

    /** Whether the weighted {@link #lossAndGradient(Tensor, Tensor, Tensor, int, float, Tensor, BatchResult)} takes weights (the built-in losses do). */
    default boolean takesSampleWeights() { return false; }

    /**
     * {@link #lossAndGradient(Tensor, Tensor, int, float, Tensor, BatchResult)} with row i's loss and
     * gradient times {@code weights[i]} (Keras' sample weights; the accuracy count is not weighted);
     * {@code weights} null is the unweighted call.
     */
    default void lossAndGradient(Tensor logits, Tensor targets, Tensor weights, int b, float scale, Tensor dLogits, BatchResult result) {
        if (weights != null) throw new UnsupportedOperationException(name() + " does not take sample weights");
        lossAndGradient(logits, targets, b, scale, dLogits, result);
    }

    /** Loss sum and correct-prediction count of one worker's share of a batch. */
    final class BatchResult {
        public double lossSum;
        public long correct;

        public void clear() { lossSum = 0; correct = 0; }
    }

    static Loss parse(String name) {
        if (name == null) throw new IllegalArgumentException("no loss given (null): binary_crossentropy or sparse_categorical_crossentropy");
        return switch (name) {
            case "binary_crossentropy" -> new BinaryCrossentropy();
            case "sparse_categorical_crossentropy" -> new SparseCategoricalCrossentropy();
            default -> throw new IllegalArgumentException("unknown loss '" + name
                    + "' (supported: binary_crossentropy, sparse_categorical_crossentropy)");
        };
    }
}
