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

import vectorlstm.layers.Bidirectional;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Dropout;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.GlobalAveragePooling1D;
import vectorlstm.layers.Gru;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Scorer;
import vectorlstm.model.Sequential;

/**
 * One {@code Scorer.scoreAll} call on models off the packed Embedding-LSTM-Dense path, which a
 * scorer runs layer by layer: the five shapes {@code ScorerAllocationTest} bounds, at the seed
 * model's sizes (vocabulary 5,000, 32-d embeddings, 500 steps, 100 units). Run with
 * {@code -prof gc}: a call should allocate 0 B/op, as the packed path's does
 * ({@link ScorerBenchmark}). The times are the layer-by-layer path's, for regression work; the
 * packed path is the fast one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class LayerScorerBenchmark {
    static final int REVIEWS = 64;  // a power of two: the index wraps with a mask

    @Param({"scalar", "panama"})
    String impl;

    @Param({"gru", "masked-lstm", "bilstm", "stacked", "bigru-sequences-pooled"})
    String model;

    Sequential net;
    Scorer scorer;
    int[][] reviews;
    float[] out;
    int next;

    @Setup
    public void setUp() {
        BenchSupport.useKernels(impl);
        int v = BenchSupport.SEED_VOCABULARY, t = BenchSupport.SEED_STEPS;
        Layer[] layers = switch (model) {
            case "gru" -> new Layer[] {new Embedding(v, 32, t), new Gru(100), new Dense(1, "sigmoid")};
            case "masked-lstm" -> new Layer[] {new Embedding(v, 32, t).maskZero(true), new Lstm(100), new Dense(1, "sigmoid")};
            case "bilstm" -> new Layer[] {new Embedding(v, 32, t), new Bidirectional(new Lstm(100)), new Dense(1, "sigmoid")};
            case "stacked" -> new Layer[] {new Embedding(v, 32, t).maskZero(true), new Lstm(100, true), new Dropout(0.3f), new Gru(50), new Dense(3, "softmax")};
            case "bigru-sequences-pooled" -> new Layer[] {new Embedding(v, 32, t).maskZero(true),
                new Bidirectional(new Gru(100, true, false, true), Bidirectional.MergeMode.SUM), new GlobalAveragePooling1D(), new Dense(1, "sigmoid")};
            default -> throw new IllegalArgumentException("unknown model " + model);
        };
        net = new Sequential(layers).seed(BenchSupport.SEED);
        scorer = net.newScorer();
        // Typical reviews: 270 pads then 230 ids, so the masked models skip what a server would skip.
        reviews = BenchSupport.reviews(REVIEWS, t, ScorerBenchmark.TYPICAL_PADS, v, new SplittableRandom(BenchSupport.SEED));
        out = new float[model.equals("stacked") ? 3 : 1];
    }

    @TearDown
    public void tearDown() {
        scorer.close();
        net.close();
    }

    @Benchmark
    public float[] scoreAll() {
        scorer.scoreAll(reviews[next++ & (REVIEWS - 1)], out);
        return out;
    }
}
