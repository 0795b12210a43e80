package vectorlstm.model;

import java.util.List;
import java.util.Map;
import vectorlstm.layers.Parameter;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Keras' {@code AdamW} (keras/src/optimizers/adamw.py: Adam plus the base optimizer's decoupled
 * weight decay, Loshchilov and Hutter 2019): before each Adam update every weight is shrunk by
 * {@code w -= w · weightDecay · lr}, lr being the scheduled rate without Adam's bias correction.
 * Defaults lr 0.001, weight decay 0.004, β1 0.9, β2 0.999, ε 1e-7. Like Keras' default, every
 * weight is decayed, biases and embeddings too. A weight's learning-rate scale scales its decay.
 */
public final class AdamW implements Optimizer {
    private final Adam adam;

    public AdamW() { this(0.001f); }

    public AdamW(float learningRate) { this(learningRate, 0.004f); }

    public AdamW(float learningRate, float weightDecay) { this(learningRate, weightDecay, 0.9f, 0.999f, 1e-7f); }

    public AdamW(float learningRate, float weightDecay, float beta1, float beta2, float epsilon) {
        this.adam = new Adam("adamw", learningRate, beta1, beta2, epsilon, weightDecay);
    }

    @Override public AdamW clipnorm(float c) { adam.clipnorm(c); return this; }
    @Override public AdamW globalClipnorm(float c) { adam.globalClipnorm(c); return this; }
    @Override public AdamW clipvalue(float v) { adam.clipvalue(v); return this; }
    @Override public AdamW schedule(LearningRateSchedule s) { adam.schedule(s); return this; }

    @Override public String name() { return adam.name(); }
    @Override public float learningRate() { return adam.learningRate(); }
    @Override public void setLearningRate(float r) { adam.setLearningRate(r); }
    @Override public float currentLearningRate() { return adam.currentLearningRate(); }
    @Override public long iterations() { return adam.iterations(); }
    public float weightDecay() { return adam.weightDecay(); }
    public float clipnorm() { return adam.clipnorm(); }
    public float globalClipnorm() { return adam.globalClipnorm(); }
    public float clipvalue() { return adam.clipvalue(); }
    public LearningRateSchedule schedule() { return adam.schedule(); }

    @Override public void allocateState(Slab slab, List<Parameter> trainable) { adam.allocateState(slab, trainable); }
    @Override public void step(List<Parameter> trainable, List<Tensor> grads) { adam.step(trainable, grads); }
    @Override public Map<String, List<Tensor>> state() { return adam.state(); }
    @Override public void resumeAt(long iterations) { adam.resumeAt(iterations); }
}
