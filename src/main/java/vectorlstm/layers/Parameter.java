package vectorlstm.layers;

import java.util.Arrays;
import vectorlstm.memory.Tensor;

/**
 * A named weight of a layer ("kernel", "recurrent_kernel", "bias", "embeddings"): its shape and
 * initializer are fixed when the layer is built; its values are bound later to a slice of the
 * model's parameter slab.
 */
public final class Parameter {
    private String name;
    private final int[] shape;
    private final Initializer initializer;
    private boolean trainable = true;
    private float learningRateScale = 1f;
    private Tensor value;

    public Parameter(String name, Initializer initializer, int... shape) {
        this.name = name;
        this.shape = shape.clone();
        this.initializer = initializer;
    }

    public String name() { return name; }

    /** Prefixes the name with a sublayer's ("forward_lstm/kernel"): a wrapper's weights stay unique. */
    void qualify(String prefix) { this.name = prefix + "/" + name; }
    public int[] shape() { return shape.clone(); }
    public long size() { return Tensor.sizeOf(shape); }
    public Initializer initializer() { return initializer; }
    public boolean trainable() { return trainable; }
    public void setTrainable(boolean trainable) { this.trainable = trainable; }

    /** The optimizer's learning rate is multiplied by this for this weight (default 1). */
    public float learningRateScale() { return learningRateScale; }

    public void setLearningRateScale(float scale) {
        if (!(scale > 0 && scale <= 1e3)) throw new IllegalArgumentException("learning-rate scale must be in (0, 1000], got " + scale);
        this.learningRateScale = scale;
    }

    public Tensor value() {
        if (value == null) throw new IllegalStateException("parameter " + name + " is not allocated yet (compile the model first)");
        return value;
    }

    public void bind(Tensor value) {
        if (value.size() != size()) throw new IllegalArgumentException(name + ": expected " + Arrays.toString(shape));
        this.value = value;
    }

    @Override public String toString() { return name + Arrays.toString(shape); }
}
