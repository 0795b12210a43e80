package vectorlstm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.Sequential;

/** A tiny run of every benchmark: the structure of the results, never their timings. */
class BenchRunnerTest {
    private static final BenchConfig TINY = new BenchConfig(Duration.ZERO, 3, 2, 2, 8, 4, 1, 4, 1, 11);

    @Test
    void runsEveryBenchmarkOnFreshModelsAndClosesThem() {
        List<Sequential> models = new ArrayList<>();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        BenchReport report = new BenchRunner(TINY, new PrintStream(progress, true, StandardCharsets.UTF_8), false).run(() -> {
            Sequential m = new Sequential(new Embedding(50, 4, 12), new Lstm(5), new Dense(1, "sigmoid")).seed(3);
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            models.add(m);
            return m;
        });

        assertEquals(List.of("score_latency_t12_b1", "score_latency_t12_b1_2threads", "score_latency_typical_b1", "score_throughput_b4",
                "train_throughput_b4"), report.benchmarks().stream().map(BenchResult::name).toList());
        assertEquals(List.of("ms", "ms", "ms", "reviews/s", "samples/s"), report.benchmarks().stream().map(BenchResult::unit).toList());
        assertEquals(List.of(false, false, false, true, true), report.benchmarks().stream().map(BenchResult::higherIsBetter).toList());
        assertEquals(List.of(1, 2, 1, 1, 1), report.benchmarks().stream().map(BenchResult::threads).toList());
        for (BenchResult b : report.benchmarks()) {
            if (b.wasSkipped()) {
                // the two-core scorer, until it exists
                assertEquals("score_latency_t12_b1_2threads", b.name());
                assertFalse(b.skipped().isBlank());
                continue;
            }
            assertEquals(b.unit().equals("ms") ? 3 : 2, b.samples().length, b.name());
            assertTrue(b.min() <= b.median() && b.median() <= b.max(), b.name());
            assertTrue(b.firstCallMs() > 0, b.name());
        }

        assertEquals(6, models.size(), "a probe for the shapes, then a fresh model per benchmark");
        for (Sequential m : models) assertThrows(IllegalStateException.class, m::build, "every model is closed");
        String lines = progress.toString(StandardCharsets.UTF_8);
        assertTrue(lines.contains("score_latency_t12_b1: sample") && lines.strip().endsWith("- done"), lines);

        String table = BenchTables.results(report);
        for (BenchResult b : report.benchmarks()) assertTrue(table.contains(b.name()), table);
        assertTrue(table.contains("machine: "), table);
        assertEquals(report.benchmarks().size(), ReportJson.read(ReportJson.write(report)).benchmarks().size());
    }

    @Test
    void aModelWithoutAnEmbeddingIsRefused() {
        BenchRunner runner = new BenchRunner(TINY, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
        var e = assertThrows(IllegalArgumentException.class,
                () -> runner.run(() -> new Sequential(new Dense(1, "sigmoid"))));
        assertTrue(e.getMessage().contains("Embedding"), e.getMessage());
    }
}
