package vectorlstm.layers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * What {@link GlobalMaxPooling1D} and {@link GlobalAveragePooling1D} share: {@code [T, b, F] →
 * [b, F]} over the real steps only (masked steps are left out; a row with no real step gives 0).
 */
public abstract sealed class GlobalPooling1D extends Layer permits GlobalMaxPooling1D, GlobalAveragePooling1D {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;

    @Override
    protected final Shape doBuild(Shape input) {
        requireRank(input, 2, typeName(), "(None, timesteps, features) (put it after a layer with returnSequences)");
        return Shape.of(input.dim(1));
    }

    static final class PoolState implements State {
        final Tensor output;   // [maxB, F]
        final Tensor count;    // [maxB] real steps per row (average) / unused (max)
        final Tensor argmax;   // [maxB·F] ints: step of each maximum (max), or null; off-heap, counted with the rest
        final Tensor dx;       // [maxSteps, maxB, F]
        Tensor mask;
        int steps;
        int[] rowLengths;  // Pass.rowLengths of the last forward

        PoolState(Slab slab, int maxB, int maxSteps, int f, boolean max, boolean needDx) {
            output = slab.tensor(maxB, f);
            count = slab.tensor(maxB);
            argmax = max ? slab.intTensor(maxB, f) : null;
            dx = needDx ? slab.tensor(maxSteps, maxB, f) : null;
        }
    }

    @Override
    public final State newState(Slab slab, int maxBatch, int maxSteps, boolean training) {
        return new PoolState(slab, maxBatch, maxSteps, inputShape().dim(1), this instanceof GlobalMaxPooling1D, keepsInputGradient(training));
    }

    @Override
    public final Tensor forward(State state, Tensor x, Tensor mask, Pass pass) {
        PoolState s = (PoolState) state;
        int b = pass.batch(), f = inputShape().dim(1);
        s.steps = x.dim(0);
        s.mask = mask;
        s.rowLengths = pass.rowLengths();
        Tensor out = s.output.prefix(b, f);
        pool(s, x.segment(), out.segment(), b, f);
        return out;
    }

    @Override
    public final Tensor backward(State state, Tensor gradOutput, List<Tensor> grads, int b) {
        if (!inputGradientNeeded) return null;
        PoolState s = (PoolState) state;
        int f = inputShape().dim(1);
        Tensor dx = s.dx.prefix(s.steps, b, f);
        dx.zero();
        spread(s, gradOutput.segment(), dx.segment(), b, f);
        return dx;
    }

    /** out [b, F] from x [T, b, F] over the real steps of each row. */
    abstract void pool(PoolState s, MemorySegment x, MemorySegment out, int b, int f);

    /** dx [T, b, F] (zeroed) from dOut [b, F]. */
    abstract void spread(PoolState s, MemorySegment dOut, MemorySegment dx, int b, int f);

    static boolean real(PoolState s, int t, int b, int n) {
        return !RecurrentLayer.masked(s.mask, t, b, n);
    }
}
