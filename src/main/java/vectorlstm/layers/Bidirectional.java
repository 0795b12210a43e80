package vectorlstm.layers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Locale;
import vectorlstm.memory.CachedSlice;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Keras' {@code Bidirectional(layer, merge_mode)}: the layer reads the sequence forwards, a copy
 * of it ({@link RecurrentLayer#reversedCopy()}) reads it backwards, and their outputs are merged
 * (concat by default, or sum, ave, mul). With returnSequences the backward output is turned back
 * into time order before merging, and masked steps output zero, as Keras forces on both layers.
 *
 * <p>Weights, in Keras' order: the forward layer's, then the backward layer's, named
 * {@code forward_lstm/kernel}, ..., {@code backward_lstm/kernel}, ...
 */
public final class Bidirectional extends Layer {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;

    /** Keras' {@code merge_mode}. */
    public enum MergeMode {
        CONCAT, SUM, AVE, MUL;

        public String kerasName() { return name().toLowerCase(Locale.ROOT); }

        public static MergeMode parse(String name) {
            for (MergeMode m : values()) if (m.kerasName().equals(name)) return m;
            throw new IllegalArgumentException("unknown merge mode '" + name + "' (concat, sum, ave or mul)");
        }
    }

    private final RecurrentLayer forwardLayer;
    /** The forward layer's reversed copy: made again at build, so settings made after construction reach both directions. */
    private RecurrentLayer backwardLayer;
    private final MergeMode mergeMode;

    public Bidirectional(RecurrentLayer layer) { this(layer, MergeMode.CONCAT); }

    public Bidirectional(RecurrentLayer layer, MergeMode mergeMode) {
        if (layer == null || mergeMode == null) throw new IllegalArgumentException("Bidirectional needs a recurrent layer and a merge mode, got " + layer + ", " + mergeMode);
        if (layer.isBuilt()) throw new IllegalArgumentException("Bidirectional needs an unbuilt layer");
        this.forwardLayer = layer;
        this.backwardLayer = layer.reversedCopy();
        this.mergeMode = mergeMode;
        forwardLayer.setZeroOutputForMask(layer.returnSequences());
        backwardLayer.setZeroOutputForMask(layer.returnSequences());
    }

    @Override public String typeName() { return "Bidirectional"; }
    @Override public String namePrefix() { return "bidirectional"; }
    public RecurrentLayer forwardLayer() { return forwardLayer; }
    public RecurrentLayer backwardLayer() { return backwardLayer; }
    public MergeMode mergeMode() { return mergeMode; }
    public boolean returnSequences() { return forwardLayer.returnSequences(); }

    /** The wrapped layers' weights are this layer's: their own setWeights is a change of the same model. */
    @Override
    public void setWeightsOwner(WeightsOwner owner) {
        super.setWeightsOwner(owner);
        forwardLayer.setWeightsOwner(owner);
        backwardLayer.setWeightsOwner(owner);
    }

    /** Width of one merged step: 2H for concat, H otherwise. */
    private int mergedWidth() { return mergeMode == MergeMode.CONCAT ? 2 * forwardLayer.units() : forwardLayer.units(); }

    @Override
    protected Shape doBuild(Shape input) {
        // The layer given may have been set up after this wrapper was made (new Bidirectional(l), then
        // l.dropout(0.5f)): the copy made then would have trained the backward direction without them.
        backwardLayer = forwardLayer.reversedCopy();
        backwardLayer.setZeroOutputForMask(forwardLayer.returnSequences());
        forwardLayer.setName("forward_" + forwardLayer.namePrefix());
        backwardLayer.setName("backward_" + backwardLayer.namePrefix());
        forwardLayer.runsInside(this);
        backwardLayer.runsInside(this);
        forwardLayer.build(input);
        backwardLayer.build(input);
        for (RecurrentLayer l : List.of(forwardLayer, backwardLayer)) {
            for (Parameter p : l.parameters()) {
                p.qualify(l.name());
                addParameter(p);
            }
        }
        return returnSequences() ? Shape.of(input.dim(0), mergedWidth()) : Shape.of(mergedWidth());
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        super.setInputGradientNeeded(needed);
        forwardLayer.setInputGradientNeeded(needed);
        backwardLayer.setInputGradientNeeded(needed);
    }

    private static final class BiState implements State {
        final State forward, backward;
        final Tensor out;        // [maxSteps?, maxB, merged]
        final Tensor bTimeOrder; // returnSequences: the backward output in time order [maxSteps, maxB, H]
        final Tensor dF, dB;     // gradient reaching each direction's output (dB in processing order)
        final Tensor dBTime;     // returnSequences: dB in time order before reversal
        final Tensor dx;         // [maxSteps, maxB, D]
        Tensor fOut, bOut, mask;
        int steps;
        /** The merged output seen as [steps, b, merged]: the same view call after call (a scorer's). */
        final CachedSlice sequenceView = new CachedSlice();

        BiState(State forward, State backward, Slab slab, int maxB, int maxSteps, int units, int merged, int features,
                boolean sequences, boolean training, boolean needDx) {
            this.forward = forward;
            this.backward = backward;
            int rows = sequences ? Math.multiplyExact(maxSteps, maxB) : maxB;
            out = slab.tensor(rows, merged);
            bTimeOrder = sequences ? slab.tensor(rows, units) : null;
            dF = training ? slab.tensor(rows, units) : null;
            dB = training ? slab.tensor(rows, units) : null;
            dBTime = training && sequences ? slab.tensor(rows, units) : null;
            dx = needDx ? slab.tensor(maxSteps, maxB, features) : null;
        }
    }

    @Override
    public State newState(Slab slab, int maxBatch, int maxSteps, boolean training) {
        State f = forwardLayer.newState(slab, maxBatch, maxSteps, training);
        State b = backwardLayer.newState(slab, maxBatch, maxSteps, training);
        return new BiState(f, b, slab, maxBatch, maxSteps, forwardLayer.units(), mergedWidth(), inputShape().dim(1),
                returnSequences(), training, keepsInputGradient(training));
    }

    // x [T, b, D] → forward f and backward g (both [b, H], or [T, b, H] in time order) → merge(f, g).
    @Override
    public Tensor forward(State state, Tensor x, Tensor mask, Pass pass) {
        BiState s = (BiState) state;
        int b = pass.batch(), h = forwardLayer.units();
        s.steps = x.dim(0);
        s.mask = mask;
        int rows = returnSequences() ? s.steps * b : b;
        s.fOut = forwardLayer.forward(s.forward, x, mask, pass);
        Tensor g = backwardLayer.forward(s.backward, x, mask, pass);
        if (returnSequences()) {
            RecurrentLayer.reverseTime(g.segment(), s.bTimeOrder.segment(), s.steps, (long) b * h);
            g = s.bTimeOrder.prefix(rows, h);
        }
        s.bOut = g;
        Tensor out = s.out.prefix(rows, mergedWidth());
        merge(s.fOut.segment(), g.segment(), out.segment(), rows, h);
        return returnSequences() ? s.sequenceView.slice(out, 0, s.steps, b, mergedWidth()) : out;
    }

    private void merge(MemorySegment f, MemorySegment g, MemorySegment out, int rows, int h) {
        long rowBytes = (long) h * Float.BYTES;
        for (int r = 0; r < rows; r++) {
            long in = (long) r * h;
            switch (mergeMode) {
                case CONCAT -> {
                    MemorySegment.copy(f, in * Float.BYTES, out, 2 * r * rowBytes, rowBytes);
                    MemorySegment.copy(g, in * Float.BYTES, out, (2 * r + 1) * rowBytes, rowBytes);
                }
                case SUM, AVE, MUL -> {
                    for (int j = 0; j < h; j++) {
                        float a = f.getAtIndex(F32, in + j), c = g.getAtIndex(F32, in + j);
                        float v = switch (mergeMode) {
                            case SUM -> a + c;
                            case AVE -> (a + c) * 0.5f;
                            default -> a * c;
                        };
                        out.setAtIndex(F32, in + j, v);
                    }
                }
            }
        }
    }

    @Override
    public Tensor outputMask(State state) { return returnSequences() ? ((BiState) state).mask : null; }

    // dOut → dF, dB by the merge's derivative; each direction's backward; dx = dx_f + dx_g.
    @Override
    public Tensor backward(State state, Tensor gradOutput, List<Tensor> grads, int b) {
        BiState s = (BiState) state;
        int h = forwardLayer.units(), rows = returnSequences() ? s.steps * b : b;
        MemorySegment dOut = gradOutput.segment(), dF = s.dF.segment();
        MemorySegment dBTime = returnSequences() ? s.dBTime.segment() : s.dB.segment();
        long rowBytes = (long) h * Float.BYTES;
        for (int r = 0; r < rows; r++) {
            long at = (long) r * h;
            switch (mergeMode) {
                case CONCAT -> {
                    MemorySegment.copy(dOut, 2 * r * rowBytes, dF, at * Float.BYTES, rowBytes);
                    MemorySegment.copy(dOut, (2 * r + 1) * rowBytes, dBTime, at * Float.BYTES, rowBytes);
                }
                case SUM, AVE, MUL -> {
                    for (int j = 0; j < h; j++) {
                        float d = dOut.getAtIndex(F32, at + j);
                        float toF = switch (mergeMode) {
                            case SUM -> d;
                            case AVE -> 0.5f * d;
                            default -> d * s.bOut.get(at + j);
                        };
                        float toB = switch (mergeMode) {
                            case SUM -> d;
                            case AVE -> 0.5f * d;
                            default -> d * s.fOut.get(at + j);
                        };
                        dF.setAtIndex(F32, at + j, toF);
                        dBTime.setAtIndex(F32, at + j, toB);
                    }
                }
            }
        }
        Tensor dFTensor = returnSequences() ? s.dF.prefix(s.steps, b, h) : s.dF.prefix(b, h);
        Tensor dBTensor;
        if (returnSequences()) {
            RecurrentLayer.reverseTime(dBTime, s.dB.segment(), s.steps, (long) b * h);
            dBTensor = s.dB.prefix(s.steps, b, h);
        } else {
            dBTensor = s.dB.prefix(b, h);
        }
        int nf = forwardLayer.parameters().size();
        Tensor dxF = forwardLayer.backward(s.forward, dFTensor, grads.subList(0, nf), b);
        Tensor dxB = backwardLayer.backward(s.backward, dBTensor, grads.subList(nf, grads.size()), b);
        if (!inputGradientNeeded) return null;
        Tensor dx = s.dx.prefix(dxF.shape());
        dx.copyFrom(dxF);
        K.axpy(dx.size(), 1f, dxB.segment(), 0, dx.segment(), 0);
        return dx;
    }
}
