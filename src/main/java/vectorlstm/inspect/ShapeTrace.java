package vectorlstm.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Dropout;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Shape;
import vectorlstm.model.Sequential;

/**
 * Every tensor from text to score, with its shape, what it is and a few of its values:
 * ids (1, 500) → embeddings (1, 500, 32) → x_t (1, 32) at each step → z_t (1, 400) → i, f, g, o
 * (1, 100) → c_t, h_t (1, 100) → last h (1, 100) → logit (1, 1) → probability. A batch shows its
 * size as the first dimension ({@code batch=4}); the values are the first sequence's and say so
 * ("text 1, step 199: ..."), and the label row gives every text's label and probability.
 */
public final class ShapeTrace {
    /** One line of the trace. */
    public record Row(String name, String shape, String meaning, String values) {}

    private ShapeTrace() {}

    /**
     * Java's {@code trace(text)}: the trace as an aligned table, for one text (or a batch, whose
     * size becomes the first dimension). What {@code ./lstm summary --model M --trace} prints.
     */
    public static String trace(TextClassifier classifier, String... texts) {
        return format(ofTexts(classifier, List.of(texts)));
    }

    /**
     * The trace of texts through a classifier (its tokenizer, padding and model). Several texts
     * are traced as a batch: the tensors' values are text 1's, and the label row has one line per
     * text (a batch of three printed one label and probability, text 1's, without saying so).
     */
    public static List<Row> ofTexts(TextClassifier classifier, List<String> texts) {
        if (texts.isEmpty()) throw new IllegalArgumentException("trace needs at least one text");
        List<Inspection> each = texts.stream().map(t -> Inspection.of(classifier, t)).toList();
        Inspection first = each.get(0);
        int[][] ids = each.stream().map(in -> in.ids).toArray(int[][]::new);
        List<Row> rows = new ArrayList<>();
        long read = first.readWords().size(), unknown = first.words.stream().filter(w -> w.fate() == Inspection.Fate.UNKNOWN).count();
        long cut = first.words.stream().filter(w -> w.fate() == Inspection.Fate.TRUNCATED).count();
        String filters = classifier.preprocessing() == vectorlstm.text.TextPreprocessing.NONE ? " after the tokenizer's filters; "
                : " after " + classifier.preprocessing().fileName() + " and the tokenizer's filters; ";
        rows.add(new Row("text", count(ids.length, "text"), (ids.length == 1 ? "" : "text 1 of " + ids.length + ", whose values are shown: ")
                + count(first.words.size(), "word") + filters + read + " read" + (first.readAsUnknown() > 0 ? " (" + first.readAsUnknown() + " as the unknown-word id)" : "")
                + ", " + unknown + " not in the vocabulary" + (cut > 0 ? ", " + cut + " cut (pre-truncation)" : ""),
                quoteFew(first.words.stream().map(Inspection.Word::text).toList())));
        // A Keras word index puts its start mark before the words: the ids start there, the words a step later.
        // No word read: the words would start past the last step (what follows a start mark is then nothing).
        int firstWord = first.readWords().isEmpty() ? first.ids.length : first.readWords().get(0).step();
        rows.addAll(ofIds(classifier.model(), ids, first.steps, firstWord, "text 1"));
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < each.size(); i++) {
            Inspection in = each.get(i);
            String answer = String.format(Locale.ROOT, "\"%s\" (p = %.4f)", classifier.labels().get(in.predicted), in.probability(in.steps.steps - 1, in.predicted));
            labels.add(each.size() == 1 ? answer : "text " + (i + 1) + " of " + each.size() + ": " + answer);
        }
        rows.add(new Row("label", count(ids.length, "label"), "the most probable of " + classifier.labels() + (each.size() == 1 ? "" : ", for each text"),
                String.join("\n", labels)));
        return rows;
    }

    /** The trace of padded id sequences through an Embedding → LSTM → Dense model. */
    public static List<Row> ofIds(Sequential model, int[][] ids) {
        if (ids.length == 0) throw new IllegalArgumentException("trace needs at least one sequence");
        return ofIds(model, ids, LstmSteps.run(model, ids[0]), -1, "sequence 1");
    }

    /**
     * @param firstWord the step of the first word when known (after a start mark; the sequence's length when no word is read), else -1: words from the first non-zero id
     * @param traced    what a batch's values are of ("text 1"), said before them when there are several sequences
     */
    private static List<Row> ofIds(Sequential model, int[][] ids, LstmSteps s, int firstWord, String traced) {
        Embedding emb = (Embedding) model.layers().get(0);
        Dense dense = LstmSteps.head(model);
        String b = batch(ids.length), of = ids.length == 1 ? "" : traced;
        int t = s.steps, h = s.units, f = s.features, last = t - 1;
        int first = 0;
        while (first < t && ids[0][first] == 0) first++;
        List<Row> rows = new ArrayList<>();
        // A step skipped under mask_zero computes no gate: say so instead of printing NaN.
        java.util.function.Function<float[], String> gate = v -> s.masked[last] ? values(of, "step " + last + " is masked (id 0, mask_zero): skipped, no gate computed") : values(of, few(v));
        String padding = first == 0 ? "no padding" : first == t ? "all " + t + " steps are padding (no known word)"
                : (first == 1 ? "step 0 is padding (id 0), " : "steps 0-" + (first - 1) + " are padding (id 0), ") + (firstWord > first
                        ? (firstWord - first == 1 ? "the start mark at step " + first : "marks at steps " + first + "-" + (firstWord - 1))
                                + (firstWord > last ? ", no word" : ", words at steps " + firstWord + "-" + last)
                        : "words at steps " + first + "-" + last);
        if (s.masksPadding && first > 0) padding += "; the padding is masked (mask_zero): the LSTM skips it";
        // A model of any length reads each text at its own length: a batch of other lengths has no one T (Keras' None).
        boolean anyLength = emb.inputLength() == Shape.VARIABLE;
        String time = Arrays.stream(ids).allMatch(row -> row.length == t) ? String.valueOf(t) : "None";
        String read = anyLength ? "token ids, each text at its own length (the model takes any length: nothing padded)" + (time.equals("None") ? ", text 1 " + t + " steps" : "")
                : "token ids, pre-padded to maxlen " + t;
        rows.add(new Row("ids", shape(b, time), read + "; " + values(of, padding), values(of, few(ids[0], first))));
        rows.add(new Row("embeddings", shape(b, time, String.valueOf(f)), "row ids[t] of the " + emb.inputDim() + " x " + f + " embedding table, for every step", values(of.isEmpty() ? "step " + last : of + ", step " + last, few(s.x[last]))));
        rows.add(new Row("x_t", shape(b, f), "one step's input: the LSTM reads one word per step, " + t + " steps, in order", values(of.isEmpty() ? "t=" + last : of + ", t=" + last, few(s.x[last]))));
        rows.add(new Row("z_t", shape(b, 4 * h), "x_t·W (" + f + "x" + 4 * h + ") + h_{t-1}·U (" + h + "x" + 4 * h + ") + b (" + 4 * h + "): four gates' pre-activations", gate.apply(s.preActivations[last])));
        rows.add(new Row("i_t (input gate)", shape(b, h), s.gateFunctionName() + "(z_t[0:" + h + "]): how much of the candidate enters the cell", gate.apply(s.input[last])));
        rows.add(new Row("f_t (forget gate)", shape(b, h), s.gateFunctionName() + "(z_t[" + h + ":" + 2 * h + "]): how much of the old cell is kept", gate.apply(s.forget[last])));
        rows.add(new Row("g_t (candidate)", shape(b, h), "tanh(z_t[" + 2 * h + ":" + 3 * h + "]): what this word proposes to write", gate.apply(s.candidate[last])));
        rows.add(new Row("o_t (output gate)", shape(b, h), s.gateFunctionName() + "(z_t[" + 3 * h + ":" + 4 * h + "]): how much of the cell is shown", gate.apply(s.output[last])));
        rows.add(new Row("c_t (cell state)", shape(b, h), "f_t∘c_{t-1} + i_t∘g_t: the " + h + " units' memory, carried to the next step"
                + (s.masked[last] ? " (c_{t-1} as it was: the step is masked)" : ""), values(of, few(s.cell[last]))));
        rows.add(new Row("h_t (hidden state)", shape(b, h), "o_t∘tanh(c_t): the step's output, fed back through U at t+1", values(of, few(s.hidden[last]))));
        rows.add(new Row("last h", shape(b, h), "h_" + last + ": what the LSTM returns (return_sequences=False)", values(of, few(s.hidden[last]))));
        for (Layer l : model.layers()) {
            if (l instanceof Dropout d) {
                rows.add(new Row("dropout", shape(b, h), "Dropout(" + d.rate() + "): passes last h on unchanged when scoring (it zeroes a random share only in training)",
                        values(of, few(s.hidden[last]))));
            }
        }
        rows.add(new Row("logit", shape(b, dense.units()), "last h·W (" + h + "x" + dense.units() + ") + b", values(of, few(s.logits[last]))));
        rows.add(new Row(dense.units() == 1 ? "probability" : "probabilities", shape(b, dense.units()), dense.activation().kerasName() + "(logit)", values(of, few(s.head[last]))));
        return rows;
    }

    /** {@code v} after what it is of ("text 1, step 199: [...]"), or alone when {@code of} is empty. */
    private static String values(String of, String v) { return of.isEmpty() ? v : of + ": " + v; }

    /** The rows as an aligned text table; values of several lines (a batch's labels) each under the meaning. */
    public static String format(List<Row> rows) {
        int n = 0, sh = 0;
        for (Row r : rows) {
            n = Math.max(n, r.name().length());
            sh = Math.max(sh, r.shape().length());
        }
        StringBuilder out = new StringBuilder();
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "%-" + n + "s  %-" + sh + "s  %s%n", r.name(), r.shape(), r.meaning()));
            String indent = " ".repeat(n + sh + 4);
            if (!r.values().isEmpty()) r.values().lines().forEach(v -> out.append(indent).append(v).append('\n'));
        }
        return out.toString();
    }

    private static String count(int n, String what) { return n + " " + what + (n == 1 ? "" : "s"); }

    private static String batch(int n) { return n == 1 ? "1" : "batch=" + n; }

    private static String shape(String batch, int... dims) {
        return shape(batch, Arrays.stream(dims).mapToObj(String::valueOf).toArray(String[]::new));
    }

    private static String shape(String batch, String... dims) {
        StringBuilder s = new StringBuilder("(").append(batch);
        for (String d : dims) s.append(", ").append(d);
        return s.append(')').toString();
    }

    private static String few(float[] v) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < Math.min(4, v.length); i++) s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", v[i]));
        return s.append(v.length > 4 ? ", ...]" : "]").toString();
    }

    /**
     * Four ids from the first word's ({@code first}: the padding before it), the padding before
     * them as "0, 0, ..., " when there are three pads or more, else each pad written out: with one
     * or two pads left out, the values began at the first word and read as if ids[0] were it.
     */
    private static String few(int[] ids, int first) {
        StringBuilder s = new StringBuilder("[");
        int from = first <= 2 ? 0 : Math.min(first, Math.max(0, ids.length - 4));
        if (from > 2) s.append("0, 0, ..., ");
        else s.append("0, ".repeat(from));
        for (int i = from; i < Math.min(ids.length, from + 4); i++) s.append(i == from ? "" : ", ").append(ids[i]);
        return s.append(from + 4 < ids.length ? ", ...]" : "]").toString();
    }

    private static String quoteFew(List<String> words) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < Math.min(6, words.size()); i++) s.append(i == 0 ? "" : ", ").append('"').append(words.get(i)).append('"');
        return s.append(words.size() > 6 ? ", ...]" : "]").toString();
    }
}
