package vectorlstm.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import vectorlstm.classifier.Classification;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.text.Json;

/**
 * {@code ./lstm predict}: one JSON line per text (from --text, else one text per stdin line) with
 * the predicted label and its probability, or an "error" when the text has no known word.
 */
final class PredictCommand {
    static final Set<String> FLAGS = Set.of("model", "text");

    private PredictCommand() {}

    static int run(String[] args, InputStream in, PrintStream out) {
        Flags f = Flags.parse(args, 1, FLAGS);
        if (f.string("model") == null) throw new UsageException("--model is required");
        try (TextClassifier classifier = TextClassifier.load(Path.of(f.string("model")))) {
            if (f.string("text") != null) {
                out.println(predict(classifier, f.string("text")));
                return 0;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) out.println(predict(classifier, line));
        } catch (IOException e) {
            throw new UncheckedIOException("reading stdin: " + e.getMessage(), e);
        }
        return 0;
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
