package vectorlstm.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vectorlstm.data.imdb.HttpDownloader;
import vectorlstm.data.imdb.ImdbDataset;
import vectorlstm.data.imdb.ImdbLocator;
import vectorlstm.data.TextDataset;
import vectorlstm.model.Evaluation;
import vectorlstm.model.FitOptions;
import vectorlstm.model.History;
import vectorlstm.model.Scorer;
import vectorlstm.model.Sequential;
import vectorlstm.text.PadSequences;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.text.Tokenizer;

/**
 * {@code ./lstm demo}: the Keras IMDB program. Top {@code num-words} words from a Tokenizer fitted
 * on the training texts, sequences pre-padded/truncated to {@code maxlen}, the seed model trained
 * with Adam on shuffled batches, then test accuracy and the median batch-1 scoring latency.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The Keras IMDB program end to end: train the seed model, evaluate it, measure scoring latency.")
final class DemoCommand implements Callable<Integer> {
    private static final int LATENCY_WARMUP = 100, LATENCY_CALLS = 300;
    private final Streams io;

    @Option(names = "--data", paramLabel = "PATH", description = "IMDB folder or aclImdb_v1.tar.gz (default: $VLSTM_DATA, the cache, or a download)")
    String data;

    @Option(names = "--epochs", defaultValue = "3", paramLabel = "N", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "N", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--maxlen", defaultValue = "500", paramLabel = "N", description = "pad/truncate reviews to N words (default: ${DEFAULT-VALUE})")
    int maxlen;

    @Option(names = "--num-words", defaultValue = "5000", paramLabel = "N", description = "keep the N-1 most frequent words (default: ${DEFAULT-VALUE})")
    int numWords;

    @Option(names = "--seed", defaultValue = "7", paramLabel = "N", description = "seed of weights and shuffling (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--units", defaultValue = "100", paramLabel = "N", description = "LSTM units, at most " + vectorlstm.classifier.TrainingRecipe.MAX_UNITS + " (default: ${DEFAULT-VALUE}, the Keras program's)")
    int units;

    @Option(names = "--limit", paramLabel = "N", description = "a balanced sample of N train and N test reviews (default: all 25,000 each)")
    Integer limit;

    @Option(names = "--threads", paramLabel = "N", description = "training threads, at most 1024 (default: all cores; more than the cores run, with a note that they gain nothing)")
    Integer threads;

    DemoCommand(Streams io) { this.io = io; }

    @Override
    public Integer call() throws Exception {
        Checks.range("--epochs", epochs, 1, 100_000);
        Checks.seed(seed);
        Checks.range("--batch", batch, 1, 1 << 16);
        Checks.range("--maxlen", maxlen, 1, 100_000);
        Checks.range("--num-words", numWords, 2, 10_000_000);
        Checks.range("--units", units, 1, vectorlstm.classifier.TrainingRecipe.MAX_UNITS);
        if (limit != null) Checks.range("--limit", limit, 2, Integer.MAX_VALUE);  // a balanced sample needs one review of each label at least
        if (data != null && data.isBlank()) throw new IllegalArgumentException("--data needs a non-empty value");
        int threadCount = Checks.threads(threads, io.err());
        return run(threadCount);
    }

    private int run(int threads) {
        PrintStream out = io.out().stoppingStream();  // no one reading: nothing to finish, stop at once
        long t0 = System.nanoTime();
        Path source = ImdbLocator.locate(data, System.getenv(), null, new HttpDownloader(), io.err());
        ImdbDataset imdb = ImdbDataset.load(source);
        TextDataset train = imdb.train(), test = imdb.test();
        if (limit != null) {
            train = train.balancedSample(limit, seed);
            test = test.balancedSample(limit, seed + 1);
        }
        out.printf(Locale.ROOT, "IMDB from %s: %d train, %d test reviews (%.1fs)%n", source.normalize(), train.size(), test.size(), seconds(t0));

        long t1 = System.nanoTime();
        // As the Keras example's texts, and as `train` does: an HTML line break is a space, not the word "br".
        List<String> trainTexts = train.texts().stream().map(TextPreprocessing.HTML_LINE_BREAKS::apply).toList();
        List<String> testTexts = test.texts().stream().map(TextPreprocessing.HTML_LINE_BREAKS::apply).toList();
        Tokenizer tokenizer = Tokenizer.builder().numWords(numWords).build();
        tokenizer.fitOnTexts(trainTexts);
        int[][] xTrain = PadSequences.pad(tokenizer.textsToSequences(trainTexts), maxlen);
        int[][] xTest = PadSequences.pad(tokenizer.textsToSequences(testTexts), maxlen);
        int distinct = tokenizer.wordIndex().size();
        out.printf(Locale.ROOT, "tokenized: %,d distinct words, kept the top %,d; padded to %d (%.1fs)%n",
                distinct, Math.min(distinct, numWords - 1), maxlen, seconds(t1));

        try (Sequential model = SeedModel.build(numWords, maxlen, units, seed).threads(threads)) {
            out.print(model.summary());
            History history = model.fit(xTrain, train.targets(), new FitOptions().epochs(epochs).batchSize(batch).log(out).terminal(Output.isTerminal()));
            List<String> times = new ArrayList<>();
            for (History.Epoch e : history.epochs()) times.add(String.format(Locale.ROOT, "%.1fs", e.seconds()));
            out.println("epoch wall times: " + String.join(", ", times) + " (" + threads + (threads == 1 ? " thread)" : " threads)"));

            Evaluation eval = model.evaluate(xTest, test.targets(), batch);
            out.printf(Locale.ROOT, "test loss: %.4f%n", eval.loss());
            out.printf(Locale.ROOT, "test accuracy: %.4f%n", eval.accuracy());
            printLatency(model, xTest, out);
        }
        io.out().check();
        return Main.OK;
    }

    /** Median wall time of scoring one review at a time on one thread, after a JIT warm-up. */
    private static void printLatency(Sequential model, int[][] reviews, PrintStream out) {
        try (Scorer scorer = model.newScorer()) {
            long first = System.nanoTime();
            scorer.score(reviews[0]);
            double firstMs = (System.nanoTime() - first) / 1e6;
            for (int i = 0; i < LATENCY_WARMUP; i++) scorer.score(reviews[i % reviews.length]);
            long[] nanos = new long[LATENCY_CALLS];
            for (int i = 0; i < LATENCY_CALLS; i++) {
                int[] review = reviews[(i * 7919) % reviews.length];
                long s = System.nanoTime();
                scorer.score(review);
                nanos[i] = System.nanoTime() - s;
            }
            Arrays.sort(nanos);
            // Test reviews as they are: their padding is skipped, so this is the typical review's figure, not bench's 500 real steps.
            out.printf(Locale.ROOT, "median single-review scoring latency: %.3f ms (batch 1, 1 thread, %d calls on test reviews padded to %d steps, "
                            + "the padding skipped; p99 %.3f ms; first call %.1f ms)%n",
                    nanos[LATENCY_CALLS / 2] / 1e6, LATENCY_CALLS, reviews[0].length, nanos[LATENCY_CALLS * 99 / 100] / 1e6, firstMs);
        }
    }


    private static double seconds(long since) { return (System.nanoTime() - since) / 1e9; }
}
