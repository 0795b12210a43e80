package vectorlstm.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and restores a {@link Tokenizer} as JSON.
 *
 * <p>Only settings and counts are stored: the word index is a pure function of them, so it is
 * recomputed on load and cannot disagree with them. Counts are a list of [word, count] pairs,
 * because their order (first appearance) decides ties and JSON objects promise no order.
 */
final class TokenizerJson {
    static final String FORMAT = "vector-lstm/tokenizer";
    static final int VERSION = 1;

    private TokenizerJson() {
    }

    static String write(Tokenizer t) {
        return Json.write(describe(t));
    }

    /** The tokenizer as a JSON map (what {@link #write} writes, and what a model file embeds). */
    static Map<String, Object> describe(Tokenizer t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("version", VERSION);
        m.put("numWords", t.numWords());
        m.put("filters", t.filters());
        m.put("lower", t.lower());
        m.put("split", t.split());
        m.put("oovToken", t.oovToken());
        m.put("documentCount", t.documentCount());
        List<Object> counts = new ArrayList<>(t.wordCounts().size());
        for (Map.Entry<String, Integer> e : t.wordCounts().entrySet()) counts.add(List.of(e.getKey(), e.getValue()));
        m.put("wordCounts", counts);
        return m;
    }

    static Tokenizer read(String json) {
        return fromMap(Json.parse(json));
    }

    static Tokenizer fromMap(Object parsed) {
        if (!(parsed instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException("saved tokenizer must be a JSON object");
        }
        if (!FORMAT.equals(root.get("format"))) {
            throw new IllegalArgumentException("not a saved tokenizer (format is " + root.get("format")
                    + ", expected " + FORMAT + ")");
        }
        long version = integer(root, "version");
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported tokenizer version " + version + " (this build reads "
                    + VERSION + ")");
        }
        Long numWords = root.get("numWords") == null ? null : integer(root, "numWords");
        Tokenizer t = new Tokenizer(
                numWords == null ? null : Math.toIntExact(numWords),
                string(root, "filters", false),
                bool(root, "lower"),
                string(root, "split", false),
                string(root, "oovToken", true));
        t.restore(counts(root.get("wordCounts")), Math.toIntExact(integer(root, "documentCount")));
        return t;
    }

    private static Map<String, Integer> counts(Object value) {
        if (!(value instanceof List<?> pairs)) {
            throw new IllegalArgumentException("wordCounts must be a list of [word, count] pairs");
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Object pair : pairs) {
            if (!(pair instanceof List<?> p) || p.size() != 2 || !(p.get(0) instanceof String word)
                    || !(p.get(1) instanceof Long count) || count < 1 || count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("bad wordCounts entry " + pair);
            }
            if (counts.put(word, count.intValue()) != null) {
                throw new IllegalArgumentException("word " + Json.quote(word) + " counted twice");
            }
        }
        return counts;
    }

    private static long integer(Map<?, ?> root, String key) {
        if (root.get(key) instanceof Long value && value >= 0 && value <= Integer.MAX_VALUE) {
            return value;
        }
        throw new IllegalArgumentException(key + " must be a non-negative integer, not " + root.get(key));
    }

    private static String string(Map<?, ?> root, String key, boolean nullable) {
        Object value = root.get(key);
        if (value instanceof String || (nullable && value == null)) {
            return (String) value;
        }
        throw new IllegalArgumentException(key + " must be a string, not " + value);
    }

    private static boolean bool(Map<?, ?> root, String key) {
        if (root.get(key) instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(key + " must be true or false, not " + root.get(key));
    }
}
