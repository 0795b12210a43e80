package vectorlstm.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.Sequential;

/**
 * A bench small enough for tests: a 12-step model, no warm-up, a few samples. Its main is the
 * child JVM of {@link ForkedBenchTest}, as {@code ./lstm bench --fork-child NAME} is for the CLI.
 */
final class TinyBench {
    static final BenchConfig CONFIG = new BenchConfig(Duration.ZERO, 3, 2, 2, 8, 4, 1, 4, 1, 11);
    static final List<String> NAMES = List.of("score_latency_t12_b1", "score_latency_t12_b1_2threads", "score_latency_typical_b1",
            "score_throughput_b4", "train_throughput_b4");

    /** Every model the runner asked for, to check that it closed them all. */
    final List<Sequential> models = new CopyOnWriteArrayList<>();

    BenchRunner runner() {
        return runner(List.of());
    }

    BenchRunner runner(List<Integer> realLengths) {
        return new BenchRunner(CONFIG, () -> {
            Sequential m = new Sequential(new Embedding(50, 4, 12), new Lstm(5), new Dense(1, "sigmoid")).seed(3);
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            models.add(m);
            return m;
        }, realLengths);
    }

    public static void main(String[] args) {
        ForkedBench.child(new TinyBench().runner(), args[0], new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }
}
