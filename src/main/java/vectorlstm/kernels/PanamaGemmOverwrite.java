package vectorlstm.kernels;

import static jdk.incubator.vector.FloatVector.broadcast;
import static jdk.incubator.vector.FloatVector.fromMemorySegment;
import static vectorlstm.kernels.PanamaGemm.M_PANEL;
import static vectorlstm.kernels.PanamaGemm.TALL_BLOCK;
import static vectorlstm.kernels.PanamaGemm.edge;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = A·B} with C overwritten, on the Vector API: {@link PanamaGemm}'s product for a C that
 * would otherwise be zeroed first, with a taller block where C's loads are not needed. Its scalar
 * twin is {@link ScalarKernels#gemmOverwrite}.
 */
final class PanamaGemmOverwrite {
    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final int L = VectorShape.LANES;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final long FB = Float.BYTES;

    private PanamaGemmOverwrite() {}

    /**
     * {@code C = A·B}, C overwritten: for products whose C would be zeroed first (backward's
     * {@code dx = dz·Wᵀ}). Not loading C frees the vector operations a block spends on it for a
     * taller block: 8 rows x 2 vectors, 16 accumulators started at zero, 2 loads of B and 8
     * broadcasts per 16 FMAs, 42 vector operations in all (under the JIT's limit of about 45 that PanamaGemm's class comment and C2Only describe). dx with
     * n = 32 (2 vectors at 512 bits) ran at 63 GFLOP/s as zeroing and {@link PanamaGemm#gemm}'s 4 x 2 blocks,
     * at 142 this way (JMH-free timing loop, same JVM). Each element is summed over k in the order of
     * {@link PanamaGemm#gemm}'s 4-row blocks, so the result is bit for bit that of zeroing C and calling it
     * (except where gemm would use its 1-row kernel, which sums even and odd k apart). Without k-panels: meant for k of a few hundred
     * (a strip of B stays in L1/L2 while the row blocks pass). Columns after the last pair of
     * vectors, and all of them below 512 bits, are zeroed and go to {@link PanamaGemm#gemm}.
     */
    static void gemmOverwrite(int m, int n, int k, MemorySegment a, long aOff, long ars, long acs,
                              MemorySegment b, long bOff, long ldb, MemorySegment c, long cOff, long ldc) {
        if (m <= 0 || n <= 0) return;
        int pairs = k > 0 && TALL_BLOCK ? n - n % (2 * L) : 0;
        for (int i0 = 0; i0 < m; i0 += M_PANEL) {  // rows in panels, as in gemm: A's and C's parts stay in L2
            int i1 = Math.min(m, i0 + M_PANEL);
            for (int j = 0; j < pairs; j += 2 * L) {
                for (int i = i0; i < i1; i += 8) {
                    block8x2Overwrite(Math.min(8, i1 - i), k, a, aOff + i * ars, ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
                }
            }
        }
        if (pairs == n) return;
        for (int i = 0; i < m; i++) zero(c, cOff + i * ldc + pairs, n - pairs);
        PanamaGemm.gemm(m, n - pairs, k, a, aOff, ars, acs, b, bOff + pairs, ldb, c, cOff + pairs, ldc);
    }

    /**
     * Zeroes {@code count} floats from float {@code at}, by vector stores: a slice of each row to
     * fill made a 40-byte view per row, which a scorer's GRU paid on every call until C2's escape
     * analysis caught up (4,800 bytes a call for 120 rows; ScorerAllocationTest saw it).
     */
    private static void zero(MemorySegment c, long at, int count) {
        FloatVector z = FloatVector.zero(S);
        int j = 0;
        for (; j + L <= count; j += L) z.intoMemorySegment(c, (at + j) * FB, NO);
        for (; j < count; j++) c.setAtIndex(F, at + j, 0f);
    }

    /** C[8 rows, 2 vectors] = A[8 rows, k]·B[k, 2 vectors]; rows past the edge repeat the last real one. */
    private static void block8x2Overwrite(int rows, int k, MemorySegment a, long a0, long ars, long acs,
                                          MemorySegment b, long b0, long ldb, MemorySegment c, long c0, long ldc) {
        long a1 = a0 + edge(1, rows) * ars, a2 = a0 + edge(2, rows) * ars, a3 = a0 + edge(3, rows) * ars;
        long a4 = a0 + edge(4, rows) * ars, a5 = a0 + edge(5, rows) * ars, a6 = a0 + edge(6, rows) * ars, a7 = a0 + edge(7, rows) * ars;
        FloatVector x00 = FloatVector.zero(S), x01 = x00, x10 = x00, x11 = x00, x20 = x00, x21 = x00, x30 = x00, x31 = x00;
        FloatVector x40 = x00, x41 = x00, x50 = x00, x51 = x00, x60 = x00, x61 = x00, x70 = x00, x71 = x00;
        for (int p = 0; p < k; p++) {
            long bp = b0 + p * ldb, ap = p * acs;
            FloatVector b_0 = fromMemorySegment(S, b, bp * FB, NO), b_1 = fromMemorySegment(S, b, (bp + L) * FB, NO);
            FloatVector s = broadcast(S, a.getAtIndex(F, a0 + ap));
            x00 = s.fma(b_0, x00); x01 = s.fma(b_1, x01);
            s = broadcast(S, a.getAtIndex(F, a1 + ap));
            x10 = s.fma(b_0, x10); x11 = s.fma(b_1, x11);
            s = broadcast(S, a.getAtIndex(F, a2 + ap));
            x20 = s.fma(b_0, x20); x21 = s.fma(b_1, x21);
            s = broadcast(S, a.getAtIndex(F, a3 + ap));
            x30 = s.fma(b_0, x30); x31 = s.fma(b_1, x31);
            s = broadcast(S, a.getAtIndex(F, a4 + ap));
            x40 = s.fma(b_0, x40); x41 = s.fma(b_1, x41);
            s = broadcast(S, a.getAtIndex(F, a5 + ap));
            x50 = s.fma(b_0, x50); x51 = s.fma(b_1, x51);
            s = broadcast(S, a.getAtIndex(F, a6 + ap));
            x60 = s.fma(b_0, x60); x61 = s.fma(b_1, x61);
            s = broadcast(S, a.getAtIndex(F, a7 + ap));
            x70 = s.fma(b_0, x70); x71 = s.fma(b_1, x71);
        }
        long c1 = c0 + edge(1, rows) * ldc, c2 = c0 + edge(2, rows) * ldc, c3 = c0 + edge(3, rows) * ldc;
        long c4 = c0 + edge(4, rows) * ldc, c5 = c0 + edge(5, rows) * ldc, c6 = c0 + edge(6, rows) * ldc, c7 = c0 + edge(7, rows) * ldc;
        x00.intoMemorySegment(c, c0 * FB, NO); x01.intoMemorySegment(c, (c0 + L) * FB, NO);
        x10.intoMemorySegment(c, c1 * FB, NO); x11.intoMemorySegment(c, (c1 + L) * FB, NO);
        x20.intoMemorySegment(c, c2 * FB, NO); x21.intoMemorySegment(c, (c2 + L) * FB, NO);
        x30.intoMemorySegment(c, c3 * FB, NO); x31.intoMemorySegment(c, (c3 + L) * FB, NO);
        x40.intoMemorySegment(c, c4 * FB, NO); x41.intoMemorySegment(c, (c4 + L) * FB, NO);
        x50.intoMemorySegment(c, c5 * FB, NO); x51.intoMemorySegment(c, (c5 + L) * FB, NO);
        x60.intoMemorySegment(c, c6 * FB, NO); x61.intoMemorySegment(c, (c6 + L) * FB, NO);
        x70.intoMemorySegment(c, c7 * FB, NO); x71.intoMemorySegment(c, (c7 + L) * FB, NO);
    }
}
