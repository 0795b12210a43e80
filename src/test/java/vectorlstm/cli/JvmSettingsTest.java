package vectorlstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A mistyped kernel setting given to the JVM ({@code VLSTM_JAVA_OPTS=-Dvectorlstm.bits=265}, as
 * docs/results.md tells users to force a width) is read when the kernels' class is first loaded,
 * in a fresh JVM: it said "internal error (ExceptionInInitializerError)", exit 1.
 */
class JvmSettingsTest {
    @Test
    void aMistypedVectorWidthIsTheUsersMistakeInOneLine() throws Exception {
        String out = summaryRefusedWithBits("265");
        assertTrue(out.contains("lstm: -Dvectorlstm.bits (a JVM option, e.g. in VLSTM_JAVA_OPTS) must be 128, 256 or 512"), out);
        assertTrue(out.contains("got 265"), out);
        assertTrue(!out.contains("internal error") && !out.contains("\tat "), out);
    }

    /** 64 bits (2 lanes) was accepted, though no CPU of ours has that width and no test ran it. */
    @Test
    void sixtyFourBitVectorsAreRefused() throws Exception {
        String out = summaryRefusedWithBits("64");
        assertTrue(out.contains("must be 128, 256 or 512") && out.contains("got 64"), out);
    }

    /** {@code lstm summary} in a fresh JVM with {@code -Dvectorlstm.bits=bits}: its output, after checking it ended with exit code 2. */
    private static String summaryRefusedWithBits(String bits) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Dvectorlstm.bits=" + bits, "-cp", System.getProperty("java.class.path"),
                "vectorlstm.cli.Main", "summary").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        return out;
    }
}
