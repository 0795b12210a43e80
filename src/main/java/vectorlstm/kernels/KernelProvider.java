package vectorlstm.kernels;

/**
 * Chooses the kernels once per JVM and says so in one line on stderr.
 *
 * <p>The Panama class is only touched when {@code jdk.incubator.vector} is in the boot layer, so
 * the vector classes are never loaded without it. {@code -Dvectorlstm.kernels=scalar} forces the
 * scalar kernels (for comparison runs).
 */
public final class KernelProvider {
    private static final Kernels KERNELS = choose();

    private KernelProvider() {}

    public static Kernels get() { return KERNELS; }

    /**
     * Width of the vectors the chosen kernels compute with, in bits; 0 for the scalar kernels.
     * VectorShape is only touched when the Panama kernels were chosen, so the module is present.
     */
    public static int vectorBits() {
        return KERNELS instanceof ScalarKernels ? 0 : VectorShape.LANES * Float.SIZE;
    }

    /** True when the Vector API module is present in this JVM. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** The Panama kernels, for tests and benchmarks that compare both implementations. */
    public static Kernels panama() {
        if (!vectorModulePresent()) {
            throw new IllegalStateException("the Vector API is not available: run java with --add-modules jdk.incubator.vector");
        }
        return new PanamaKernels();
    }

    private static Kernels choose() {
        Kernels chosen;
        String why = "";
        if ("scalar".equalsIgnoreCase(System.getProperty("vectorlstm.kernels", ""))) {
            chosen = new ScalarKernels();
            why = " (forced by -Dvectorlstm.kernels=scalar)";
        } else if (vectorModulePresent()) {
            chosen = new PanamaKernels();
        } else {
            chosen = new ScalarKernels();
            why = " — SLOW: pass --add-modules jdk.incubator.vector to the JVM for SIMD kernels";
        }
        if (!Boolean.getBoolean("vectorlstm.quiet")) {
            System.err.println("vector-lstm: kernels = " + chosen.description() + why);
        }
        return chosen;
    }
}
