package vectorlstm.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The inference layout of an LSTM's recurrent kernel, owned by us rather than by Keras.
 *
 * <p>Keras stores {@code U [H, 4H]} with the four gates side by side (i, f, c, o). A step of batch
 * prediction is {@code z += h·U} for a chunk of rows, each step streaming all of U (160 KB for
 * H = 100) while the rows share each loaded vector. This layout serves that loop (the batch-1
 * scorer's step has its own, {@link RowPanels}):
 * <ul>
 *   <li>units are grouped in blocks of {@code block} (the kernels' lane count); one block's four
 *       gate columns are stored together, k-major: {@code U'[j][k][gate][lane] =
 *       U[k, gate·H + j·block + lane]}, so the kernel streams U' once, front to back, with four
 *       accumulators per block and row;</li>
 *   <li>the units left over after the full blocks ({@code tail = H mod block}) would waste most of
 *       a padded block (12 of 16 lanes for H = 100 at 512 bits, 11 % of all the bytes streamed).
 *       When their four gates fit in one vector ({@code 4·tail <= block}) they form a
 *       <em>compact</em> last block instead: one vector per k, lane {@code gate·tail + q} holding
 *       unit q's gate. Otherwise the last block is padded with zero columns.</li>
 * </ul>
 * Pre-activations z and the input projection rows use Keras' gate-major order with padded units:
 * {@code z[gate·n + u]}, n = the padded width of the blocks being computed (a compact block
 * counts as a full one there), so the gate kernels see plain rows.
 */
public record GateLayout(int units, int block) {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    public GateLayout {
        if (units <= 0 || block <= 0) throw new IllegalArgumentException("units and block must be positive: " + units + ", " + block);
    }

    /** Blocks of {@code block} units, the last one possibly partial (compact or padded). */
    public int blocks() { return (units + block - 1) / block; }

    /** Blocks holding {@code block} real units each. */
    public int fullBlocks() { return units / block; }

    /** Units after the full blocks. */
    public int tail() { return units % block; }

    /** True when the tail units' four gates share one vector per k (the last block is compact). */
    public boolean compactTail() { return tail() > 0 && 4 * tail() <= block; }

    /** H rounded up to whole blocks: the width of z per gate. */
    public int paddedUnits() { return blocks() * block; }

    /** Floats of one full (or padded) block in the packed kernel: H x 4 x block. */
    public long blockStride() { return (long) units * 4 * block; }

    /** Float offset of block j in the packed kernel (blocks are stored in order). */
    public long blockOffset(int j) { return j * blockStride(); }

    /** Floats in the packed recurrent kernel. */
    public long packedSize() {
        return compactTail() ? fullBlocks() * blockStride() + (long) units * block : blocks() * blockStride();
    }

    /** Re-lays Keras' {@code U [H, 4H]} (row-major at {@code src}) into {@code dst} (packedSize floats). */
    public void packRecurrent(MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        int h = units;
        for (int j = 0; j < blocks(); j++) {
            boolean compact = j == fullBlocks() && compactTail();
            for (int k = 0; k < h; k++) {
                long row = srcOff + (long) k * 4 * h;
                if (compact) {
                    long out = dstOff + blockOffset(j) + (long) k * block;
                    for (int lane = 0; lane < block; lane++) {
                        int g = lane / tail(), unit = j * block + lane % tail();
                        dst.setAtIndex(F, out + lane, lane < 4 * tail() ? src.getAtIndex(F, row + (long) g * h + unit) : 0f);
                    }
                    continue;
                }
                for (int g = 0; g < 4; g++) {
                    long out = dstOff + blockOffset(j) + ((long) k * 4 + g) * block;
                    for (int l = 0; l < block; l++) {
                        int u = j * block + l;
                        dst.setAtIndex(F, out + l, u < h ? src.getAtIndex(F, row + (long) g * h + u) : 0f);
                    }
                }
            }
        }
    }

    /** Copies one Keras-ordered row of 4H floats into gate-major padded order (4 x paddedUnits), zero-padding. */
    public void padRow(MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        int hp = paddedUnits();
        for (int g = 0; g < 4; g++) {
            MemorySegment.copy(src, (srcOff + (long) g * units) * Float.BYTES, dst, (dstOff + (long) g * hp) * Float.BYTES, (long) units * Float.BYTES);
            dst.asSlice((dstOff + (long) g * hp + units) * Float.BYTES, (long) (hp - units) * Float.BYTES).fill((byte) 0);
        }
    }
}
