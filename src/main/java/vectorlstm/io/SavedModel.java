package vectorlstm.io;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import vectorlstm.layers.Embedding;
import vectorlstm.model.History;
import vectorlstm.model.Sequential;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.text.Tokenizer;
import vectorlstm.text.Vocabulary;

/**
 * What a model file holds: the compiled model, the vocabulary that turns its texts into ids (the
 * tokenizer fitted at training time, or a Keras word index attached on import; null for models fed
 * ids directly), the text preprocessing done before it, the class labels in id order
 * (always as many as the output has classes: two for a Dense(1, sigmoid) head), the sequence
 * length texts are padded to (0 for a model whose Input takes any length), and the training history (loss and accuracy per epoch, the epoch
 * early stopping kept), or null. Closing it closes the model (and frees its weights).
 */
public record SavedModel(Sequential model, Vocabulary tokenizer, TextPreprocessing preprocessing, List<String> labels, int maxlen,
                         History history) implements AutoCloseable {
    /** Without a training history (a model built or trained outside {@code fit}'s record). */
    public SavedModel(Sequential model, Vocabulary tokenizer, TextPreprocessing preprocessing, List<String> labels, int maxlen) {
        this(model, tokenizer, preprocessing, labels, maxlen, null);
    }

    /**
     * Checks that the parts fit together. No labels given: the class ids "0", "1", ... become the
     * labels; any count other than the output's number of classes is refused.
     */
    public SavedModel {
        if (model == null || preprocessing == null) throw new IllegalArgumentException("a saved model needs a model and a text preprocessing");
        if (model.inputShape() == null) throw new IllegalArgumentException("build or compile the model first");
        int steps = model.inputShape().variableLength() ? 0 : model.inputShape().dim(0);
        if (maxlen != steps) {
            throw new IllegalArgumentException("maxlen " + maxlen + " differs from the model's input length " + steps + (steps == 0 ? " (any length)" : ""));
        }
        labels = checkedLabels(labels, model);
        // A copy: the caller's tokenizer, fitted on more texts afterwards, gave this model other ids (or ids its table lacks).
        if (tokenizer instanceof Tokenizer t) tokenizer = t.copy();
        checkVocabulary(tokenizer, model);
    }

    /**
     * This model with {@code vocabulary}, so it scores texts (what {@code ./lstm import --word-index}
     * attaches before saving). It shares the model: close one of the two, not both. Refused when
     * the model does not start with an Embedding or the vocabulary emits ids its table lacks.
     */
    public SavedModel withVocabulary(Vocabulary vocabulary) {
        if (vocabulary == null) throw new IllegalArgumentException("no vocabulary given");
        if (!(model.layers().get(0) instanceof Embedding e)) {
            throw new IllegalArgumentException("a vocabulary needs a model that reads token ids (an Embedding first), not " + model.layers().get(0).typeName());
        }
        return new SavedModel(model, vocabulary, preprocessing, labels, maxlen, history);
    }

    /**
     * This model with {@code labels} as its class names, in class-id order (what {@code ./lstm
     * import --labels} attaches: Keras files record no names). It shares the model: close one of
     * the two, not both. Refused when the count does not fit the output or a name repeats.
     */
    public SavedModel withLabels(List<String> labels) {
        if (labels == null || labels.isEmpty()) throw new IllegalArgumentException("no labels given");
        return new SavedModel(model, tokenizer, preprocessing, labels, maxlen, history);
    }

    /** A vocabulary must not emit ids the model's Embedding lacks (a file's vocabulary too: refused at load, not at the first text). */
    private static void checkVocabulary(Vocabulary vocabulary, Sequential model) {
        if (vocabulary != null && model.layers().get(0) instanceof Embedding e && vocabulary.vocabularySize() > e.inputDim()) {
            throw new IllegalArgumentException("the vocabulary emits ids up to " + (vocabulary.vocabularySize() - 1) + ", but the model's Embedding takes ids below "
                    + e.inputDim() + " (use a smaller number of words)");
        }
    }

    private static List<String> checkedLabels(List<String> labels, Sequential model) {
        int units = model.layers().get(model.layers().size() - 1).outputShape().last();
        int classes = Math.max(2, units);
        if (labels == null || labels.isEmpty()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < classes; i++) ids.add(Integer.toString(i));
            return List.copyOf(ids);
        }
        if (labels.size() != classes) {
            throw new IllegalArgumentException(labels.size() + " labels " + labels + " do not fit an output of " + units + " unit(s): expected " + classes);
        }
        if (new HashSet<>(labels).size() != labels.size()) throw new IllegalArgumentException("labels " + labels + " repeat a name");
        for (String label : labels) {
            // Labels are printed as they are (summary, eval's confusion matrix): no terminal escapes or forged lines.
            if (label == null || label.isEmpty() || label.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("a label must be non-empty text without control characters, got "
                        + (label == null ? "null" : "'" + label.replaceAll("\\p{Cntrl}", "?") + "'"));
            }
        }
        return List.copyOf(labels);
    }

    @Override
    public void close() { model.close(); }
}
