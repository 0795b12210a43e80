package vectorlstm.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Turns texts into sequences of word ids with the semantics of Keras'
 * {@code tf.keras.preprocessing.text.Tokenizer} (word level), so models and data prepared here
 * match what a Keras program would produce.
 *
 * <ul>
 *   <li>Words come from {@code text_to_word_sequence}: lowercase if {@code lower}, each
 *       {@code filters} character replaced by {@code split}, split on {@code split}, empty
 *       pieces dropped. The default filters keep the apostrophe, so "don't" is one word.</li>
 *   <li>Ids rank words by count, most frequent first, ties in order of first appearance; they
 *       start at 1 (0 is left for padding). An {@code oovToken} takes id 1 and shifts the rest.</li>
 *   <li>When sequencing, words whose id is {@code >= numWords} and unknown words are dropped, or
 *       become the oov id when there is an {@code oovToken}. As in Keras, a {@code numWords} of
 *       null or 0 means no limit.</li>
 * </ul>
 *
 * <p>Not thread-safe while fitting; once fitted, sequencing from several threads is fine.
 *
 * <p>One deviation: Keras has an empty word index before the first fit even with an oov token
 * (and then emits {@code None} for unknown words); here the oov token has id 1 from the start.
 */
public final class Tokenizer implements Vocabulary {
    public static final String DEFAULT_FILTERS = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";
    public static final String DEFAULT_SPLIT = " ";

    private final Integer numWords;
    private final String filters;
    private final boolean lower;
    private final String split;
    private final String oovToken;
    private final WordSplitter splitter;

    // Counts in first-seen order, mutable in place; the maps handed out are snapshots.
    private final LinkedHashMap<String, int[]> counts = new LinkedHashMap<>();
    private int documentCount;
    private Map<String, Integer> wordCounts;
    private Map<String, Integer> wordIndex;

    /** A tokenizer with Keras' defaults: all words, default filters, lowercase, split on " ". */
    public Tokenizer() {
        this(null, DEFAULT_FILTERS, true, DEFAULT_SPLIT, null);
    }

    /**
     * @param numWords keep only ids below this when sequencing; null (or 0) keeps all
     * @param filters  characters treated like the split string
     * @param lower    whether texts are lowercased first
     * @param split    the word separator (not a regex)
     * @param oovToken the stand-in for dropped words, or null to drop them silently
     */
    public Tokenizer(Integer numWords, String filters, boolean lower, String split, String oovToken) {
        if (numWords != null && numWords < 0) {
            throw new IllegalArgumentException("numWords must not be negative: " + numWords);
        }
        if (filters == null || split == null) throw new IllegalArgumentException("filters and split must be strings (\"\" filters nothing), got " + filters + " and " + split);
        this.numWords = numWords;
        this.filters = filters;
        this.lower = lower;
        this.split = split;
        this.oovToken = oovToken;
        this.splitter = new WordSplitter(filters, lower, split);
        rebuildIndex();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds the words of {@code texts} to the counts and recomputes the word index; a call refused for a null text changes nothing. */
    public void fitOnTexts(List<String> texts) {
        requireTexts(texts);
        List<String> words = new ArrayList<>();
        for (String text : texts) {
            documentCount++;
            words.clear();
            splitter.split(text, words);
            for (String w : words) {
                counts.computeIfAbsent(w, k -> new int[1])[0]++;
            }
        }
        rebuildIndex();
    }

    /** Refuses a null list or text, naming its index, before anything changes. */
    private static void requireTexts(List<String> texts) {
        if (texts == null) throw new IllegalArgumentException("the texts are null");
        int at = 0;
        for (String text : texts) {
            if (text == null) throw new IllegalArgumentException("text " + at + " is null");
            at++;
        }
    }

    /**
     * Each text as its word ids; see the class comment for what is dropped. Texts are sequenced
     * in parallel (each is independent, so the result is the same as one at a time): for the
     * IMDB training set this is most of the preprocessing time.
     */
    public int[][] textsToSequences(List<String> texts) {
        requireTexts(texts);
        int[][] out = new int[texts.size()][];
        IntStream.range(0, out.length).parallel().forEach(i -> out[i] = textToSequence(texts.get(i)));
        return out;
    }

    @Override
    public int[] textToSequence(String text) {
        return toIds(splitter.split(text), new IntList());
    }

    /** Keras' {@code text_to_word_sequence} with this tokenizer's filters, lower and split. */
    @Override
    public List<String> textToWordSequence(String text) {
        return splitter.split(text);
    }

    private int[] toIds(List<String> words, IntList ids) {
        ids.clear();
        for (String w : words) {
            int id = wordId(w);
            if (id > 0) ids.add(id);
        }
        return ids.toArray();
    }

    /**
     * The id {@link #textToSequence} gives a word (as {@link #textToWordSequence} splits it): its
     * index when it is among the numWords - 1 most frequent, else the oov token's id, else -1
     * (the word is dropped).
     */
    @Override
    public int wordId(String word) {
        Integer id = wordIndex.get(word);
        if (id != null && !(numWords != null && numWords > 0 && id >= numWords)) return id;
        Integer oovId = oovToken == null ? null : wordIndex.get(oovToken);
        return oovId == null ? -1 : oovId;
    }

    /**
     * Every id it emits is a word but the oov token's: that one stands for a word the tokenizer
     * did not know, as a word index's unknown-word id does (it counted as known, and explain drew
     * such words as known ones).
     */
    @Override
    public boolean isWord(int id) {
        Integer oovId = oovToken == null ? null : wordIndex.get(oovToken);
        return id > 0 && (oovId == null || id != oovId);
    }

    /** Word to id, iterating in id order (oov token first if set). Unmodifiable. */
    @Override
    public Map<String, Integer> wordIndex() {
        return wordIndex;
    }

    /** Word to number of occurrences, in order of first appearance. Unmodifiable. */
    public Map<String, Integer> wordCounts() {
        return wordCounts;
    }

    public Integer numWords() {
        return numWords;
    }

    public String filters() {
        return filters;
    }

    public boolean lower() {
        return lower;
    }

    public String split() {
        return split;
    }

    public String oovToken() {
        return oovToken;
    }

    /** How many texts {@link #fitOnTexts} has seen in total. */
    public int documentCount() {
        return documentCount;
    }

    /**
     * The input size an embedding layer needs: {@code numWords} when set (as Keras programs use
     * it), otherwise the largest id plus one. Never smaller than any id this tokenizer emits.
     */
    @Override
    public int vocabularySize() {
        int maxId = 0;
        for (int id : wordIndex.values()) {
            maxId = Math.max(maxId, id);
        }
        if (numWords != null && numWords > 0) {
            Integer oovId = oovToken == null ? null : wordIndex.get(oovToken);
            return oovId == null ? numWords : Math.max(numWords, oovId + 1);
        }
        return maxId + 1;
    }

    /**
     * This tokenizer without the counts of words it never emits (ids at or above numWords): the
     * same ids for every text, a fraction of the size (IMDB's training texts count 88,582
     * distinct words, a 20,000-word model emits 19,999). What a model file keeps. Unchanged when
     * numWords is unset, or when the oov token is also a counted word (its id then depends on
     * the full ranking).
     */
    public Tokenizer trimmedToVocabulary() {
        if (numWords == null || numWords <= 0 || (oovToken != null && counts.containsKey(oovToken))) return this;
        Map<String, Integer> kept = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            if (wordIndex.get(e.getKey()) < numWords) kept.put(e.getKey(), e.getValue()[0]);
        }
        if (kept.size() == counts.size()) return this;
        Tokenizer t = new Tokenizer(numWords, filters, lower, split, oovToken);
        t.restore(kept, documentCount);
        return t;
    }

    /** A tokenizer of the same settings, counts and ids that this one's later {@link #fitOnTexts} does not change: what a model keeps. */
    public Tokenizer copy() {
        Tokenizer t = new Tokenizer(numWords, filters, lower, split, oovToken);
        t.restore(wordCounts(), documentCount);
        return t;
    }

    /** This tokenizer as the JSON map {@link #toJson()} writes (for files that embed it, such as the model file). */
    @Override
    public java.util.Map<String, Object> toJsonMap() {
        return TokenizerJson.describe(this);
    }

    /** A tokenizer from a parsed {@link #toJsonMap()}. */
    public static Tokenizer fromJsonMap(Object parsed) {
        return TokenizerJson.fromMap(parsed);
    }

    /** This tokenizer (settings, counts and document count) as JSON; see {@link #fromJson}. */
    public String toJson() {
        return TokenizerJson.write(this);
    }

    /**
     * A tokenizer saved by {@link #toJson()}, with the same word index.
     *
     * @throws IllegalArgumentException if {@code json} is not a saved tokenizer
     */
    public static Tokenizer fromJson(String json) {
        return TokenizerJson.read(json);
    }

    /** Restores saved counts, which must be in first-seen order. */
    void restore(Map<String, Integer> savedCounts, int savedDocumentCount) {
        counts.clear();
        savedCounts.forEach((word, count) -> counts.put(word, new int[] {count}));
        documentCount = savedDocumentCount;
        rebuildIndex();
    }

    /**
     * Keras sorts the (first-seen ordered) counts with a stable sort, most frequent first, then
     * numbers from 1 with the oov token prepended. Putting a word equal to the oov token again
     * keeps its first position but takes the later id, exactly as Python's dict(zip(...)) does.
     */
    private void rebuildIndex() {
        LinkedHashMap<String, Integer> snapshot = new LinkedHashMap<>();
        List<Map.Entry<String, int[]>> ranked = new ArrayList<>(counts.entrySet());
        for (Map.Entry<String, int[]> e : ranked) {
            snapshot.put(e.getKey(), e.getValue()[0]);
        }
        wordCounts = Collections.unmodifiableMap(snapshot);

        ranked.sort((a, b) -> Integer.compare(b.getValue()[0], a.getValue()[0])); // List.sort is stable
        LinkedHashMap<String, Integer> index = new LinkedHashMap<>();
        int next = 1;
        if (oovToken != null) {
            index.put(oovToken, next++);
        }
        for (Map.Entry<String, int[]> e : ranked) {
            index.put(e.getKey(), next++);
        }
        wordIndex = Collections.unmodifiableMap(index);
    }

    /** Options with Keras' defaults; only what differs needs setting. */
    public static final class Builder {
        private Integer numWords;
        private String filters = DEFAULT_FILTERS;
        private boolean lower = true;
        private String split = DEFAULT_SPLIT;
        private String oovToken;

        private Builder() {
        }

        public Builder numWords(Integer numWords) {
            this.numWords = numWords;
            return this;
        }

        public Builder filters(String filters) {
            this.filters = filters;
            return this;
        }

        public Builder lower(boolean lower) {
            this.lower = lower;
            return this;
        }

        public Builder split(String split) {
            this.split = split;
            return this;
        }

        public Builder oovToken(String oovToken) {
            this.oovToken = oovToken;
            return this;
        }

        public Tokenizer build() {
            return new Tokenizer(numWords, filters, lower, split, oovToken);
        }
    }
}
