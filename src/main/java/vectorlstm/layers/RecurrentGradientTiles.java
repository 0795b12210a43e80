package vectorlstm.layers;

import java.lang.foreign.MemorySegment;
import java.util.function.IntConsumer;
import vectorlstm.kernels.KernelProvider;
import vectorlstm.kernels.Kernels;

/**
 * The products that follow a recurrent layer's backward loop over the R rows it computed, cut
 * into tiles for a {@link TileRunner}, largest first:
 * <ol>
 *   <li>the recurrent weights' gradient (dU: {@link #recurrentProducts}, whole);</li>
 *   <li>{@code dW += xᵀ·dG} in two blocks of the G gate columns (dG [R, G]: the gradient of the
 *       input projection x·W, x [R, D]);</li>
 *   <li>{@code dbias += Σ dG}, whole;</li>
 *   <li>{@code dx = dG·Wᵀ} in blocks of rows.</li>
 * </ol>
 * With the input side per token ({@link TokenInput}) the input side's rows are the batch's
 * words': x is their rows of the embedding table E, dG their sums S, and the row blocks write
 * {@code S·Wᵀ}, which the layer adds to those words' rows of the embedding's gradient.
 * A thread that helps arrives late and takes the small tiles at the end. Why dU is not cut too:
 * a block of its columns streams all of h again (R x H, 6.4 MB at 16,000 rows), and nine such
 * blocks took 30–64 ms on one thread against 18–20 ms for the whole product; x is a third of h's
 * size for the seed model, and dW's two blocks cost no measurable time. Blocks start at multiples
 * of {@link Kernels#TILE_ALIGN}, so each gives the bits of the whole product whichever thread
 * runs it. The LSTM's shared-padding path adds the padding trajectory's share to each gradient in
 * the same tile, right after the rows' share: the order the whole products had.
 *
 * <p>One instance per layer state, filled anew by each backward; it allocates nothing.
 */
abstract class RecurrentGradientTiles implements IntConsumer {
    static final Kernels K = KernelProvider.get();
    /** dx rows per tile (~0.4 ms at G = 400, D = 32). */
    private static final int ROWS = 32 * Kernels.TILE_ALIGN;
    private static final int RECURRENT = 0, DW = 1, DW_TILES = 2, DBIAS = DW + DW_TILES, DX = DBIAS + 1;

    /** The rows the backward loop computed (the recurrent products'). */
    int rows;
    /** The input side's rows: {@link #rows}, or the batch's words per token. */
    private int inputRows;
    private int features, gateColumns, rowTiles;
    private MemorySegment x, dG, dW, dBias;
    private MemorySegment xPad, padSum;
    private MemorySegment wT, dx;
    private long ldW;

    /** The input side's operands and gradients; clears the padding share and dx of the last use. */
    final void input(int rows, int features, int gateColumns, MemorySegment x, MemorySegment dG, MemorySegment dW, MemorySegment dBias) {
        this.rows = rows;
        this.inputRows = rows;
        this.features = features;
        this.gateColumns = gateColumns;
        this.x = x;
        this.dG = dG;
        this.dW = dW;
        this.dBias = dBias;
        this.xPad = null;
        this.padSum = null;
        this.dx = null;
        this.rowTiles = 0;
    }

    /**
     * The input side per token, over the words of the batch: x = their rows of E [words, D],
     * dG = S [words, G] (Σ dG per word); the row blocks write {@code S·Wᵀ} [words, D] into
     * {@code dPresent} when it is given (null: the embedding is frozen), for the caller to add to
     * those words' rows of the embedding's gradient.
     */
    final void inputPerToken(int words, MemorySegment presentEmbeddings, MemorySegment sums, MemorySegment wT, long ldW, MemorySegment dPresent) {
        this.inputRows = words;
        this.x = presentEmbeddings;
        this.dG = sums;
        if (dPresent != null) inputGradient(wT, ldW, dPresent);
    }

    /** The padding token's x [1, D] with Σ of the padding trajectory's dG [G], for dW and dbias. */
    final void inputPadding(MemorySegment xPad, MemorySegment padSum) {
        this.xPad = xPad;
        this.padSum = padSum;
    }

    /** Also {@code dx [R, D] = dG·Wᵀ}, with Wᵀ as {@code [G, ldW]} (a padded transposed copy). */
    final void inputGradient(MemorySegment wT, long ldW, MemorySegment dx) {
        this.wT = wT;
        this.ldW = ldW;
        this.dx = dx;
        this.rowTiles = (inputRows + ROWS - 1) / ROWS;
    }

    /** Runs every tile; returns when all are done. */
    final void run(TileRunner runner) {
        runner.runAll(DX + rowTiles, this);
    }

    /** The recurrent weights' gradient (and what else belongs to the recurrent side): the first tile. */
    abstract void recurrentProducts();

    @Override
    public final void accept(int tile) {
        int g = gateColumns;
        if (tile == RECURRENT) {
            recurrentProducts();
        } else if (tile < DBIAS) {
            int half = (g / 2 + Kernels.TILE_ALIGN - 1) / Kernels.TILE_ALIGN * Kernels.TILE_ALIGN;
            int c0 = tile == DW ? 0 : Math.min(half, g), n = tile == DW ? Math.min(half, g) : g - c0;
            if (n == 0) return;
            K.gemm(features, n, inputRows, x, 0, 1, features, dG, c0, g, dW, c0, g);
            if (xPad != null) K.gemm(features, n, 1, xPad, 0, 1, features, padSum, c0, g, dW, c0, g);
        } else if (tile == DBIAS) {
            K.addColumnSums(inputRows, g, dG, 0, g, dBias, 0);
            if (padSum != null) K.axpy(g, 1f, padSum, 0, dBias, 0);
        } else {
            int r0 = (tile - DX) * ROWS, m = Math.min(ROWS, inputRows - r0);
            K.gemmOverwrite(m, features, g, dG, (long) r0 * g, g, 1, wT, 0, ldW, dx, (long) r0 * features, features);
        }
    }
}
