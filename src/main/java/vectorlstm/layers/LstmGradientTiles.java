package vectorlstm.layers;

import java.lang.foreign.MemorySegment;
import java.util.function.IntConsumer;
import vectorlstm.kernels.KernelProvider;
import vectorlstm.kernels.Kernels;

/**
 * The products that follow an LSTM's backward loop over the R rows it computed (dz [R, 4H],
 * h_{t-1} [R, H], x [R, D]), cut into tiles for a {@link TileRunner}, largest first:
 * <ol>
 *   <li>{@code dU += hᵀ·dz}, whole;</li>
 *   <li>{@code dW += xᵀ·dz} in two blocks of the gate columns;</li>
 *   <li>{@code dbias += Σ dz}, whole;</li>
 *   <li>{@code dx = dz·Wᵀ} in blocks of rows.</li>
 * </ol>
 * A thread that helps arrives late and takes the small tiles at the end. Why dU is not cut too:
 * a block of its columns streams all of h again (R x H, 6.4 MB at 16,000 rows), and nine such
 * blocks took 30–64 ms on one thread against 18–20 ms for the whole product; xᵀ·dz's x is a
 * third of that, and two blocks cost no measurable time. Blocks start at multiples of
 * {@link Kernels#TILE_ALIGN}, so each gives the bits of the whole product whichever thread runs
 * it. The shared-padding path adds the padding trajectory's share to dU, dW and dbias in the
 * same tile, right after the rows' share: the order the whole products had.
 *
 * <p>One instance per layer state, filled anew by each backward; it allocates nothing.
 */
final class LstmGradientTiles implements IntConsumer {
    private static final Kernels K = KernelProvider.get();
    /** dx rows per tile (~0.4 ms at 4H = 400, D = 32). */
    private static final int ROWS = 32 * Kernels.TILE_ALIGN;
    private static final int DU = 0, DW = 1, DW_TILES = 2, DBIAS = DW + DW_TILES, DX = DBIAS + 1;

    private int units, features, rows, rowTiles;
    private MemorySegment h, z, x, dU, dW, dBias;
    private int padRows;
    private MemorySegment padH, padZ, xPad, padSum;
    private MemorySegment wT, dx;
    private long ldW;

    /** The rows' operands and the gradients they add to; clears any padding share and dx of the last use. */
    LstmGradientTiles prepare(int units, int features, int rows, MemorySegment h, MemorySegment z, MemorySegment x,
                              MemorySegment dU, MemorySegment dW, MemorySegment dBias) {
        this.units = units;
        this.features = features;
        this.rows = rows;
        this.h = h;
        this.z = z;
        this.x = x;
        this.dU = dU;
        this.dW = dW;
        this.dBias = dBias;
        this.padRows = 0;
        this.dx = null;
        this.rowTiles = 0;
        return this;
    }

    /** The padding trajectory's share: {@code padRows} steps of h and dz, and the padding token's x with Σ of its dz. */
    LstmGradientTiles padding(int padRows, MemorySegment padH, MemorySegment padZ, MemorySegment xPad, MemorySegment padSum) {
        this.padRows = padRows;
        this.padH = padH;
        this.padZ = padZ;
        this.xPad = xPad;
        this.padSum = padSum;
        return this;
    }

    /** Also {@code dx [R, D] = dz·Wᵀ}, with Wᵀ as {@code [4H, ldW]} (a padded transposed copy). */
    LstmGradientTiles inputGradient(MemorySegment wT, long ldW, MemorySegment dx) {
        this.wT = wT;
        this.ldW = ldW;
        this.dx = dx;
        this.rowTiles = (rows + ROWS - 1) / ROWS;
        return this;
    }

    /** Runs every tile; returns when all are done. */
    void run(TileRunner runner) {
        runner.runAll(DX + rowTiles, this);
    }

    @Override
    public void accept(int tile) {
        int g4 = 4 * units;
        if (tile == DU) {
            K.gemm(units, g4, rows, h, 0, 1, units, z, 0, g4, dU, 0, g4);
            if (padRows > 0) K.gemm(units, g4, padRows, padH, 0, 1, units, padZ, 0, g4, dU, 0, g4);
        } else if (tile < DBIAS) {
            int half = (g4 / 2 + Kernels.TILE_ALIGN - 1) / Kernels.TILE_ALIGN * Kernels.TILE_ALIGN;
            int c0 = tile == DW ? 0 : Math.min(half, g4), n = tile == DW ? Math.min(half, g4) : g4 - c0;
            if (n == 0) return;
            K.gemm(features, n, rows, x, 0, 1, features, z, c0, g4, dW, c0, g4);
            if (padRows > 0) K.gemm(features, n, 1, xPad, 0, 1, features, padSum, c0, g4, dW, c0, g4);
        } else if (tile == DBIAS) {
            K.addColumnSums(rows, g4, z, 0, g4, dBias, 0);
            if (padRows > 0) K.axpy(g4, 1f, padSum, 0, dBias, 0);
        } else {
            int r0 = (tile - DX) * ROWS, m = Math.min(ROWS, rows - r0);
            K.gemmOverwrite(m, features, g4, z, (long) r0 * g4, g4, 1, wT, 0, ldW, dx, (long) r0 * features, features);
        }
    }
}
