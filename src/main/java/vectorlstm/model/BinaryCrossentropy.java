package vectorlstm.model;

import vectorlstm.layers.Activation;
import vectorlstm.layers.Dense;
import vectorlstm.memory.Tensor;

/**
 * Binary cross-entropy on a {@code Dense(1, sigmoid)} output, computed from the logit z:
 * {@code loss = max(z, 0) - z·y + log(1 + e^-|z|)} (never overflows, never log(0)), and
 * {@code dloss/dz = sigmoid(z) - y}. Keras on TensorFlow computes it from the logit behind the
 * sigmoid too; on JAX or torch it clips the probability at 1e-7, capping a confidently wrong
 * sample's loss near 15.9 (a logit of 30 against label 0: 30 here and on TensorFlow). Accuracy is Keras' binary_accuracy, {@code p > 0.5} on the
 * float32 probability (not {@code z > 0}: for {@code 0 < z < 3e-8} p rounds to 0.5 itself, class 0
 * for Keras, {@code predict} and {@code ./lstm eval}), against the label rounded at 0.5: for 0/1 labels the same, and soft labels (0.1/0.9) still count
 * as their class, where Keras compares {@code y == (p > 0.5)} exactly and counts none of them.
 */
public final class BinaryCrossentropy implements Loss {
    @Override public String name() { return "binary_crossentropy"; }

    @Override
    public void checkOutputLayer(Dense last) {
        if (last.units() != 1 || last.activation() != Activation.SIGMOID) {
            throw new IllegalArgumentException("binary_crossentropy needs a Dense(1, sigmoid) output layer, got Dense("
                    + last.units() + ", " + last.activation().kerasName() + ")");
        }
    }

    @Override
    public String checkTarget(float y, int units) {
        return y >= 0 && y <= 1 ? null : "binary labels must be in [0, 1]";
    }

    @Override
    public void lossAndGradient(Tensor logits, Tensor targets, int b, float scale, Tensor dLogits, BatchResult result) {
        lossAndGradient(logits, targets, null, b, scale, dLogits, result);
    }

    @Override public boolean takesSampleWeights() { return true; }

    /** A weight of 1 (no weights) multiplies exactly: the unweighted bits. */
    @Override
    public void lossAndGradient(Tensor logits, Tensor targets, Tensor weights, int b, float scale, Tensor dLogits, BatchResult result) {
        double sum = 0;
        long correct = 0;
        for (int i = 0; i < b; i++) {
            double z = logits.get(i), y = targets.get(i), w = weights == null ? 1 : weights.get(i);
            sum += w * (Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z))));
            double p = 1.0 / (1.0 + Math.exp(-z));
            dLogits.set(i, (float) ((p - y) * w * scale));
            if (!Double.isNaN(z) && ((float) p > 0.5f) == (y > 0.5)) correct++;  // NaN > 0.5 is false: it counted as a right answer for class 0
        }
        result.lossSum += sum;
        result.correct += correct;
    }
}
