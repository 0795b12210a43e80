package vectorlstm.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

import vectorlstm.importer.onnx.OnnxImporter;
import vectorlstm.io.SavedModel;
import vectorlstm.model.Scorer;

/**
 * The same .onnx file twice: imported into the engine ({@code OnnxImporter}) and run by ONNX
 * Runtime 1.23.2 (ALL_OPT, sequential, intra-op threads = {@code threads}, as the anchors' OrtBench).
 * The file is the full-size seed model of {@code tools/parity/export_onnx_models.py seed}
 * (Embedding(5000, 32) → LSTM(100) → Linear(1) → Sigmoid, T = 500), path from
 * {@code -Dvectorlstm.onnx=...} (default ../target/onnx/seed_model.onnx). Reviews are 500 random
 * non-zero ids, so the engine's padding skip does not help it.
 * <ul>
 *   <li>{@code latency}: one review, batch 1 (µs/op). Engine: a Scorer with {@code threads} threads.</li>
 *   <li>{@code batch256}: {@value #BATCH} reviews as one batch (reviews/s). Engine: predict with {@code threads}.</li>
 * </ul>
 */
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class OnnxImportBenchmark {
    static final int BATCH = 256, STEPS = 500, VOCAB = 5000;

    @Param({"vlstm", "ort"})
    String engine;

    @Param({"1", "2"})
    int threads;

    SavedModel imported;
    Scorer scorer;
    OrtEnvironment env;
    OrtSession session;
    OnnxTensor one, batch;
    int[] review;
    int[][] reviews;

    @Setup
    public void setUp() throws Exception {
        Path file = Path.of(System.getProperty("vectorlstm.onnx", "../target/onnx/seed_model.onnx"));
        if (!Files.isRegularFile(file)) throw new IllegalStateException(file.toAbsolutePath() + " is missing: run tools/parity/export_onnx_models.py seed");
        SplittableRandom rng = new SplittableRandom(BenchSupport.SEED);
        reviews = new int[BATCH][STEPS];
        long[] ids = new long[BATCH * STEPS];
        for (int i = 0; i < BATCH; i++) {
            for (int t = 0; t < STEPS; t++) ids[i * STEPS + t] = reviews[i][t] = 1 + rng.nextInt(VOCAB - 1);
        }
        review = reviews[0];
        if (engine.equals("vlstm")) {
            imported = OnnxImporter.importOnnx(file).saved();
            imported.model().threads(threads);
            scorer = imported.model().newScorer(threads);
        } else {
            env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
                so.setIntraOpNumThreads(threads);
                so.setInterOpNumThreads(1);
                so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                session = env.createSession(file.toString(), so);
            }
            one = OnnxTensor.createTensor(env, LongBuffer.wrap(ids, 0, STEPS).slice(), new long[] {1, STEPS});
            batch = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {BATCH, STEPS});
        }
    }

    @TearDown
    public void tearDown() throws OrtException {
        if (scorer != null) scorer.close();
        if (imported != null) imported.close();
        if (one != null) one.close();
        if (batch != null) batch.close();
        if (session != null) session.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float latency() throws OrtException {
        if (scorer != null) return scorer.score(review);
        try (OrtSession.Result r = session.run(Map.of("input_ids", one))) {
            return ((float[][]) r.get(0).getValue())[0][0];
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public float batch256() throws OrtException {
        if (imported != null) return imported.model().predict(reviews, BATCH)[BATCH - 1];
        try (OrtSession.Result r = session.run(Map.of("input_ids", batch))) {
            return ((float[][]) r.get(0).getValue())[BATCH - 1][0];
        }
    }
}
