package vectorlstm.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked GEMMs on the Vector API, in the two shapes the LSTM needs.
 *
 * <p>{@link #gemm}: {@code C += A·B} with B row-major (forward, and the weight gradients as
 * {@code Aᵀ·B} through A's strides). The main block is 4 rows x 2 vectors of C: 8 accumulators.
 * A 4x3 block (12 accumulators) was measured to box vectors on AVX2 (16 registers: C2 spills and
 * falls back to heap vectors), so 4x2 it is. A single row (batch-1 matrix-vector) uses 1x3 blocks
 * unrolled twice along k (6 FMA chains).
 *
 * <p>{@link #gemmTransB}: {@code C += A·Bᵀ} with both operands contiguous along k (backward's
 * {@code dh = dz·Uᵀ} and {@code dx = dz·Wᵀ}): dot products vectorised along k, 2 rows of A x 4
 * rows of B per block, each reduced once at the end, lanes summed in a fixed order. This form needs no transposed copy and has no
 * column tail when n (the LSTM units) is not a multiple of the lane count.
 *
 * <p>Edges that do not fill a vector run as plain scalar loops (masked vector loads were measured
 * to box on this JDK/CPU).
 */
final class PanamaGemm {
    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final int L = VectorShape.LANES;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder NO = ByteOrder.nativeOrder();

    private PanamaGemm() {}

    /**
     * Depth of one k-panel. The weight gradients have k = T·b (16,000 rows of dz for a worker's
     * batch): without panels every 4x2 block streamed a column strip of all 16,000 rows from
     * memory; with them a 256-row panel of B (400 KB for n = 400) stays in L2 for all blocks.
     */
    private static final int K_PANEL = 256;

    static void gemm(int m, int n, int k, MemorySegment a, long aOff, long ars, long acs,
                     MemorySegment b, long bOff, long ldb, MemorySegment c, long cOff, long ldc) {
        for (int p0 = 0; p0 < k; p0 += K_PANEL) {
            int kc = Math.min(K_PANEL, k - p0);
            gemmPanel(m, n, kc, a, aOff + p0 * acs, ars, acs, b, bOff + p0 * ldb, ldb, c, cOff, ldc);
        }
    }

    private static void gemmPanel(int m, int n, int k, MemorySegment a, long aOff, long ars, long acs,
                                  MemorySegment b, long bOff, long ldb, MemorySegment c, long cOff, long ldc) {
        int nVec = n - n % L;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 2 * L <= nVec; j += 2 * L) block4x2(k, a, aOff + i * ars, ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
            for (; j < nVec; j += L) block4x1(k, a, aOff + i * ars, ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
            if (j < n) scalarTail(4, n - j, k, a, aOff + i * ars, ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
        }
        for (; i < m; i++) {
            int j = 0;
            for (; j + 3 * L <= nVec; j += 3 * L) block1x3(k, a, aOff + i * ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j);
            for (; j < nVec; j += L) block1x1(k, a, aOff + i * ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j);
            if (j < n) scalarTail(1, n - j, k, a, aOff + i * ars, ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
        }
    }

    static void gemmTransB(int m, int n, int k, MemorySegment a, long aOff, long lda,
                           MemorySegment b, long bOff, long ldb, MemorySegment c, long cOff, long ldc) {
        int i = 0;
        for (; i + 2 <= m; i += 2) {
            int j = 0;
            for (; j + 4 <= n; j += 4) dots2x4(k, a, aOff + i * lda, lda, b, bOff + j * ldb, ldb, c, cOff + i * ldc + j, ldc);
            for (; j < n; j++) {
                addTo(c, cOff + i * ldc + j, dot(k, a, aOff + i * lda, b, bOff + j * ldb));
                addTo(c, cOff + (i + 1) * ldc + j, dot(k, a, aOff + (i + 1) * lda, b, bOff + j * ldb));
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) {
                addTo(c, cOff + i * ldc + j, dot(k, a, aOff + i * lda, b, bOff + j * ldb));
            }
        }
    }

    private static FloatVector load(MemorySegment s, long floatIndex) {
        return FloatVector.fromMemorySegment(S, s, floatIndex * Float.BYTES, NO);
    }

    private static void store(FloatVector v, MemorySegment s, long floatIndex) {
        v.intoMemorySegment(s, floatIndex * Float.BYTES, NO);
    }

    private static void block4x2(int k, MemorySegment a, long a0, long ars, long acs,
                                 MemorySegment b, long b0, long ldb, MemorySegment c, long c0, long ldc) {
        long c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector x00 = load(c, c0), x01 = load(c, c0 + L), x10 = load(c, c1), x11 = load(c, c1 + L);
        FloatVector x20 = load(c, c2), x21 = load(c, c2 + L), x30 = load(c, c3), x31 = load(c, c3 + L);
        long bp = b0, ap = a0;
        for (int p = 0; p < k; p++, bp += ldb, ap += acs) {
            FloatVector b_0 = load(b, bp), b_1 = load(b, bp + L);
            FloatVector a_0 = FloatVector.broadcast(S, a.getAtIndex(F, ap));
            x00 = a_0.fma(b_0, x00); x01 = a_0.fma(b_1, x01);
            FloatVector a_1 = FloatVector.broadcast(S, a.getAtIndex(F, ap + ars));
            x10 = a_1.fma(b_0, x10); x11 = a_1.fma(b_1, x11);
            FloatVector a_2 = FloatVector.broadcast(S, a.getAtIndex(F, ap + 2 * ars));
            x20 = a_2.fma(b_0, x20); x21 = a_2.fma(b_1, x21);
            FloatVector a_3 = FloatVector.broadcast(S, a.getAtIndex(F, ap + 3 * ars));
            x30 = a_3.fma(b_0, x30); x31 = a_3.fma(b_1, x31);
        }
        store(x00, c, c0); store(x01, c, c0 + L); store(x10, c, c1); store(x11, c, c1 + L);
        store(x20, c, c2); store(x21, c, c2 + L); store(x30, c, c3); store(x31, c, c3 + L);
    }

    private static void block4x1(int k, MemorySegment a, long a0, long ars, long acs,
                                 MemorySegment b, long b0, long ldb, MemorySegment c, long c0, long ldc) {
        long c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector x0 = load(c, c0), x1 = load(c, c1), x2 = load(c, c2), x3 = load(c, c3);
        long bp = b0, ap = a0;
        for (int p = 0; p < k; p++, bp += ldb, ap += acs) {
            FloatVector bv = load(b, bp);
            x0 = FloatVector.broadcast(S, a.getAtIndex(F, ap)).fma(bv, x0);
            x1 = FloatVector.broadcast(S, a.getAtIndex(F, ap + ars)).fma(bv, x1);
            x2 = FloatVector.broadcast(S, a.getAtIndex(F, ap + 2 * ars)).fma(bv, x2);
            x3 = FloatVector.broadcast(S, a.getAtIndex(F, ap + 3 * ars)).fma(bv, x3);
        }
        store(x0, c, c0); store(x1, c, c1); store(x2, c, c2); store(x3, c, c3);
    }

    /** One row, 3 vectors; k unrolled by two into a second accumulator set (6 FMA chains). */
    private static void block1x3(int k, MemorySegment a, long a0, long acs,
                                 MemorySegment b, long b0, long ldb, MemorySegment c, long c0) {
        FloatVector x0 = load(c, c0), x1 = load(c, c0 + L), x2 = load(c, c0 + 2 * L);
        FloatVector y0 = FloatVector.zero(S), y1 = FloatVector.zero(S), y2 = FloatVector.zero(S);
        int p = 0;
        for (; p + 2 <= k; p += 2) {
            long bp = b0 + p * ldb;
            FloatVector s0 = FloatVector.broadcast(S, a.getAtIndex(F, a0 + p * acs));
            FloatVector s1 = FloatVector.broadcast(S, a.getAtIndex(F, a0 + (p + 1) * acs));
            x0 = s0.fma(load(b, bp), x0); x1 = s0.fma(load(b, bp + L), x1); x2 = s0.fma(load(b, bp + 2 * L), x2);
            bp += ldb;
            y0 = s1.fma(load(b, bp), y0); y1 = s1.fma(load(b, bp + L), y1); y2 = s1.fma(load(b, bp + 2 * L), y2);
        }
        if (p < k) {
            long bp = b0 + p * ldb;
            FloatVector s0 = FloatVector.broadcast(S, a.getAtIndex(F, a0 + p * acs));
            x0 = s0.fma(load(b, bp), x0); x1 = s0.fma(load(b, bp + L), x1); x2 = s0.fma(load(b, bp + 2 * L), x2);
        }
        store(x0.add(y0), c, c0); store(x1.add(y1), c, c0 + L); store(x2.add(y2), c, c0 + 2 * L);
    }

    private static void block1x1(int k, MemorySegment a, long a0, long acs,
                                 MemorySegment b, long b0, long ldb, MemorySegment c, long c0) {
        FloatVector x = load(c, c0);
        for (int p = 0; p < k; p++) {
            x = FloatVector.broadcast(S, a.getAtIndex(F, a0 + p * acs)).fma(load(b, b0 + p * ldb), x);
        }
        store(x, c, c0);
    }

    /** Columns that do not fill a vector: plain loops, same order as the scalar reference. */
    private static void scalarTail(int rows, int cols, int k, MemorySegment a, long a0, long ars, long acs,
                                   MemorySegment b, long b0, long ldb, MemorySegment c, long c0, long ldc) {
        for (int r = 0; r < rows; r++) {
            for (int p = 0; p < k; p++) {
                float s = a.getAtIndex(F, a0 + r * ars + p * acs);
                long bp = b0 + p * ldb;
                long cr = c0 + r * ldc;
                for (int j = 0; j < cols; j++) {
                    c.setAtIndex(F, cr + j, Math.fma(s, b.getAtIndex(F, bp + j), c.getAtIndex(F, cr + j)));
                }
            }
        }
    }

    /** 8 dot products: rows a0, a0+lda of A against rows b0 .. b0+3·ldb of B, added into C. */
    private static void dots2x4(int k, MemorySegment a, long a0, long lda, MemorySegment b, long b0, long ldb,
                                MemorySegment c, long c0, long ldc) {
        int kVec = k - k % L;
        long a1 = a0 + lda, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        for (int p = 0; p < kVec; p += L) {
            FloatVector u0 = load(a, a0 + p), u1 = load(a, a1 + p);
            FloatVector v = load(b, b0 + p);
            s00 = u0.fma(v, s00); s10 = u1.fma(v, s10);
            v = load(b, b1 + p);
            s01 = u0.fma(v, s01); s11 = u1.fma(v, s11);
            v = load(b, b2 + p);
            s02 = u0.fma(v, s02); s12 = u1.fma(v, s12);
            v = load(b, b3 + p);
            s03 = u0.fma(v, s03); s13 = u1.fma(v, s13);
        }
        float d00 = sumLanes(s00), d01 = sumLanes(s01), d02 = sumLanes(s02), d03 = sumLanes(s03);
        float d10 = sumLanes(s10), d11 = sumLanes(s11), d12 = sumLanes(s12), d13 = sumLanes(s13);
        for (int p = kVec; p < k; p++) {
            float x0 = a.getAtIndex(F, a0 + p), x1 = a.getAtIndex(F, a1 + p);
            float y0 = b.getAtIndex(F, b0 + p), y1 = b.getAtIndex(F, b1 + p), y2 = b.getAtIndex(F, b2 + p), y3 = b.getAtIndex(F, b3 + p);
            d00 += x0 * y0; d01 += x0 * y1; d02 += x0 * y2; d03 += x0 * y3;
            d10 += x1 * y0; d11 += x1 * y1; d12 += x1 * y2; d13 += x1 * y3;
        }
        addTo(c, c0, d00); addTo(c, c0 + 1, d01); addTo(c, c0 + 2, d02); addTo(c, c0 + 3, d03);
        long c1 = c0 + ldc;
        addTo(c, c1, d10); addTo(c, c1 + 1, d11); addTo(c, c1 + 2, d12); addTo(c, c1 + 3, d13);
    }

    private static void addTo(MemorySegment c, long i, float v) { c.setAtIndex(F, i, c.getAtIndex(F, i) + v); }

    /**
     * The lanes of v added left to right. Not reduceLanes(ADD): its order is unspecified and in
     * practice differs between interpreted and compiled code, which made two runs with the same
     * seed differ in the last bits, depending on when the JIT kicked in.
     */
    private static float sumLanes(FloatVector v) {
        float s = v.lane(0);
        for (int l = 1; l < L; l++) s += v.lane(l);
        return s;
    }

    /** One dot product of length k, vectorised with a scalar tail. */
    private static float dot(int k, MemorySegment a, long a0, MemorySegment b, long b0) {
        int kVec = k - k % L;
        FloatVector s = FloatVector.zero(S);
        for (int p = 0; p < kVec; p += L) s = load(a, a0 + p).fma(load(b, b0 + p), s);
        float sum = sumLanes(s);
        for (int p = kVec; p < k; p++) sum += a.getAtIndex(F, a0 + p) * b.getAtIndex(F, b0 + p);
        return sum;
    }
}
