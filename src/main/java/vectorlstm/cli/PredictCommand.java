package vectorlstm.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vectorlstm.classifier.Classification;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;
import vectorlstm.text.Json;
import vectorlstm.text.PadSequences.Padding;

/**
 * {@code ./lstm predict}: one JSON line per text with the label, its probability and the number of
 * known words; with {@code --ids}, one line of raw model outputs per line of token ids
 * ({@link IdsPredictor}). Texts come from {@code --text} or one per stdin line, ids from stdin
 * ({@link StdinLines}: '\n'-split, CRLF-tolerant). A line that cannot be scored (not UTF-8, no
 * known word, a bad id) gets an {@code "error"} line of its own with its line number, and the
 * stream goes on.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Label texts with a trained model: --text, else one text per stdin line; JSON lines out.",
                "With --ids: one line of space-separated token ids per stdin line, the model's raw outputs out ({\"outputs\":[...]})."})
final class PredictCommand implements Callable<Integer> {
    private final Streams io;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "a model file written by train or import")
    Path model;

    @Option(names = "--text", paramLabel = "TEXT", description = "the text to label (else stdin, one text per line)")
    String text;

    @Option(names = "--ids", description = "read token ids, one sequence per stdin line, and print the raw outputs (any model that starts with an Embedding)")
    boolean ids;

    @Option(names = "--maxlen", paramLabel = "N", description = "with --ids: pad and cut each line to N ids (Keras' pad_sequences); a fixed-length model needs N = its length")
    Integer maxlen;

    @Option(names = "--padding", paramLabel = "pre|post", description = "with --maxlen: where short lines get their zeros: pre (default, as Keras) or post")
    String padding;

    @Option(names = "--truncating", paramLabel = "pre|post", description = "with --maxlen: which end of a long line is cut: pre (default, as Keras) or post")
    String truncating;

    PredictCommand(Streams io) { this.io = io; }

    @Override
    public Integer call() {
        if (ids) return predictIds();
        if (maxlen != null || padding != null || truncating != null) {
            throw new IllegalArgumentException("--maxlen, --padding and --truncating apply to --ids (a text model pads texts as it was trained)");
        }
        try (TextClassifier classifier = TextClassifier.load(model)) {
            if (text != null) {
                io.out().line(predict(classifier, Checks.commandLineText("--text", text, true)));
                return Main.OK;
            }
            StdinLines.read(io.in(), new StdinLines.Handler() {
                @Override public void line(long number, String line) { io.out().line(predictLine(classifier, number, line)); }
                @Override public void badLine(long number, String problem) { io.out().line(error(number, problem)); }
            });
        }
        return Main.OK;
    }

    /** A text the model refuses (more words than a model of any length reads) is that line's error; the stream goes on. */
    private static String predictLine(TextClassifier classifier, long number, String line) {
        try {
            return predict(classifier, line);
        } catch (IllegalArgumentException e) {
            return error(number, e.getMessage());
        }
    }

    private int predictIds() {
        if (text != null) throw new IllegalArgumentException("--ids reads token ids from stdin, --text takes one text: use one or the other");
        if ((padding != null || truncating != null) && maxlen == null) {
            throw new IllegalArgumentException("--padding and --truncating need --maxlen (the length to pad and cut to)");
        }
        Padding pad = side("--padding", padding), cut = side("--truncating", truncating);
        try (SavedModel saved = ModelFile.load(model); IdsPredictor predictor = open(saved, pad, cut)) {
            StdinLines.read(io.in(), new StdinLines.Handler() {
                @Override public void line(long number, String line) { io.out().line(predictor.predict(number, line)); }
                @Override public void badLine(long number, String problem) { io.out().line(error(number, problem)); }
            });
        }
        return Main.OK;
    }

    private IdsPredictor open(SavedModel saved, Padding pad, Padding cut) {
        try {
            return new IdsPredictor(saved, maxlen, pad, cut);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(model + ": " + e.getMessage(), e);
        }
    }

    private static Padding side(String flag, String value) {
        if (value == null || value.equals("pre")) return Padding.PRE;
        if (value.equals("post")) return Padding.POST;
        throw new IllegalArgumentException(flag + " must be pre or post, got '" + value + "'");
    }

    /** The line an input line that cannot be scored gets instead of a result. */
    static String error(long line, String message) {
        return "{\"line\":" + line + ",\"error\":" + Json.quote(message) + "}";
    }

    static String predict(TextClassifier classifier, String text) {
        Classification c = classifier.classify(text);
        StringBuilder json = new StringBuilder("{\"text\":");
        Json.appendQuoted(json, text);
        if (c.knownWords() == 0) return json.append(",\"error\":\"no known words in the text\"}").toString();
        if (c.notANumber() != null) {
            return json.append(",\"error\":\"the model's output is ").append(c.notANumber()).append(" (its weights overflow on this input)\"}").toString();
        }
        json.append(",\"label\":");
        Json.appendQuoted(json, c.label());
        json.append(String.format(Locale.ROOT, ",\"probability\":%.6f", c.probability()));
        json.append(",\"known_words\":").append(c.knownWords()).append('}');
        return json.toString();
    }
}
