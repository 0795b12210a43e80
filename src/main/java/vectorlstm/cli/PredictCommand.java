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
 * stream goes on; at the end stderr counts such lines, and when no input at all was scored the
 * exit code says so ({@link Main#NOTHING_SCORED}): a wrong model or a wrong file must not pass a
 * script's {@code set -e} as a run that worked.
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

    /** Inputs that got a result, and inputs that got an error line instead. */
    private long scored, unscored;

    PredictCommand(Streams io) { this.io = io; }

    @Override
    public Integer call() {
        if (ids) return predictIds();
        if (maxlen != null || padding != null || truncating != null) {
            throw new IllegalArgumentException("--maxlen, --padding and --truncating apply to --ids (a text model pads texts as it was trained)");
        }
        try (TextClassifier classifier = TextClassifier.load(model)) {
            if (text != null) {
                print(predict(classifier, Checks.commandLineText("--text", text, true)));
                return exitCode("the text");
            }
            StdinLines.read(io.in(), new StdinLines.Handler() {
                @Override public void line(long number, String line) { print(predictLine(classifier, number, line)); }
                @Override public void badLine(long number, String problem) { print(error(number, problem)); }
            });
        }
        return exitCode("lines");
    }

    /** A text the model refuses (more words than a model of any length reads) is that line's error; the stream goes on. */
    private static Line predictLine(TextClassifier classifier, long number, String line) {
        try {
            return predict(classifier, line);
        } catch (IllegalArgumentException e) {
            return error(number, e.getMessage());
        }
    }

    private void print(Line line) {
        io.out().line(line.json());
        if (line.scored()) scored++;
        else unscored++;
    }

    /**
     * OK when every input got a result; otherwise one line on stderr counting the error lines,
     * and {@link Main#NOTHING_SCORED} when no input got one. Empty stdin is no failure: nothing
     * was asked.
     */
    private int exitCode(String inputs) {
        if (unscored == 0) return Main.OK;
        String which = scored > 0 ? unscored + " of " + (scored + unscored) + " lines"
                : inputs.equals("lines") ? (unscored == 1 ? "the one line" : "none of the " + unscored + " lines") : inputs;
        String verb = scored == 0 && unscored > 1 ? " could be scored" : " could not be scored";
        io.err().println("lstm: " + which + verb + " (" + (unscored == 1 ? "its \"error\" line says" : "their \"error\" lines say") + " why)");
        return scored == 0 ? Main.NOTHING_SCORED : Main.OK;
    }

    private int predictIds() {
        if (text != null) throw new IllegalArgumentException("--ids reads token ids from stdin, --text takes one text: use one or the other");
        if ((padding != null || truncating != null) && maxlen == null) {
            throw new IllegalArgumentException("--padding and --truncating need --maxlen (the length to pad and cut to)");
        }
        Padding pad = side("--padding", padding), cut = side("--truncating", truncating);
        // Before the model is read: a bad --maxlen is the flag's fault, not the file's.
        if (maxlen != null) Checks.range("--maxlen", maxlen, 1, vectorlstm.io.ModelFile.MAX_SEQUENCE_LENGTH);
        try (SavedModel saved = ModelFile.load(model); IdsPredictor predictor = open(saved, pad, cut)) {
            StdinLines.read(io.in(), new StdinLines.Handler() {
                @Override public void line(long number, String line) { print(predictor.predict(number, line)); }
                @Override public void badLine(long number, String problem) { print(error(number, problem)); }
            });
        }
        return exitCode("lines");
    }

    private IdsPredictor open(SavedModel saved, Padding pad, Padding cut) {
        try {
            return new IdsPredictor(saved, maxlen, pad, cut);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(model + ": " + e.getMessage(), e);
        }
    }

    private static Padding side(String flag, String value) {
        String v = value == null ? null : value.toLowerCase(Locale.ROOT);  // as the other choice flags: PRE is pre
        if (v == null || v.equals("pre")) return Padding.PRE;
        if (v.equals("post")) return Padding.POST;
        throw new IllegalArgumentException(flag + " must be pre or post, got '" + value + "'");
    }

    /** One output line, and whether its input got a result (an error line otherwise). */
    record Line(String json, boolean scored) {
        static Line result(String json) { return new Line(json, true); }
        static Line failure(String json) { return new Line(json, false); }
    }

    /** The line an input line that cannot be scored gets instead of a result. */
    static Line error(long line, String message) {
        return Line.failure("{\"line\":" + line + ",\"error\":" + Json.quote(message) + "}");
    }

    static Line predict(TextClassifier classifier, String text) {
        Classification c = classifier.classify(text);
        StringBuilder json = new StringBuilder("{\"text\":");
        Json.appendQuoted(json, text);
        if (c.knownWords() == 0) return Line.failure(json.append(",\"error\":\"no known words in the text\"}").toString());
        if (c.notANumber() != null) {
            return Line.failure(json.append(",\"error\":\"the model's output is ").append(c.notANumber()).append(" (its weights overflow on this input)\"}").toString());
        }
        json.append(",\"label\":");
        Json.appendQuoted(json, c.label());
        json.append(String.format(Locale.ROOT, ",\"probability\":%.6f", c.probability()));
        json.append(",\"known_words\":").append(c.knownWords()).append('}');
        return Line.result(json.toString());
    }
}
