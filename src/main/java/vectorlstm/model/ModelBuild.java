package vectorlstm.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Parameter;
import vectorlstm.layers.Shape;

/**
 * A {@link Sequential}'s build, in its two halves: the layers' shapes, names and parameters first
 * ({@link #inferShapes}), then the weights' memory ({@link #allocate} or {@link #adopt}). The model
 * calls it under its lock; {@link #built()} and {@link #inputShape()} are read without it (the
 * shape is set before the volatile write that publishes a build).
 *
 * <p>A layer keeps its shapes once built, so a build that failed after building some of its layers
 * cannot be run again: the model says why from then on. One that failed before any layer was
 * touched (no layers, a first layer without an input shape) loses nothing.
 */
final class ModelBuild implements AutoCloseable {
    private final List<Layer> layers;
    private final Layer.WeightsOwner weightsOwner;
    private final ParameterMemory parameterMemory = new ParameterMemory();
    /** Volatile: a built model's scorers do not wait for a fit that holds the model's lock to learn it. */
    private volatile boolean built;
    private boolean shapesInferred;
    /** Set when the first layer's build starts: from then on a failed build cannot be undone. */
    private boolean layersTouched;
    /** Why the first build failed after building some of its layers, or null. */
    private String failure;
    private Shape inputShape;

    ModelBuild(List<Layer> layers, Layer.WeightsOwner weightsOwner) {
        this.layers = layers;
        this.weightsOwner = weightsOwner;
    }

    boolean built() { return built; }

    /** The first layer's declared input shape, once the shapes are inferred (else null). */
    Shape inputShape() { return inputShape; }

    /** {@code weights} (as getWeights lists them) fit the layers' parameters, count and every shape; writes nothing. */
    void checkWeights(List<float[]> weights) {
        int total = 0;
        for (Layer l : layers) total += l.parameters().size();
        if (weights.size() != total) throw new IllegalArgumentException("the model has " + total + " weights, got " + weights.size() + " arrays");
        int from = 0;
        for (Layer l : layers) {
            int n = l.parameters().size();
            l.checkWeights(weights.subList(from, from + n));
            from += n;
        }
    }

    /** Refuses a new layer once the shapes are fixed, or after a build that cannot be run again. */
    void checkLayerMayBeAdded() {
        if (built || shapesInferred) throw new IllegalStateException("cannot add layers after the model is built (or its shapes inferred)");
        checkNotFailed();
    }

    /** Every layer's shapes, names and parameters, without any weight's memory. Calling it again does nothing. */
    void inferShapes() {
        if (shapesInferred) return;
        checkNotFailed();
        try {
            inferLayerShapes();
        } catch (RuntimeException e) {
            if (layersTouched) failure = String.valueOf(e.getMessage());
            throw e;
        }
        shapesInferred = true;
    }

    /** Allocates the weights; {@code init} initialises them in order, null leaves them zero (every one is set right after). */
    void allocate(Random init) {
        inferShapes();
        try {
            parameterMemory.allocate(parameters(), init);
        } catch (RuntimeException e) {
            if (layersTouched) failure = String.valueOf(e.getMessage());
            throw e;
        }
        built = true;
    }

    /** Builds on weights that exist already (see {@link Sequential#buildOn}). */
    void adopt(List<MemorySegment> weights, Arena owner) {
        if (built) throw new IllegalStateException("the model is already built");
        inferShapes();
        parameterMemory.adopt(parameters(), weights, owner);
        built = true;
    }

    /**
     * Copies adopted read-only weights into the model's own memory before their first write;
     * returns whether it did (the model's views of the old memory are stale then).
     */
    boolean makeWeightsWritable() {
        return parameterMemory.adopted() && parameterMemory.makeWritable(parameters());
    }

    /** Every layer's parameters in layer order, then {@link Layer#parameters()} order. */
    List<Parameter> parameters() {
        List<Parameter> params = new ArrayList<>();
        for (Layer l : layers) params.addAll(l.parameters());
        return params;
    }

    /** Frees the weights' memory. */
    @Override
    public void close() {
        parameterMemory.close();
    }

    private void checkNotFailed() {
        if (failure != null) throw new IllegalStateException("the model could not be built: " + failure);
    }

    private void inferLayerShapes() {
        if (layers.isEmpty()) throw new IllegalStateException("the model has no layers");
        Shape shape = layers.get(0).declaredInputShape();
        if (shape == null) throw new IllegalStateException("the first layer must declare its input shape (Embedding with inputLength, or Input)");
        inputShape = shape;
        LayerStackRules.checkOrder(layers, shape);
        LayerStackRules.nameLayers(layers);
        for (Layer l : layers) {
            layersTouched = true;
            shape = l.build(shape);
            l.setWeightsOwner(weightsOwner);
        }
        if (!(layers.get(layers.size() - 1) instanceof Dense)) {
            throw new IllegalStateException("the last layer must be Dense (the output layer)");
        }
        // Only layers after a layer with trainable weights need dL/dinput.
        boolean upstreamTrainable = false;
        for (Layer l : layers) {
            l.setInputGradientNeeded(upstreamTrainable);
            upstreamTrainable |= l.trainableParameterCount() > 0;
        }
    }
}
