package vectorlstm.inspect;

import java.util.ArrayList;
import java.util.List;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.model.PredictedClass;

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

    private Inspection(String text, List<Word> words, int[] ids, int firstWordStep, LstmSteps steps, List<String> labels, int predicted) {
        this.text = text;
        this.words = words;
        this.ids = ids;
        this.firstWordStep = firstWordStep;
        this.steps = steps;
        this.labels = labels;
        this.predicted = predicted;
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
        float[] out = s.finalOutput();
        return new Inspection(text, List.copyOf(words), ids, first, s, classifier.labels(), PredictedClass.of(out, 0, out.length));
    }

    /**
     * The probability of label {@code k} after step {@code t} (t = -1: before any): the head on
     * h_t, as if the text ended there. A sigmoid head's p is label 1's; label 0 gets 1 - p.
     */
    public float probability(int t, int k) {
        if (steps.outputs == 1) {
            float p = steps.headAfter(t, 0);
            return k == 1 ? p : 1 - p;
        }
        return steps.headAfter(t, k);
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
