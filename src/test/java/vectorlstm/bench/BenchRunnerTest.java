package vectorlstm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vectorlstm.layers.Dense;
import vectorlstm.model.Sequential;

/** A tiny run of every benchmark in this JVM: the structure of the results, never their timings. */
class BenchRunnerTest {
    @Test
    void runsEveryBenchmarkOnAFreshModelAndClosesIt() {
        TinyBench tiny = new TinyBench();
        BenchRunner runner = tiny.runner();
        assertEquals(TinyBench.NAMES, List.copyOf(runner.steps().keySet()));
        assertEquals(List.of(4, 4, 4, 3, 3), List.copyOf(runner.steps().values()), "first call and warm-up, then one step per sample");

        List<BenchResult> results = new ArrayList<>();
        for (String name : TinyBench.NAMES) {
            List<String> progress = new ArrayList<>();
            BenchResult b = runner.run(name, (done, status) -> progress.add(done + " " + status));
            results.add(b);
            assertEquals("0 " + name + ": first call and warm-up", progress.get(0));
            if (b.wasSkipped()) {
                assertEquals("score_latency_t12_b1_2threads", name, "only the two-core scorer may be missing");
                assertFalse(b.skipped().isBlank());
                continue;
            }
            assertEquals(runner.steps().get(name) - 1, b.samples().length, name);
            assertEquals(b.samples().length + " " + name + ": sample " + b.samples().length + "/" + b.samples().length, progress.getLast());
            assertTrue(b.min() <= b.median() && b.median() <= b.max(), name);
            assertTrue(b.firstCallMs() > 0, name);
        }
        assertEquals(List.of("ms", "ms", "ms", "reviews/s", "samples/s"), results.stream().map(BenchResult::unit).toList());
        assertEquals(List.of(false, false, false, true, true), results.stream().map(BenchResult::higherIsBetter).toList());
        assertEquals(List.of(1, 2, 1, 1, 1), results.stream().map(BenchResult::threads).toList());

        assertEquals(6, tiny.models.size(), "a probe for the shapes, then a fresh model per benchmark");
        for (Sequential m : tiny.models) assertThrows(IllegalStateException.class, m::build, "every model is closed");

        String table = BenchTables.results(new BenchReport(Machine.current(), results));
        for (String name : TinyBench.NAMES) assertTrue(table.contains(name), table);
    }

    @Test
    void realLengthsAddLatencyBenchmarksAtOneAndTwoThreadsAfterTheOthers() {
        assertEquals("score_latency_real50_b1", BenchRunner.realLengthName(50, 1));
        assertEquals("score_latency_real0_b1_2threads", BenchRunner.realLengthName(0, 2));
        BenchRunner runner = new TinyBench().runner(List.of(0, 7, 12));
        List<String> names = List.copyOf(runner.steps().keySet());
        assertEquals(TinyBench.NAMES, names.subList(0, TinyBench.NAMES.size()));
        assertEquals(List.of("score_latency_real0_b1", "score_latency_real0_b1_2threads", "score_latency_real7_b1",
                "score_latency_real7_b1_2threads", "score_latency_real12_b1", "score_latency_real12_b1_2threads"),
                names.subList(TinyBench.NAMES.size(), names.size()));
        for (String name : List.of("score_latency_real0_b1", "score_latency_real7_b1_2threads")) {
            BenchResult b = runner.run(name, (d, s) -> {});
            assertEquals("ms", b.unit());
            assertFalse(b.higherIsBetter());
            assertEquals(name.endsWith("_2threads") ? 2 : 1, b.threads());
            assertEquals(TinyBench.CONFIG.latencySamples(), b.samples().length, name);
        }
    }

    @Test
    void realLengthsOutsideTheInputOrTwiceAreRefused() {
        for (List<Integer> bad : List.of(List.of(13), List.of(-1), List.of(5, 5))) {
            var e = assertThrows(IllegalArgumentException.class, () -> new TinyBench().runner(bad));
            assertTrue(e.getMessage().contains("real length"), e.getMessage());
        }
    }

    @Test
    void unknownNamesAndModelsWithoutAnEmbeddingAreRefused() {
        var unknown = assertThrows(IllegalArgumentException.class, () -> new TinyBench().runner().run("score_everything", (d, s) -> {}));
        assertTrue(unknown.getMessage().contains("no benchmark score_everything (there are score_latency_t12_b1"), unknown.getMessage());
        var e = assertThrows(IllegalArgumentException.class, () -> new BenchRunner(TinyBench.CONFIG, () -> new Sequential(new Dense(1, "sigmoid"))));
        assertTrue(e.getMessage().contains("Embedding"), e.getMessage());
    }
}
