package vectorlstm.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The vocabulary of models trained on {@code keras.datasets.imdb}: Keras' published word index
 * ({@code imdb.get_word_index()}, saved as {@code imdb_word_index.json}: one JSON object, word →
 * frequency rank 1..N) applied as {@code imdb.load_data(num_words, start_char=1, oov_char=2,
 * index_from=3)} encodes a review:
 *
 * <ul>
 *   <li>every review starts with id 1 ({@link #START});</li>
 *   <li>a word of rank r gets id r + 3 ({@link #INDEX_FROM}) when that is below {@code numWords},
 *       else id 2 ({@link #OOV}), and so does a word the index lacks (Keras keeps its place);</li>
 *   <li>id 0 is padding, id 3 is never used.</li>
 * </ul>
 *
 * Words are split as Keras' {@code Tokenizer} splits them (lower case, its default filters
 * remove punctuation but keep the apostrophe: "don't" is one word, rank 89). The IMDB data set kept
 * the reviews' {@code <br />} as the word "br" (rank 7), so models that read it are stored with
 * {@link TextPreprocessing#NONE}, which leaves the tags for the filters to cut into "br".
 *
 * <p>Only the words a model can tell apart are kept (rank + 3 below numWords): the rest all
 * encode as {@link #OOV} anyway. Immutable and thread-safe.
 */
public final class KerasImdbWordIndex implements Vocabulary {
    /** Keras' {@code start_char}, {@code oov_char} and {@code index_from} defaults. */
    public static final int START = 1, OOV = 2, INDEX_FROM = 3;
    static final String FORMAT = "vector-lstm/keras-imdb-word-index";
    static final int VERSION = 1;
    /** Keras' file is 1.6 MB; anything this large is not a word index and would only fill memory. */
    static final long MAX_FILE_BYTES = 64L << 20;

    private final int numWords;
    private final Map<String, Integer> ids;   // word → id, below numWords only, in id order
    private final WordSplitter splitter = new WordSplitter(Tokenizer.DEFAULT_FILTERS, true, Tokenizer.DEFAULT_SPLIT);

    private KerasImdbWordIndex(int numWords, Map<String, Integer> ids) {
        this.numWords = numWords;
        this.ids = Collections.unmodifiableMap(ids);
    }

    /**
     * Reads Keras' {@code imdb_word_index.json} for a model whose Embedding takes {@code numWords}
     * ids (the {@code num_words} it was trained with; Keras examples use the same number for both).
     *
     * @throws IllegalArgumentException naming the file, when it cannot be read or is not a word index
     */
    public static KerasImdbWordIndex load(Path json, int numWords) {
        if (json == null) throw new IllegalArgumentException("no word index file given (null)");
        String text;
        if (Files.exists(json) && !Files.isRegularFile(json)) throw new IllegalArgumentException(json + " is not a regular file, so not a word index");
        try {
            long size = Files.size(json);
            if (size > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(json + ": " + size + " bytes is far larger than a word index (Keras' IMDB index is 1.6 MB)");
            }
            text = StrictUtf8.decoder().decode(ByteBuffer.wrap(Files.readAllBytes(json))).toString();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("word index not found: " + json);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(json + " is not UTF-8 text, so not a JSON word index");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read word index " + json + ": " + e.getMessage(), e);
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);  // a byte order mark, as every other reader drops it
        try {
            return of(ranks(Json.parse(text)), numWords);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(json + ": " + e.getMessage(), e);
        }
    }

    /**
     * A word index from word → rank (1 = most frequent), as {@code get_word_index()} returns it.
     * Ranks must be distinct positive integers.
     */
    public static KerasImdbWordIndex of(Map<String, Integer> ranks, int numWords) {
        if (numWords <= OOV) throw new IllegalArgumentException("numWords must be above " + OOV + " (ids 1 and 2 mark the start and unknown words), got " + numWords);
        if (ranks == null || ranks.isEmpty()) throw new IllegalArgumentException("the word index is empty");
        Map<Integer, String> byRank = new HashMap<>();
        for (Map.Entry<String, Integer> e : ranks.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) throw new IllegalArgumentException("the word index holds a null word or rank");
            int rank = e.getValue();
            if (rank < 1) throw new IllegalArgumentException("word " + Json.quote(e.getKey()) + " has rank " + rank + "; ranks start at 1");
            String other = byRank.put(rank, e.getKey());
            if (other != null) throw new IllegalArgumentException("rank " + rank + " is given to both " + Json.quote(other) + " and " + Json.quote(e.getKey()));
        }
        // Keep what the model can tell apart, in id order: ranks 1 .. numWords - INDEX_FROM - 1
        // (the ranks given, sorted: a numWords of 2^31 must not mean 2^31 lookups).
        Map<String, Integer> kept = new LinkedHashMap<>();
        for (int rank : new TreeSet<>(byRank.keySet())) {
            if (rank < numWords - INDEX_FROM) kept.put(byRank.get(rank), rank + INDEX_FROM);
        }
        if (kept.isEmpty()) throw new IllegalArgumentException("no word of the index has an id below numWords " + numWords + ": every text would be unknown words");
        return new KerasImdbWordIndex(numWords, kept);
    }

    /** The parsed file as word → rank, refusing anything but an object of integer ranks. */
    private static Map<String, Integer> ranks(Object parsed) {
        if (!(parsed instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException("a word index is one JSON object of word → rank, not " + kind(parsed));
        }
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : root.entrySet()) {
            String word = (String) e.getKey();
            if (!(e.getValue() instanceof Long rank) || rank < 1 || rank > Integer.MAX_VALUE - INDEX_FROM) {
                // The value as JSON: {"the": "1"} read "has rank 1; a rank is an integer", as if 1 were refused.
                String value = Json.write(e.getValue());
                if (value.length() > 40) value = value.substring(0, Character.isHighSurrogate(value.charAt(39)) ? 39 : 40) + "...";
                throw new IllegalArgumentException("word " + Json.quote(word) + " has rank " + value + "; a rank is an integer from 1 to " + (Integer.MAX_VALUE - INDEX_FROM));
            }
            ranks.put(word, rank.intValue());
        }
        return ranks;
    }

    private static String kind(Object parsed) {
        return switch (parsed) {
            case null -> "null";
            case List<?> l -> "a list";
            case String s -> "a string";
            default -> "a " + parsed.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** {@code [START, id of each word...]}: no word is ever dropped (unknown words become {@link #OOV}). */
    @Override
    public int[] textToSequence(String text) {
        List<String> words = splitter.split(text);
        int[] out = new int[words.size() + 1];
        out[0] = START;
        for (int i = 0; i < words.size(); i++) out[i + 1] = wordId(words.get(i));
        return out;
    }

    @Override
    public List<String> textToWordSequence(String text) {
        return splitter.split(text);
    }

    /** The word's id, or {@link #OOV} when it is rare (rank + 3 at or above numWords) or not in the index. */
    @Override
    public int wordId(String word) {
        return ids.getOrDefault(word, OOV);
    }

    /** Ids above {@link #INDEX_FROM} are words; 1 and 2 are the start and unknown-word marks (3 is unused). */
    @Override
    public boolean isWord(int id) {
        return id > INDEX_FROM;
    }

    @Override
    public int vocabularySize() {
        return numWords;
    }

    public int numWords() {
        return numWords;
    }

    @Override
    public Map<String, Integer> wordIndex() {
        return ids;
    }

    /**
     * Stored as the kept words in rank order ({@code null} for a rank the file lacks), so the
     * ranks need no numbers of their own and the list is at most numWords - 4 long.
     */
    @Override
    public Map<String, Object> toJsonMap() {
        List<Object> words = new ArrayList<>();
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            while (words.size() < e.getValue() - INDEX_FROM - 1) words.add(null);
            words.add(e.getKey());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("version", VERSION);
        m.put("numWords", numWords);
        m.put("words", words);
        return m;
    }

    static KerasImdbWordIndex fromJsonMap(Object parsed) {
        if (!(parsed instanceof Map<?, ?> root) || !FORMAT.equals(root.get("format"))) {
            throw new IllegalArgumentException("not a saved Keras IMDB word index");
        }
        if (!(root.get("version") instanceof Long v) || v != VERSION) {
            throw new IllegalArgumentException("unsupported Keras IMDB word index version " + root.get("version") + " (this build reads " + VERSION + ")");
        }
        if (!(root.get("numWords") instanceof Long n) || n <= OOV || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("word index numWords must be an integer above " + OOV + ", not " + root.get("numWords"));
        }
        if (!(root.get("words") instanceof List<?> words) || words.size() > n - INDEX_FROM - 1) {
            throw new IllegalArgumentException("word index words must be a list of at most numWords - 4 words");
        }
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i++) {
            Object w = words.get(i);
            if (w == null) continue;
            if (!(w instanceof String word)) throw new IllegalArgumentException("word index entry " + i + " is not a word: " + w);
            if (ranks.put(word, i + 1) != null) throw new IllegalArgumentException("word " + Json.quote(word) + " appears twice in the word index");
        }
        return of(ranks, n.intValue());
    }
}
