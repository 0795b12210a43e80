package vectorlstm.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;
import vectorlstm.model.Scorer;
import vectorlstm.text.HtmlLineBreaks;
import vectorlstm.text.Json;
import vectorlstm.text.PadSequences;

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
        try (SavedModel saved = ModelFile.load(Path.of(f.string("model"))); Scorer scorer = saved.model().newScorer()) {
            if (saved.tokenizer() == null) throw new IllegalArgumentException(f.string("model") + " has no tokenizer: it was not trained on texts");
            if (f.string("text") != null) {
                out.println(predict(saved, scorer, f.string("text")));
                return 0;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) out.println(predict(saved, scorer, line));
        } catch (IOException e) {
            throw new UncheckedIOException("reading stdin: " + e.getMessage(), e);
        }
        return 0;
    }

    static String predict(SavedModel saved, Scorer scorer, String text) {
        int[] ids = saved.tokenizer().textToSequence(HtmlLineBreaks.toSpaces(text));
        StringBuilder json = new StringBuilder("{\"text\":");
        Json.appendQuoted(json, text);
        if (ids.length == 0) return json.append(",\"error\":\"no known words in the text\"}").toString();
        int[] padded = PadSequences.pad(new int[][] {ids}, saved.maxlen())[0];
        List<String> labels = saved.labels();
        float[] p = scorer.scoreAll(padded);
        int best = 0;
        if (p.length == 1) {
            best = p[0] > 0.5f ? 1 : 0;
        } else {
            for (int j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
        }
        json.append(",\"label\":");
        Json.appendQuoted(json, labels.get(best));
        json.append(String.format(Locale.ROOT, ",\"probability\":%.6f", p.length == 1 ? (best == 1 ? p[0] : 1 - p[0]) : p[best]));
        json.append(",\"known_words\":").append(Math.min(ids.length, saved.maxlen())).append('}');
        return json.toString();
    }
}
