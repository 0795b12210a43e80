package vectorlstm.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.inspect.ShapeTrace;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;
import vectorlstm.model.Sequential;

/**
 * {@code ./lstm summary}: a model's Keras-style summary (the seed model's, or a saved one's), and
 * with {@code --trace} every tensor's shape from text to score.
 */
@Command(name = "summary", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A model's summary, Keras style: the seed model's, or --model's.",
                "--trace: every tensor's shape and a few values from text (or ids) to score, step by step."})
final class SummaryCommand implements Callable<Integer> {
    /** The seed model is traced on a sequence shaped like the median IMDB review: 270 pads, then 230 ids. */
    private static final int TYPICAL_PADS = 270;
    private static final String SAMPLE = "A gripping story, beautifully shot, with a cast that never lets it down.";
    private final Streams io;

    @Option(names = "--model", paramLabel = "MODEL", description = "a model file (default: the seed model, untrained)")
    Path model;

    @Option(names = "--trace", description = "also trace one text (or, for the seed model, one id sequence) through the model")
    boolean trace;

    @Option(names = "--text", paramLabel = "TEXT", description = "text to trace (repeat it to trace a batch: text 1's values, every text's label); needs --model and --trace; without it, a sample sentence")
    List<String> texts;

    @Option(names = "--num-words", defaultValue = "5000", paramLabel = "N", description = "seed model: vocabulary size (default: ${DEFAULT-VALUE})")
    int numWords;

    @Option(names = "--maxlen", defaultValue = "500", paramLabel = "N", description = "seed model: sequence length (default: ${DEFAULT-VALUE})")
    int maxlen;

    @Spec CommandSpec spec;

    SummaryCommand(Streams io) { this.io = io; }

    @Override
    public Integer call() {
        if (texts != null && (model == null || !trace)) throw new IllegalArgumentException("--text needs --model and --trace");
        for (String seedOnly : new String[] {"--num-words", "--maxlen"}) {
            if (model != null && spec.commandLine().getParseResult().hasMatchedOption(seedOnly)) {
                throw new IllegalArgumentException(seedOnly + " describes the seed model; a --model file has its own");
            }
        }
        if (model != null && !trace) {
            try (SavedModel saved = ModelFile.load(model)) {  // any model: with or without a vocabulary, ids or numeric input
                io.out().print(saved.model().summary());
            }
            return Main.OK;
        }
        if (model != null) {
            try (TextClassifier c = TextClassifier.load(model)) {
                // Traced first: a model the trace refuses printed its whole summary before the error.
                String traced = ShapeTrace.format(ShapeTrace.ofTexts(c, texts == null ? List.of(SAMPLE) : texts.stream().map(t -> Checks.commandLineText("--text", t, false)).toList()));
                io.out().print(c.model().summary());
                io.out().print("\n" + traced);
            }
            return Main.OK;
        }
        Checks.range("--num-words", numWords, 2, 10_000_000);
        Checks.range("--maxlen", maxlen, 1, 100_000);
        try (Sequential seed = trace ? SeedModel.build(numWords, maxlen, 7) : SeedModel.layers(numWords, maxlen, SeedModel.UNITS)) {
            io.out().print(seed.summary());
            if (trace) {
                int[] ids = new int[maxlen];
                SplittableRandom r = new SplittableRandom(7);
                for (int t = Math.min(TYPICAL_PADS, maxlen - 1); t < maxlen; t++) ids[t] = 1 + r.nextInt(numWords - 1);
                io.out().print("\nThe seed model (untrained weights) on one sequence of ids shaped like a typical IMDB review; "
                        + "trace a text with --model:\n" + ShapeTrace.format(ShapeTrace.ofIds(seed, new int[][] {ids})));
            }
        }
        return Main.OK;
    }
}
