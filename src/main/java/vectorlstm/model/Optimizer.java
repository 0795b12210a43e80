package vectorlstm.model;

import java.util.List;
import java.util.Map;
import vectorlstm.layers.Parameter;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Updates trainable parameters from their gradients; its state lives in the parameter slab.
 * Implementations: {@link Adam}, {@link AdamW}, {@link Sgd}, {@link RmsProp}, each with Keras'
 * defaults, clipping options ({@link GradientClipping}) and an optional {@link LearningRateSchedule}.
 */
public interface Optimizer {
    /** Keras' name, e.g. "adam". */
    String name();

    /** Cuts the optimizer's per-parameter state (e.g. Adam's moments) from the slab. */
    void allocateState(Slab slab, List<Parameter> trainable);

    /** One update; {@code grads.get(i)} is the gradient of {@code trainable.get(i)}. Grads are not modified. */
    void step(List<Parameter> trainable, List<Tensor> grads);

    /** The base learning rate: the constant rate, or the one a schedule scales. */
    float learningRate();

    /** Sets the base learning rate (Keras' {@code optimizer.learning_rate = ...}; {@link ReduceLrOnPlateau} uses it). */
    void setLearningRate(float rate);

    /** The rate the next update uses: the schedule at the current step count. */
    float currentLearningRate();

    /** Keras' {@code clipnorm}: each weight's gradient is scaled down to an L2 norm of at most c. */
    Optimizer clipnorm(float c);

    /** Keras' {@code global_clipnorm}: all gradients together are scaled down to a norm of at most c. */
    Optimizer globalClipnorm(float c);

    /** Keras' {@code clipvalue}: each gradient element is clamped to [-v, v]. At most one of the three clippings. */
    Optimizer clipvalue(float v);

    /** A learning-rate schedule over the base rate (default {@link LearningRateSchedule#CONSTANT}). */
    Optimizer schedule(LearningRateSchedule s);

    /** Updates made so far (Keras' {@code iterations}); allocateState starts it over. */
    long iterations();

    /**
     * The per-weight state for a checkpoint: each slot's name (Adam's "m" and "v") with one tensor
     * per trainable weight, in the order {@link #allocateState} was given them; empty when the
     * optimizer keeps none (SGD without momentum) or before allocateState.
     */
    Map<String, List<Tensor>> state();

    /** Goes on from a checkpoint: {@code iterations} updates made (the state tensors are copied in by the caller). */
    void resumeAt(long iterations);
}
