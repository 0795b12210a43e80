package vectorlstm.kernels;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;

/**
 * Keeps named kernel methods away from HotSpot's first-tier compiler (C1), so that only C2
 * compiles them, by adding a compiler directive to the running JVM (what {@code jcmd PID
 * Compiler.directives_add FILE} does, through the same DiagnosticCommand MBean).
 *
 * <p>Why: the Vector API is fast only in C2, which turns its calls into machine vectors. C1
 * compiles them as the Java code behind them, boxing every vector. A kernel with more than about
 * 45 vector operations (PanamaGemm's 8 x 3 block has 83) is where that goes wrong: when C1 has
 * compiled it at its second tier, it can stay there for good, allocating hundreds of MB per call
 * (seen: 1.5 GB for one 16000 x 400 x 32 product, 50x slower than C2's code). Excluded from C1,
 * the method is interpreted until C2 compiles it straight from the interpreter's profile.
 *
 * <p>The directive matches only the methods named (this package's classes), nothing else in the
 * host JVM. Where it cannot be added (no {@code java.management} module, another JVM, no temp
 * folder), {@link #exclude} prints one line saying so and returns false, and the caller keeps its
 * smaller kernels. {@code -Dvectorlstm.c2only=false} skips it silently (the 4-row blocks then run
 * everywhere: a measurement's baseline).
 */
final class C2Only {
    private C2Only() {}

    /**
     * Adds a directive excluding each method ({@code "package/Class.method"}) from C1; true when
     * the JVM accepted it.
     */
    static boolean exclude(String... methods) {
        if (!Boolean.parseBoolean(System.getProperty("vectorlstm.c2only", "true"))) return false;
        StringBuilder json = new StringBuilder("[");
        for (String m : methods) {
            if (!m.matches("[A-Za-z0-9_/$]+\\.[A-Za-z0-9_$]+")) throw new IllegalArgumentException("not a method pattern: " + m);
            json.append(json.length() > 1 ? ", " : "").append("{ match: \"").append(m).append("\", c1: { Exclude: true } }");
        }
        json.append("]");
        Path file = null;
        try {
            file = Files.createTempFile("vector-lstm-directive", ".json");
            Files.writeString(file, json);
            Object reply = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                    new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
            if (String.valueOf(reply).contains(methods.length + " compiler directives added")) return true;
            refused(methods, String.valueOf(reply).strip());
            return false;
        } catch (Exception | LinkageError e) {
            refused(methods, e.toString());
            return false;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (Exception ignored) {
                    // a leftover temp file of a few bytes; the directive is in the JVM already
                }
            }
        }
    }

    /** Loud, since the caller's fallback is slower: training at 512 bits loses about a fifth. */
    private static void refused(String[] methods, String why) {
        System.err.println("vector-lstm: the JVM did not take a compiler directive keeping " + String.join(", ", methods)
                + " away from C1 (" + why + "); smaller kernels run instead (docs/architecture.md)");
    }
}
