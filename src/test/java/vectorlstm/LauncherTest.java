package vectorlstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./lstm} launcher on a fresh clone of a machine without Maven: a copy of the script
 * beside sources and no jar, run with a PATH that holds only the tools it uses.
 */
class LauncherTest {
    /** What the script calls besides Maven and the JDK (found through JAVA_HOME). */
    private static final List<String> TOOLS = List.of("bash", "dirname", "sed", "head", "find", "grep", "readlink", "locale");

    @TempDir Path dir;

    // Before: "./lstm: line 56: mvn: command not found", exit 127, for the build and for ./lstm test.
    @Test
    void withoutMavenItSaysMavenIsNeededInOneLine() throws Exception {
        Path clone = freshClone();
        for (List<String> args : List.of(List.of("--version"), List.of("test"))) {
            Run r = launch(clone, args);
            assertEquals(2, r.code(), r.output());
            assertEquals(1, r.output().strip().lines().count(), "one line: " + r.output());
            assertTrue(r.output().startsWith("lstm: Maven (mvn) is needed to build vector-lstm"), r.output());
            assertTrue(r.output().contains("apt-get install maven"), r.output());
        }
    }

    @Test
    void theJavaHomeNeedsNoMaven() throws Exception {
        Run r = launch(freshClone(), List.of("--java-home"));
        assertEquals(0, r.code(), r.output());
        assertEquals(Path.of(System.getProperty("java.home")).toRealPath(), Path.of(r.output().strip()).toRealPath());
        assertFalse(r.output().contains("Maven"), r.output());
    }

    /**
     * With stdin closed ({@code <&-}) the first file the JVM opened, its own lib/modules, became
     * fd 0, and predict scored it as 944,555 lines of text. The launcher's guard line, run in bash
     * with stdin closed, must leave an empty stdin behind it.
     */
    @Test
    void aClosedStdinBecomesAnEmptyOne() throws Exception {
        String guard = Files.readAllLines(Path.of("lstm")).stream().filter(l -> l.contains("exec </dev/null")).findFirst().orElseThrow();
        TestEnvironment.require(which("bash") != null, "bash");
        Process p = new ProcessBuilder(which("bash").toString(), "-c", "exec 0<&-; " + guard + "; wc -c").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("0", out.strip(), "stdin reads as empty: " + out);
    }

    /** The launcher beside a pom.xml and sources, no jar: the next command must build. */
    private Path freshClone() throws IOException {
        Path clone = Files.createDirectories(dir.resolve("clone"));
        Files.copy(Path.of("lstm"), clone.resolve("lstm"));
        Files.writeString(clone.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(clone.resolve("src/main/java"));
        return clone;
    }

    private record Run(int code, String output) {}

    private Run launch(Path clone, List<String> args) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : TOOLS) {
            Path link = bin.resolve(tool);
            if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
            Path real = which(tool);
            if (real != null) Files.createSymbolicLink(link, real);
        }
        TestEnvironment.require(Files.exists(bin.resolve("bash")), "bash");
        ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of(bin.resolve("bash").toString(), clone.resolve("lstm").toString())));
        pb.command().addAll(args);
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not end within 60 s");
        return new Run(p.exitValue(), output);
    }

    private static Path which(String tool) {
        for (String folder : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(folder, tool);
            if (Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }
}
