package vectorlstm.model;

import java.util.List;
import vectorlstm.memory.Tensor;

/**
 * Keras' three gradient clipping options, shared by every optimizer (keras/src/optimizers/
 * base_optimizer.py, {@code _clip_gradients}): {@code clipnorm} scales each weight's gradient to
 * an L2 norm of at most c, {@code global_clipnorm} scales all gradients together to a joint norm
 * of at most c, {@code clipvalue} clamps every element to [-v, v]. As in Keras, at most one of
 * them may be set. The norms become a scale factor per weight that the update kernel multiplies
 * the gradient by; the value limit is passed to the kernel too (+Infinity when unset), so the
 * gradient tensors are never modified.
 */
final class GradientClipping {
    private float clipnorm = Float.NaN, globalClipnorm = Float.NaN, clipvalue = Float.NaN;

    void clipnorm(float c) {
        if (!(c > 0) || Float.isInfinite(c)) throw new IllegalArgumentException("clipnorm must be > 0 and finite, got " + c);
        onlyOne("clipnorm", globalClipnorm, clipvalue);
        clipnorm = c;
    }

    void globalClipnorm(float c) {
        if (!(c > 0) || Float.isInfinite(c)) throw new IllegalArgumentException("global clipnorm must be > 0 and finite, got " + c);
        onlyOne("globalClipnorm", clipnorm, clipvalue);
        globalClipnorm = c;
    }

    void clipvalue(float v) {
        if (!(v > 0) || Float.isInfinite(v)) throw new IllegalArgumentException("clipvalue must be > 0 and finite, got " + v);
        onlyOne("clipvalue", clipnorm, globalClipnorm);
        clipvalue = v;
    }

    private static void onlyOne(String option, float other1, float other2) {
        if (!Float.isNaN(other1) || !Float.isNaN(other2)) {
            throw new IllegalArgumentException("cannot set " + option + ": only one of clipnorm, globalClipnorm and clipvalue can be set (as in Keras)");
        }
    }

    float clipnorm() { return clipnorm; }
    float globalClipnorm() { return globalClipnorm; }
    float clipvalue() { return clipvalue; }

    /** The element limit for the update kernels: clipvalue, or +Infinity (no clamp) when unset. */
    float valueLimit() { return Float.isNaN(clipvalue) ? Float.POSITIVE_INFINITY : clipvalue; }

    /** The global_clipnorm factor of this step's gradients (1 when unset or within the limit). */
    float globalScale(List<Tensor> grads) {
        if (Float.isNaN(globalClipnorm)) return 1f;
        double sumSquares = 0;
        for (Tensor g : grads) sumSquares += sumOfSquares(g);
        return factor(Math.sqrt(sumSquares), globalClipnorm);
    }

    /** The factor one weight's gradient is multiplied by: the global factor, times its clipnorm factor. */
    float scale(Tensor grad, float global) {
        return Float.isNaN(clipnorm) ? global : global * factor(Math.sqrt(sumOfSquares(grad)) * global, clipnorm);
    }

    private static float factor(double norm, float limit) {
        return norm > limit ? (float) (limit / norm) : 1f;
    }

    private static double sumOfSquares(Tensor t) {
        double s = 0;
        for (long i = 0; i < t.size(); i++) {
            double x = t.get(i);
            s += x * x;
        }
        return s;
    }
}
