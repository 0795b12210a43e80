package vectorlstm.kernels;

import static jdk.incubator.vector.FloatVector.broadcast;
import static jdk.incubator.vector.FloatVector.fromMemorySegment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked GEMMs on the Vector API.
 *
 * <p>{@link #gemm}: {@code C += A·B} with B row-major (forward, the weight gradients as
 * {@code Aᵀ·B} through A's strides, and {@code A·Bᵀ} through a transposed copy of B made by
 * {@link Kernels#transpose}). C is cut into strips of 3 vectors (2 where 3 would leave a single
 * one); the row blocks are the inner loop, so a strip of B stays in L1 while they pass over it,
 * within panels of k (B in L2) and of rows (A and C in L2). At 512 bits the register block is 8
 * rows x 3 vectors: 24 accumulators, 3 B vectors and a broadcast, 28 of the 32 registers, 11
 * loads per 24 FMAs; below that (AVX2's 16 registers), and for the rows an 8-row block would
 * overrun, 4 x 3: 12 accumulators, 7 loads per 12 FMAs. Strips of 2 run 8 x 2 or 4 x 2 blocks.
 * Each element is summed over k in the same order whether an 8- or a 4-row block computes it, so
 * the bits do not depend on the block.
 *
 * <p>The 8-row blocks need {@link C2Only}: a method with more than about 45 vector operations
 * (8 x 3 has 83) goes wrong in C1, which boxes every vector and, once it has compiled such a
 * method at its second tier, can keep it there for good (seen: 1.5 GB allocated per
 * {@code 16000 x 400 x 32} product). Kept away from C1, C2 compiles them, and on the Zen 5 they
 * took the training GEMMs from 74-142 to 93-189 GFLOP/s and two-thread training up 1.25x
 * (docs/performance-history.md, "8-row GEMM blocks"). Where the directive is refused, the 4-row blocks
 * run everywhere. The blocks call the Vector API directly, not through small helpers: C2 stops
 * inlining helpers past its node budget and boxes at those calls; the Vector API's own methods
 * are force-inlined, outside that budget.
 *
 * <p>Edges: a block whose rows (or vectors) run past the edge of C repeats its last real row (or
 * vector): the repeats compute the same values and store them to the same place, so one
 * branch-free method covers edge blocks too. A single leftover row runs the 1-row kernel
 * (batch-1 matrix-vector: 6 FMA chains). Columns that do not fill a vector run as one whole
 * vector per row when B's rows can be read that far (a transposed copy padded by
 * {@link Kernels#paddedWidth}), else as scalar loops.
 *
 * <p>{@code C += A·Bᵀ} as dot products is {@link PanamaDotProducts}'s.
 *
 * <p>Masked vector loads and stores are avoided: they were measured to box on this JDK/CPU.
 */
final class PanamaGemm {
    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final int L = VectorShape.LANES;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final long FB = Float.BYTES;

    private static final int ROWS = 4;

    /**
     * Blocks of 8 rows (24 or 16 accumulators plus 3-4 more registers) fit AVX-512's 32 registers,
     * not AVX2's 16 (512-bit species imply AVX-512, as in PanamaRecurrent).
     */
    static final boolean TALL_BLOCK = S.vectorBitSize() >= 512;

    /**
     * The 8-row blocks at 512 bits: 8 x 3 holds 24 accumulators, 3 B vectors and a broadcast, 28
     * of AVX-512's 32 registers, and loads 11 times per 24 FMAs (4 x 3: 7 per 12); 8 x 2 takes the
     * strips of 2. Their 83 and 58 vector operations are past what C1 compiles without boxing, so
     * they run only where {@link C2Only} could keep them away from C1. A holder class, so that the
     * directive (and the JVM's management beans behind it, about 150 ms) comes with the first
     * product of 8 rows or more, never to a process that only scores.
     */
    private static final class EightRowBlocks {
        static final boolean ON = TALL_BLOCK
                && C2Only.exclude("vectorlstm/kernels/PanamaGemm.block8x3", "vectorlstm/kernels/PanamaGemm.block8x2");
    }

    /**
     * Depth of one k-panel. The weight gradients have k = T·b (16,000 rows of dz for a worker's
     * batch): without panels each strip of C streamed all 16,000 rows of its strip of B from
     * memory; with them a 256-row panel of B (400 KB for n = 400) stays in L2.
     */
    private static final int K_PANEL = 256;

    /**
     * Rows of C per pass over the strips of B. The rows are the inner loop so that each strip of B
     * stays in L1 while the row blocks pass over it; with many rows (x·W: 16,000) that streamed all
     * of A and C once per strip (x·W at 512 bits: 66 and 111 GFLOP/s in two runs, 101-105 with), so the rows
     * go in panels of 64 whose parts of A and C stay in L2 (64 KB and 100 KB for k = 256, n = 400).
     */
    static final int M_PANEL = 64;

    private PanamaGemm() {}

    /** Whether this JVM runs the 8-row blocks (512 bits and the directive accepted); for tests. */
    static boolean eightRowBlocks() { return EightRowBlocks.ON; }

    static void gemm(int m, int n, int k, MemorySegment a, long aOff, long ars, long acs,
                     MemorySegment b, long bOff, long ldb, MemorySegment c, long cOff, long ldc) {
        if (m <= 0 || n <= 0 || k <= 0) return;
        int nVec = n - n % L;
        // The last row of B read as whole vectors ends inside b: then the column tail can too.
        boolean wholeVectorTail = nVec < n && (bOff + (k - 1) * ldb + nVec + L) * FB <= b.byteSize();
        for (int p0 = 0; p0 < k; p0 += K_PANEL) {
            int kc = Math.min(K_PANEL, k - p0);
            gemmPanel(m, n, kc, a, aOff + p0 * acs, ars, acs, b, bOff + p0 * ldb, ldb, c, cOff, ldc, wholeVectorTail);
        }
    }

    private static void gemmPanel(int m, int n, int k, MemorySegment a, long aOff, long ars, long acs,
                                  MemorySegment b, long bOff, long ldb, MemorySegment c, long cOff, long ldc,
                                  boolean wholeVectorTail) {
        int nVec = n - n % L;
        int blockedRows = m % ROWS == 1 ? m - 1 : m;  // a single leftover row goes to the 1-row kernel
        for (int i0 = 0; i0 < blockedRows; i0 += M_PANEL) {
            int i1 = Math.min(blockedRows, i0 + M_PANEL);
            for (int j = 0; j < nVec; ) {
                int vecs = stripWidth((nVec - j) / L);
                for (int i = i0; i < i1; ) {
                    long ai = aOff + i * ars, bj = bOff + j, cij = cOff + i * ldc + j;
                    if (TALL_BLOCK && i1 - i >= 2 * ROWS && EightRowBlocks.ON) {
                        if (vecs == 3) {
                            block8x3(k, a, ai, ars, acs, b, bj, ldb, c, cij, ldc);
                        } else {
                            block8x2(vecs, k, a, ai, ars, acs, b, bj, ldb, c, cij, ldc);
                        }
                        i += 2 * ROWS;
                        continue;
                    }
                    int rows = Math.min(ROWS, m - i);
                    if (vecs == 3) {
                        block4x3(rows, 3, k, a, ai, ars, acs, b, bj, ldb, c, cij, ldc);
                    } else {
                        block4x2(rows, vecs, k, a, ai, ars, acs, b, bj, ldb, c, cij, ldc);
                    }
                    i += ROWS;
                }
                j += vecs * L;
            }
        }
        if (blockedRows < m) {
            long ai = aOff + blockedRows * ars, ci = cOff + blockedRows * ldc;
            int j = 0;
            for (; j + 3 * L <= nVec; j += 3 * L) block1x3(k, a, ai, acs, b, bOff + j, ldb, c, ci + j);
            for (; j < nVec; j += L) block1x1(k, a, ai, acs, b, bOff + j, ldb, c, ci + j);
        }
        if (nVec == n) return;
        if (wholeVectorTail) {
            for (int i = 0; i < m; i += 4) {
                tail4x1(Math.min(4, m - i), n - nVec, k, a, aOff + i * ars, ars, acs, b, bOff + nVec, ldb, c, cOff + i * ldc + nVec, ldc);
            }
        } else {
            scalarTail(m, n - nVec, k, a, aOff, ars, acs, b, bOff + nVec, ldb, c, cOff + nVec, ldc);
        }
    }

    /**
     * Vectors in the next strip of C, given how many are left: 3 while that leaves no single
     * vector, else 2 (25 = 7·3 + 2·2, 4 = 2·2, 2 = 2), and 1 at the very end of an odd count below
     * 3. A strip of 3 over 2 or 4 vectors (dx = dz·Wᵀ has D = 32: 2 vectors at 512 bits) would
     * spend a third of its FMAs on repeats.
     */
    private static int stripWidth(int left) {
        if (left == 3 || left >= 5) return 3;
        return Math.min(left, 2);
    }

    /** Row (or vector) r of a block that has {@code real} of them; past the edge the last real one repeats. */
    static long edge(int r, int real) { return Math.min(r, real - 1); }

    /** C[8 rows, 3 vectors] += A[8 rows, k]·B[k, 3 vectors]: 24 accumulators (512 bits only). */
    private static void block8x3(int k, MemorySegment a, long a0, long ars, long acs,
                         MemorySegment b, long b0, long ldb, MemorySegment c, long c0, long ldc) {
        long a1 = a0 + ars, a2 = a0 + 2 * ars, a3 = a0 + 3 * ars, a4 = a0 + 4 * ars, a5 = a0 + 5 * ars, a6 = a0 + 6 * ars, a7 = a0 + 7 * ars;
        long c1 = c0 + ldc, c2 = c0 + 2 * ldc, c3 = c0 + 3 * ldc, c4 = c0 + 4 * ldc, c5 = c0 + 5 * ldc, c6 = c0 + 6 * ldc, c7 = c0 + 7 * ldc;
        FloatVector x00 = fromMemorySegment(S, c, c0 * FB, NO), x01 = fromMemorySegment(S, c, (c0 + L) * FB, NO), x02 = fromMemorySegment(S, c, (c0 + 2 * L) * FB, NO);
        FloatVector x10 = fromMemorySegment(S, c, c1 * FB, NO), x11 = fromMemorySegment(S, c, (c1 + L) * FB, NO), x12 = fromMemorySegment(S, c, (c1 + 2 * L) * FB, NO);
        FloatVector x20 = fromMemorySegment(S, c, c2 * FB, NO), x21 = fromMemorySegment(S, c, (c2 + L) * FB, NO), x22 = fromMemorySegment(S, c, (c2 + 2 * L) * FB, NO);
        FloatVector x30 = fromMemorySegment(S, c, c3 * FB, NO), x31 = fromMemorySegment(S, c, (c3 + L) * FB, NO), x32 = fromMemorySegment(S, c, (c3 + 2 * L) * FB, NO);
        FloatVector x40 = fromMemorySegment(S, c, c4 * FB, NO), x41 = fromMemorySegment(S, c, (c4 + L) * FB, NO), x42 = fromMemorySegment(S, c, (c4 + 2 * L) * FB, NO);
        FloatVector x50 = fromMemorySegment(S, c, c5 * FB, NO), x51 = fromMemorySegment(S, c, (c5 + L) * FB, NO), x52 = fromMemorySegment(S, c, (c5 + 2 * L) * FB, NO);
        FloatVector x60 = fromMemorySegment(S, c, c6 * FB, NO), x61 = fromMemorySegment(S, c, (c6 + L) * FB, NO), x62 = fromMemorySegment(S, c, (c6 + 2 * L) * FB, NO);
        FloatVector x70 = fromMemorySegment(S, c, c7 * FB, NO), x71 = fromMemorySegment(S, c, (c7 + L) * FB, NO), x72 = fromMemorySegment(S, c, (c7 + 2 * L) * FB, NO);
        for (int p = 0; p < k; p++) {
            long bp = b0 + p * ldb, ap = p * acs;
            FloatVector b_0 = fromMemorySegment(S, b, bp * FB, NO), b_1 = fromMemorySegment(S, b, (bp + L) * FB, NO), b_2 = fromMemorySegment(S, b, (bp + 2 * L) * FB, NO);
            FloatVector s = broadcast(S, a.getAtIndex(F, a0 + ap));
            x00 = s.fma(b_0, x00); x01 = s.fma(b_1, x01); x02 = s.fma(b_2, x02);
            s = broadcast(S, a.getAtIndex(F, a1 + ap));
            x10 = s.fma(b_0, x10); x11 = s.fma(b_1, x11); x12 = s.fma(b_2, x12);
            s = broadcast(S, a.getAtIndex(F, a2 + ap));
            x20 = s.fma(b_0, x20); x21 = s.fma(b_1, x21); x22 = s.fma(b_2, x22);
            s = broadcast(S, a.getAtIndex(F, a3 + ap));
            x30 = s.fma(b_0, x30); x31 = s.fma(b_1, x31); x32 = s.fma(b_2, x32);
            s = broadcast(S, a.getAtIndex(F, a4 + ap));
            x40 = s.fma(b_0, x40); x41 = s.fma(b_1, x41); x42 = s.fma(b_2, x42);
            s = broadcast(S, a.getAtIndex(F, a5 + ap));
            x50 = s.fma(b_0, x50); x51 = s.fma(b_1, x51); x52 = s.fma(b_2, x52);
            s = broadcast(S, a.getAtIndex(F, a6 + ap));
            x60 = s.fma(b_0, x60); x61 = s.fma(b_1, x61); x62 = s.fma(b_2, x62);
            s = broadcast(S, a.getAtIndex(F, a7 + ap));
            x70 = s.fma(b_0, x70); x71 = s.fma(b_1, x71); x72 = s.fma(b_2, x72);
        }
        x00.intoMemorySegment(c, c0 * FB, NO); x01.intoMemorySegment(c, (c0 + L) * FB, NO); x02.intoMemorySegment(c, (c0 + 2 * L) * FB, NO);
        x10.intoMemorySegment(c, c1 * FB, NO); x11.intoMemorySegment(c, (c1 + L) * FB, NO); x12.intoMemorySegment(c, (c1 + 2 * L) * FB, NO);
        x20.intoMemorySegment(c, c2 * FB, NO); x21.intoMemorySegment(c, (c2 + L) * FB, NO); x22.intoMemorySegment(c, (c2 + 2 * L) * FB, NO);
        x30.intoMemorySegment(c, c3 * FB, NO); x31.intoMemorySegment(c, (c3 + L) * FB, NO); x32.intoMemorySegment(c, (c3 + 2 * L) * FB, NO);
        x40.intoMemorySegment(c, c4 * FB, NO); x41.intoMemorySegment(c, (c4 + L) * FB, NO); x42.intoMemorySegment(c, (c4 + 2 * L) * FB, NO);
        x50.intoMemorySegment(c, c5 * FB, NO); x51.intoMemorySegment(c, (c5 + L) * FB, NO); x52.intoMemorySegment(c, (c5 + 2 * L) * FB, NO);
        x60.intoMemorySegment(c, c6 * FB, NO); x61.intoMemorySegment(c, (c6 + L) * FB, NO); x62.intoMemorySegment(c, (c6 + 2 * L) * FB, NO);
        x70.intoMemorySegment(c, c7 * FB, NO); x71.intoMemorySegment(c, (c7 + L) * FB, NO); x72.intoMemorySegment(c, (c7 + 2 * L) * FB, NO);
    }

    /**
     * C[8 rows, 2 vectors] += A[8 rows, k]·B[k, 2 vectors] (a single vector repeats): 16 accumulators.
     * Not merged with {@link PanamaGemmOverwrite}'s 8 x 2 block: that one starts from zero, repeats rows instead of
     * vectors at its edge, and at 42 vector operations compiles without {@link C2Only}, so
     * {@code gemmOverwrite} keeps its 8-row blocks where the directive is refused.
     */
    private static void block8x2(int vecs, int k, MemorySegment a, long a0, long ars, long acs,
                                 MemorySegment b, long b0, long ldb, MemorySegment c, long c0, long ldc) {
        long a1 = a0 + ars, a2 = a0 + 2 * ars, a3 = a0 + 3 * ars, a4 = a0 + 4 * ars, a5 = a0 + 5 * ars, a6 = a0 + 6 * ars, a7 = a0 + 7 * ars;
        long c1 = c0 + ldc, c2 = c0 + 2 * ldc, c3 = c0 + 3 * ldc, c4 = c0 + 4 * ldc, c5 = c0 + 5 * ldc, c6 = c0 + 6 * ldc, c7 = c0 + 7 * ldc;
        long v1 = edge(1, vecs) * L;
        FloatVector x00 = fromMemorySegment(S, c, c0 * FB, NO), x01 = fromMemorySegment(S, c, (c0 + v1) * FB, NO);
        FloatVector x10 = fromMemorySegment(S, c, c1 * FB, NO), x11 = fromMemorySegment(S, c, (c1 + v1) * FB, NO);
        FloatVector x20 = fromMemorySegment(S, c, c2 * FB, NO), x21 = fromMemorySegment(S, c, (c2 + v1) * FB, NO);
        FloatVector x30 = fromMemorySegment(S, c, c3 * FB, NO), x31 = fromMemorySegment(S, c, (c3 + v1) * FB, NO);
        FloatVector x40 = fromMemorySegment(S, c, c4 * FB, NO), x41 = fromMemorySegment(S, c, (c4 + v1) * FB, NO);
        FloatVector x50 = fromMemorySegment(S, c, c5 * FB, NO), x51 = fromMemorySegment(S, c, (c5 + v1) * FB, NO);
        FloatVector x60 = fromMemorySegment(S, c, c6 * FB, NO), x61 = fromMemorySegment(S, c, (c6 + v1) * FB, NO);
        FloatVector x70 = fromMemorySegment(S, c, c7 * FB, NO), x71 = fromMemorySegment(S, c, (c7 + v1) * FB, NO);
        for (int p = 0; p < k; p++) {
            long bp = b0 + p * ldb, ap = p * acs;
            FloatVector b_0 = fromMemorySegment(S, b, bp * FB, NO), b_1 = fromMemorySegment(S, b, (bp + v1) * FB, NO);
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
        x00.intoMemorySegment(c, c0 * FB, NO); x01.intoMemorySegment(c, (c0 + v1) * FB, NO);
        x10.intoMemorySegment(c, c1 * FB, NO); x11.intoMemorySegment(c, (c1 + v1) * FB, NO);
        x20.intoMemorySegment(c, c2 * FB, NO); x21.intoMemorySegment(c, (c2 + v1) * FB, NO);
        x30.intoMemorySegment(c, c3 * FB, NO); x31.intoMemorySegment(c, (c3 + v1) * FB, NO);
        x40.intoMemorySegment(c, c4 * FB, NO); x41.intoMemorySegment(c, (c4 + v1) * FB, NO);
        x50.intoMemorySegment(c, c5 * FB, NO); x51.intoMemorySegment(c, (c5 + v1) * FB, NO);
        x60.intoMemorySegment(c, c6 * FB, NO); x61.intoMemorySegment(c, (c6 + v1) * FB, NO);
        x70.intoMemorySegment(c, c7 * FB, NO); x71.intoMemorySegment(c, (c7 + v1) * FB, NO);
    }

    /** C[4 rows, 3 vectors] += A[4 rows, k]·B[k, 3 vectors], C held in 12 registers over all of k. */
    private static void block4x3(int rows, int vecs, int k, MemorySegment a, long a0, long ars, long acs,
                                 MemorySegment b, long b0, long ldb, MemorySegment c, long c0, long ldc) {
        long a1 = a0 + edge(1, rows) * ars, a2 = a0 + edge(2, rows) * ars, a3 = a0 + edge(3, rows) * ars;
        long c1 = c0 + edge(1, rows) * ldc, c2 = c0 + edge(2, rows) * ldc, c3 = c0 + edge(3, rows) * ldc;
        long v1 = edge(1, vecs) * L, v2 = edge(2, vecs) * L;
        FloatVector x00 = fromMemorySegment(S, c, c0 * FB, NO), x01 = fromMemorySegment(S, c, (c0 + v1) * FB, NO), x02 = fromMemorySegment(S, c, (c0 + v2) * FB, NO);
        FloatVector x10 = fromMemorySegment(S, c, c1 * FB, NO), x11 = fromMemorySegment(S, c, (c1 + v1) * FB, NO), x12 = fromMemorySegment(S, c, (c1 + v2) * FB, NO);
        FloatVector x20 = fromMemorySegment(S, c, c2 * FB, NO), x21 = fromMemorySegment(S, c, (c2 + v1) * FB, NO), x22 = fromMemorySegment(S, c, (c2 + v2) * FB, NO);
        FloatVector x30 = fromMemorySegment(S, c, c3 * FB, NO), x31 = fromMemorySegment(S, c, (c3 + v1) * FB, NO), x32 = fromMemorySegment(S, c, (c3 + v2) * FB, NO);
        for (int p = 0; p < k; p++) {
            long bp = b0 + p * ldb, ap = p * acs;
            FloatVector b_0 = fromMemorySegment(S, b, bp * FB, NO), b_1 = fromMemorySegment(S, b, (bp + v1) * FB, NO), b_2 = fromMemorySegment(S, b, (bp + v2) * FB, NO);
            FloatVector s = broadcast(S, a.getAtIndex(F, a0 + ap));
            x00 = s.fma(b_0, x00); x01 = s.fma(b_1, x01); x02 = s.fma(b_2, x02);
            s = broadcast(S, a.getAtIndex(F, a1 + ap));
            x10 = s.fma(b_0, x10); x11 = s.fma(b_1, x11); x12 = s.fma(b_2, x12);
            s = broadcast(S, a.getAtIndex(F, a2 + ap));
            x20 = s.fma(b_0, x20); x21 = s.fma(b_1, x21); x22 = s.fma(b_2, x22);
            s = broadcast(S, a.getAtIndex(F, a3 + ap));
            x30 = s.fma(b_0, x30); x31 = s.fma(b_1, x31); x32 = s.fma(b_2, x32);
        }
        x00.intoMemorySegment(c, c0 * FB, NO); x01.intoMemorySegment(c, (c0 + v1) * FB, NO); x02.intoMemorySegment(c, (c0 + v2) * FB, NO);
        x10.intoMemorySegment(c, c1 * FB, NO); x11.intoMemorySegment(c, (c1 + v1) * FB, NO); x12.intoMemorySegment(c, (c1 + v2) * FB, NO);
        x20.intoMemorySegment(c, c2 * FB, NO); x21.intoMemorySegment(c, (c2 + v1) * FB, NO); x22.intoMemorySegment(c, (c2 + v2) * FB, NO);
        x30.intoMemorySegment(c, c3 * FB, NO); x31.intoMemorySegment(c, (c3 + v1) * FB, NO); x32.intoMemorySegment(c, (c3 + v2) * FB, NO);
    }

    /** C[4 rows, 2 vectors] += A·B: the strips of 2 (and 1, repeating) vectors; 8 accumulators. */
    private static void block4x2(int rows, int vecs, int k, MemorySegment a, long a0, long ars, long acs,
                                 MemorySegment b, long b0, long ldb, MemorySegment c, long c0, long ldc) {
        long a1 = a0 + edge(1, rows) * ars, a2 = a0 + edge(2, rows) * ars, a3 = a0 + edge(3, rows) * ars;
        long c1 = c0 + edge(1, rows) * ldc, c2 = c0 + edge(2, rows) * ldc, c3 = c0 + edge(3, rows) * ldc;
        long v1 = edge(1, vecs) * L;
        FloatVector x00 = fromMemorySegment(S, c, c0 * FB, NO), x01 = fromMemorySegment(S, c, (c0 + v1) * FB, NO);
        FloatVector x10 = fromMemorySegment(S, c, c1 * FB, NO), x11 = fromMemorySegment(S, c, (c1 + v1) * FB, NO);
        FloatVector x20 = fromMemorySegment(S, c, c2 * FB, NO), x21 = fromMemorySegment(S, c, (c2 + v1) * FB, NO);
        FloatVector x30 = fromMemorySegment(S, c, c3 * FB, NO), x31 = fromMemorySegment(S, c, (c3 + v1) * FB, NO);
        for (int p = 0; p < k; p++) {
            long bp = b0 + p * ldb, ap = p * acs;
            FloatVector b_0 = fromMemorySegment(S, b, bp * FB, NO), b_1 = fromMemorySegment(S, b, (bp + v1) * FB, NO);
            FloatVector s = broadcast(S, a.getAtIndex(F, a0 + ap));
            x00 = s.fma(b_0, x00); x01 = s.fma(b_1, x01);
            s = broadcast(S, a.getAtIndex(F, a1 + ap));
            x10 = s.fma(b_0, x10); x11 = s.fma(b_1, x11);
            s = broadcast(S, a.getAtIndex(F, a2 + ap));
            x20 = s.fma(b_0, x20); x21 = s.fma(b_1, x21);
            s = broadcast(S, a.getAtIndex(F, a3 + ap));
            x30 = s.fma(b_0, x30); x31 = s.fma(b_1, x31);
        }
        x00.intoMemorySegment(c, c0 * FB, NO); x01.intoMemorySegment(c, (c0 + v1) * FB, NO);
        x10.intoMemorySegment(c, c1 * FB, NO); x11.intoMemorySegment(c, (c1 + v1) * FB, NO);
        x20.intoMemorySegment(c, c2 * FB, NO); x21.intoMemorySegment(c, (c2 + v1) * FB, NO);
        x30.intoMemorySegment(c, c3 * FB, NO); x31.intoMemorySegment(c, (c3 + v1) * FB, NO);
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

    /**
     * One row, one vector, summed in the order of {@link #block1x3} (even k onto C, odd k in a
     * second chain, added at the end): a column's bits then do not depend on whether its vector
     * fell into a group of three or was left over, i.e. on how wide the product is. The two-thread
     * scorer computes a row's input projection in shares of different widths than one thread does.
     */
    private static void block1x1(int k, MemorySegment a, long a0, long acs,
                                 MemorySegment b, long b0, long ldb, MemorySegment c, long c0) {
        FloatVector x = load(c, c0), y = FloatVector.zero(S);
        int p = 0;
        for (; p + 2 <= k; p += 2) {
            x = FloatVector.broadcast(S, a.getAtIndex(F, a0 + p * acs)).fma(load(b, b0 + p * ldb), x);
            y = FloatVector.broadcast(S, a.getAtIndex(F, a0 + (p + 1) * acs)).fma(load(b, b0 + (p + 1) * ldb), y);
        }
        if (p < k) x = FloatVector.broadcast(S, a.getAtIndex(F, a0 + p * acs)).fma(load(b, b0 + p * ldb), x);
        store(x.add(y), c, c0);
    }

    /**
     * The last {@code cols < L} columns of up to 4 rows, each computed as a whole vector (B's rows
     * are readable that far) and added to C lane by lane: a whole-vector store would spill into
     * the next row. k is unrolled by two into a second accumulator set: 8 FMA chains.
     */
    private static void tail4x1(int rows, int cols, int k, MemorySegment a, long a0, long ars, long acs,
                                MemorySegment b, long b0, long ldb, MemorySegment c, long c0, long ldc) {
        long a1 = a0 + edge(1, rows) * ars, a2 = a0 + edge(2, rows) * ars, a3 = a0 + edge(3, rows) * ars;
        FloatVector x0 = FloatVector.zero(S), x1 = x0, x2 = x0, x3 = x0, y0 = x0, y1 = x0, y2 = x0, y3 = x0;
        int p = 0;
        for (; p + 2 <= k; p += 2) {
            long ap = p * acs, aq = ap + acs;
            FloatVector u = fromMemorySegment(S, b, (b0 + p * ldb) * FB, NO), v = fromMemorySegment(S, b, (b0 + (p + 1) * ldb) * FB, NO);
            x0 = broadcast(S, a.getAtIndex(F, a0 + ap)).fma(u, x0); y0 = broadcast(S, a.getAtIndex(F, a0 + aq)).fma(v, y0);
            x1 = broadcast(S, a.getAtIndex(F, a1 + ap)).fma(u, x1); y1 = broadcast(S, a.getAtIndex(F, a1 + aq)).fma(v, y1);
            x2 = broadcast(S, a.getAtIndex(F, a2 + ap)).fma(u, x2); y2 = broadcast(S, a.getAtIndex(F, a2 + aq)).fma(v, y2);
            x3 = broadcast(S, a.getAtIndex(F, a3 + ap)).fma(u, x3); y3 = broadcast(S, a.getAtIndex(F, a3 + aq)).fma(v, y3);
        }
        if (p < k) {
            long ap = p * acs;
            FloatVector u = fromMemorySegment(S, b, (b0 + p * ldb) * FB, NO);
            x0 = broadcast(S, a.getAtIndex(F, a0 + ap)).fma(u, x0);
            x1 = broadcast(S, a.getAtIndex(F, a1 + ap)).fma(u, x1);
            x2 = broadcast(S, a.getAtIndex(F, a2 + ap)).fma(u, x2);
            x3 = broadcast(S, a.getAtIndex(F, a3 + ap)).fma(u, x3);
        }
        x0 = x0.add(y0); x1 = x1.add(y1); x2 = x2.add(y2); x3 = x3.add(y3);
        for (int l = 0; l < cols; l++) {
            addTo(c, c0 + l, x0.lane(l));
            if (rows > 1) addTo(c, c0 + ldc + l, x1.lane(l));
            if (rows > 2) addTo(c, c0 + 2 * ldc + l, x2.lane(l));
            if (rows > 3) addTo(c, c0 + 3 * ldc + l, x3.lane(l));
        }
    }

    /**
     * Columns that do not fill a vector when B cannot be read past them: each element summed as
     * {@link #tail4x1} sums its lane (even k in one sum and odd k in another, from zero within the
     * panel, then added to C), so that an element's bits do not depend on whether B's buffer goes
     * on past B. It did once, through a product's inputs sized for the most rows a worker holds:
     * a fit's weights depended on an earlier evaluate's batch, or on a longer validation set.
     */
    private static void scalarTail(int rows, int cols, int k, MemorySegment a, long a0, long ars, long acs,
                                   MemorySegment b, long b0, long ldb, MemorySegment c, long c0, long ldc) {
        for (int r = 0; r < rows; r++) {
            long ar = a0 + r * ars;
            for (int j = 0; j < cols; j++) {
                float x = 0f, y = 0f;
                int p = 0;
                for (; p + 2 <= k; p += 2) {
                    x = Math.fma(a.getAtIndex(F, ar + p * acs), b.getAtIndex(F, b0 + p * ldb + j), x);
                    y = Math.fma(a.getAtIndex(F, ar + (p + 1) * acs), b.getAtIndex(F, b0 + (p + 1) * ldb + j), y);
                }
                if (p < k) x = Math.fma(a.getAtIndex(F, ar + p * acs), b.getAtIndex(F, b0 + p * ldb + j), x);
                addTo(c, c0 + r * ldc + j, x + y);
            }
        }
    }

    /*
     * Small helpers for the kernels below 45 vector operations (the 1-row blocks and the tails),
     * where C2 inlines them within its node budget; the 4 x 3 block cannot use them.
     */
    private static FloatVector load(MemorySegment s, long floatIndex) {
        return fromMemorySegment(S, s, floatIndex * FB, NO);
    }

    private static void store(FloatVector v, MemorySegment s, long floatIndex) {
        v.intoMemorySegment(s, floatIndex * FB, NO);
    }

    private static void addTo(MemorySegment c, long i, float v) { c.setAtIndex(F, i, c.getAtIndex(F, i) + v); }
}
