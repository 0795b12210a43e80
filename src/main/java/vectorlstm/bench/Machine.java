package vectorlstm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import vectorlstm.kernels.KernelProvider;

/**
 * Where results were measured. Compare warns when two files come from different machines: a
 * ratio across machines measures the machines, not the change.
 *
 * @param vectorBits SIMD width of the kernels in use, 0 for the scalar kernels
 * @param kernels    the kernel provider's start-up description, or null when not recorded
 */
public record Machine(int cores, int vectorBits, String jdk, String cpu, String kernels) {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    public static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(), KernelProvider.vectorBits(),
                Runtime.version().toString(), cpuModel(CPUINFO), KernelProvider.get().description());
    }

    /** The first "model name" of a Linux cpuinfo file; the JVM's os.arch elsewhere. */
    static String cpuModel(Path cpuinfo) {
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElseGet(Machine::arch);
        } catch (IOException | java.io.UncheckedIOException e) {
            return arch();
        }
    }

    private static String arch() { return "unknown " + System.getProperty("os.arch") + " CPU"; }

    /** One line for the terminal: {@code 2 cores, AMD EPYC, 256-bit vectors, JDK 25.0.1+8-LTS}. */
    public String describe() {
        return cores + " cores, " + cpu + ", " + (vectorBits > 0 ? vectorBits + "-bit vectors" : "scalar kernels") + ", JDK " + jdk;
    }
}
