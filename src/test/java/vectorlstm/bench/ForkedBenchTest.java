package vectorlstm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.model.ProgressLine;

/** Benchmarks in child JVMs (running {@link TinyBench}): results and progress come back; failures are one clear sentence. */
class ForkedBenchTest {
    private static ForkedBench forks() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-Dvectorlstm.quiet=true", "-cp", System.getProperty("java.class.path"), TinyBench.class.getName()));
        return new ForkedBench(command);
    }

    private static BenchResult noFailure(String name, String why) {
        throw new AssertionError(name + " " + why);
    }

    @Test
    void eachBenchmarkRunsInAChildAndReportsBack() {
        SequencedMap<String, Integer> steps = new LinkedHashMap<>();
        steps.put("score_latency_typical_b1", 4);
        steps.put("train_throughput_b4", 3);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        BenchReport report = forks().run(steps, new ProgressLine(new PrintStream(log, true, StandardCharsets.UTF_8), 7, false), ForkedBenchTest::noFailure);

        assertEquals(List.copyOf(steps.keySet()), report.benchmarks().stream().map(BenchResult::name).toList());
        assertEquals(3, report.benchmarks().get(0).samples().length);
        assertEquals("samples/s", report.benchmarks().get(1).unit());
        assertEquals(2, report.benchmarks().get(1).samples().length);
        String lines = log.toString(StandardCharsets.UTF_8);
        // the second child's steps continue after the first child's four
        assertTrue(lines.contains("5/7 [") && lines.contains("- train_throughput_b4: sample 1/2"), lines);
        assertTrue(lines.strip().endsWith("- done"), lines);
    }

    @Test
    void aFailingChildIsRecordedAsSkippedWithItsErrorAndTheOthersRun() {
        // Was: the first failed child (an OOM kill, a crash) threw away every benchmark measured before it and wrote no report.
        SequencedMap<String, Integer> steps = new LinkedHashMap<>();
        steps.put("score_everything", 2);
        steps.put("train_throughput_b4", 3);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        BenchReport report = forks().run(steps, new ProgressLine(quiet, 5, false),
                (name, why) -> BenchResult.skipped(name, "ms", false, 1, why));
        BenchResult failed = report.benchmarks().get(0);
        assertTrue(failed.wasSkipped(), "the failed child's benchmark is recorded as skipped");
        assertTrue(failed.skipped().startsWith(ForkedBench.FAILED + " (exit code 1): Exception in thread \"main\" "
                + "java.lang.IllegalArgumentException: no benchmark score_everything"), failed.skipped());
        assertEquals(2, report.benchmarks().get(1).samples().length, "the next benchmark still ran");
    }

    @Test
    void aStoppedParentTakesItsChildAndTemporaryFileWithIt(@TempDir Path tmp) throws Exception {
        // SIGTERM (timeout, a CI cancel) left /tmp/vlstm-bench-*.err behind, and once the child JVM ran on under PID 1.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), StoppedBench.class.getName(), "parent"));
        Process parent = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<ProcessHandle> children = List.of();
        try {
            BufferedReader out = parent.inputReader(StandardCharsets.UTF_8);
            String line;
            do line = out.readLine(); while (line != null && !line.contains("started"));  // the child runs, its stderr file is made
            assertTrue(line != null, "the parent ended before its child started");
            children = parent.descendants().toList();
            assertEquals(1, children.size(), "one child JVM");
            try (var files = Files.list(tmp)) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("vlstm-bench-")), "the child's stderr file is there");
            }

            parent.destroy();  // SIGTERM
            assertTrue(parent.waitFor(30, TimeUnit.SECONDS), "the parent did not stop");
            assertTrue(ends(children.get(0), 10), "the child JVM ran on after its parent stopped");
            try (var files = Files.list(tmp)) {
                assertEquals(List.of(), files.toList(), "nothing left in java.io.tmpdir");
            }
        } finally {
            children.forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly();
        }
    }

    private static boolean ends(ProcessHandle process, int seconds) throws Exception {
        try {
            process.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }
}
