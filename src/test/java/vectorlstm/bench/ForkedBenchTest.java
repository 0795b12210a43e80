package vectorlstm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;
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

    @Test
    void eachBenchmarkRunsInAChildAndReportsBack() {
        SequencedMap<String, Integer> steps = new LinkedHashMap<>();
        steps.put("score_latency_typical_b1", 4);
        steps.put("train_throughput_b4", 3);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        BenchReport report = forks().run(steps, new ProgressLine(new PrintStream(log, true, StandardCharsets.UTF_8), 7, false));

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
    void aFailingChildIsOneSentenceWithItsError() {
        SequencedMap<String, Integer> steps = new LinkedHashMap<>();
        steps.put("score_everything", 2);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        var e = assertThrows(IllegalStateException.class, () -> forks().run(steps, new ProgressLine(quiet, 2, false)));
        assertTrue(e.getMessage().startsWith("benchmark score_everything failed in its JVM (exit code 1): Exception in thread \"main\" "
                + "java.lang.IllegalArgumentException: no benchmark score_everything"), e.getMessage());
    }
}
