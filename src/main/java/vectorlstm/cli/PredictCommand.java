package vectorlstm.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vectorlstm.classifier.Classification;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.text.Json;
import vectorlstm.text.StrictUtf8;

/**
 * {@code ./lstm predict}: one JSON line per text with the label, its probability and the number of
 * known words. Texts come from {@code --text} or one per stdin line (split at '\n' only, a CRLF's
 * '\r' dropped; a lone '\r' stays inside its line). A line that is not UTF-8 or has no known word
 * gets an {@code "error"} line of its own, and the stream goes on.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Label texts with a trained model: --text, else one text per stdin line; JSON lines out.")
final class PredictCommand implements Callable<Integer> {
    /** Longer stdin lines are refused (with an error line) instead of filling memory. */
    static final int MAX_LINE_BYTES = 16 << 20;

    private final Streams io;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "a model file written by train")
    Path model;

    @Option(names = "--text", paramLabel = "TEXT", description = "the text to label (else stdin, one text per line)")
    String text;

    PredictCommand(Streams io) { this.io = io; }

    @Override
    public Integer call() throws Exception {
        try (TextClassifier classifier = TextClassifier.load(model)) {
            if (text != null) {
                io.out().line(predict(classifier, text));
                return Main.OK;
            }
            InputStream in = new BufferedInputStream(io.in(), 1 << 16);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long number = 0;
            boolean tooLong = false;
            for (int b = in.read(); ; b = in.read()) {
                if (b == '\n' || (b < 0 && (line.size() > 0 || tooLong))) {
                    number++;
                    io.out().line(tooLong ? error(number, "line longer than " + (MAX_LINE_BYTES >> 20) + " MiB") : predictLine(classifier, line.toByteArray(), number));
                    line.reset();
                    tooLong = false;
                } else if (b >= 0) {
                    if (line.size() < MAX_LINE_BYTES) line.write(b);
                    else tooLong = true;
                }
                if (b < 0) break;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading stdin: " + e.getMessage(), e);
        }
        return Main.OK;
    }

    private static String predictLine(TextClassifier classifier, byte[] bytes, long number) {
        int n = bytes.length;
        if (n > 0 && bytes[n - 1] == '\r') n--;  // CRLF input
        String text;
        try {
            text = StrictUtf8.decoder().decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            return error(number, "not valid UTF-8 text");
        }
        return predict(classifier, text);
    }

    private static String error(long line, String message) {
        return "{\"line\":" + line + ",\"error\":" + Json.quote(message) + "}";
    }

    static String predict(TextClassifier classifier, String text) {
        Classification c = classifier.classify(text);
        StringBuilder json = new StringBuilder("{\"text\":");
        Json.appendQuoted(json, text);
        if (c.knownWords() == 0) return json.append(",\"error\":\"no known words in the text\"}").toString();
        json.append(",\"label\":");
        Json.appendQuoted(json, c.label());
        json.append(String.format(Locale.ROOT, ",\"probability\":%.6f", c.probability()));
        json.append(",\"known_words\":").append(c.knownWords()).append('}');
        return json.toString();
    }
}
