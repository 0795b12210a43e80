package vectorlstm.layers;

import java.lang.foreign.MemorySegment;
import java.util.List;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Keras {@code Dense(units, activation)}: {@code y = f(x·W + bias)}, glorot_uniform kernel
 * {@code W [F, units]}, zero bias. Input {@code x [b, F]}; output {@code [b, units]}.
 * The pre-activations ("logits") stay available so a loss can fuse with the activation
 * (sigmoid + binary cross-entropy is computed from the logit, which is numerically stable).
 */
public final class Dense extends Layer {
    private final int units;
    private final Activation activation;
    private Parameter kernel;
    private Parameter bias;

    public Dense(int units) { this(units, Activation.LINEAR); }

    public Dense(int units, Activation activation) {
        if (units <= 0) throw new IllegalArgumentException("Dense units must be positive, got " + units);
        if (activation == null) throw new IllegalArgumentException("Dense needs an activation (Activation.LINEAR for none)");
        this.units = units;
        this.activation = activation;
    }

    public Dense(int units, String activation) { this(units, Activation.parse(activation)); }

    @Override public String typeName() { return "Dense"; }
    @Override public String namePrefix() { return "dense"; }
    public int units() { return units; }
    public Activation activation() { return activation; }
    public Parameter kernel() { return kernel; }
    public Parameter bias() { return bias; }

    @Override
    protected Shape doBuild(Shape input) {
        requireRank(input, 1, "Dense", "(None, features)");
        kernel = addParameter(new Parameter("kernel", Initializer.glorotUniform(), input.dim(0), units));
        bias = addParameter(new Parameter("bias", Initializer.zeros(), units));
        return Shape.of(units);
    }

    static final class DenseState implements State {
        final Tensor logits, output, dLogits, dx;
        Tensor input;

        DenseState(Slab slab, int maxB, int features, int units, boolean training, boolean needDx) {
            logits = slab.tensor(maxB, units);
            output = slab.tensor(maxB, units);
            dLogits = training ? slab.tensor(maxB, units) : null;
            dx = needDx ? slab.tensor(maxB, features) : null;
        }
    }

    @Override
    public State newState(Slab slab, int maxBatch, int maxSteps, boolean training) {
        return new DenseState(slab, maxBatch, inputShape().dim(0), units, training, keepsInputGradient(training));
    }

    /** The pre-activations of the last forward on this state, {@code [b, units]}. */
    public Tensor logits(State state, int b) { return ((DenseState) state).logits.prefix(b, units); }

    // x [b, F] → logits = x·W + bias → output = f(logits)
    @Override
    public Tensor forward(State state, Tensor x, Tensor mask, Pass pass) {
        DenseState s = (DenseState) state;
        int b = pass.batch();
        int f = inputShape().dim(0);
        Tensor logits = s.logits.prefix(b, units);
        logits.zero();
        K.addRowVector(b, units, bias.value().segment(), 0, logits.segment(), 0);
        K.gemm(b, units, f, x.segment(), 0, f, 1, kernel.value().segment(), 0, units, logits.segment(), 0, units);
        Tensor out = s.output.prefix(b, units);
        activation.apply(logits, out, b, units);
        s.input = x;
        return out;
    }

    /**
     * Inference on one row through raw memory (no tensor views, so no allocation):
     * {@code out[0, units) = f(x·W + bias)} for the F floats of x at {@code xOff}.
     */
    public void forwardRow(MemorySegment x, long xOff, MemorySegment out, long outOff) {
        forwardRow(kernel.value().segment(), bias.value().segment(), x, xOff, out, outOff);
    }

    /** {@link #forwardRow(MemorySegment, long, MemorySegment, long)} with a copy of this layer's weights ([F, units] and [units]), not its own. */
    public void forwardRow(MemorySegment kernelCopy, MemorySegment biasCopy, MemorySegment x, long xOff, MemorySegment out, long outOff) {
        int f = inputShape().dim(0);
        if (kernelCopy.byteSize() != (long) f * units * Float.BYTES || biasCopy.byteSize() != (long) units * Float.BYTES) {
            throw new IllegalArgumentException("a copy of this layer's weights holds [" + f + ", " + units + "] and [" + units + "] floats; got "
                    + kernelCopy.byteSize() / Float.BYTES + " and " + biasCopy.byteSize() / Float.BYTES);
        }
        MemorySegment.copy(biasCopy, 0, out, outOff * Float.BYTES, (long) units * Float.BYTES);
        K.gemm(1, units, f, x, xOff, f, 1, kernelCopy, 0, units, out, outOff, units);
        activation.applyInPlace(out, outOff, units);
    }

    @Override
    public Tensor backward(State state, Tensor gradOutput, List<Tensor> grads, int b) {
        DenseState s = (DenseState) state;
        Tensor dLogits = s.dLogits.prefix(b, units);
        activation.backward(s.logits, s.output, gradOutput, dLogits, b, units);
        return backwardFromLogits(state, dLogits, grads, b);
    }

    // dLogits [b, units] → dW += xᵀ·dLogits, dbias += Σ dLogits, dx = dLogits·Wᵀ (W is [F, units])
    public Tensor backwardFromLogits(State state, Tensor dLogits, List<Tensor> grads, int b) {
        DenseState s = (DenseState) state;
        int f = inputShape().dim(0);
        K.gemm(f, units, b, s.input.segment(), 0, 1, f, dLogits.segment(), 0, units, grads.get(0).segment(), 0, units);
        K.addColumnSums(b, units, dLogits.segment(), 0, units, grads.get(1).segment(), 0);
        if (!inputGradientNeeded) return null;
        Tensor dx = s.dx.prefix(b, f);
        dx.zero();
        K.gemmTransB(b, f, units, dLogits.segment(), 0, units, kernel.value().segment(), 0, units, dx.segment(), 0, f);
        return dx;
    }
}
