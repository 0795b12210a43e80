package vectorlstm.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The inference layout of an LSTM's recurrent kernel, owned by us rather than by Keras.
 *
 * <p>Keras stores {@code U [H, 4H]} with the four gates side by side (i, f, c, o). A batch-1 step
 * is {@code z += h·U}: 500 dependent matrix-vector products per review, each streaming all of U
 * (160 KB for H = 100) from L2. This layout serves that loop:
 * <ul>
 *   <li>units are grouped in blocks of {@code block} (the kernels' lane count), and H is padded up
 *       to whole blocks ({@code paddedUnits}), so no step has a scalar tail;</li>
 *   <li>one block's four gate columns are stored together, k-major: {@code U'[j][k][gate][lane] =
 *       U[k, gate·H + j·block + lane]} (zero in the padding), so the kernel streams U' once, front to
 *       back, with four accumulators per block; and a range of blocks (a share of the units for a
 *       second core) is one contiguous slice.</li>
 * </ul>
 * Pre-activations z and the input projection rows use Keras' gate-major order with padded units:
 * {@code z[gate·n + u]}, n = the padded width of the blocks being computed.
 */
public record GateLayout(int units, int block) {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    public GateLayout {
        if (units <= 0 || block <= 0) throw new IllegalArgumentException("units and block must be positive: " + units + ", " + block);
    }

    /** Blocks of {@code block} units; the last one is padded with zero columns. */
    public int blocks() { return (units + block - 1) / block; }

    /** H rounded up to whole blocks. */
    public int paddedUnits() { return blocks() * block; }

    /** Floats in the packed recurrent kernel: blocks x H x 4 x block. */
    public long packedSize() { return (long) blocks() * units * 4 * block; }

    /** Floats of one block in the packed kernel. */
    public long blockStride() { return (long) units * 4 * block; }

    /** Re-lays Keras' {@code U [H, 4H]} (row-major at {@code src}) into {@code dst} (packedSize floats). */
    public void packRecurrent(MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        int h = units;
        for (int j = 0; j < blocks(); j++) {
            for (int k = 0; k < h; k++) {
                for (int g = 0; g < 4; g++) {
                    long out = dstOff + j * blockStride() + ((long) k * 4 + g) * block;
                    for (int l = 0; l < block; l++) {
                        int u = j * block + l;
                        float v = u < h ? src.getAtIndex(F, srcOff + (long) k * 4 * h + (long) g * h + u) : 0f;
                        dst.setAtIndex(F, out + l, v);
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
