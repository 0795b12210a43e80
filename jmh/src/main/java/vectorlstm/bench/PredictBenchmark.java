package vectorlstm.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import vectorlstm.model.Sequential;

/**
 * End to end: batch scoring, {@code Sequential.predict(x, batch)} on {@value #REVIEWS} random
 * reviews of 500 non-zero ids with the seed model, split between {@code threads} workers. The
 * score is reviews per second ({@code @OperationsPerInvocation}: one invocation scores them all).
 * {@code length = any}: the seed model with an Embedding of no fixed length, on reviews
 * of 100-500 random ids each (not padded), so a chunk steps rows of different lengths.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(PredictBenchmark.REVIEWS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class PredictBenchmark {
    static final int REVIEWS = 512;

    @Param({"scalar", "panama"})
    String impl;

    @Param({"64", "256"})
    int batch;

    @Param({"2"})
    int threads;

    @Param({"fixed", "any"})
    String length;

    Sequential model;
    int[][] x;

    @Setup
    public void setUp() {
        BenchSupport.useKernels(impl);
        SplittableRandom rnd = new SplittableRandom(BenchSupport.SEED);
        x = BenchSupport.reviews(REVIEWS, BenchSupport.SEED_STEPS, 0, BenchSupport.SEED_VOCABULARY, rnd);
        model = switch (length) {
            case "fixed" -> BenchSupport.seedModel().threads(threads);
            case "any" -> {
                // Reviews of 100-500 ids: a chunk's rows of different lengths.
                for (int i = 0; i < x.length; i++) x[i] = java.util.Arrays.copyOf(x[i], 100 + rnd.nextInt(401));
                yield BenchSupport.seedModelOfAnyLength().threads(threads);
            }
            default -> throw new IllegalArgumentException("length must be fixed or any, got " + length);
        };
    }

    @TearDown
    public void tearDown() {
        model.close();
    }

    @Benchmark
    public float[] predict() {
        return model.predict(x, batch);
    }
}
