package vectorlstm.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The scalar and forced-width test executions (pom.xml) run what they say they run. Without
 * this, a renamed or ignored property would have them re-run the default path and pass.
 */
class ForcedKernelsTest {
    @Test
    void theKernelsInUseAreTheOnesThisExecutionAsksFor() {
        if ("scalar".equals(System.getProperty("vectorlstm.kernels"))) {
            assertInstanceOf(ScalarKernels.class, KernelProvider.get(), "-Dvectorlstm.kernels=scalar");
            return;
        }
        assertInstanceOf(PanamaKernels.class, KernelProvider.get(), "the Vector API kernels, unless forced to scalar");
        String bits = System.getProperty("vectorlstm.bits");
        int expected = bits == null ? FloatVector.SPECIES_PREFERRED.vectorBitSize() : Integer.parseInt(bits);
        assertEquals(expected, VectorShape.SPECIES.vectorBitSize(), "-Dvectorlstm.bits=" + bits);
        assertEquals(expected / Float.SIZE, VectorShape.LANES);
        // The kernels' line says a forced width is one, so a log of a forced run is not read as the machine's own.
        String line = KernelProvider.get().description();
        assertTrue(line.contains("-bit (" + expected / Float.SIZE + " floats" + (bits == null ? ")" : ", forced)")), line);
    }
}
