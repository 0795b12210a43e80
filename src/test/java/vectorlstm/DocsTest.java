package vectorlstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and docs/ as a reader meets them: every Markdown table keeps its header's number of
 * cells in every row (a script that added a sitting's column once added it to older tables too,
 * shifting their verdicts under the wrong headings), and every relative link names a file that
 * exists; every command that runs {@code java}, {@code javac} or {@code mvn} names the JDK 25 the
 * launcher finds.
 */
class DocsTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyTableRowHasItsHeadersCells() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Path doc : documents()) {
            List<String> lines = Files.readAllLines(doc);
            int header = -1;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!line.startsWith("|")) {
                    header = -1;
                    continue;
                }
                int cells = cells(line);
                if (header < 0) {
                    header = cells;
                } else if (cells != header) {
                    wrong.add(doc + ":" + (i + 1) + " has " + cells + " cells, its header " + header);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    /**
     * performance.md's "Where it stands" and the README's copy of it are the medians of the sittings'
     * table in performance-history.md, as tools/perf/medians.py computes them: recomputed by hand
     * after every sitting, one slip would have put a wrong figure in front of every reader.
     */
    @Test
    void whereItStandsIsTheMedianOfTheSittings() throws Exception {
        boolean python;
        try {
            python = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            python = false;
        }
        TestEnvironment.require(python, "python3");
        Process p = new ProcessBuilder("python3", "tools/perf/medians.py").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String[]> computed = out.lines().filter(l -> l.startsWith("| ") && l.contains(" of ")).map(DocsTest::cellsOf).toList();
        assertEquals(6, computed.size(), out);
        String count = out.lines().findFirst().orElseThrow().replaceAll(".*: ", "");
        List<String[]> stands = tableAfter(Files.readString(Path.of("docs/performance.md")), "| figure | target | median of the");
        List<String[]> readme = tableAfter(Files.readString(Path.of("README.md")), "| figure | target | median | sittings meeting it |");
        for (int i = 0; i < 6; i++) {
            String[] c = computed.get(i), d = stands.get(i), r = readme.get(i);
            assertEquals(c[2], d[2].replace("**", ""), "performance.md, median of " + d[0]);
            assertEquals(c[3], d[3], "performance.md, range of " + d[0]);
            assertEquals(c[4], d[4], "performance.md, sittings meeting " + d[0]);
            assertEquals(c[2], r[2].replace("**", ""), "README, median of " + r[0]);
            assertTrue(r[3].startsWith(c[4]), "README, sittings meeting " + r[0] + ": " + r[3] + ", computed " + c[4]);
            assertTrue(c[4].endsWith(" of " + count), c[4]);
        }
    }

    /** The rows (cells trimmed) of the Markdown table whose header line starts with {@code header}. */
    private static List<String[]> tableAfter(String markdown, String header) {
        List<String> lines = markdown.lines().toList();
        int at = 0;
        while (at < lines.size() && !lines.get(at).startsWith(header)) at++;
        assertTrue(at < lines.size(), "no table " + header);
        List<String[]> rows = new ArrayList<>();
        for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) rows.add(cellsOf(lines.get(i)));
        return rows;
    }

    private static String[] cellsOf(String row) {
        String[] cells = row.substring(1, row.lastIndexOf('|')).split("\\|");
        for (int i = 0; i < cells.length; i++) cells[i] = cells[i].trim();
        return cells;
    }

    @Test
    void relativeLinksNameFilesThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : documents()) {
            Matcher m = LINK.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.contains("://") || target.startsWith("#") || target.startsWith("mailto:")) continue;
                String file = target.replaceFirst("#.*$", "");
                if (!Files.exists(doc.resolveSibling(file))) broken.add(doc + " -> " + target);
            }
        }
        assertEquals(List.of(), broken);
    }

    // Before: README's Benchmarks and "Use it from Java", jmh/README's A/B steps and scale-out.md's
    // tests ran the default java or a bare mvn: on a machine whose default java is 17, every benchmark
    // failed (JMH still exited 0) and Maven stopped at .mvn/jvm.config's JDK 25 flag.
    @Test
    void commandsRunTheJdkTheLauncherFinds() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md"), Path.of("jmh", "README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            // The sittings are records of what was run on our machines, kept as they were.
            files.filter(p -> p.toString().endsWith(".md") && !p.getFileName().toString().startsWith("perf-sitting-")).sorted().forEach(docs::add);
        }
        List<String> bare = new ArrayList<>();
        for (Path doc : docs) {
            for (String command : shellCommands(Files.readString(doc))) {
                if (!runsTheLaunchersJdk(command)) bare.add(doc + ": " + command);
            }
        }
        assertEquals(List.of(), bare);
    }

    @Test
    void theCommandCheckSeesTheDefaultJava() {
        assertFalse(runsTheLaunchersJdk("java --add-modules jdk.incubator.vector -jar target/benchmarks.jar GateStep"));
        assertFalse(runsTheLaunchersJdk("(cd jmh && mvn -q -B clean package && cp target/benchmarks.jar /tmp/after.jar)"));
        assertFalse(runsTheLaunchersJdk("cd jmh && JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -q package"));
        assertFalse(runsTheLaunchersJdk("flock /tmp/lock java -cp x Main"));
        assertTrue(runsTheLaunchersJdk("JAVA_HOME=\"$(./lstm --java-home)\" mvn -B -f spark/pom.xml package"));
        assertTrue(runsTheLaunchersJdk("\"$(./lstm --java-home)/bin/javac\" -cp target/vector-lstm.jar App.java"));
        assertTrue(runsTheLaunchersJdk("$JAVA -jar jmh/target/benchmarks.jar -l"));
        assertEquals(List.of("cd spark && mvn -B package"), shellCommands("Run `cd spark && mvn -B package` (as `mvn test` does)."));
    }

    /**
     * The commands a reader may paste: each line of a shell block (sh, bash or none; after an
     * {@code export JAVA_HOME=...} line, the block's lines carry it), and inline code with options.
     */
    private static List<String> shellCommands(String markdown) {
        List<String> commands = new ArrayList<>();
        boolean inShell = false, inCode = false;
        String exported = "";
        StringBuilder prose = new StringBuilder();
        for (String line : markdown.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                String language = line.strip().substring(3).strip();
                inShell = !inCode && (language.isEmpty() || language.equals("sh") || language.equals("bash"));
                inCode = !inCode;
                exported = "";
                continue;
            }
            if (inShell) {
                String command = line.replaceFirst("(^|\\s)#.*$", "").strip();  // a comment may say "java" in words
                if (command.startsWith("export JAVA_HOME=")) exported = command + "; ";
                else if (!command.isEmpty()) commands.add(exported + command);
            } else if (!inCode) {
                prose.append(line).append('\n');
            }
        }
        Matcher span = Pattern.compile("`([^`]+)`").matcher(prose);
        while (span.find()) {
            String code = span.group(1).replaceAll("\\s+", " ");
            if (code.contains(" -")) commands.add(code);  // `mvn test` in a sentence is a name, not a command
        }
        return commands;
    }

    /** No bare java, javac or mvn word; mvn only with JAVA_HOME from {@code ./lstm --java-home}. */
    private static boolean runsTheLaunchersJdk(String command) {
        if (Pattern.compile("(^|[\\s(;&|])javac?\\s").matcher(command).find()) return false;
        Matcher mvn = Pattern.compile("(^|[\\s(;&|])mvn\\s").matcher(command);
        while (mvn.find()) {
            if (!command.substring(0, mvn.start()).matches(".*JAVA_HOME=\"\\$\\((\\.\\./|\\./)lstm --java-home\\)\".*")) return false;
        }
        return true;
    }

    @Test
    void theCheckSeesADamagedTable() {
        assertEquals(3, cells("| a | b | c |"));
        assertEquals(3, cells("| a | `x \\| y` | c |"));
        assertTrue(cells("| a | b | c | d |") != cells("| a | b | c |"));
    }

    /** Cells of a table row: its unescaped pipes less one. */
    private static int cells(String row) {
        return row.replace("\\|", "").split("\\|", -1).length - 2;
    }

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(Path.of("README.md"));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        assertFalse(docs.size() < 5, "README.md and docs/*.md should be found from the project folder");
        return docs;
    }
}
