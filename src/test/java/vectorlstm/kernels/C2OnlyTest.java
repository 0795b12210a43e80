package vectorlstm.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The compiler directive that lets the 8-row GEMM blocks run (see {@link C2Only}). */
class C2OnlyTest {

    @Test
    void hotSpotAcceptsTheDirective() {
        assertTrue(C2Only.exclude("vectorlstm/kernels/C2OnlyTest.neverCalled"),
                "the DiagnosticCommand MBean refused the directive: the 8-row GEMM blocks would not run");
    }

    /** At 512 bits (32 vector registers) the 8-row blocks run; below, never: no width is skipped. */
    @Test
    void theEightRowBlocksRunExactlyAt512Bits() {
        assertEquals(VectorShape.SPECIES.vectorBitSize() >= 512, PanamaGemm.eightRowBlocks(),
                "8-row GEMM blocks at " + VectorShape.SPECIES.vectorBitSize() + " bits");
    }

    @Test
    void theCompactBlockRidesAlongWithTheLastFullBlockAt512Bits() {
        // Same bits either way (PackedRecurrentParityTest), so which path ran shows only here.
        int lanes = VectorShape.LANES;
        GateLayout layout = new GateLayout(6 * lanes + lanes / 4, lanes);  // 6 full blocks and a compact one
        boolean wide = VectorShape.SPECIES.vectorBitSize() >= 512;
        assertEquals(wide, PanamaRecurrent.ridesAlong(layout, 0, 7), "the whole range");
        assertEquals(wide, PanamaRecurrent.ridesAlong(layout, 5, 7), "the last full block and the compact one");
        assertFalse(PanamaRecurrent.ridesAlong(layout, 6, 7), "the compact block alone");
        assertFalse(PanamaRecurrent.ridesAlong(layout, 0, 6), "the full blocks alone");
        assertFalse(PanamaRecurrent.ridesAlong(new GateLayout(lanes / 4, lanes), 0, 1), "no full block");
        assertFalse(PanamaRecurrent.ridesAlong(new GateLayout(6 * lanes, lanes), 0, 6), "no compact block");
    }

    @Test
    void theSwitchTurnsItOff() {
        String before = System.getProperty("vectorlstm.c2only");
        System.setProperty("vectorlstm.c2only", "false");
        try {
            assertFalse(C2Only.exclude("vectorlstm/kernels/C2OnlyTest.neverCalled"));
        } finally {
            if (before == null) System.clearProperty("vectorlstm.c2only");
            else System.setProperty("vectorlstm.c2only", before);
        }
    }

    @Test
    void onlyPlainMethodNamesArePassedToTheJvm() {
        for (String bad : new String[] {"*.*", "vectorlstm/kernels/PanamaGemm", "a.b\", c2: { Exclude: true }, x: \"", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> C2Only.exclude(bad), bad);
            assertEquals("not a method pattern: " + bad, e.getMessage());
        }
    }

    static void neverCalled() {}
}
