package vectorlstm.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All of the project's JSON, in and out: model headers, tokenizers, JSON-lines data, bench
 * results, predictions. A strict parser and a compact writer.
 *
 * <p>Values are {@code Map<String, Object>} (in document order), {@code List<Object>},
 * {@code String}, {@code Long} (integers that fit one), {@code BigInteger} (longer integers, up to
 * 1,000 digits), {@code Double} (other finite numbers; one beyond a double's range is an error, not
 * an infinity, and so is one too small for a double, not a zero), {@code Boolean} and
 * {@code null}. Nesting deeper than {@link #MAX_DEPTH} is refused with an error instead of
 * running the parser out of stack (a hostile line of 10,000 '[' would). Hand-written because the
 * engine and its file formats take no JSON dependency; the HTTP server (serve) reads its bodies with jackson-core.
 */
public final class Json {
    /** Longer integers are refused: their digits are no id anyone writes, and BigInteger parsing is quadratic in them. */
    static final int MAX_INTEGER_DIGITS = 1000;

    /** Deeper than any file we write (a model header nests 4 levels); deep enough for user data rows. */
    public static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;
    private int depth;

    private Json(String text) {
        this.text = text;
    }

    /**
     * {@code s} as a JSON string literal in pure ASCII: non-ASCII characters become
     * {@code \}{@code uXXXX} escapes (supplementary ones as surrogate pairs), so the file reads
     * back the same whatever encoding it is opened with.
     */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        appendQuoted(out, s);
        return out.toString();
    }

    /**
     * {@link #quote(String)} of at most the first {@code max} characters, for a message about a
     * user's value: a 5 MB label must not make a 5 MB error line. Longer values end in "..." and
     * their length.
     */
    public static String quoteShort(String s, int max) {
        return quoteShort(s, max, null);
    }

    /** {@link #quoteShort(String, int)} whose length note, when the value is cut, goes on with {@code why} (null: none). */
    public static String quoteShort(String s, int max, String why) {
        if (s.length() <= max) return quote(s);
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return quote(s.substring(0, end)) + "... (" + s.length() + " characters" + (why == null ? "" : ": " + why) + ")";
    }

    /** Appends {@link #quote(String)} of {@code s} to {@code out}. */
    public static void appendQuoted(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * Parses one JSON value, which must be the whole of {@code text} (whitespace aside).
     *
     * @throws IllegalArgumentException with the position, if {@code text} is not valid JSON
     */
    public static Object parse(String text) {
        Json p = new Json(text);
        Object value = p.value();
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the JSON value");
        }
        return value;
    }

    /**
     * {@code value} as compact JSON: maps, lists, strings, numbers, booleans and nulls (what
     * {@link #parse} returns). Non-finite numbers and nesting deeper than {@link #MAX_DEPTH} are refused.
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value, 0);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value, int level) {
        if (level > MAX_DEPTH) throw new IllegalArgumentException("cannot write JSON nested deeper than " + MAX_DEPTH + " levels");
        switch (value) {
            case null -> out.append("null");
            case String s -> appendQuoted(out, s);
            case Double d when !Double.isFinite(d) -> throw new IllegalArgumentException("cannot write " + d + " as JSON");
            case Float f when !Float.isFinite(f) -> throw new IllegalArgumentException("cannot write " + f + " as JSON");
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            case Map<?, ?> m -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) out.append(',');
                    first = false;
                    appendQuoted(out, String.valueOf(e.getKey()));
                    out.append(':');
                    append(out, e.getValue(), level + 1);
                }
                out.append('}');
            }
            case List<?> l -> {
                out.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) out.append(',');
                    append(out, l.get(i), level + 1);
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write " + value.getClass() + " as JSON");
        }
    }

    private Object value() {
        skipWhitespace();
        if (pos >= text.length()) {
            throw error("unexpected end of JSON");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private void enter() {
        if (++depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
    }

    private Map<String, Object> object() {
        enter();
        Map<String, Object> map = new LinkedHashMap<>();
        pos++; // {
        skipWhitespace();
        if (consume('}')) {
            depth--;
            return map;
        }
        do {
            skipWhitespace();
            if (pos >= text.length() || text.charAt(pos) != '"') {
                throw error("expected a string key");
            }
            String key = string();
            skipWhitespace();
            expect(':');
            if (map.containsKey(key)) {
                throw error("duplicate key " + quote(key));
            }
            map.put(key, value());
            skipWhitespace();
        } while (consume(','));
        expect('}');
        depth--;
        return map;
    }

    private List<Object> array() {
        enter();
        List<Object> list = new ArrayList<>();
        pos++; // [
        skipWhitespace();
        if (consume(']')) {
            depth--;
            return list;
        }
        do {
            list.add(value());
            skipWhitespace();
        } while (consume(','));
        expect(']');
        depth--;
        return list;
    }

    private String string() {
        pos++; // opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("unescaped control character in string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                // Surrogate pairs arrive as two escapes and simply recombine in the UTF-16 string.
                case 'u' -> out.append(hex4());
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            char c = text.charAt(pos++);
            // ASCII hex digits only, as RFC 8259 says: Character.digit also takes full-width and Arabic-Indic digits.
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                throw error("bad hex digit in \\u escape");
            }
            value = value * 16 + digit;
        }
        return (char) value;
    }

    /** JSON's number grammar: -?(0|[1-9]digits)(.digits)?([eE][+-]?digits)?, checked by hand. */
    private Object number() {
        int start = pos;
        consume('-');
        if (consume('0')) {
            // a leading zero stands alone
        } else if (digits() == 0) {
            throw error("bad number");
        }
        boolean integer = true;
        if (consume('.')) {
            integer = false;
            if (digits() == 0) {
                throw error("bad number: no digits after '.'");
            }
        }
        if (consume('e') || consume('E')) {
            integer = false;
            if (!consume('+')) {
                consume('-');
            }
            if (digits() == 0) {
                throw error("bad number: no digits in exponent");
            }
        }
        String literal = text.substring(start, pos);
        if (integer) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException e) {
                // Beyond a long: exact, so two such ids stay two (as doubles they could be equal).
                // Readers that want a count check for Long and refuse it; a label keeps its digits.
                if (literal.length() > MAX_INTEGER_DIGITS) {
                    pos = start;
                    throw error("integer out of range: " + quoteShort(literal, 40));
                }
                return new java.math.BigInteger(literal);
            }
        }
        double value = Double.parseDouble(literal);
        if (!Double.isFinite(value) || value == 0 && nonZeroMantissa(literal)) {
            // Too large is an infinity, too small (1e-400) a zero: either way not the number written
            // (a label 1e-400 would have become the label "0").
            pos = start;
            throw error("number out of range: " + quoteShort(literal, 40));
        }
        return value;
    }

    /** Whether a digit before the exponent is not 0: the literal is not a way of writing zero. */
    private static boolean nonZeroMantissa(String literal) {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == 'e' || c == 'E') return false;
            if (c >= '1' && c <= '9') return true;
        }
        return false;
    }

    private int digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos - start;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected word");
        }
        pos += word.length();
        return value;
    }

    private boolean consume(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!consume(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private void skipWhitespace() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + what);
    }
}
