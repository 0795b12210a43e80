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

import vectorlstm.model.FitOptions;
import vectorlstm.model.History;
import vectorlstm.model.Sequential;

/**
 * End to end: one training step of the seed model, {@code fit} on exactly one batch of
 * {@value #BATCH} random reviews (500 non-zero ids) and random 0/1 labels: forward, backward,
 * the gradient reduction across {@code threads} workers and one Adam step. The score is samples
 * per second ({@code @OperationsPerInvocation}); ms per step is {@value #BATCH}000 / score.
 * The weights keep changing from step to step, as in real training; the loss stays finite.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(TrainStepBenchmark.BATCH)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class TrainStepBenchmark {
    static final int BATCH = 64;

    @Param({"scalar", "panama"})
    String impl;

    @Param({"2"})
    int threads;

    Sequential model;
    int[][] x;
    float[] y;
    FitOptions oneBatch;

    @Setup
    public void setUp() {
        BenchSupport.useKernels(impl);
        SplittableRandom rnd = new SplittableRandom(BenchSupport.SEED);
        x = BenchSupport.reviews(BATCH, BenchSupport.SEED_STEPS, 0, BenchSupport.SEED_VOCABULARY, rnd);
        y = new float[BATCH];
        for (int i = 0; i < BATCH; i++) y[i] = rnd.nextInt(2);
        model = BenchSupport.seedModel().threads(threads);
        oneBatch = new FitOptions().epochs(1).batchSize(BATCH).verbose(false);
    }

    @TearDown
    public void tearDown() {
        model.close();
    }

    @Benchmark
    public History step() {
        return model.fit(x, y, oneBatch);
    }
}
