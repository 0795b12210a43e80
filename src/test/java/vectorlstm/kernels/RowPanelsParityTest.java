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
 * The batch-1 step's product on {@link RowPanels} ({@code lstmRecurrentRow}): both implementations
 * against a plain double-precision {@code z + h·U} on Keras' own layout and against each other bit
 * for bit, for unit counts and shares whose width fills, overruns and undershoots whole vectors and
 * panels; parts over k against one call, bit for bit. Runs again with the vector width forced to
 * 128 and 256 bits (see pom.xml).
 */
class RowPanelsParityTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static Arena arena;

    @BeforeAll
    static void setUp() { arena = Arena.ofShared(); }

    @AfterAll
    static void tearDown() { arena.close(); }

    private static MemorySegment random(long n, long seed) { return TestSegments.random(arena, n, seed); }

    private static MemorySegment packed(RowPanels layout, MemorySegment u) {
        MemorySegment p = arena.allocate(layout.packedSize() * Float.BYTES, 64);
        layout.pack(u, 0, p, 0);
        return p;
    }

    /** Shares of H units: all of them, the two halves of a two-thread scorer, and an odd slice in the middle. */
    private static int[][] shares(int units) {
        int half = Math.max(1, units / 2);
        return units < 3 ? new int[][] {{0, units}, {0, half}} : new int[][] {{0, units}, {0, half}, {half, units}, {1, units - 1}};
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 11, 16, 17, 33, 64, 100, 101, 150})
    void bothImplementationsMatchAPlainProductAndEachOthersBits(int units) {
        Kernels simd = KernelProvider.panama(), twin = new ScalarKernels();
        MemorySegment u = random(4L * units * units, units), h = random(units + 3, 2);
        for (int[] share : shares(units)) {
            RowPanels layout = new RowPanels(units, share[0], share[1], simd.gateBlock());
            MemorySegment packed = packed(layout, u);
            long zOff = 3;  // an offset that no vector boundary meets: offsets must be honoured
            MemorySegment z0 = random(zOff + layout.paddedWidth() + 5, 3);
            MemorySegment zSimd = copy(z0), zTwin = copy(z0), zBack = copy(z0);
            simd.lstmRecurrentRow(layout, packed, h, 3, zSimd, zOff, 0, units, false);
            twin.lstmRecurrentRow(layout, packed, h, 3, zTwin, zOff, 0, units, true);   // the panels' order changes no bits
            simd.lstmRecurrentRow(layout, packed, h, 3, zBack, zOff, 0, units, true);
            int n = layout.shareUnits();
            String what = "units=" + units + " share [" + share[0] + ", " + share[1] + ") " + layout.panels() + " panels";
            for (int g = 0; g < 4; g++) {
                for (int v = 0; v < n; v++) {
                    long zi = zOff + (long) g * n + v;
                    double want = z0.getAtIndex(F, zi);
                    for (int k = 0; k < units; k++) want += (double) h.getAtIndex(F, 3 + k) * u.getAtIndex(F, (long) k * 4 * units + (long) g * units + share[0] + v);
                    assertEquals(want, zSimd.getAtIndex(F, zi), 1e-5 * Math.max(1, Math.sqrt(units / 16.0)), what + " gate " + g + " unit " + v);
                }
            }
            for (long i = 0; i < z0.byteSize() / Float.BYTES; i++) {
                assertEquals(Float.floatToRawIntBits(zTwin.getAtIndex(F, i)), Float.floatToRawIntBits(zSimd.getAtIndex(F, i)), what + " float " + i + " (twin against vector)");
                assertEquals(Float.floatToRawIntBits(zSimd.getAtIndex(F, i)), Float.floatToRawIntBits(zBack.getAtIndex(F, i)), what + " float " + i + " (panels backward)");
                boolean outside = i < zOff || i >= zOff + layout.paddedWidth();
                if (outside) assertEquals(z0.getAtIndex(F, i), zSimd.getAtIndex(F, i), what + " float " + i + " is not the kernel's");
                // The padding columns of U' are zero: padding in, padding out.
                if (i >= zOff + 4L * n && i < zOff + layout.paddedWidth()) assertEquals(z0.getAtIndex(F, i), zSimd.getAtIndex(F, i), what + " padding float " + i);
            }
        }
    }

    /** A two-thread scorer's caller runs its product in two parts over k; any split gives the bits of one call. */
    @ParameterizedTest
    @ValueSource(ints = {1, 5, 17, 100, 101})
    void partsOverKGiveTheBitsOfOneCall(int units) {
        MemorySegment u = random(4L * units * units, 7), h = random(units, 8);
        for (Kernels k : new Kernels[] {new ScalarKernels(), KernelProvider.panama()}) {
            for (int[] share : shares(units)) {
                RowPanels layout = new RowPanels(units, share[0], share[1], k.gateBlock());
                MemorySegment packed = packed(layout, u), z0 = random(layout.paddedWidth(), 9);
                MemorySegment whole = copy(z0);
                k.lstmRecurrentRow(layout, packed, h, 0, whole, 0, 0, units, false);
                for (int split : new int[] {0, 1, units / 3, units / 2, units - 1, units}) {
                    MemorySegment parts = copy(z0);
                    k.lstmRecurrentRow(layout, packed, h, 0, parts, 0, 0, split, true);  // the parts in either panel order
                    k.lstmRecurrentRow(layout, packed, h, 0, parts, 0, split, split, false);  // empty: changes nothing
                    k.lstmRecurrentRow(layout, packed, h, 0, parts, 0, split, units, false);
                    for (int i = 0; i < layout.paddedWidth(); i++) {
                        assertEquals(Float.floatToRawIntBits(whole.getAtIndex(F, i)), Float.floatToRawIntBits(parts.getAtIndex(F, i)),
                                k.description() + " units=" + units + " share " + share[0] + ".." + share[1] + " split " + split + " float " + i);
                    }
                }
            }
        }
    }

    @Test
    void panelsAreAtMostEightVectorsAndDifferByAtMostOne() {
        for (int lanes : new int[] {4, 8, 16}) {
            for (int units = 1; units <= 130; units++) {
                RowPanels layout = new RowPanels(units, 0, units, lanes);
                int covered = 0, widest = 0, narrowest = Integer.MAX_VALUE;
                for (int p = 0; p < layout.panels(); p++) {
                    assertEquals(covered, layout.panelStart(p));
                    assertEquals((long) units * lanes * covered, layout.panelOffset(p));
                    int w = layout.panelVectors(p);
                    assertTrue(w >= 1 && w <= RowPanels.MAX_PANEL, "panel of " + w + " vectors");
                    covered += w;
                    widest = Math.max(widest, w);
                    narrowest = Math.min(narrowest, w);
                }
                assertEquals(layout.vectors(), covered, "units " + units + " lanes " + lanes);
                assertTrue(widest - narrowest <= 1, "units " + units + " lanes " + lanes);
                assertEquals((4 * units + lanes - 1) / lanes * lanes, layout.paddedWidth());
                assertEquals((long) units * layout.paddedWidth(), layout.packedSize());
            }
        }
    }

    @Test
    void packingPutsKerasGatesSideBySideForTheShareAndZerosThePadding() {
        // H = 3, the share [1, 3): n = 2, z = i1 i2 f1 f2 c1 c2 o1 o2 (8 floats), one vector of 16 lanes with 8 padding.
        int units = 3;
        MemorySegment u = arena.allocate(4L * units * units * Float.BYTES);
        for (int k = 0; k < units; k++) for (int col = 0; col < 4 * units; col++) u.setAtIndex(F, (long) k * 4 * units + col, 100 * k + col);
        RowPanels layout = new RowPanels(units, 1, 3, 16);
        assertEquals(1, layout.panels());
        MemorySegment p = packed(layout, u);
        float[] row1 = {101, 102, 104, 105, 107, 108, 110, 111, 0, 0, 0, 0, 0, 0, 0, 0};  // k = 1: columns g·3 + 1 and g·3 + 2
        for (int i = 0; i < 16; i++) assertEquals(row1[i], p.getAtIndex(F, 16 + i), "k 1, float " + i);
    }

    @Test
    void badSharesPartsAndWidthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RowPanels(0, 0, 0, 16));
        assertThrows(IllegalArgumentException.class, () -> new RowPanels(10, 5, 5, 16));
        assertThrows(IllegalArgumentException.class, () -> new RowPanels(10, -1, 5, 16));
        assertThrows(IllegalArgumentException.class, () -> new RowPanels(10, 0, 11, 16));
        assertThrows(IllegalArgumentException.class, () -> new RowPanels(10, 0, 10, 0));
        Kernels simd = KernelProvider.panama();
        RowPanels layout = new RowPanels(10, 0, 10, simd.gateBlock());
        MemorySegment any = arena.allocate(layout.packedSize() * Float.BYTES, 64);
        for (Kernels k : new Kernels[] {new ScalarKernels(), simd}) {
            for (int[] part : new int[][] {{-1, 4}, {5, 4}, {0, 11}}) {
                assertThrows(IllegalArgumentException.class, () -> k.lstmRecurrentRow(layout, any, any, 0, any, 0, part[0], part[1], false),
                        k.description() + " part " + part[0] + ".." + part[1]);
            }
        }
        RowPanels otherWidth = new RowPanels(10, 0, 10, simd.gateBlock() * 2);
        assertThrows(IllegalArgumentException.class, () -> simd.lstmRecurrentRow(otherWidth, any, any, 0, any, 0, 0, 10, false));
    }

    private static MemorySegment copy(MemorySegment s) { return TestSegments.copy(arena, s); }
}
