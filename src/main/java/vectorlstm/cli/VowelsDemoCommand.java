package vectorlstm.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vectorlstm.classifier.SequenceTraining;
import vectorlstm.data.imdb.HttpDownloader;
import vectorlstm.data.imdb.ImdbLocator;
import vectorlstm.data.vowels.JapaneseVowels;
import vectorlstm.data.vowels.VowelsLocator;
import vectorlstm.model.Evaluation;
import vectorlstm.model.Sequential;

/**
 * {@code ./lstm demo vowels}: MATLAB's "Sequence Classification Using Deep Learning" example on
 * the UCI Japanese Vowels data: 12 LPC coefficients per frame, 9 speakers; a BiLSTM(100) reads
 * each utterance at its own length and its last output feeds Dense(9, softmax).
 */
@Command(name = "vowels", mixinStandardHelpOptions = true, sortOptions = false,
        description = "MATLAB's Japanese Vowels example: BiLSTM(100) on numeric sequences, then test accuracy.")
final class VowelsDemoCommand implements Callable<Integer> {
    private final Streams io;

    @Option(names = "--data", paramLabel = "DIR", description = "folder with ae.train and ae.test (default: beside $VLSTM_DATA, ../shared/data, the cache, or a download)")
    String data;

    @Option(names = "--seed", defaultValue = "7", paramLabel = "N", description = "seed of the weights (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--epochs", defaultValue = "100", paramLabel = "N", description = "epochs (default: ${DEFAULT-VALUE}, MATLAB's)")
    int epochs;

    @Option(names = "--threads", paramLabel = "N", description = "training threads, at most 1024 (default: all cores; more than the cores run, with a note that they gain nothing)")
    Integer threads;

    VowelsDemoCommand(Streams io) { this.io = io; }

    @Override
    public Integer call() {
        Checks.range("--epochs", epochs, 1, 100_000);
        Checks.seed(seed);
        if (data != null && data.isBlank()) throw new IllegalArgumentException("--data needs a non-empty value");
        int threadCount = Checks.threads(threads, io.err());
        PrintStream out = io.out().stoppingStream();  // no one reading: nothing to finish, stop at once
        long t0 = System.nanoTime();
        Path dir = VowelsLocator.locate(data, System.getenv(), Path.of(""), ImdbLocator.defaultCacheDir(), new HttpDownloader(), io.err());
        JapaneseVowels vowels = JapaneseVowels.load(dir);
        out.printf(Locale.ROOT, "Japanese Vowels from %s: %d train, %d test sequences of %d..%d frames, %d features, %d speakers (%.1fs)%n",
                dir, vowels.train().size(), vowels.test().size(), vowels.train().minLength(), Math.max(vowels.train().maxLength(), vowels.test().maxLength()),
                vowels.train().features(), vowels.train().labelNames().size(), seconds(t0));
        SequenceTraining recipe = SequenceTraining.matlabVowels(seed, threadCount);
        recipe = new SequenceTraining(recipe.layers(), epochs, recipe.batch(), recipe.learningRate(), recipe.clipnorm(), seed, threadCount);
        long t1 = System.nanoTime();
        try (SequenceTraining.Trained trained = recipe.train(vowels.train(), out)) {
            Sequential model = trained.model();
            double trainSeconds = seconds(t1);
            Evaluation eval = model.evaluate(vowels.test().x(), SequenceTraining.targets(vowels.test()), recipe.batch());
            out.printf(Locale.ROOT, "trained in %.1fs (%d threads, seed %d)%n", trainSeconds, threadCount, seed);
            out.printf(Locale.ROOT, "test loss: %.4f%n", eval.loss());
            out.printf(Locale.ROOT, "test accuracy: %.4f%n", eval.accuracy());
        }
        io.out().check();
        return Main.OK;
    }

    private static double seconds(long since) { return (System.nanoTime() - since) / 1e9; }
}
