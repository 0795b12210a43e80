package vectorlstm.classifier;

import java.util.List;

/**
 * What a {@link TextClassifier} says about one text.
 *
 * @param label         the most probable class's name
 * @param classId       its index in {@link TextClassifier#labels()}
 * @param probabilities one per label, summing to 1 (a sigmoid head's p gives {1 - p, p})
 * @param knownWords    how many of the text's words the tokenizer knows and the model read (at
 *                      most maxlen); 0 means it knew none: the answer says nothing about what
 *                      the words are (a word index that keeps unknown words still feeds the model
 *                      its start mark and one unknown-word mark per word)
 */
public record Classification(String label, int classId, List<Float> probabilities, int knownWords) {
    public Classification {
        probabilities = List.copyOf(probabilities);
    }

    /** The probability of the chosen label. */
    public float probability() {
        return probabilities.get(classId);
    }

    /**
     * The first probability that is NaN or infinite, or null when all are numbers. A model whose
     * weights overflow on a text (finite weights, a softmax of infinite logits) gives NaN: then
     * the label is no answer, only an error to report.
     */
    public Float notANumber() {
        for (Float p : probabilities) if (!Float.isFinite(p)) return p;
        return null;
    }
}
