package vectorlstm.model;

import java.util.ArrayList;
import java.util.List;
import vectorlstm.kernels.KernelProvider;
import vectorlstm.kernels.Kernels;
import vectorlstm.layers.Parameter;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Adam with Keras' defaults (lr 0.001, β1 0.9, β2 0.999, ε 1e-7) and Keras' update form, where
 * the bias corrections are folded into the step size and ε is added to sqrt(v) ("epsilon hat").
 * Keras' gradient clipping options: {@link #clipnorm} rescales each weight's gradient to a norm of
 * at most c; {@link #globalClipnorm} rescales all gradients together.
 */
public final class Adam implements Optimizer {
    private static final Kernels K = KernelProvider.get();

    private final float learningRate, beta1, beta2, epsilon;
    private float clipnorm = Float.NaN, globalClipnorm = Float.NaN;
    private final List<Tensor> m = new ArrayList<>(), v = new ArrayList<>();
    private long iterations;

    public Adam() { this(0.001f); }

    public Adam(float learningRate) { this(learningRate, 0.9f, 0.999f, 1e-7f); }

    public Adam(float learningRate, float beta1, float beta2, float epsilon) {
        if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("Adam needs lr > 0, 0 <= beta1, beta2 < 1 and epsilon > 0");
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** Keras' {@code clipnorm}: each weight's gradient is scaled down to an L2 norm of at most c. */
    public Adam clipnorm(float c) {
        if (!(c > 0)) throw new IllegalArgumentException("clipnorm must be > 0, got " + c);
        this.clipnorm = c;
        return this;
    }

    /** Keras' {@code global_clipnorm}: all gradients together are scaled down to a norm of at most c. */
    public Adam globalClipnorm(float c) {
        if (!(c > 0)) throw new IllegalArgumentException("global clipnorm must be > 0, got " + c);
        this.globalClipnorm = c;
        return this;
    }

    @Override public String name() { return "adam"; }
    public float learningRate() { return learningRate; }
    public float clipnorm() { return clipnorm; }
    public float globalClipnorm() { return globalClipnorm; }
    public long iterations() { return iterations; }

    @Override
    public void allocateState(Slab slab, List<Parameter> trainable) {
        m.clear();
        v.clear();
        iterations = 0;  // fresh moments: the bias correction starts over too
        for (Parameter p : trainable) {
            m.add(slab.tensor(p.shape()));
            v.add(slab.tensor(p.shape()));
        }
    }

    @Override
    public void step(List<Parameter> trainable, List<Tensor> grads) {
        iterations++;
        double t = iterations;
        float lrT = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        float global = 1f;
        if (!Float.isNaN(globalClipnorm)) {
            double sumSquares = 0;
            for (Tensor g : grads) sumSquares += sumOfSquares(g);
            global = clipFactor(Math.sqrt(sumSquares), globalClipnorm);
        }
        for (int i = 0; i < trainable.size(); i++) {
            Tensor w = trainable.get(i).value(), g = grads.get(i);
            float scale = Float.isNaN(clipnorm) ? global : global * clipFactor(Math.sqrt(sumOfSquares(g)) * global, clipnorm);
            float lr = lrT * trainable.get(i).learningRateScale();
            K.adam(w.size(), w.segment(), g.segment(), scale, m.get(i).segment(), v.get(i).segment(), lr, beta1, beta2, epsilon);
        }
    }

    private static float clipFactor(double norm, float limit) {
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
