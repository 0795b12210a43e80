package vectorlstm.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import vectorlstm.model.Scorer;
import vectorlstm.model.Sequential;

/**
 * End to end: one {@code Scorer.score} call on the seed model (batch 1, one thread), as a server
 * scores a single review. {@code input = full}: 500 random non-zero ids (every step runs);
 * {@code typical}: 270 padding zeros then 230 ids, the median IMDB review (the scorer skips the
 * shared padding prefix). Run with {@code -prof gc}: the scoring path should allocate 0 B/op.
 *
 * <p>The op cycles through {@value #REVIEWS} different reviews so no single input is learnt by
 * the branch predictor; the index arithmetic is negligible next to 500 LSTM steps.
 *
 * <p>{@code length = any} builds the seed model with an Embedding of no fixed length (as a Keras 3
 * model without a fixed Input has), scored at each review's own length: the same packed path as {@code fixed}.
 *
 * <p>{@code scorerThreads = 2} scores through {@code newScorer(2)} (the units split between the
 * caller and a helper thread). With JMH's {@code -t N} each of N benchmark threads has its own
 * scorer: {@code -t 2 -p scorerThreads=2} on a 2-core machine is the busy case, four threads
 * wanting two cores, where the two-thread scorer must not collapse.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class ScorerBenchmark {
    static final int REVIEWS = 64;  // a power of two: the index wraps with a mask
    static final int TYPICAL_PADS = 270;

    @Param({"scalar", "panama"})
    String impl;

    @Param({"full", "typical"})
    String input;

    @Param({"1", "2"})
    int scorerThreads;

    @Param({"fixed", "any"})
    String length;

    Sequential model;
    Scorer scorer;
    int[][] reviews;
    int next;

    // Scope.Thread state is set up on the benchmark thread, which a Scorer (confined arena) needs.
    @Setup
    public void setUp() {
        BenchSupport.useKernels(impl);
        int pads = switch (input) {
            case "full" -> 0;
            case "typical" -> TYPICAL_PADS;
            default -> throw new IllegalArgumentException("input must be full or typical, got " + input);
        };
        reviews = BenchSupport.reviews(REVIEWS, BenchSupport.SEED_STEPS, pads, BenchSupport.SEED_VOCABULARY, new SplittableRandom(BenchSupport.SEED));
        model = switch (length) {
            case "fixed" -> BenchSupport.seedModel();
            case "any" -> BenchSupport.seedModelOfAnyLength();
            default -> throw new IllegalArgumentException("length must be fixed or any, got " + length);
        };
        scorer = model.newScorer(scorerThreads);
    }

    @TearDown
    public void tearDown() {
        scorer.close();
        model.close();
    }

    @Benchmark
    public float score() {
        return scorer.score(reviews[next++ & (REVIEWS - 1)]);
    }
}
