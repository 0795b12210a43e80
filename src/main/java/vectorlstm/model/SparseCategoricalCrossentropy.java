package vectorlstm.model;

import vectorlstm.layers.Activation;
import vectorlstm.layers.Dense;
import vectorlstm.memory.Tensor;

/**
 * Sparse categorical cross-entropy on a {@code Dense(n, softmax)} output, computed from the logits
 * as Keras does with {@code from_logits=True}, and as Keras on TensorFlow does for a softmax
 * output too (it reads the logits behind it). Keras on JAX or torch clips softmax probabilities at
 * 1e-7 instead, capping a confidently wrong sample's loss near 16.1, where this one grows on:
 * {@code loss = logsumexp(z) - z[y]} and {@code dloss/dz = softmax(z) - onehot(y)}. Targets are
 * class ids 0..n-1 (stored as floats). Accuracy is argmax(z) == y.
 */
public final class SparseCategoricalCrossentropy implements Loss {
    @Override public String name() { return "sparse_categorical_crossentropy"; }

    @Override
    public void checkOutputLayer(Dense last) {
        if (last.units() < 2 || last.activation() != Activation.SOFTMAX) {
            throw new IllegalArgumentException("sparse_categorical_crossentropy needs a Dense(n >= 2, softmax) output layer, got Dense("
                    + last.units() + ", " + last.activation().kerasName() + ")");
        }
    }

    @Override
    public String checkTarget(float y, int units) {
        return y >= 0 && y < units && y == Math.rint(y) ? null : "class ids must be integers in [0, " + units + ")";
    }

    @Override
    public void lossAndGradient(Tensor logits, Tensor targets, int b, float scale, Tensor dLogits, BatchResult result) {
        lossAndGradient(logits, targets, null, b, scale, dLogits, result);
    }

    @Override public boolean takesSampleWeights() { return true; }

    /** A weight of 1 (no weights) multiplies exactly: the unweighted bits. */
    @Override
    public void lossAndGradient(Tensor logits, Tensor targets, Tensor weights, int b, float scale, Tensor dLogits, BatchResult result) {
        int n = logits.dim(1);
        double sum = 0;
        long correct = 0;
        for (int r = 0; r < b; r++) {
            long off = (long) r * n;
            int y = (int) targets.get(r), best = 0;
            double w = weights == null ? 1 : weights.get(r);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                double z = logits.get(off + j);
                if (z > max) {
                    max = z;
                    best = j;
                }
            }
            double expSum = 0;
            for (int j = 0; j < n; j++) expSum += Math.exp(logits.get(off + j) - max);
            sum += w * (Math.log(expSum) + (max - logits.get(off + y)));  // max - z_y first: at logits of 1e17 the log-sum term was lost in max
            for (int j = 0; j < n; j++) {
                double p = Math.exp(logits.get(off + j) - max) / expSum;
                dLogits.set(off + j, (float) ((p - (j == y ? 1 : 0)) * w * scale));
            }
            if (best == y && !Double.isNaN(expSum)) correct++;  // a row with a NaN (or infinite) logit has no answer: it counted as class 0
        }
        result.lossSum += sum;
        result.correct += correct;
    }
}
