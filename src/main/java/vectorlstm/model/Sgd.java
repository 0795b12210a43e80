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
 * Keras' {@code SGD} (keras/src/optimizers/sgd.py), defaults lr 0.01, momentum 0, no Nesterov:
 * <pre>
 *   momentum 0:  w = w - lr·g
 *   else:        velocity = momentum·velocity - lr·g
 *                w = w + velocity                       (plain)
 *                w = w + momentum·velocity - lr·g       (Nesterov)
 * </pre>
 * With momentum 0 no velocity is allocated. Clipping and schedules as for {@link Adam}.
 */
public final class Sgd implements Optimizer {
    private static final Kernels K = KernelProvider.get();

    private final float momentum;
    private final boolean nesterov;
    private final LearningRate rate;
    private final GradientClipping clipping = new GradientClipping();
    private final List<Tensor> velocity = new ArrayList<>();
    private long iterations;

    public Sgd() { this(0.01f); }

    public Sgd(float learningRate) { this(learningRate, 0f, false); }

    public Sgd(float learningRate, float momentum, boolean nesterov) {
        // Keras allows momentum 1; we do not: the velocity would never decay, a sum of every step so far.
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("sgd needs momentum in [0, 1), got " + momentum);
        if (nesterov && momentum == 0) throw new IllegalArgumentException("sgd: nesterov needs a momentum > 0");
        this.rate = new LearningRate("sgd", learningRate);
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    @Override public Sgd clipnorm(float c) { clipping.clipnorm(c); return this; }
    @Override public Sgd globalClipnorm(float c) { clipping.globalClipnorm(c); return this; }
    @Override public Sgd clipvalue(float v) { clipping.clipvalue(v); return this; }
    @Override public Sgd schedule(LearningRateSchedule s) { rate.schedule(s); return this; }

    @Override public String name() { return "sgd"; }
    @Override public float learningRate() { return rate.base(); }
    @Override public void setLearningRate(float r) { rate.set(r); }
    @Override public float currentLearningRate() { return rate.at(iterations); }
    @Override public long iterations() { return iterations; }
    public float momentum() { return momentum; }
    public boolean nesterov() { return nesterov; }
    public float clipnorm() { return clipping.clipnorm(); }
    public float globalClipnorm() { return clipping.globalClipnorm(); }
    public float clipvalue() { return clipping.clipvalue(); }
    public LearningRateSchedule schedule() { return rate.schedule(); }

    @Override
    public Map<String, List<Tensor>> state() {
        Map<String, List<Tensor>> s = new LinkedHashMap<>();
        if (!velocity.isEmpty()) s.put("velocity", List.copyOf(velocity));
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
        iterations = 0;
        if (momentum == 0) return;
        for (Parameter p : trainable) velocity.add(slab.tensor(p.shape()));
    }

    @Override
    public void step(List<Parameter> trainable, List<Tensor> grads) {
        float lr = rate.at(iterations);
        iterations++;
        float global = clipping.globalScale(grads), limit = clipping.valueLimit();
        for (int i = 0; i < trainable.size(); i++) {
            Tensor w = trainable.get(i).value(), g = grads.get(i);
            MemorySegment vel = momentum == 0 ? MemorySegment.NULL : velocity.get(i).segment();
            K.sgd(w.size(), w.segment(), g.segment(), clipping.scale(g, global), limit, vel,
                    lr * trainable.get(i).learningRateScale(), momentum, nesterov);
        }
    }
}
