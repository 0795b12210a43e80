package vectorlstm.layers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Keras' {@code Dropout(rate)}: in training each element is zeroed with probability {@code rate}
 * and the rest scaled by 1 / (1 − rate); in inference it is the identity. Works on vectors
 * {@code [b, F]} and sequences {@code [T, b, F]} (the mask passes through).
 *
 * <p>The keep/drop decision of element i is a hash of (the pass's dropout key, this layer's name,
 * i), not a draw from a random stream: backward recomputes it instead of storing it, and a run is
 * bit-reproducible for the same seed and thread count.
 */
public final class Dropout extends Layer {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;
    private final float rate;

    public Dropout(float rate) {
        if (!(rate >= 0f && rate < 1f)) throw new IllegalArgumentException("Dropout rate must be in [0, 1), got " + rate);
        this.rate = rate;
    }

    @Override public String typeName() { return "Dropout"; }
    @Override public String namePrefix() { return "dropout"; }
    public float rate() { return rate; }

    @Override
    protected Shape doBuild(Shape input) { return input; }

    private static final class DropoutState implements State {
        final Tensor output, dx;
        Tensor mask, lastOutput;
        long key;
        boolean dropped;

        DropoutState(Tensor output, Tensor dx) {
            this.output = output;
            this.dx = dx;
        }
    }

    @Override
    public State newState(Slab slab, int maxBatch, int maxSteps, boolean training) {
        // Inference passes the input through: no output of its own, nothing to send back.
        if (!training) return new DropoutState(null, null);
        int[] dims = outputShape().dims();
        if (outputShape().variableLength()) dims[0] = maxSteps;
        long perSample = 1;
        for (int d : dims) perSample *= d;
        int n = Math.toIntExact(perSample * maxBatch);
        return new DropoutState(slab.tensor(n), inputGradientNeeded ? slab.tensor(n) : null);
    }

    @Override
    public Tensor forward(State state, Tensor x, Tensor mask, Pass pass) {
        DropoutState s = (DropoutState) state;
        s.mask = mask;
        s.dropped = pass.training() && rate > 0f;
        if (!s.dropped) {
            s.lastOutput = x;
            return x;
        }
        if (s.output == null) throw new IllegalStateException("a training pass on a state made for inference");
        s.key = pass.dropoutKey() ^ dropoutSalt();
        Tensor out = s.output.prefix(x.shape());
        applyMask(x.segment(), out.segment(), x.size(), s.key);
        s.lastOutput = out;
        return out;
    }

    @Override
    public Tensor outputMask(State state) { return ((DropoutState) state).mask; }

    @Override
    public Tensor backward(State state, Tensor gradOutput, List<Tensor> grads, int b) {
        if (!inputGradientNeeded) return null;
        DropoutState s = (DropoutState) state;
        if (!s.dropped) return gradOutput;
        Tensor dx = s.dx.prefix(gradOutput.shape());
        applyMask(gradOutput.segment(), dx.segment(), gradOutput.size(), s.key);
        return dx;
    }

    /** out[i] = in[i] / (1 − rate) where element i is kept, else 0. */
    private void applyMask(MemorySegment in, MemorySegment out, long n, long key) {
        float scale = 1f / (1f - rate);
        for (long i = 0; i < n; i++) {
            out.setAtIndex(F32, i, keep(key, i, rate) ? in.getAtIndex(F32, i) * scale : 0f);
        }
    }

    /** Element i survives when a uniform [0, 1) draw derived from (key, i) is at least the rate. */
    static boolean keep(long key, long i, float rate) {
        long z = key + (i + 1) * 0x9E3779B97F4A7C15L;   // SplitMix64: a full-period mix of (key, i)
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) * 0x1.0p-24f >= rate;
    }
}
