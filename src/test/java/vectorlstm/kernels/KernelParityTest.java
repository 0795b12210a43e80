package vectorlstm.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Panama kernel against its scalar twin on odd and even sizes, so both the vector body and
 * the scalar tails run. The vector width can be forced narrower with -Dvectorlstm.bits=128|256
 * (see the README's test section); the default run uses the machine's widest.
 */
class KernelParityTest {
    /** Every remainder of 16 (at 512 bits), of 8 and of 4, then sizes past several whole vectors. */
    private static final int[] SIZES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 100, 133, 400, 401};
    private static final Kernels SCALAR = new ScalarKernels();
    private static Kernels simd;
    private static Arena arena;

    @BeforeAll
    static void setUp() {
        // CI runs with --add-modules jdk.incubator.vector: the SIMD path must be tested, not skipped.
        simd = KernelProvider.panama();
        arena = Arena.ofShared();
    }

    @AfterAll
    static void tearDown() { arena.close(); }

    private static MemorySegment random(long n, long seed) { return TestSegments.random(arena, n, seed); }

    private static MemorySegment copy(MemorySegment s) { return TestSegments.copy(arena, s); }

    private static void assertClose(MemorySegment expected, MemorySegment actual, long n, double tol, String what) {
        double worst = 0;
        for (long i = 0; i < n; i++) {
            double e = expected.getAtIndex(ValueLayout.JAVA_FLOAT, i), a = actual.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            assertTrue(Double.isFinite(a), what + ": non-finite at " + i);
            worst = Math.max(worst, Math.abs(e - a) / Math.max(1, Math.abs(e)));
        }
        assertTrue(worst <= tol, what + ": max relative difference " + worst + " > " + tol);
    }

    @Test
    void reportsWhatItIs() {
        assertTrue(simd.description().startsWith("Panama"), simd.description());
    }

    /**
     * m covers the 8- and 4-row blocks and their edges (a single leftover row, 2 or 3 clamped rows,
     * 4-row blocks after 8-row ones, a 64-row panel's end), n the
     * 3- and 2-vector strips with 1 or 2 vectors left and every column tail at 4, 8 and 16 lanes,
     * k one and several k-panels (256) with odd remainders.
     */
    private static final int[] GEMM_M = {1, 2, 3, 4, 5, 6, 7, 14, 17, 33, 70};
    private static final int[] GEMM_K = {1, 3, 7, 17, 101, 300, 401};

    private static double gemmTolerance(int k) {
        return 1e-5 * Math.max(1, Math.sqrt(k / 64.0));  // float rounding grows with the length of the sums
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 48, 100, 101, 133, 400, 401})
    void gemmMatchesScalarForEveryShapeAndBothAForms(int n) {
        for (int m : GEMM_M) {
            for (int k : GEMM_K) {
                MemorySegment a = random((long) m * k, 1), b = random((long) k * n, 2), c = random((long) m * n, 3);
                MemorySegment c1 = copy(c), c2 = copy(c);
                SCALAR.gemm(m, n, k, a, 0, k, 1, b, 0, n, c1, 0, n);
                simd.gemm(m, n, k, a, 0, k, 1, b, 0, n, c2, 0, n);
                assertClose(c1, c2, (long) m * n, gemmTolerance(k), "A·B m=" + m + " n=" + n + " k=" + k);
                // Aᵀ·B: a holds a [k, m] matrix read through strides (1, m).
                MemorySegment d1 = copy(c), d2 = copy(c);
                SCALAR.gemm(m, n, k, a, 0, 1, m, b, 0, n, d1, 0, n);
                simd.gemm(m, n, k, a, 0, 1, m, b, 0, n, d2, 0, n);
                assertClose(d1, d2, (long) m * n, gemmTolerance(k), "Aᵀ·B m=" + m + " n=" + n + " k=" + k);
            }
        }
    }

    /**
     * dh = dz·Uᵀ as the LSTM will run it: U [n, k] transposed once into Uᵀ [k, paddedWidth(n)],
     * then a plain gemm whose column tail reads B as whole vectors. Against the scalar A·Bᵀ.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 100, 101, 133, 401})
    void gemmOnAPaddedTransposedCopyMatchesScalarGemmTransB(int n) {
        for (int m : GEMM_M) {
            for (int k : GEMM_K) {
                MemorySegment a = random((long) m * k, 40), u = random((long) n * k, 41), c = random((long) m * n, 42);
                int ldt = Kernels.paddedWidth(n);
                MemorySegment uT = arena.allocate((long) k * ldt * Float.BYTES, 64);
                simd.transpose(n, k, u, 0, k, uT, 0, ldt);
                MemorySegment c1 = copy(c), c2 = copy(c);
                SCALAR.gemmTransB(m, n, k, a, 0, k, u, 0, k, c1, 0, n);
                simd.gemm(m, n, k, a, 0, k, 1, uT, 0, ldt, c2, 0, n);
                assertClose(c1, c2, (long) m * n, gemmTolerance(k), "A·(Uᵀ copy) m=" + m + " n=" + n + " k=" + k);
            }
        }
    }

    /**
     * A product's bits do not depend on whether B's buffer goes on past B: its column tail runs as
     * whole vectors when B's rows can be read that far and as scalar sums when not, and the two
     * sum in one order. They did not, and a fit's weights depended on how many rows its workers
     * had been sized for (a longer validation set, an earlier evaluate's batch).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 17, 33, 100, 101})
    void gemmGivesTheSameBitsWhateverFollowsB(int n) {
        for (int m : new int[] {1, 5, 13}) {
            for (int k : new int[] {1, 7, 300}) {
                MemorySegment a = random((long) m * k, 60), room = random((long) k * n + 64, 61);
                MemorySegment tight = copy(room.asSlice(0, (long) k * n * Float.BYTES));
                MemorySegment c = random((long) m * n, 62), c1 = copy(c), c2 = copy(c);
                simd.gemm(m, n, k, a, 0, k, 1, tight, 0, n, c1, 0, n);
                simd.gemm(m, n, k, a, 0, k, 1, room, 0, n, c2, 0, n);
                for (long i = 0; i < (long) m * n; i++) {
                    assertEquals(Float.floatToRawIntBits(c1.getAtIndex(ValueLayout.JAVA_FLOAT, i)), Float.floatToRawIntBits(c2.getAtIndex(ValueLayout.JAVA_FLOAT, i)),
                            "m=" + m + " n=" + n + " k=" + k + ", element " + i + ": B alone against B with room after it");
                }
            }
        }
    }

    /** A block of C inside a wider matrix (ldc > n, offset): the edge blocks and tails write nothing outside it. */
    @ParameterizedTest
    @ValueSource(ints = {3, 17, 33, 100, 101})
    void gemmWritesOnlyItsBlockOfC(int n) {
        for (int m : new int[] {7, 13}) gemmWritesOnlyItsBlockOfC(m, n);  // 13: an 8-row block, a 4-row one, a last single row
    }

    private void gemmWritesOnlyItsBlockOfC(int m, int n) {
        int k = 33, ldc = n + 21, cOff = 5, ldb = Kernels.paddedWidth(n) + 16;
        MemorySegment a = random((long) m * k, 50), b = random((long) k * ldb, 51);
        long cFloats = cOff + (long) m * ldc + 40;
        MemorySegment c = random(cFloats, 52), c1 = copy(c), c2 = copy(c);
        SCALAR.gemm(m, n, k, a, 0, k, 1, b, 0, ldb, c1, cOff, ldc);
        simd.gemm(m, n, k, a, 0, k, 1, b, 0, ldb, c2, cOff, ldc);
        for (long i = 0; i < cFloats; i++) {
            long row = (i - cOff) / ldc, col = (i - cOff) % ldc;
            boolean inside = i >= cOff && row < m && col < n;
            float before = c.getAtIndex(ValueLayout.JAVA_FLOAT, i), after = c2.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            if (!inside) assertEquals(before, after, 0f, "float " + i + " outside C changed");
        }
        assertClose(c1, c2, cFloats, gemmTolerance(k), "C inside a wider matrix, m=" + m + " n=" + n);
    }

    /**
     * C = A·B over every block shape and edge (8-row blocks, pairs of vectors, the rest by gemm),
     * inside a wider C: against the scalar twin, and bit for bit against zeroing C and gemm where
     * gemm runs 4-row blocks.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 32, 33, 48, 64, 100, 101})
    void gemmOverwriteMatchesScalarAndZeroThenGemm(int n) {
        int ldc = n + 5, cOff = 3;
        for (int m : new int[] {1, 2, 7, 8, 9, 15, 17, 33}) {
            for (int k : new int[] {1, 7, 17, 300, 401}) {
                MemorySegment a = random((long) m * k, 80), b = random((long) k * n, 81);
                long cFloats = cOff + (long) m * ldc + 8;
                MemorySegment c = random(cFloats, 82), c1 = copy(c), c2 = copy(c), c3 = copy(c), c4 = copy(c);
                SCALAR.gemmOverwrite(m, n, k, a, 0, k, 1, b, 0, n, c1, cOff, ldc);
                simd.gemmOverwrite(m, n, k, a, 0, k, 1, b, 0, n, c2, cOff, ldc);
                assertClose(c1, c2, cFloats, gemmTolerance(k), "C = A·B m=" + m + " n=" + n + " k=" + k);
                simd.gemmOverwrite(m, n, k, a, 0, k, 1, b, 0, n, c3, cOff, ldc);
                simd.gemmOverwrite(m, n, k, a, 0, k, 1, b, 0, n, c3, cOff, ldc);  // C's old contents play no part
                assertEquals(-1, c2.mismatch(c3), "gemmOverwrite not reproducible, m=" + m + " n=" + n + " k=" + k);
                if (m % 4 != 1) {  // gemm's 4-row blocks sum over k in the same order (its 1-row kernel does not)
                    for (int i = 0; i < m; i++) c4.asSlice((cOff + (long) i * ldc) * Float.BYTES, (long) n * Float.BYTES).fill((byte) 0);
                    simd.gemm(m, n, k, a, 0, k, 1, b, 0, n, c4, cOff, ldc);
                    assertEquals(-1, c2.mismatch(c4), "gemmOverwrite differs from zeroing C and gemm, m=" + m + " n=" + n + " k=" + k);
                }
                for (long i = 0; i < cFloats; i++) {
                    long row = (i - cOff) / ldc, col = (i - cOff) % ldc;
                    if (!(i >= cOff && row < m && col < n)) {
                        assertEquals(c.getAtIndex(ValueLayout.JAVA_FLOAT, i), c2.getAtIndex(ValueLayout.JAVA_FLOAT, i), 0f, "float " + i + " outside C changed");
                    }
                }
            }
        }
    }

    @Test
    void gemmIsBitReproducible() {
        int m = 33, n = 101, k = 401, ldt = Kernels.paddedWidth(n);
        MemorySegment a = random((long) m * k, 60), b = random((long) k * ldt, 61), c = random((long) m * n, 62);
        MemorySegment c1 = copy(c), c2 = copy(c);
        simd.gemm(m, n, k, a, 0, k, 1, b, 0, ldt, c1, 0, n);
        simd.gemm(m, n, k, a, 0, k, 1, b, 0, ldt, c2, 0, n);
        assertEquals(-1, c1.mismatch(c2), "two runs of the same gemm differ");
    }

    /**
     * 16 rows at once (8-row blocks at 512 bits) against the same rows 4 at a time (4-row blocks):
     * bit for bit, in both A forms, so a row's result does not depend on the block that computed it.
     */
    @Test
    void eightRowBlocksSumInTheOrderOfTheFourRowOnes() {
        int m = 16;
        for (int n : new int[] {32, 48, 100, 400}) {
            for (int k : new int[] {7, 300}) {
                MemorySegment a = random((long) m * k, 80 + n), b = random((long) k * n, 81 + k), c = random((long) m * n, 82);
                MemorySegment whole = copy(c), inFours = copy(c), wholeT = copy(c), inFoursT = copy(c);
                simd.gemm(m, n, k, a, 0, k, 1, b, 0, n, whole, 0, n);
                simd.gemm(m, n, k, a, 0, 1, m, b, 0, n, wholeT, 0, n);
                for (int i = 0; i < m; i += 4) {
                    simd.gemm(4, n, k, a, (long) i * k, k, 1, b, 0, n, inFours, (long) i * n, n);
                    simd.gemm(4, n, k, a, i, 1, m, b, 0, n, inFoursT, (long) i * n, n);
                }
                assertEquals(-1, whole.mismatch(inFours), "A·B n=" + n + " k=" + k);
                assertEquals(-1, wholeT.mismatch(inFoursT), "Aᵀ·B n=" + n + " k=" + k);
            }
        }
    }

    @Test
    void transposeMatchesTheDefinitionAndZeroesThePadding() {
        int rows = 7, cols = 5, lds = 9, ldd = Kernels.paddedWidth(rows);
        MemorySegment src = random((long) rows * lds, 70);
        for (Kernels kernels : new Kernels[] {SCALAR, simd}) {
            MemorySegment dst = random((long) cols * ldd, 71);  // garbage in the padding to start with
            kernels.transpose(rows, cols, src, 0, lds, dst, 0, ldd);
            for (int j = 0; j < cols; j++) {
                for (int i = 0; i < ldd; i++) {
                    float want = i < rows ? src.getAtIndex(ValueLayout.JAVA_FLOAT, (long) i * lds + j) : 0f;
                    assertEquals(want, dst.getAtIndex(ValueLayout.JAVA_FLOAT, (long) j * ldd + i), 0f, kernels.description());
                }
            }
        }
        assertEquals(16, Kernels.paddedWidth(1));
        assertEquals(112, Kernels.paddedWidth(100));
        assertEquals(400, Kernels.paddedWidth(400));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 100, 133, 400, 401})
    void gemmTransBMatchesScalar(int k) {
        for (int m : new int[] {1, 2, 3, 5, 32}) {
            for (int n : new int[] {1, 3, 4, 7, 100}) {
                MemorySegment a = random((long) m * k, 6), b = random((long) n * k, 7), c = random((long) m * n, 8);
                MemorySegment c1 = copy(c), c2 = copy(c);
                SCALAR.gemmTransB(m, n, k, a, 0, k, b, 0, k, c1, 0, n);
                simd.gemmTransB(m, n, k, a, 0, k, b, 0, k, c2, 0, n);
                assertClose(c1, c2, (long) m * n, 1e-5 * Math.max(1, Math.sqrt(k / 64.0)), "A·Bᵀ m=" + m + " n=" + n + " k=" + k);
            }
        }
    }

    @Test
    void gemmMatchesAPlainTripleLoopInDouble() {
        int m = 5, n = 19, k = 7;
        MemorySegment a = random(m * k, 4), b = random(k * n, 5), c = arena.allocate((long) m * n * 4, 64);
        simd.gemm(m, n, k, a, 0, k, 1, b, 0, n, c, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double want = 0;
                for (int p = 0; p < k; p++) want += (double) a.getAtIndex(ValueLayout.JAVA_FLOAT, i * k + p) * b.getAtIndex(ValueLayout.JAVA_FLOAT, p * n + j);
                assertEquals(want, c.getAtIndex(ValueLayout.JAVA_FLOAT, i * n + j), 1e-5);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 100, 133, 400, 401})
    void lstmGatesForwardAndBackwardMatchScalar(int units) {
        for (int batch : new int[] {1, 3}) {
            long g = (long) batch * 4 * units, s = (long) batch * units;
            MemorySegment z = random(g, 10), cPrev = random(s, 11), dh = random(s, 12), dc = random(s, 13);
            // Scale pre-activations into the interesting range of the nonlinearities (|z| up to 4).
            for (long i = 0; i < g; i++) z.setAtIndex(ValueLayout.JAVA_FLOAT, i, z.getAtIndex(ValueLayout.JAVA_FLOAT, i) * 4);
            MemorySegment z1 = copy(z), z2 = copy(z), c1 = random(s, 0), c2 = random(s, 0), h1 = random(s, 0), h2 = random(s, 0);
            MemorySegment t1 = random(s, 0), t2 = random(s, 0);
            SCALAR.lstmGatesForward(batch, units, z1, 0, cPrev, 0, c1, 0, t1, 0, h1, 0);
            simd.lstmGatesForward(batch, units, z2, 0, cPrev, 0, c2, 0, t2, 0, h2, 0);
            assertClose(z1, z2, g, 1e-6, "gate activations units=" + units);
            assertClose(c1, c2, s, 1e-6, "c units=" + units);
            assertClose(t1, t2, s, 1e-6, "tanh(c) units=" + units);
            assertClose(h1, h2, s, 1e-6, "h units=" + units);

            MemorySegment dc1 = copy(dc), dc2 = copy(dc);
            SCALAR.lstmGatesBackward(batch, units, z1, 0, cPrev, 0, t1, 0, dh, 0, dc1, 0);
            simd.lstmGatesBackward(batch, units, z2, 0, cPrev, 0, t2, 0, dh, 0, dc2, 0);
            assertClose(z1, z2, g, 1e-5, "dz units=" + units);
            assertClose(dc1, dc2, s, 1e-5, "dc_prev units=" + units);
        }
    }

    /**
     * The gate kernels at offsets that are not whole vectors (as a step's rows sit in a sequence's
     * tensors) and with c updated in place over c_{t-1} (as inference does): the same bits as at
     * offset 0 into separate buffers. The parity tests above ran every gate kernel at offset 0 only.
     */
    @ParameterizedTest
    @ValueSource(ints = {7, 21, 100})
    void gateKernelsGiveTheSameBitsAtAnyOffsetAndInPlace(int units) {
        int batch = 3, g = batch * 4 * units, n = batch * units;
        MemorySegment z = random(g, 30), cPrev = random(n, 31), dh = random(n, 32), dc = random(n, 33);
        for (long i = 0; i < g; i++) z.setAtIndex(ValueLayout.JAVA_FLOAT, i, z.getAtIndex(ValueLayout.JAVA_FLOAT, i) * 4);
        MemorySegment z0 = copy(z), c0 = random(n, 0), t0 = random(n, 0), h0 = random(n, 0);
        simd.lstmGatesForward(batch, units, z0, 0, cPrev, 0, c0, 0, t0, 0, h0, 0);
        int zo = 5, co = 3, oo = 7, to = 2, ho = 11;  // floats: no offset a whole vector at any width
        MemorySegment zs = random(g + zo, 0), cPrevS = random(n + co, 0), cs = random(n + oo, 0), ts = random(n + to, 0), hs = random(n + ho, 0);
        MemorySegment.copy(z, 0, zs, (long) zo * Float.BYTES, (long) g * Float.BYTES);
        MemorySegment.copy(cPrev, 0, cPrevS, (long) co * Float.BYTES, (long) n * Float.BYTES);
        simd.lstmGatesForward(batch, units, zs, zo, cPrevS, co, cs, oo, ts, to, hs, ho);
        // In place: c_t written over c_{t-1}.
        MemorySegment zi = copy(z), ci = copy(cPrev), ti = random(n, 0), hi = random(n, 0);
        simd.lstmGatesForward(batch, units, zi, 0, ci, 0, ci, 0, ti, 0, hi, 0);
        MemorySegment[] atZero = {c0, t0, h0}, atOffset = {cs, ts, hs}, inPlace = {ci, ti, hi};
        int[] offsets = {oo, to, ho};
        String[] names = {"c", "tanh(c)", "h"};
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < n; i++) {
                int expected = Float.floatToIntBits(atZero[k].getAtIndex(ValueLayout.JAVA_FLOAT, i));
                assertEquals(expected, Float.floatToIntBits(atOffset[k].getAtIndex(ValueLayout.JAVA_FLOAT, i + offsets[k])), names[k] + " at offsets, element " + i + " of " + units + " units");
                assertEquals(expected, Float.floatToIntBits(inPlace[k].getAtIndex(ValueLayout.JAVA_FLOAT, i)), names[k] + " in place, element " + i + " of " + units + " units");
            }
        }
        for (int i = 0; i < g; i++) {
            assertEquals(Float.floatToIntBits(z0.getAtIndex(ValueLayout.JAVA_FLOAT, i)), Float.floatToIntBits(zs.getAtIndex(ValueLayout.JAVA_FLOAT, i + zo)), "gate " + i);
        }
        // Backward at offsets against offset 0.
        MemorySegment dc0 = copy(dc);
        simd.lstmGatesBackward(batch, units, z0, 0, cPrev, 0, t0, 0, dh, 0, dc0, 0);
        int dho = 9, dco = 1;
        MemorySegment dhs = random(n + dho, 0), dcs = random(n + dco, 0);
        MemorySegment.copy(dh, 0, dhs, (long) dho * Float.BYTES, (long) n * Float.BYTES);
        MemorySegment.copy(dc, 0, dcs, (long) dco * Float.BYTES, (long) n * Float.BYTES);
        simd.lstmGatesBackward(batch, units, zs, zo, cPrevS, co, ts, to, dhs, dho, dcs, dco);
        for (int i = 0; i < g; i++) {
            assertEquals(Float.floatToIntBits(z0.getAtIndex(ValueLayout.JAVA_FLOAT, i)), Float.floatToIntBits(zs.getAtIndex(ValueLayout.JAVA_FLOAT, i + zo)), "dz " + i);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(dc0.getAtIndex(ValueLayout.JAVA_FLOAT, i)), Float.floatToIntBits(dcs.getAtIndex(ValueLayout.JAVA_FLOAT, i + dco)), "dc " + i);
        }
    }

    /**
     * A unit's bits do not depend on the row it is computed in: a two-thread scorer runs the gates
     * on each thread's share of the units, and must give the one-thread row's bits. Shares of
     * every width from 1 unit, so some are narrower than a vector (all tail) at every width.
     */
    @ParameterizedTest
    @ValueSource(ints = {9, 17, 21, 37, 100})
    void aShareOfTheUnitsGivesTheRowsBits(int units) {
        // Was: tails ran Math.tanh and exp where lanes run the polynomials; at 16 lanes 21 units = 16 + 5 differed in 55 % of h.
        MemorySegment z = random(4L * units, 20), cPrev = random(units, 21);
        for (long i = 0; i < 4L * units; i++) z.setAtIndex(ValueLayout.JAVA_FLOAT, i, z.getAtIndex(ValueLayout.JAVA_FLOAT, i) * 4);
        MemorySegment zRow = copy(z), c = random(units, 0), t = random(units, 0), h = random(units, 0);
        simd.lstmGatesForward(1, units, zRow, 0, cPrev, 0, c, 0, t, 0, h, 0);
        for (int from = 0; from < units; from++) {
            int n = Math.min(units - from, 1 + from % 7);  // shares of 1..7 units, starting everywhere
            MemorySegment zShare = random(4L * n, 0), cS = random(n, 0), tS = random(n, 0), hS = random(n, 0);
            MemorySegment cPrevShare = arena.allocate((long) n * Float.BYTES, 64);
            for (int v = 0; v < n; v++) {
                for (int gate = 0; gate < 4; gate++) {
                    zShare.setAtIndex(ValueLayout.JAVA_FLOAT, (long) gate * n + v, z.getAtIndex(ValueLayout.JAVA_FLOAT, (long) gate * units + from + v));
                }
                cPrevShare.setAtIndex(ValueLayout.JAVA_FLOAT, v, cPrev.getAtIndex(ValueLayout.JAVA_FLOAT, from + v));
            }
            simd.lstmGatesForward(1, n, zShare, 0, cPrevShare, 0, cS, 0, tS, 0, hS, 0);
            for (int v = 0; v < n; v++) {
                String what = "unit " + (from + v) + " of " + units + " in a share of " + n + " from " + from;
                for (int gate = 0; gate < 4; gate++) {
                    assertEquals(Float.floatToIntBits(zRow.getAtIndex(ValueLayout.JAVA_FLOAT, (long) gate * units + from + v)),
                            Float.floatToIntBits(zShare.getAtIndex(ValueLayout.JAVA_FLOAT, (long) gate * n + v)), what + ", gate " + gate);
                }
                assertEquals(Float.floatToIntBits(c.getAtIndex(ValueLayout.JAVA_FLOAT, from + v)), Float.floatToIntBits(cS.getAtIndex(ValueLayout.JAVA_FLOAT, v)), what + ", c");
                assertEquals(Float.floatToIntBits(h.getAtIndex(ValueLayout.JAVA_FLOAT, from + v)), Float.floatToIntBits(hS.getAtIndex(ValueLayout.JAVA_FLOAT, v)), what + ", h");
            }
        }
    }

    /** The hard-sigmoid gates at both Keras slopes, with pre-activations reaching past the clipped ends (|z| up to 4). */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 100, 133, 401})
    void hardSigmoidLstmGatesMatchScalar(int units) {
        for (float slope : new float[] {0.2f, 1f / 6f}) {
            for (int batch : new int[] {1, 3}) {
                long g = (long) batch * 4 * units, s = (long) batch * units;
                MemorySegment z = random(g, 30), cPrev = random(s, 31), dh = random(s, 32), dc = random(s, 33);
                for (long i = 0; i < g; i++) z.setAtIndex(ValueLayout.JAVA_FLOAT, i, z.getAtIndex(ValueLayout.JAVA_FLOAT, i) * 4);
                MemorySegment z1 = copy(z), z2 = copy(z), c1 = random(s, 0), c2 = random(s, 0), h1 = random(s, 0), h2 = random(s, 0);
                MemorySegment t1 = random(s, 0), t2 = random(s, 0);
                SCALAR.lstmGatesForwardHard(batch, units, slope, z1, 0, cPrev, 0, c1, 0, t1, 0, h1, 0);
                simd.lstmGatesForwardHard(batch, units, slope, z2, 0, cPrev, 0, c2, 0, t2, 0, h2, 0);
                String what = " units=" + units + " slope=" + slope;
                assertClose(z1, z2, g, 1e-6, "gate activations" + what);
                assertClose(c1, c2, s, 1e-6, "c" + what);
                assertClose(h1, h2, s, 1e-6, "h" + what);
                MemorySegment dc1 = copy(dc), dc2 = copy(dc);
                SCALAR.lstmGatesBackwardHard(batch, units, slope, z1, 0, cPrev, 0, t1, 0, dh, 0, dc1, 0);
                simd.lstmGatesBackwardHard(batch, units, slope, z2, 0, cPrev, 0, t2, 0, dh, 0, dc2, 0);
                assertClose(z1, z2, g, 1e-5, "dz" + what);
                assertClose(dc1, dc2, s, 1e-5, "dc_prev" + what);
            }
        }
    }

    /**
     * A one-row product's columns have the same bits however wide the product is: the two-thread
     * scorer projects a step's input in shares (2 vectors and 1 at 512 bits) where one thread
     * projects whole gates (3 vectors), and both must give the same scores. k from 1 to past a
     * panel of 256, odd and even.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 32, 33, 301})
    void oneRowProductColumnsDoNotDependOnTheProductWidth(int k) {
        int lanes = simd.gateBlock(), n = 3 * lanes;
        MemorySegment a = random(k, 40 + k), b = random((long) k * n, 41 + k), c0 = random(n, 42 + k);
        MemorySegment whole = copy(c0), inShares = copy(c0);
        simd.gemm(1, n, k, a, 0, k, 1, b, 0, n, whole, 0, n);
        simd.gemm(1, 2 * lanes, k, a, 0, k, 1, b, 0, n, inShares, 0, n);
        simd.gemm(1, lanes, k, a, 0, k, 1, b, 2 * lanes, n, inShares, 2 * lanes, n);
        for (int j = 0; j < n; j++) {
            assertEquals(Float.floatToIntBits(whole.getAtIndex(ValueLayout.JAVA_FLOAT, j)), Float.floatToIntBits(inShares.getAtIndex(ValueLayout.JAVA_FLOAT, j)),
                    "k = " + k + ", column " + j);
        }
    }

    /**
     * The promise of {@link Kernels#TILE_ALIGN} that layers' tiles rely on: a product cut into
     * column blocks or row blocks starting at multiples of it, run in any order, gives the whole
     * product's bits. Both orientations of A (x·W and the weight gradients' Aᵀ), gemm and
     * gemmOverwrite, sizes with row and column tails (a single leftover row, 5 leftover columns).
     */
    @ParameterizedTest
    @CsvSource({"37, 148, 45", "101, 400, 300", "17, 32, 400", "2000, 32, 148", "1, 53, 7"})
    void tilesAtTheAlignmentGiveTheBitsOfTheWholeProduct(int m, int n, int k) {
        int align = Kernels.TILE_ALIGN;
        MemorySegment a = random((long) m * k, 50), b = random((long) k * n, 51), c0 = random((long) m * n, 52);
        for (boolean transposedA : new boolean[] {false, true}) {
            long ars = transposedA ? 1 : k, acs = transposedA ? m : 1;
            for (boolean overwrite : new boolean[] {false, true}) {
                String what = (overwrite ? "gemmOverwrite" : "gemm") + (transposedA ? " Aᵀ" : "") + " " + m + "x" + n + "x" + k;
                MemorySegment whole = copy(c0), byColumns = copy(c0), byRows = copy(c0);
                product(overwrite, m, n, k, a, 0, ars, acs, b, 0, n, whole, 0, n);
                for (int c = (n - 1) / align * align; c >= 0; c -= align) {  // last block first
                    product(overwrite, m, Math.min(align, n - c), k, a, 0, ars, acs, b, c, n, byColumns, c, n);
                }
                for (int r = (m - 1) / align * align; r >= 0; r -= align) {
                    product(overwrite, Math.min(align, m - r), n, k, a, r * ars, ars, acs, b, 0, n, byRows, (long) r * n, n);
                }
                for (long i = 0; i < (long) m * n; i++) {
                    int expected = Float.floatToIntBits(whole.getAtIndex(ValueLayout.JAVA_FLOAT, i));
                    assertEquals(expected, Float.floatToIntBits(byColumns.getAtIndex(ValueLayout.JAVA_FLOAT, i)), what + " in column blocks, element " + i);
                    assertEquals(expected, Float.floatToIntBits(byRows.getAtIndex(ValueLayout.JAVA_FLOAT, i)), what + " in row blocks, element " + i);
                }
            }
        }
    }

    private void product(boolean overwrite, int m, int n, int k, MemorySegment a, long aOff, long ars, long acs,
                         MemorySegment b, long bOff, long ldb, MemorySegment c, long cOff, long ldc) {
        if (overwrite) simd.gemmOverwrite(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
        else simd.gemm(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
    }

    private static MemorySegment scaled(long n, long seed, float scale) {
        MemorySegment s = random(n, seed);
        for (long i = 0; i < n; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, s.getAtIndex(ValueLayout.JAVA_FLOAT, i) * scale);
        return s;
    }

    /**
     * A GRU step's four kernels, both reset modes, on odd unit counts and batch sizes: the vector
     * body, its scalar tail, and rows shorter than a vector. Inputs stand in for the GEMM results
     * (x·W + bias, h·U, drh) with pre-activations up to |4|.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 100, 207})
    void gruKernelsMatchScalar(int units) {
        for (boolean resetAfter : new boolean[] {true, false}) {
            for (int batch : new int[] {1, 2, 5}) {
                String what = " units=" + units + " batch=" + batch + " resetAfter=" + resetAfter;
                long g = (long) batch * 3 * units, s = (long) batch * units;
                MemorySegment gates = scaled(g, 90, 2), rec = scaled(g, 91, 2), hPrev = random(s, 92);
                MemorySegment g1 = copy(gates), g2 = copy(gates), rec1 = copy(rec), rec2 = copy(rec);
                MemorySegment rh1 = resetAfter ? null : random(s, 0), rh2 = resetAfter ? null : random(s, 0);
                SCALAR.gruGatesForward(batch, units, g1, 0, rec1, 0, hPrev, 0, rh1, 0);
                simd.gruGatesForward(batch, units, g2, 0, rec2, 0, hPrev, 0, rh2, 0);
                assertClose(g1, g2, g, 1e-6, "z, r" + what);
                if (!resetAfter) assertClose(rh1, rh2, s, 1e-6, "r·hPrev" + what);

                MemorySegment h1 = random(s, 0), h2 = random(s, 0);
                SCALAR.gruCandidateForward(batch, units, resetAfter, g1, 0, rec1, 0, hPrev, 0, h1, 0);
                MemorySegment g2InPlace = copy(g2), hInPlace = copy(hPrev);
                simd.gruCandidateForward(batch, units, resetAfter, g2, 0, rec2, 0, hPrev, 0, h2, 0);
                assertClose(g1, g2, g, 1e-6, "activations" + what);
                assertClose(h1, h2, s, 1e-6, "h" + what);
                simd.gruCandidateForward(batch, units, resetAfter, g2InPlace, 0, rec2, 0, hInPlace, 0, hInPlace, 0);
                assertEquals(-1, h2.mismatch(hInPlace), "h written over hPrev differs" + what);

                MemorySegment dh = random(s, 93), dh1 = copy(dh), dh2 = copy(dh);
                SCALAR.gruCandidateBackward(batch, units, resetAfter, g1, 0, rec1, 0, hPrev, 0, dh1, 0);
                simd.gruCandidateBackward(batch, units, resetAfter, g2, 0, rec2, 0, hPrev, 0, dh2, 0);
                assertClose(dh1, dh2, s, 1e-5, "dh·z" + what);
                if (resetAfter) {
                    assertClose(g1, g2, g, 1e-5, "d(x·W)" + what);
                    assertClose(rec1, rec2, g, 1e-5, "d(h·U)" + what);
                    continue;
                }
                MemorySegment drh = random(s, 94);
                SCALAR.gruResetBackward(batch, units, g1, 0, drh, 0, hPrev, 0, dh1, 0);
                simd.gruResetBackward(batch, units, g2, 0, drh, 0, hPrev, 0, dh2, 0);
                assertClose(g1, g2, g, 1e-5, "d(x·W)" + what);
                assertClose(dh1, dh2, s, 1e-5, "dh_prev" + what);
            }
        }
    }

    /** The GRU's hard-sigmoid kernels at both Keras slopes and in both reset modes, pre-activations past the clipped ends. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 100, 207})
    void hardSigmoidGruKernelsMatchScalar(int units) {
        for (float slope : new float[] {0.2f, 1f / 6f}) {
            for (boolean resetAfter : new boolean[] {true, false}) {
                for (int batch : new int[] {1, 3}) {
                    long g = (long) batch * 3 * units, s = (long) batch * units;
                    MemorySegment gates = random(g, 40), rec = random(g, 41), hPrev = random(s, 42), dh = random(s, 43), drh = random(s, 44);
                    for (long i = 0; i < g; i++) gates.setAtIndex(ValueLayout.JAVA_FLOAT, i, gates.getAtIndex(ValueLayout.JAVA_FLOAT, i) * 4);
                    MemorySegment g1 = copy(gates), g2 = copy(gates), r1 = copy(rec), r2 = copy(rec);
                    MemorySegment rh1 = resetAfter ? null : random(s, 0), rh2 = resetAfter ? null : random(s, 0);
                    String what = " units=" + units + " slope=" + slope + " resetAfter=" + resetAfter;
                    SCALAR.gruGatesForwardHard(batch, units, slope, g1, 0, r1, 0, hPrev, 0, rh1, 0);
                    simd.gruGatesForwardHard(batch, units, slope, g2, 0, r2, 0, hPrev, 0, rh2, 0);
                    assertClose(g1, g2, g, 1e-6, "z, r" + what);
                    if (!resetAfter) assertClose(rh1, rh2, s, 1e-6, "r ⊙ hPrev" + what);
                    MemorySegment h1 = random(s, 0), h2 = random(s, 0);
                    SCALAR.gruCandidateForward(batch, units, resetAfter, g1, 0, r1, 0, hPrev, 0, h1, 0);
                    simd.gruCandidateForward(batch, units, resetAfter, g2, 0, r2, 0, hPrev, 0, h2, 0);
                    MemorySegment dh1 = copy(dh), dh2 = copy(dh);
                    SCALAR.gruCandidateBackwardHard(batch, units, slope, resetAfter, g1, 0, r1, 0, hPrev, 0, dh1, 0);
                    simd.gruCandidateBackwardHard(batch, units, slope, resetAfter, g2, 0, r2, 0, hPrev, 0, dh2, 0);
                    assertClose(g1, g2, g, 1e-5, "gate gradients" + what);
                    assertClose(r1, r2, g, 1e-5, "rec gradients" + what);
                    assertClose(dh1, dh2, s, 1e-5, "dh" + what);
                    if (resetAfter) continue;
                    SCALAR.gruResetBackwardHard(batch, units, slope, g1, 0, drh, 0, hPrev, 0, dh1, 0);
                    simd.gruResetBackwardHard(batch, units, slope, g2, 0, drh, 0, hPrev, 0, dh2, 0);
                    assertClose(g1, g2, g, 1e-5, "dr" + what);
                    assertClose(dh1, dh2, s, 1e-5, "dh after reset" + what);
                }
            }
        }
    }

    @Test
    void elementwiseKernelsMatchScalar() {
        for (int n : SIZES) {
            MemorySegment x = random(n, 20), y = random(n, 21);
            MemorySegment y1 = copy(y), y2 = copy(y);
            SCALAR.axpy(n, 0.37f, x, 0, y1, 0);
            simd.axpy(n, 0.37f, x, 0, y2, 0);
            assertClose(y1, y2, n, 1e-6, "axpy n=" + n);

            int rows = 3;
            MemorySegment m = random((long) rows * n, 22), m1 = copy(m), m2 = copy(m);
            SCALAR.addRowVector(rows, n, x, 0, m1, 0);
            simd.addRowVector(rows, n, x, 0, m2, 0);
            assertClose(m1, m2, (long) rows * n, 1e-6, "addRowVector n=" + n);

            MemorySegment o1 = copy(y), o2 = copy(y);
            SCALAR.addColumnSums(rows, n, m, 0, n, o1, 0);
            simd.addColumnSums(rows, n, m, 0, n, o2, 0);
            assertClose(o1, o2, n, 1e-6, "addColumnSums n=" + n);
            if (n > 1) {  // a block of columns of a wider matrix: rows n floats apart
                SCALAR.addColumnSums(rows, n - 1, m, 1, n, o1, 0);
                simd.addColumnSums(rows, n - 1, m, 1, n, o2, 0);
                assertClose(o1, o2, n, 1e-6, "addColumnSums of columns 1.." + n);
            }

        }
    }

    /**
     * {@code n} floats of {@code s} placed {@code off} floats into a fresh segment of random
     * surroundings (offsets that are no whole vector, so loads and stores are unaligned).
     */
    private static MemorySegment at(MemorySegment s, long n, long off, long seed) {
        MemorySegment shifted = random(n + off + 5, seed);
        MemorySegment.copy(s, 0, shifted, off * Float.BYTES, n * Float.BYTES);
        return shifted;
    }

    private static void assertSameBits(MemorySegment expected, long expectedOff, MemorySegment actual, long actualOff, long n, String what) {
        for (long i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(expected.getAtIndex(ValueLayout.JAVA_FLOAT, expectedOff + i)),
                    Float.floatToRawIntBits(actual.getAtIndex(ValueLayout.JAVA_FLOAT, actualOff + i)), what + " at " + i);
        }
    }

    /**
     * The element-wise kernels and the optimizers at offsets that are no whole vector give their
     * offset-0 bits and leave the floats around their range as they were (the audit found them
     * tested at offset 0 only; the gate kernels have the same test above).
     */
    @Test
    void elementwiseKernelsAndOptimizersAtOddOffsetsGiveTheOffsetZeroBits() {
        int rows = 3;
        for (int n : SIZES) {
            MemorySegment x = random(n, 60), y = random(n, 61), m = random((long) rows * n, 62);
            MemorySegment y0 = copy(y), m0 = copy(m);
            simd.axpy(n, 0.37f, x, 0, y0, 0);
            simd.addRowVector(rows, n, x, 0, m0, 0);
            long xo = 3, yo = 5;
            MemorySegment xs = at(x, n, xo, 63), ys = at(y, n, yo, 64), ms = at(m, (long) rows * n, yo, 65), os = at(y, n, xo, 66);
            MemorySegment ysBefore = copy(ys), msBefore = copy(ms), osBefore = copy(os);
            simd.axpy(n, 0.37f, xs, xo, ys, yo);
            simd.addRowVector(rows, n, xs, xo, ms, yo);
            simd.addColumnSums(rows, n, ms, yo, n, os, xo);
            assertSameBits(y0, 0, ys, yo, n, "axpy n=" + n);
            assertSameBits(m0, 0, ms, yo, (long) rows * n, "addRowVector n=" + n);
            assertSameBits(ysBefore, 0, ys, 0, yo, "axpy n=" + n + ", before its range");
            assertSameBits(ysBefore, yo + n, ys, yo + n, 5, "axpy n=" + n + ", after its range");
            assertSameBits(msBefore, yo + (long) rows * n, ms, yo + (long) rows * n, 5, "addRowVector n=" + n + ", after its range");
            assertSameBits(osBefore, xo + n, os, xo + n, 5, "addColumnSums n=" + n + ", after its range");
            // addColumnSums summed the rows addRowVector had just changed: compare with the same at offset 0.
            MemorySegment o1 = copy(y);
            simd.addColumnSums(rows, n, m0, 0, n, o1, 0);
            assertSameBits(o1, 0, os, xo, n, "addColumnSums n=" + n);
        }
        for (int n : OPTIMIZER_SIZES) {
            for (float clip : CLIP_LIMITS) {
                long off = 7;
                MemorySegment w = random(n, 70), g = random(n, 71), mom = random(n, 72), v = positive(n, 73), vel = random(n, 74);
                MemorySegment w0 = copy(w), m0 = copy(mom), v0 = copy(v);
                simd.adam(n, w0, g, 0.5f, clip, m0, v0, 0.01f, 0.9f, 0.999f, 1e-7f);
                MemorySegment ws = at(w, n, off, 75), gs = at(g, n, off, 76), ms = at(mom, n, off, 77), vs = at(v, n, off, 78);
                long bytes = (long) n * Float.BYTES, start = off * Float.BYTES;
                simd.adam(n, ws.asSlice(start, bytes), gs.asSlice(start, bytes), 0.5f, clip, ms.asSlice(start, bytes), vs.asSlice(start, bytes), 0.01f, 0.9f, 0.999f, 1e-7f);
                String what = "adam n=" + n + " clip=" + clip;
                assertSameBits(w0, 0, ws, off, n, what + " w");
                assertSameBits(m0, 0, ms, off, n, what + " m");
                assertSameBits(v0, 0, vs, off, n, what + " v");

                MemorySegment w1 = copy(w), vel1 = copy(vel);
                simd.sgd(n, w1, g, 0.5f, clip, vel1, 0.05f, 0.9f, true);
                MemorySegment ws2 = at(w, n, off, 79), vels = at(vel, n, off, 80);
                simd.sgd(n, ws2.asSlice(start, bytes), gs.asSlice(start, bytes), 0.5f, clip, vels.asSlice(start, bytes), 0.05f, 0.9f, true);
                assertSameBits(w1, 0, ws2, off, n, "sgd n=" + n + " clip=" + clip + " w");
                assertSameBits(vel1, 0, vels, off, n, "sgd n=" + n + " clip=" + clip + " velocity");

                MemorySegment rv = positive(n, 81), ra = random(n, 82);
                for (long i = 0; i < n; i++) {  // velocity >= average²: a positive centered denominator
                    float a = ra.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                    rv.setAtIndex(ValueLayout.JAVA_FLOAT, i, rv.getAtIndex(ValueLayout.JAVA_FLOAT, i) + a * a);
                }
                MemorySegment w2 = copy(w), rv1 = copy(rv), ra1 = copy(ra), rm1 = copy(mom);
                simd.rmsprop(n, w2, g, 0.5f, clip, rv1, ra1, rm1, 0.01f, 0.9f, 0.9f, 1e-7f, true);
                MemorySegment ws3 = at(w, n, off, 83), rvs = at(rv, n, off, 84), ras = at(ra, n, off, 85), rms = at(mom, n, off, 86);
                simd.rmsprop(n, ws3.asSlice(start, bytes), gs.asSlice(start, bytes), 0.5f, clip, rvs.asSlice(start, bytes), ras.asSlice(start, bytes),
                        rms.asSlice(start, bytes), 0.01f, 0.9f, 0.9f, 1e-7f, true);
                assertSameBits(w2, 0, ws3, off, n, "rmsprop n=" + n + " clip=" + clip + " w");
                assertSameBits(rv1, 0, rvs, off, n, "rmsprop n=" + n + " clip=" + clip + " velocity");
                assertSameBits(ra1, 0, ras, off, n, "rmsprop n=" + n + " clip=" + clip + " average");
                assertSameBits(rm1, 0, rms, off, n, "rmsprop n=" + n + " clip=" + clip + " momentum");
            }
        }
    }

    /** Odd sizes run the vector body and the scalar tail; the clip limit 0.3 cuts some of the gradients in [-0.5, 0.5]. */
    private static final int[] OPTIMIZER_SIZES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 100, 207};
    private static final float[] CLIP_LIMITS = {Float.POSITIVE_INFINITY, 0.3f};

    private static MemorySegment positive(long n, long seed) {
        MemorySegment s = random(n, seed);
        for (long i = 0; i < n; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, Math.abs(s.getAtIndex(ValueLayout.JAVA_FLOAT, i)));
        return s;
    }

    @Test
    void adamMatchesScalar() {
        for (int n : OPTIMIZER_SIZES) {
            for (float clip : CLIP_LIMITS) {
                MemorySegment w = random(n, 30), g = random(n, 31), m = random(n, 32), v = positive(n, 33);
                MemorySegment w1 = copy(w), w2 = copy(w), m1 = copy(m), m2 = copy(m), v1 = copy(v), v2 = copy(v);
                SCALAR.adam(n, w1, g, 0.5f, clip, m1, v1, 0.01f, 0.9f, 0.999f, 1e-7f);
                simd.adam(n, w2, g, 0.5f, clip, m2, v2, 0.01f, 0.9f, 0.999f, 1e-7f);
                String what = "adam n=" + n + " clip=" + clip;
                assertClose(w1, w2, n, 1e-6, what + " w");
                assertClose(m1, m2, n, 1e-6, what + " m");
                assertClose(v1, v2, n, 1e-6, what + " v");
            }
        }
    }

    @Test
    void sgdMatchesScalarWithAndWithoutMomentumAndNesterov() {
        for (int n : OPTIMIZER_SIZES) {
            for (float clip : CLIP_LIMITS) {
                for (float momentum : new float[] {0f, 0.9f}) {
                    for (boolean nesterov : momentum == 0 ? new boolean[] {false} : new boolean[] {false, true}) {
                        MemorySegment w = random(n, 40), g = random(n, 41), vel = random(n, 42);
                        MemorySegment w1 = copy(w), w2 = copy(w), v1 = copy(vel), v2 = copy(vel);
                        SCALAR.sgd(n, w1, g, 0.5f, clip, momentum == 0 ? MemorySegment.NULL : v1, 0.05f, momentum, nesterov);
                        simd.sgd(n, w2, g, 0.5f, clip, momentum == 0 ? MemorySegment.NULL : v2, 0.05f, momentum, nesterov);
                        String what = "sgd n=" + n + " clip=" + clip + " momentum=" + momentum + " nesterov=" + nesterov;
                        assertClose(w1, w2, n, 1e-6, what + " w");
                        assertClose(v1, v2, n, 1e-6, what + " velocity");
                    }
                }
            }
        }
    }

    @Test
    void rmspropMatchesScalarCenteredOrNotWithAndWithoutMomentum() {
        for (int n : OPTIMIZER_SIZES) {
            for (float clip : CLIP_LIMITS) {
                for (boolean centered : new boolean[] {false, true}) {
                    for (float momentum : new float[] {0f, 0.9f}) {
                        // velocity >= average² keeps the centered denominator positive, as real runs do
                        MemorySegment w = random(n, 50), g = random(n, 51), vel = positive(n, 52), avg = random(n, 53), mom = random(n, 54);
                        for (long i = 0; i < n; i++) {
                            float a = avg.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                            vel.setAtIndex(ValueLayout.JAVA_FLOAT, i, vel.getAtIndex(ValueLayout.JAVA_FLOAT, i) + a * a);
                        }
                        MemorySegment w1 = copy(w), w2 = copy(w), v1 = copy(vel), v2 = copy(vel), a1 = copy(avg), a2 = copy(avg), m1 = copy(mom), m2 = copy(mom);
                        SCALAR.rmsprop(n, w1, g, 0.5f, clip, v1, centered ? a1 : MemorySegment.NULL, momentum > 0 ? m1 : MemorySegment.NULL,
                                0.01f, 0.9f, momentum, 1e-7f, centered);
                        simd.rmsprop(n, w2, g, 0.5f, clip, v2, centered ? a2 : MemorySegment.NULL, momentum > 0 ? m2 : MemorySegment.NULL,
                                0.01f, 0.9f, momentum, 1e-7f, centered);
                        String what = "rmsprop n=" + n + " clip=" + clip + " centered=" + centered + " momentum=" + momentum;
                        assertClose(w1, w2, n, 1e-6, what + " w");
                        assertClose(v1, v2, n, 1e-6, what + " velocity");
                        assertClose(a1, a2, n, 1e-6, what + " average");
                        assertClose(m1, m2, n, 1e-6, what + " momentum");
                    }
                }
            }
        }
    }
}
