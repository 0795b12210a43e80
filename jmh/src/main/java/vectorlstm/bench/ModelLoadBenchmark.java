package vectorlstm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

import vectorlstm.classifier.TextClassifier;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.Sequential;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.text.Tokenizer;

/**
 * {@code TextClassifier.load}: open, check and map a model file, ready to classify.
 * {@code model = fasttext}: the shape of the fastText IMDB model (Embedding 20,000 x 100, LSTM 100,
 * Dense 1; 8.2 MB) with a tokenizer that counted 120,000 distinct words, as one fitted on IMDB's
 * training texts does. {@code model = 1gib}: a 1 GiB embedding table. {@link #load} is the first
 * load of a fresh process (single shot, many forks), {@link #loadWarm} a load in a warmed-up one.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 10, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Dvectorlstm.quiet=true"})
@State(Scope.Benchmark)
public class ModelLoadBenchmark {
    @Param({"fasttext", "1gib"})
    public String model;

    private Path dir, file;

    @Setup
    public void save() throws IOException {
        dir = Files.createTempDirectory("vlstm-load");
        file = dir.resolve("model.vlstm");
        boolean big = model.equals("1gib");
        int rows = big ? 2_097_152 : 20_000, dim = big ? 128 : 100;
        Tokenizer tokenizer = Tokenizer.builder().numWords(rows).build();
        tokenizer.fitOnTexts(zipfTexts(big ? 20_000 : 120_000));
        Sequential m = new Sequential(new Embedding(rows, dim, 500), new Lstm(100), new Dense(1, "sigmoid")).seed(1);
        m.compile("binary_crossentropy", new Adam(), "accuracy");
        try (TextClassifier c = TextClassifier.of(m, tokenizer, TextPreprocessing.HTML_LINE_BREAKS, List.of("neg", "pos"), 500)) {
            c.save(file);
        }
    }

    /** Texts that use {@code distinct} different words with Zipf-like counts. */
    private static List<String> zipfTexts(int distinct) {
        SplittableRandom r = new SplittableRandom(3);
        List<String> texts = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (int w = 0; w < distinct; w++) {
            int count = Math.max(1, 50_000 / (w + 1));
            for (int k = 0; k < Math.min(count, 50); k++) b.append("w").append(w).append(r.nextInt(2) == 0 ? " " : "  ");
            if (b.length() > 10_000) {
                texts.add(b.toString());
                b.setLength(0);
            }
        }
        texts.add(b.toString());
        return texts;
    }

    /** The first load of a fresh process (cold JIT; the page cache is warm). */
    @Benchmark
    public int load() {
        try (TextClassifier c = TextClassifier.load(file)) {
            return c.labels().size();
        }
    }

    /** A load in a process that has loaded models before (a service reloading, a test suite). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 3, time = 2)
    @Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Dvectorlstm.quiet=true"})
    public int loadWarm() {
        return load();
    }

    @TearDown
    public void delete() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }
}
