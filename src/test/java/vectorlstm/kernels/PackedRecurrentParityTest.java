package vectorlstm.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packed recurrent kernel ({@link GateLayout}, {@code lstmRecurrentPacked}) of both
 * implementations against a plain double-precision {@code z + h·U} on Keras' own layout: unit
 * counts that fill, overrun and undershoot whole blocks, every row-block path (1, 2, 4 rows and
 * their remainders) and block ranges. Runs again with the
 * vector width forced to 128 and 256 bits (see pom.xml).
 */
class PackedRecurrentParityTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static Arena arena;

    @BeforeAll
    static void setUp() { arena = Arena.ofShared(); }

    @AfterAll
    static void tearDown() { arena.close(); }

    private static MemorySegment random(long n, long seed) { return TestSegments.random(arena, n, seed); }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 7, 8, 16, 17, 33, 100, 101})
    void bothImplementationsMatchAPlainProduct(int units) {
        for (Kernels k : new Kernels[] {new ScalarKernels(), KernelProvider.panama()}) {
            GateLayout layout = new GateLayout(units, k.gateBlock());
            MemorySegment u = random(4L * units * units, 1);
            MemorySegment packed = arena.allocate(layout.packedSize() * Float.BYTES, 64);
            layout.packRecurrent(u, 0, packed, 0);
            int blocks = layout.blocks();
            for (int rows : new int[] {1, 2, 3, 4, 5, 9}) {
                for (int[] range : new int[][] {{0, blocks}, {0, (blocks + 1) / 2}, {(blocks + 1) / 2, blocks}}) {
                    if (range[0] == range[1]) continue;
                    check(k, layout, packed, u, rows, range[0], range[1]);
                }
            }
        }
    }

    /**
     * The compact last block, whose lanes the vector kernel moves to their gates' slots: every tail
     * that is compact at this width (1 .. lanes/4 units past whole blocks, with and without whole
     * blocks before it), odd row counts, against the plain product and, bit for bit, against the
     * scalar twin run on the same layout (both sum the block in one chain over k from zero, then add
     * z, whether the vector kernel took the row alone or with the last full block's pairs and fours).
     */
    @Test
    void compactTailsMatchThePlainProductAndTheTwinsBits() {
        Kernels simd = KernelProvider.panama(), twin = new ScalarKernels();
        int block = simd.gateBlock();
        for (int tail = 1; 4 * tail <= block; tail++) {
            for (int units : new int[] {tail, block + tail, 6 * block + tail}) {
                GateLayout layout = new GateLayout(units, block);
                assertTrue(layout.compactTail(), "units " + units);
                MemorySegment u = random(4L * units * units, units);
                MemorySegment packed = arena.allocate(layout.packedSize() * Float.BYTES, 64);
                layout.packRecurrent(u, 0, packed, 0);
                for (int rows : new int[] {1, 2, 3, 5, 7}) {
                    int[][] ranges = {{0, layout.blocks()}, {layout.fullBlocks(), layout.blocks()}};
                    for (int[] range : ranges) {
                        MemorySegment zSimd = check(simd, layout, packed, u, rows, range[0], range[1]);
                        MemorySegment zTwin = check(twin, layout, packed, u, rows, range[0], range[1]);
                        int n = (range[1] - range[0]) * block;
                        long ldz = 4L * n + 5, last = (long) (layout.fullBlocks() - range[0]) * block;
                        for (int r = 0; r < rows; r++) {
                            for (int g = 0; g < 4; g++) {
                                for (int l = 0; l < block; l++) {
                                    long zi = r * ldz + (long) g * n + last + l;
                                    assertEquals(Float.floatToRawIntBits(zTwin.getAtIndex(F, zi)), Float.floatToRawIntBits(zSimd.getAtIndex(F, zi)),
                                            "units=" + units + " rows=" + rows + " from " + range[0] + " row " + r + " gate " + g + " lane " + l);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** z (rows x 4n, gate-major over the units of blocks [from, to)) += h·U, checked element by element; returns z. */
    private static MemorySegment check(Kernels k, GateLayout layout, MemorySegment packed, MemorySegment u, int rows, int from, int to) {
        int units = layout.units(), block = layout.block(), n = (to - from) * block;
        long ldh = units + 3, ldz = 4L * n + 5;  // strides wider than the rows: offsets must be honoured
        MemorySegment h = random(rows * ldh, 2), z = random(rows * ldz, 3);
        for (int r = 0; r < rows; r++) {  // the contract: z's padding units arrive as zeros
            for (int g = 0; g < 4; g++) {
                for (int v = 0; v < n; v++) if (from * block + v >= units) z.setAtIndex(F, r * ldz + (long) g * n + v, 0f);
            }
        }
        MemorySegment before = arena.allocate(z.byteSize(), 64);
        before.copyFrom(z);
        k.lstmRecurrentPacked(rows, layout, from, to, packed, h, 0, ldh, z, 0, ldz);
        String what = k.description() + " units=" + units + " rows=" + rows + " blocks [" + from + ", " + to + ")";
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < 4; g++) {
                for (int v = 0; v < n; v++) {
                    long zi = r * ldz + (long) g * n + v;
                    int unit = from * block + v;
                    double want = before.getAtIndex(F, zi);  // padding: zero in, zero out
                    if (unit < units) {
                        for (int p = 0; p < units; p++) want += (double) h.getAtIndex(F, r * ldh + p) * u.getAtIndex(F, (long) p * 4 * units + (long) g * units + unit);
                    }
                    assertEquals(want, z.getAtIndex(F, zi), 1e-5 * Math.max(1, Math.sqrt(units / 16.0)), what + " row " + r + " gate " + g + " unit " + unit);
                }
            }
            // The gap after a row's 4n floats is not the kernel's: it must be untouched.
            for (long gap = 4L * n; gap < ldz; gap++) assertEquals(before.getAtIndex(F, r * ldz + gap), z.getAtIndex(F, r * ldz + gap), what);
        }
        return z;
    }

    @Test
    void paddedRowsKeepKerasGateOrderAndZeroTheGaps() {
        GateLayout layout = new GateLayout(3, 4);
        MemorySegment row = arena.allocate(12 * Float.BYTES), out = random(16, 9);
        for (int i = 0; i < 12; i++) row.setAtIndex(F, i, i + 1);
        layout.padRow(row, 0, out, 0);
        float[] want = {1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 10, 11, 12, 0};
        for (int i = 0; i < 16; i++) assertEquals(want[i], out.getAtIndex(F, i), "index " + i);
        assertEquals(1, layout.blocks());
        assertEquals(4, layout.paddedUnits());
    }

    @Test
    void aLayoutForOtherLanesIsRefusedByTheVectorKernel() {
        Kernels simd = KernelProvider.panama();
        GateLayout wrong = new GateLayout(10, simd.gateBlock() * 2);
        MemorySegment any = random(wrong.packedSize() + 100, 4);
        assertThrows(IllegalArgumentException.class, () -> simd.lstmRecurrentPacked(1, wrong, 0, 1, any, any, 0, 10, any, 0, 8));
        assertTrue(simd.gateBlock() >= 4);
    }
}
