package vectorlstm.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The species every Panama kernel uses, fixed once per JVM as a {@code static final} constant so
 * C2 can fold it. {@code -Dvectorlstm.bits=128|256|512} forces a narrower width than the machine's
 * preferred one (tests use it to cover tails and other widths on a wide machine).
 */
final class VectorShape {
    static final VectorSpecies<Float> SPECIES = chooseSpecies();
    static final int LANES = SPECIES.length();
    private static final String FORCED_NOTE = note();

    private VectorShape() {}

    private static VectorSpecies<Float> chooseSpecies() {
        String bits = System.getProperty("vectorlstm.bits");
        if (bits == null || bits.isBlank()) return FloatVector.SPECIES_PREFERRED;
        VectorSpecies<Float> forced = switch (bits.trim()) {
            case "128" -> FloatVector.SPECIES_128;
            case "256" -> FloatVector.SPECIES_256;
            case "512" -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException("-Dvectorlstm.bits (a JVM option, e.g. in VLSTM_JAVA_OPTS) must be 128, 256 or 512 (the widths the tests cover; 2 lanes of 64 bits are none a CPU of ours has), got " + bits);
        };
        // Never wider than the hardware: a wider species would be emulated, slowly. The kernels' line says so.
        return forced.vectorBitSize() <= FloatVector.SPECIES_PREFERRED.vectorBitSize() ? forced : FloatVector.SPECIES_PREFERRED;
    }

    /** ", forced" or ", 512 bits asked, the machine's widest" for the kernels' line; "" without -Dvectorlstm.bits. */
    static String forcedNote() { return FORCED_NOTE; }

    private static String note() {
        String bits = System.getProperty("vectorlstm.bits");  // read as chooseSpecies read it, once, at the same start-up
        if (bits == null || bits.isBlank()) return "";
        return String.valueOf(SPECIES.vectorBitSize()).equals(bits.trim()) ? ", forced" : ", " + bits.trim() + " bits asked, the machine's widest";
    }
}
