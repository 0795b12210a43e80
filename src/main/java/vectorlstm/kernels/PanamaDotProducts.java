package vectorlstm.kernels;

import static jdk.incubator.vector.FloatVector.fromMemorySegment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C += A·Bᵀ} with both operands contiguous along k, as dot products vectorised along k,
 * 2 rows of A x 4 rows of B per block, lanes summed in a fixed order. It needs no copy of B, but
 * at 16 lanes the lane sums cost as much as the FMAs: for {@code dh = dz·Uᵀ} the transposed copy
 * and {@link PanamaGemm#gemm} are about 3.5x faster at 512 bits (docs/performance-history.md, "Training
 * GEMMs per vector width").
 *
 * <p>It serves the products whose B has few rows or no transposed copy: dh's last
 * {@code H mod lanes} columns (4 of 100 at 8 and 16 lanes) against U's rows, and Dense's
 * {@code dx = dLogits·Wᵀ}. The helpers are small enough for C2 to inline within its node budget.
 */
final class PanamaDotProducts {
    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final int L = VectorShape.LANES;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final long FB = Float.BYTES;

    private PanamaDotProducts() {}

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

    private static FloatVector load(MemorySegment s, long floatIndex) {
        return fromMemorySegment(S, s, floatIndex * FB, NO);
    }

    /**
     * The lanes of v added left to right. Not reduceLanes(ADD): its order is unspecified and in
     * practice differs between interpreted and compiled code, which made two runs with the same
     * seed differ in the last bits, depending on when the JIT kicked in.
     */
    private static float sumLanes(FloatVector v) {
        // Written out with constant lane numbers for 16 and 8 lanes (L is a constant: C2 keeps one
        // branch). The loop below computes the same sums, and took 1.5-2.2x as long at 16 lanes
        // (JMH GemmBenchmark 32x4x400xB, dh's tail: 3.9-5.6 us against 2.5-2.6).
        if (L == 16) {
            return v.lane(0) + v.lane(1) + v.lane(2) + v.lane(3) + v.lane(4) + v.lane(5) + v.lane(6) + v.lane(7)
                    + v.lane(8) + v.lane(9) + v.lane(10) + v.lane(11) + v.lane(12) + v.lane(13) + v.lane(14) + v.lane(15);
        }
        if (L == 8) return v.lane(0) + v.lane(1) + v.lane(2) + v.lane(3) + v.lane(4) + v.lane(5) + v.lane(6) + v.lane(7);
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
