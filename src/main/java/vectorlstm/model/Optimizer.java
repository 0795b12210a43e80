package vectorlstm.model;

import java.util.List;
import vectorlstm.layers.Parameter;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/** Updates trainable parameters from their gradients; its state lives in the parameter slab. */
public interface Optimizer {
    /** Keras' name, e.g. "adam". */
    String name();

    /** Cuts the optimizer's per-parameter state (e.g. Adam's moments) from the slab. */
    void allocateState(Slab slab, List<Parameter> trainable);

    /** One update; {@code grads.get(i)} is the gradient of {@code trainable.get(i)}. */
    void step(List<Parameter> trainable, List<Tensor> grads);
}
