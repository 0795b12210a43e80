package vectorlstm.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vectorlstm.kernels.KernelProvider;
import vectorlstm.kernels.Kernels;
import vectorlstm.layers.Parameter;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Adam with Keras' defaults (lr 0.001, β1 0.9, β2 0.999, ε 1e-7) and Keras' update form, where
 * the bias corrections are folded into the step size and ε is added to sqrt(v) ("epsilon hat").
 * Keras' gradient clipping options, at most one of them: {@link #clipnorm} rescales each weight's
 * gradient to a norm of at most c; {@link #globalClipnorm} rescales all gradients together;
 * {@link #clipvalue} clamps each element. {@link AdamW} is this update plus decoupled weight decay.
 */
public final class Adam implements Optimizer {
    private static final Kernels K = KernelProvider.get();

    private final String name;
    private final float beta1, beta2, epsilon, weightDecay;
    private final LearningRate rate;
    private final GradientClipping clipping = new GradientClipping();
    private final List<Tensor> m = new ArrayList<>(), v = new ArrayList<>();
    private long iterations;

    public Adam() { this(0.001f); }

    public Adam(float learningRate) { this(learningRate, 0.9f, 0.999f, 1e-7f); }

    public Adam(float learningRate, float beta1, float beta2, float epsilon) {
        this("adam", learningRate, beta1, beta2, epsilon, 0f);
    }

    /** Adam, or with {@code weightDecay > 0} the update of {@link AdamW}. */
    Adam(String name, float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
        if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0) || Float.isInfinite(epsilon)) {
            throw new IllegalArgumentException(name + " needs lr > 0, 0 <= beta1, beta2 < 1 and a finite epsilon > 0");
        }
        if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) throw new IllegalArgumentException(name + " needs weight decay >= 0 and finite, got " + weightDecay);
        this.name = name;
        this.rate = new LearningRate(name, learningRate);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    /** Keras' {@code clipnorm}: each weight's gradient is scaled down to an L2 norm of at most c. */
    @Override public Adam clipnorm(float c) { clipping.clipnorm(c); return this; }

    /** Keras' {@code global_clipnorm}: all gradients together are scaled down to a norm of at most c. */
    @Override public Adam globalClipnorm(float c) { clipping.globalClipnorm(c); return this; }

    /** Keras' {@code clipvalue}: each gradient element is clamped to [-v, v]. */
    @Override public Adam clipvalue(float v) { clipping.clipvalue(v); return this; }

    /** A learning-rate schedule over the base rate (default constant). */
    @Override public Adam schedule(LearningRateSchedule s) { rate.schedule(s); return this; }

    @Override public String name() { return name; }
    @Override public float learningRate() { return rate.base(); }
    @Override public void setLearningRate(float r) { rate.set(r); }
    @Override public float currentLearningRate() { return rate.at(iterations); }
    @Override public long iterations() { return iterations; }
    public float clipnorm() { return clipping.clipnorm(); }
    public float globalClipnorm() { return clipping.globalClipnorm(); }
    public float clipvalue() { return clipping.clipvalue(); }
    public float weightDecay() { return weightDecay; }
    public LearningRateSchedule schedule() { return rate.schedule(); }

    @Override
    public Map<String, List<Tensor>> state() {
        Map<String, List<Tensor>> s = new LinkedHashMap<>();
        if (m.isEmpty()) return s;
        s.put("m", List.copyOf(m));
        s.put("v", List.copyOf(v));
        return s;
    }

    @Override
    public void resumeAt(long iterations) {
        if (iterations < 0) throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        this.iterations = iterations;
    }

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
        float lr = rate.at(iterations);  // Keras evaluates the schedule at the count before this update
        iterations++;
        double t = iterations;
        float lrT = (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        float global = clipping.globalScale(grads), limit = clipping.valueLimit();
        for (int i = 0; i < trainable.size(); i++) {
            Tensor w = trainable.get(i).value(), g = grads.get(i);
            float scale = clipping.scale(g, global), lrScale = trainable.get(i).learningRateScale();
            if (weightDecay > 0) {
                // Keras' _apply_weight_decay, before the update: w -= w · wd · lr, with the schedule's lr
                // (not the bias-corrected one) times this weight's learning-rate scale.
                K.axpy(w.size(), -weightDecay * lr * lrScale, w.segment(), 0, w.segment(), 0);
            }
            K.adam(w.size(), w.segment(), g.segment(), scale, limit, m.get(i).segment(), v.get(i).segment(), lrT * lrScale, beta1, beta2, epsilon);
        }
    }
}
