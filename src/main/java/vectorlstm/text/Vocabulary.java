package vectorlstm.text;

import java.util.List;
import java.util.Map;

/**
 * How a model's texts become token ids, stored in its model file: a {@link Tokenizer} fitted by
 * {@code train}, or a {@link KerasImdbWordIndex} attached to an imported Keras IMDB model. Both
 * split words the way Keras' {@code text_to_word_sequence} does; they differ in how words map to
 * ids and what surrounds them (the word index marks the start and keeps unknown words as an id).
 */
public sealed interface Vocabulary permits Tokenizer, KerasImdbWordIndex {
    /** The ids of one (already preprocessed) text, before padding. */
    int[] textToSequence(String text);

    /** The words {@link #textToSequence} looks up, in order. */
    List<String> textToWordSequence(String text);

    /** The id a word of {@link #textToWordSequence} gets, or -1 when the word is dropped. */
    int wordId(String word);

    /**
     * True when {@code id} stands for a word the vocabulary knows: not padding (0), and for a word
     * index not its start mark or out-of-vocabulary id. What {@code known_words} counts.
     */
    boolean isWord(int id);

    /** The Embedding input size the ids need: every id emitted is below it. */
    int vocabularySize();

    /** Word to id for the words it can emit, in id order. Unmodifiable. */
    Map<String, Integer> wordIndex();

    /** This vocabulary as the JSON map a model file embeds; {@link #fromJsonMap} reads it back. */
    Map<String, Object> toJsonMap();

    /**
     * A vocabulary from a parsed {@link #toJsonMap()}, told apart by its {@code "format"}.
     *
     * @throws IllegalArgumentException if {@code parsed} is neither kind
     */
    static Vocabulary fromJsonMap(Object parsed) {
        Object format = parsed instanceof Map<?, ?> m ? m.get("format") : null;
        if (KerasImdbWordIndex.FORMAT.equals(format)) return KerasImdbWordIndex.fromJsonMap(parsed);
        return Tokenizer.fromJsonMap(parsed);  // its error names the format it expected
    }
}
