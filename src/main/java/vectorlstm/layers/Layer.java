package vectorlstm.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import vectorlstm.kernels.KernelProvider;
import vectorlstm.kernels.Kernels;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * A layer of a {@code Sequential} model.
 *
 * <p>A layer holds its configuration and its {@link Parameter}s (shared by every thread). All
 * per-batch memory — activations kept for backward, scratch, input gradients — lives in a
 * {@link State} the layer cuts from a slab; each training worker and each scorer has its own, so
 * layers themselves are stateless during compute.
 *
 * <p>Layout conventions, batch size {@code b} (at most the state's maxBatch; tensors are packed
 * for the actual b): sequences are time-major {@code [T, b, F]} (one step's rows are contiguous, which
 * is what a per-step GEMM wants); vectors are {@code [b, F]}; token ids are int {@code [b, T]}.
 * A sequence layer reads T from its input, so one state serves every length up to its maxSteps
 * (variable-length input runs each batch at its own longest length).
 *
 * <p>Masks, as in Keras: a {@code [T, b]} float tensor, 1 for a real step and 0 for a masked one
 * (padding). {@link Embedding} with maskZero, {@link Masking} and variable-length input create
 * them; recurrent layers carry their state through masked steps unchanged; layers that keep the
 * time axis pass the mask on ({@link #outputMask}).
 */
public abstract class Layer {
    /** The kernels chosen at start-up; a static final so every call site is monomorphic. */
    protected static final Kernels K = KernelProvider.get();

    private String name;
    private Shape inputShape;
    private Shape outputShape;
    private final List<Parameter> parameters = new ArrayList<>();
    /** False when nothing upstream needs dL/dinput (first layer, frozen embedding): backward skips that work. */
    protected boolean inputGradientNeeded = true;
    /** The owning model, told before and after {@link #setWeights} writes (see {@link WeightsOwner}). */
    private WeightsOwner owner = WeightsOwner.NONE;

    /**
     * What a layer tells its model about weight writes: before, so read-only weights (a mapped
     * model file) can be copied first; the write itself runs through {@link #writeWeights}, so
     * that no packed copy is made of weights half written and scorers and packed copies follow.
     */
    public interface WeightsOwner {
        WeightsOwner NONE = new WeightsOwner() {
            @Override public void beforeWeightsWrite() {}
            @Override public void writeWeights(Runnable write) { write.run(); }
        };

        void beforeWeightsWrite();

        /** Runs {@code write}, which changes the weights, as one change. */
        void writeWeights(Runnable write);

        /** Runs {@code read}, which reads the weights, between changes, never during one. */
        default <T> T readWeights(java.util.function.Supplier<T> read) {
            return read.get();
        }

        /** Throws when the weights are gone (the model closed), saying so rather than the JDK's "Already closed". */
        default void checkOpen() {}
    }

    /** Per-batch memory of one layer for one thread. */
    public interface State {}

    /** Keras class name as shown by summary(): "Embedding", "LSTM", "Dense". */
    public abstract String typeName();

    /** Keras' automatic name prefix: "embedding", "lstm", "dense". */
    public abstract String namePrefix();

    /** Validates the input shape, registers parameters and returns the output shape. */
    protected abstract Shape doBuild(Shape input);

    /**
     * Cuts this layer's activations and scratch for up to {@code maxBatch} samples of up to
     * {@code maxSteps} steps from the slab (maxSteps is the input length when it is fixed).
     * Without {@code training} the state holds only what a forward needs: no buffers for
     * backward or for dropout (a stacked model's evaluation took 40 % less memory). Such a state
     * is for inference passes only (a training worker never gets one).
     */
    public abstract State newState(Slab slab, int maxBatch, int maxSteps, boolean training);

    /**
     * Forward for {@code pass.batch()} samples; returns a view of the output inside the state.
     * {@code mask} is the input's mask {@code [T, b]}, or null when every step is real.
     */
    public abstract Tensor forward(State state, Tensor input, Tensor mask, Pass pass);

    /** The mask of the last forward's output on this state (null: none, e.g. the time axis is gone). */
    public Tensor outputMask(State state) { return null; }

    /**
     * Backward for the batch last seen by forward on this state: adds parameter gradients into
     * {@code grads} (same order as {@link #parameters()}) and returns dL/dinput (null when not needed).
     */
    public abstract Tensor backward(State state, Tensor gradOutput, List<Tensor> grads, int batch);

    public final Shape build(Shape input) {
        if (outputShape != null) throw new IllegalStateException("layer " + name + " is already built");
        inputShape = input;
        outputShape = doBuild(input);
        return outputShape;
    }

    protected final Parameter addParameter(Parameter p) {
        parameters.add(p);
        return p;
    }

    public List<Parameter> parameters() { return Collections.unmodifiableList(parameters); }

    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters) n += p.size();
        return n;
    }

    public long trainableParameterCount() {
        long n = 0;
        for (Parameter p : parameters) if (p.trainable()) n += p.size();
        return n;
    }

    /**
     * Keras' {@code get_weights()}: a copy of each weight, in {@link #parameters()} order and
     * Keras' layouts (row-major; e.g. LSTM kernel {@code [D, 4H]}, recurrent kernel {@code [H, 4H]},
     * bias {@code [4H]}, gates i, f, c, o). Shapes: {@link Parameter#shape()}.
     */
    public List<float[]> getWeights() {
        owner.checkOpen();
        return owner.readWeights(() -> {  // a setWeights on another thread comes before or after, not between the arrays
            List<float[]> out = new ArrayList<>();
            for (Parameter p : parameters) out.add(p.value().toArray());
            return out;
        });
    }

    /**
     * Keras' {@code set_weights()}: the same list {@link #getWeights()} returns. Every array is
     * checked against its weight's shape and for NaN/infinity before anything is written, and the
     * model's scorers and packed copies follow at their next call (as one change: a scorer never
     * packs them half written; a fit, evaluate or predict in progress is waited for). Not from a
     * fit's own callbacks, nor handed by one to another thread (that thread would wait for the fit).
     */
    public void setWeights(List<float[]> weights) {
        owner.checkOpen();
        checkWeights(weights);
        owner.beforeWeightsWrite();
        owner.writeWeights(() -> {
            for (int i = 0; i < parameters.size(); i++) parameters.get(i).value().copyFrom(weights.get(i));
        });
    }

    /** Throws what {@link #setWeights} would refuse, writing nothing. */
    public void checkWeights(List<float[]> weights) {
        if (!isBuilt() && name == null) {
            throw new IllegalStateException("this " + getClass().getSimpleName() + " is in no model yet: add it to a Sequential, then build or compile the model");
        }
        if (!isBuilt()) throw new IllegalStateException("layer " + name + " is not built yet (build or compile the model first)");
        if (weights == null) throw new IllegalArgumentException("layer " + name + ": no weights given (null)");
        if (weights.size() != parameters.size()) {
            throw new IllegalArgumentException("layer " + name + " has " + parameters.size() + " weights " + parameters + ", got " + weights.size() + " arrays");
        }
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            float[] w = weights.get(i);
            if (w == null || w.length != p.size()) {
                throw new IllegalArgumentException(name + "/" + p + ": expected " + p.size() + " values, got " + (w == null ? "null" : w.length));
            }
            for (int j = 0; j < w.length; j++) {
                if (!Float.isFinite(w[j])) throw new IllegalArgumentException(name + "/" + p.name() + "[" + j + "] is " + w[j] + ": weights must be finite");
            }
        }
    }

    /** The wrapper this layer runs inside (a Bidirectional's directions), or null: its name is part of the dropout salt. */
    private Layer wrapper;

    /** Called by a wrapper on the layers it runs: they are named alike in every wrapper ("forward_lstm"), so the salt must tell the wrappers apart. */
    protected final void runsInside(Layer wrapper) { this.wrapper = wrapper; }

    /**
     * This layer's share of a dropout key: its masks differ from every other layer's in the same
     * pass. From the layer's name, within its wrapper's: two Bidirectional(LSTM) layers each run a
     * "forward_lstm", which drew the same masks at every step.
     */
    protected final long dropoutSalt() {
        String wrapperName = wrapper == null ? null : wrapper.name();
        Salt s = salt;
        if (s == null || s.name != name || s.wrapperName != wrapperName) {  // the names it was made of changed (or none yet): made again, once
            String scoped = wrapperName == null ? name : wrapperName + "/" + name;
            salt = s = new Salt(name, wrapperName, java.util.Objects.hashCode(scoped) * 0x9E3779B97F4A7C15L);
        }
        return s.value;  // a forward's call allocates nothing (the scoped name took 144 bytes a score)
    }

    /** A salt with the names it was made of, in one object: threads that race to make it make the same one. */
    private record Salt(String name, String wrapperName, long value) {}

    private volatile Salt salt;

    /**
     * Set once, by the model that builds this layer: its weight writes then run as that model's
     * changes, which its scorers and packed copies follow. (Public for the model package only: a
     * second owner, such as {@link WeightsOwner#NONE} from a caller, would let writes bypass them.)
     */
    public void setWeightsOwner(WeightsOwner owner) {
        if (owner == null) throw new IllegalArgumentException("no weights owner given (null)");
        if (this.owner != WeightsOwner.NONE && this.owner != owner) {
            throw new IllegalStateException("layer '" + name + "' belongs to a model already: its weight writes run through that model");
        }
        this.owner = owner;
    }

    public boolean isBuilt() { return outputShape != null; }
    public Shape inputShape() { return inputShape; }
    public Shape outputShape() { return outputShape; }
    public String name() { return name; }
    /**
     * Keras' layer {@code name}. It names the layer's weights in a saved model ({@code name/kernel}),
     * so it must be non-empty text without control characters and not start with "__" (reserved
     * by the file format); a model's layers must have different names.
     */
    public void setName(String name) {
        if (name == null || name.isEmpty() || name.length() > 256) throw new IllegalArgumentException("a layer name must be 1 to 256 characters, got " + (name == null ? "null" : name.length() + ""));
        if (name.startsWith("__") || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("layer name '" + name.replaceAll("\\p{Cntrl}", "?") + "' may not contain control characters, nor start with '__'");
        }
        this.name = name;
    }
    public void setInputGradientNeeded(boolean needed) { this.inputGradientNeeded = needed; }

    /** Whether a state made for {@code training} holds buffers for dL/dinput. */
    protected final boolean keepsInputGradient(boolean training) { return training && inputGradientNeeded; }

    /** The input shape a layer can infer by itself (Embedding with inputLength, Input), or null. */
    public Shape declaredInputShape() { return null; }

    protected static void requireRank(Shape input, int rank, String layer, String expected) {
        if (input.rank() != rank) {
            throw new IllegalArgumentException(layer + " expects input " + expected + ", got " + input.withBatch());
        }
    }
}
