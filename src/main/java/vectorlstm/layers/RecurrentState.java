package vectorlstm.layers;

import vectorlstm.kernels.Kernels;
import vectorlstm.memory.CachedSlice;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * What the states of LSTM and GRU share: the input of the last forward in processing order (time
 * reversed for go_backwards, then input dropout; see {@link RecurrentLayer#processingOrder}), the
 * dropout keys of that pass, and the memory of the input gradient's way back
 * ({@link RecurrentLayer#inputGradient}).
 */
abstract class RecurrentState implements Layer.State {
    /** The input gradient [T, maxB, D], or null when no layer below needs it. */
    final Tensor dx;
    /** go_backwards: the input, its mask and dx in processing order (reversed time); else null. */
    final Tensor xRev, maskRev, dxRev;
    /** Training with input dropout: the dropped input [T, maxB, D]; else null. */
    final Tensor xDropped;
    /** Wᵀ [G, paddedWidth(D)] for G gate columns, made at the start of each backward: dx = dG·Wᵀ is a plain GEMM. */
    final Tensor wT;
    /** False for a state that only runs inference passes: no buffers for backward or dropout. */
    final boolean training;
    boolean inputDropped, recurrentDropped;
    long inputKey, recurrentKey;
    Tensor input;        // x of the last forward, in processing order
    Tensor mask;         // its mask in processing order, or null
    int steps;           // T of the last forward
    /** Where backward runs its bulk products: the last forward's {@link Pass#tiles()}. */
    TileRunner tiles = TileRunner.ALONE;
    /** The most rows a forward may have (T x the largest batch), and the gate columns G of x·W. */
    final long maxRows;
    final int gateColumns;
    /** Set when the input comes straight from an Embedding and may run per token ({@link RecurrentLayer#attachTokenInput}). */
    TokenInput tokens;
    /** The views returned: the last state (without returnSequences) or every step's; the same objects call after call (a scorer's). */
    final CachedSlice lastState = new CachedSlice(), allStates = new CachedSlice();

    RecurrentState(Slab slab, int steps, int maxB, int features, int gateColumns, boolean training, boolean needDx,
                   boolean backwards, boolean inputDropout) {
        this.training = training;
        maxRows = (long) steps * maxB;
        this.gateColumns = gateColumns;
        dx = needDx ? slab.tensor(steps, maxB, features) : null;
        xRev = backwards ? slab.tensor(steps, maxB, features) : null;
        maskRev = backwards ? slab.tensor(steps, maxB) : null;
        dxRev = backwards && needDx ? slab.tensor(steps, maxB, features) : null;
        xDropped = training && inputDropout ? slab.tensor(steps, maxB, features) : null;
        wT = needDx ? slab.tensor(gateColumns, Kernels.paddedWidth(features)) : null;
    }
}
