package vectorlstm.model;

import java.lang.foreign.MemorySegment;
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
 * Keras' {@code RMSprop} (keras/src/optimizers/rmsprop.py), defaults lr 0.001, ρ 0.9, momentum 0,
 * ε 1e-7, not centered:
 * <pre>
 *   v = ρ·v + (1-ρ)·g²
 *   centered:  a = ρ·a + (1-ρ)·g;  step = lr·g / sqrt(v - a² + ε)
 *   else:                          step = lr·g / sqrt(v + ε)
 *   momentum 0:  w = w - step
 *   else:        mom = momentum·mom + step;  w = w - mom
 * </pre>
 * (ε sits inside the square root here, unlike Adam's.) Only the state in use is allocated.
 */
public final class RmsProp implements Optimizer {
    private static final Kernels K = KernelProvider.get();

    private final float rho, momentum, epsilon;
    private final boolean centered;
    private final LearningRate rate;
    private final GradientClipping clipping = new GradientClipping();
    private final List<Tensor> velocity = new ArrayList<>(), average = new ArrayList<>(), momentums = new ArrayList<>();
    private long iterations;

    public RmsProp() { this(0.001f); }

    public RmsProp(float learningRate) { this(learningRate, 0.9f, 0f, 1e-7f, false); }

    public RmsProp(float learningRate, float rho, float momentum, float epsilon, boolean centered) {
        if (!(rho >= 0 && rho < 1)) throw new IllegalArgumentException("rmsprop needs rho in [0, 1), got " + rho);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("rmsprop needs momentum in [0, 1), got " + momentum);
        if (!(epsilon > 0) || Float.isInfinite(epsilon)) throw new IllegalArgumentException("rmsprop needs epsilon > 0 and finite, got " + epsilon);
        this.rate = new LearningRate("rmsprop", learningRate);
        this.rho = rho;
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.centered = centered;
    }

    @Override public RmsProp clipnorm(float c) { clipping.clipnorm(c); return this; }
    @Override public RmsProp globalClipnorm(float c) { clipping.globalClipnorm(c); return this; }
    @Override public RmsProp clipvalue(float v) { clipping.clipvalue(v); return this; }
    @Override public RmsProp schedule(LearningRateSchedule s) { rate.schedule(s); return this; }

    @Override public String name() { return "rmsprop"; }
    @Override public float learningRate() { return rate.base(); }
    @Override public void setLearningRate(float r) { rate.set(r); }
    @Override public float currentLearningRate() { return rate.at(iterations); }
    @Override public long iterations() { return iterations; }
    public float rho() { return rho; }
    public float momentum() { return momentum; }
    public float epsilon() { return epsilon; }
    public boolean centered() { return centered; }
    public float clipnorm() { return clipping.clipnorm(); }
    public float globalClipnorm() { return clipping.globalClipnorm(); }
    public float clipvalue() { return clipping.clipvalue(); }
    public LearningRateSchedule schedule() { return rate.schedule(); }

    @Override
    public Map<String, List<Tensor>> state() {
        Map<String, List<Tensor>> s = new LinkedHashMap<>();
        if (!velocity.isEmpty()) s.put("velocity", List.copyOf(velocity));
        if (!average.isEmpty()) s.put("average", List.copyOf(average));
        if (!momentums.isEmpty()) s.put("momentum", List.copyOf(momentums));
        return s;
    }

    @Override
    public void resumeAt(long iterations) {
        if (iterations < 0) throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        this.iterations = iterations;
    }

    @Override
    public void allocateState(Slab slab, List<Parameter> trainable) {
        velocity.clear();
        average.clear();
        momentums.clear();
        iterations = 0;
        for (Parameter p : trainable) {
            velocity.add(slab.tensor(p.shape()));
            if (centered) average.add(slab.tensor(p.shape()));
            if (momentum > 0) momentums.add(slab.tensor(p.shape()));
        }
    }

    @Override
    public void step(List<Parameter> trainable, List<Tensor> grads) {
        float lr = rate.at(iterations);
        iterations++;
        float global = clipping.globalScale(grads), limit = clipping.valueLimit();
        for (int i = 0; i < trainable.size(); i++) {
            Tensor w = trainable.get(i).value(), g = grads.get(i);
            MemorySegment avg = centered ? average.get(i).segment() : MemorySegment.NULL;
            MemorySegment mom = momentum > 0 ? momentums.get(i).segment() : MemorySegment.NULL;
            K.rmsprop(w.size(), w.segment(), g.segment(), clipping.scale(g, global), limit, velocity.get(i).segment(), avg, mom,
                    lr * trainable.get(i).learningRateScale(), rho, momentum, epsilon, centered);
        }
    }
}
