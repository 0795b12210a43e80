package vectorlstm.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.model.PredictedClass;
import vectorlstm.model.Scorer;
import vectorlstm.text.PadSequences;

/**
 * One text followed through a {@link TextClassifier}: its words and what became of each (read by
 * the model at which step, unknown to the tokenizer, or cut by pre-truncation), and the model's
 * internals at every step ({@link LstmSteps}).
 */
public final class Inspection {
    /** What happened to one word of the text. */
    public enum Fate { READ, UNKNOWN, TRUNCATED }

    /**
     * A word of the text; {@code step} is the position in the padded sequence it was read at, or
     * -1. {@code known} is false for a word the vocabulary does not hold: dropped ({@link
     * Fate#UNKNOWN}) by a tokenizer, or read as the unknown-word id by a Keras word index.
     */
    public record Word(String text, Fate fate, int id, int step, boolean known) {
        /** Read by the model, but as a Keras word index's unknown-word id (the model cannot tell it from any other unknown word). */
        public boolean readAsUnknown() { return fate == Fate.READ && !known; }
    }

    public final String text;
    public final List<Word> words;
    public final int[] ids;
    /** The first step that reads a word (maxlen when the text has no known word). */
    public final int firstWordStep;
    public final LstmSteps steps;
    public final List<String> labels;
    /** Index of the predicted label. */
    public final int predicted;
    /** [T + 1][outputs]: row t + 1 is the model's answer for the text that ends with the id read at step t (row 0: no id). */
    private final float[][] endedHere;

    private Inspection(String text, List<Word> words, int[] ids, int firstWordStep, LstmSteps steps, List<String> labels, float[][] endedHere) {
        this.text = text;
        this.words = words;
        this.ids = ids;
        this.firstWordStep = firstWordStep;
        this.steps = steps;
        this.labels = labels;
        this.endedHere = endedHere;
        float[] out = endedHere[endedHere.length - 1];
        this.predicted = PredictedClass.of(out, 0, out.length);
    }

    public static Inspection of(TextClassifier classifier, String text) {
        int[] ids = classifier.sequence(text);
        int maxlen = ids.length;
        // The same words the tokenizer turned into ids, in order, with the ones it dropped.
        List<String> split = classifier.tokenizer().textToWordSequence(classifier.preprocessing().apply(text));
        int known = 0;
        int[] wordIds = new int[split.size()];
        for (int i = 0; i < split.size(); i++) {
            wordIds[i] = classifier.tokenizer().wordId(split.get(i));
            if (wordIds[i] > 0) known++;
        }
        int cut = Math.max(0, known - maxlen);   // pre-truncation drops the first known words
        // The padding ends where the ids start: a Keras word index puts its start mark before the words.
        int marks = classifier.tokenizer().textToSequence(classifier.preprocessing().apply(text)).length - known;
        int first = maxlen - Math.min(marks + known, maxlen);
        List<Word> words = new ArrayList<>();
        int seen = 0, step = maxlen - Math.min(known, maxlen);   // the words end the sequence
        for (int i = 0; i < split.size(); i++) {
            if (wordIds[i] < 0) {
                words.add(new Word(split.get(i), Fate.UNKNOWN, -1, -1, false));
            } else {
                boolean knownWord = classifier.tokenizer().isWord(wordIds[i]);
                if (seen++ < cut) words.add(new Word(split.get(i), Fate.TRUNCATED, wordIds[i], -1, knownWord));
                else words.add(new Word(split.get(i), Fate.READ, wordIds[i], step++, knownWord));
            }
        }
        LstmSteps s = LstmSteps.run(classifier.model(), ids);
        return new Inspection(text, List.copyOf(words), ids, first, s, classifier.labels(), endedHere(classifier, text, s, ids));
    }

    /**
     * The model's answer for the text cut after each id it reads, padded as the model pads it.
     * Where the padding is masked, or there is none (a model of any length), that is the head on
     * h_t of this run. Where the padding runs through the LSTM, a text cut earlier has more of
     * it before its first word, and so another state: the head on h_t was off by up to 0.12 (an
     * imported Keras IMDB model), and named the other label after some words. Each cut text is then
     * scored as it is; the scorer skips the padding, so n words cost n(n+1)/2 steps.
     */
    private static float[][] endedHere(TextClassifier classifier, String text, LstmSteps s, int[] ids) {
        int steps = ids.length;
        float[][] out = new float[steps + 1][];
        out[0] = s.initialHead.clone();
        for (int t = 0; t < steps; t++) out[t + 1] = s.head[t].clone();
        try (Scorer scorer = classifier.model().newScorer()) {
            // The page's answer is the engine's on every path: LstmSteps adds up in double, the engine
            // in float, and weights that overflow in float parted them (the page said p = 0.5 where
            // predict found no answer, or named the other label).
            if (steps > 0) scorer.scoreAll(ids, out[steps]);  // no id (an empty text, a model of any length): the initial head is the answer
            for (float p : out[steps]) {
                if (!Float.isFinite(p)) throw new IllegalArgumentException("the model's output is " + p + " (its weights overflow on this input): it has no answer to explain");
            }
            int maxlen = classifier.maxlen();
            if (maxlen == 0) return out;
            int[] all = classifier.tokenizer().textToSequence(classifier.preprocessing().apply(text));
            // Masked padding changes nothing, but a text cut short of its pre-truncation still holds the words the whole text lost.
            if (s.masksPadding && all.length <= maxlen) return out;
            for (int t = -1; t < steps; t++) {
                int end = t - steps + 1 + all.length;   // the ids up to the one read at step t: pre-padding and pre-truncation end them at the last step
                int[] cut = PadSequences.pad(new int[][] {Arrays.copyOf(all, Math.max(0, end))}, maxlen)[0];
                scorer.scoreAll(cut, out[t + 1]);
            }
        }
        return out;
    }

    /**
     * The probability of label {@code k} after step {@code t} (t = -1: before any): the model's
     * answer for the text that ends with the id read at step t. A sigmoid head's p is label 1's;
     * label 0 gets 1 - p.
     */
    public float probability(int t, int k) {
        float[] answer = endedHere[t + 1];
        if (steps.outputs == 1) return k == 1 ? answer[0] : 1 - answer[0];
        return answer[k];
    }

    /** How much reading the word at step {@code t} moved the predicted label's probability. */
    public float change(int t) {
        return probability(t, predicted) - probability(t - 1, predicted);
    }

    /** How many of the words read are a Keras word index's unknown-word id (0 for a tokenizer, which drops unknown words). */
    public long readAsUnknown() {
        return words.stream().filter(Word::readAsUnknown).count();
    }

    /** Words the model read, in order. */
    public List<Word> readWords() {
        return words.stream().filter(w -> w.fate() == Fate.READ).toList();
    }
}
