package vectorlstm.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked {@code C += A·B} on the Vector API.
 *
 * <p>The main block is 4 rows x 3 vectors of C: 12 independent accumulators, enough to keep both
 * FMA pipes busy through the 4-cycle FMA latency. Per step p it loads 3 vectors of row p of B and
 * broadcasts 4 scalars of A. Edges fall back to 4x1, 1x3 (unrolled twice along k, so a single
 * row — the batch-1 matrix-vector case — still has 6 chains) and 1x1 blocks; the last
 * {@code n % lanes} columns use one masked vector (a scalar tail there cost a quarter of the time
 * of dh = dz·Uᵀ, whose n = 100 is not a multiple of 8). A is read through strides so
 * {@code Aᵀ·B} needs no copy.
 */
final class PanamaGemm {
    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final int L = VectorShape.LANES;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder NO = ByteOrder.nativeOrder();

    private PanamaGemm() {}

    static void gemm(int m, int n, int k, MemorySegment a, long aOff, long ars, long acs,
                     MemorySegment b, long bOff, long ldb, MemorySegment c, long cOff, long ldc) {
        int nVec = n - n % L;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 3 * L <= nVec; j += 3 * L) block4x3(k, a, aOff + i * ars, ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
            for (; j < nVec; j += L) block4x1(k, a, aOff + i * ars, ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
            if (j < n) block4x1Masked(k, a, aOff + i * ars, ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, S.indexInRange(0, n - j));
        }
        for (; i < m; i++) {
            int j = 0;
            for (; j + 3 * L <= nVec; j += 3 * L) block1x3(k, a, aOff + i * ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j);
            for (; j < nVec; j += L) block1x1(k, a, aOff + i * ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j);
            if (j < n) block1x1Masked(k, a, aOff + i * ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j, S.indexInRange(0, n - j));
        }
    }

    private static FloatVector load(MemorySegment s, long floatIndex) {
        return FloatVector.fromMemorySegment(S, s, floatIndex * Float.BYTES, NO);
    }

    private static void store(FloatVector v, MemorySegment s, long floatIndex) {
        v.intoMemorySegment(s, floatIndex * Float.BYTES, NO);
    }

    private static FloatVector fma(FloatVector a, FloatVector b, FloatVector acc) {
        return PanamaKernels.USE_FMA ? a.fma(b, acc) : a.mul(b).add(acc);
    }

    private static void block4x3(int k, MemorySegment a, long a0, long ars, long acs,
                                 MemorySegment b, long b0, long ldb, MemorySegment c, long c0, long ldc) {
        long c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector x00 = load(c, c0), x01 = load(c, c0 + L), x02 = load(c, c0 + 2 * L);
        FloatVector x10 = load(c, c1), x11 = load(c, c1 + L), x12 = load(c, c1 + 2 * L);
        FloatVector x20 = load(c, c2), x21 = load(c, c2 + L), x22 = load(c, c2 + 2 * L);
        FloatVector x30 = load(c, c3), x31 = load(c, c3 + L), x32 = load(c, c3 + 2 * L);
        for (int p = 0; p < k; p++) {
            long bp = b0 + p * ldb;
            FloatVector b_0 = load(b, bp), b_1 = load(b, bp + L), b_2 = load(b, bp + 2 * L);
            long ap = a0 + p * acs;
            FloatVector a_0 = FloatVector.broadcast(S, a.getAtIndex(F, ap));
            FloatVector a_1 = FloatVector.broadcast(S, a.getAtIndex(F, ap + ars));
            FloatVector a_2 = FloatVector.broadcast(S, a.getAtIndex(F, ap + 2 * ars));
            FloatVector a_3 = FloatVector.broadcast(S, a.getAtIndex(F, ap + 3 * ars));
            x00 = fma(a_0, b_0, x00); x01 = fma(a_0, b_1, x01); x02 = fma(a_0, b_2, x02);
            x10 = fma(a_1, b_0, x10); x11 = fma(a_1, b_1, x11); x12 = fma(a_1, b_2, x12);
            x20 = fma(a_2, b_0, x20); x21 = fma(a_2, b_1, x21); x22 = fma(a_2, b_2, x22);
            x30 = fma(a_3, b_0, x30); x31 = fma(a_3, b_1, x31); x32 = fma(a_3, b_2, x32);
        }
        store(x00, c, c0); store(x01, c, c0 + L); store(x02, c, c0 + 2 * L);
        store(x10, c, c1); store(x11, c, c1 + L); store(x12, c, c1 + 2 * L);
        store(x20, c, c2); store(x21, c, c2 + L); store(x22, c, c2 + 2 * L);
        store(x30, c, c3); store(x31, c, c3 + L); store(x32, c, c3 + 2 * L);
    }

    private static void block4x1(int k, MemorySegment a, long a0, long ars, long acs,
                                 MemorySegment b, long b0, long ldb, MemorySegment c, long c0, long ldc) {
        long c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector x0 = load(c, c0), x1 = load(c, c1), x2 = load(c, c2), x3 = load(c, c3);
        for (int p = 0; p < k; p++) {
            FloatVector bv = load(b, b0 + p * ldb);
            long ap = a0 + p * acs;
            x0 = fma(FloatVector.broadcast(S, a.getAtIndex(F, ap)), bv, x0);
            x1 = fma(FloatVector.broadcast(S, a.getAtIndex(F, ap + ars)), bv, x1);
            x2 = fma(FloatVector.broadcast(S, a.getAtIndex(F, ap + 2 * ars)), bv, x2);
            x3 = fma(FloatVector.broadcast(S, a.getAtIndex(F, ap + 3 * ars)), bv, x3);
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
            x0 = fma(s0, load(b, bp), x0); x1 = fma(s0, load(b, bp + L), x1); x2 = fma(s0, load(b, bp + 2 * L), x2);
            bp += ldb;
            y0 = fma(s1, load(b, bp), y0); y1 = fma(s1, load(b, bp + L), y1); y2 = fma(s1, load(b, bp + 2 * L), y2);
        }
        if (p < k) {
            long bp = b0 + p * ldb;
            FloatVector s0 = FloatVector.broadcast(S, a.getAtIndex(F, a0 + p * acs));
            x0 = fma(s0, load(b, bp), x0); x1 = fma(s0, load(b, bp + L), x1); x2 = fma(s0, load(b, bp + 2 * L), x2);
        }
        store(x0.add(y0), c, c0); store(x1.add(y1), c, c0 + L); store(x2.add(y2), c, c0 + 2 * L);
    }

    private static void block1x1(int k, MemorySegment a, long a0, long acs,
                                 MemorySegment b, long b0, long ldb, MemorySegment c, long c0) {
        FloatVector x = load(c, c0);
        for (int p = 0; p < k; p++) {
            x = fma(FloatVector.broadcast(S, a.getAtIndex(F, a0 + p * acs)), load(b, b0 + p * ldb), x);
        }
        store(x, c, c0);
    }

    /** The last columns that do not fill a vector: lanes outside {@code m} are neither read nor written. */
    private static void block4x1Masked(int k, MemorySegment a, long a0, long ars, long acs,
                                       MemorySegment b, long b0, long ldb, MemorySegment c, long c0, long ldc, VectorMask<Float> m) {
        long c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector x0 = load(c, c0, m), x1 = load(c, c1, m), x2 = load(c, c2, m), x3 = load(c, c3, m);
        for (int p = 0; p < k; p++) {
            FloatVector bv = load(b, b0 + p * ldb, m);
            long ap = a0 + p * acs;
            x0 = fma(FloatVector.broadcast(S, a.getAtIndex(F, ap)), bv, x0);
            x1 = fma(FloatVector.broadcast(S, a.getAtIndex(F, ap + ars)), bv, x1);
            x2 = fma(FloatVector.broadcast(S, a.getAtIndex(F, ap + 2 * ars)), bv, x2);
            x3 = fma(FloatVector.broadcast(S, a.getAtIndex(F, ap + 3 * ars)), bv, x3);
        }
        store(x0, c, c0, m); store(x1, c, c1, m); store(x2, c, c2, m); store(x3, c, c3, m);
    }

    private static void block1x1Masked(int k, MemorySegment a, long a0, long acs,
                                       MemorySegment b, long b0, long ldb, MemorySegment c, long c0, VectorMask<Float> m) {
        FloatVector x = load(c, c0, m);
        for (int p = 0; p < k; p++) {
            x = fma(FloatVector.broadcast(S, a.getAtIndex(F, a0 + p * acs)), load(b, b0 + p * ldb, m), x);
        }
        store(x, c, c0, m);
    }

    private static FloatVector load(MemorySegment s, long floatIndex, VectorMask<Float> m) {
        return FloatVector.fromMemorySegment(S, s, floatIndex * Float.BYTES, NO, m);
    }

    private static void store(FloatVector v, MemorySegment s, long floatIndex, VectorMask<Float> m) {
        v.intoMemorySegment(s, floatIndex * Float.BYTES, NO, m);
    }
}
