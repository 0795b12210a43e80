package vectorlstm.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Review texts scraped from the web carry HTML line breaks ({@code <br />}); Keras' filters would
 * turn them into the word "br". train replaces them by a space ({@link TextPreprocessing#HTML_LINE_BREAKS},
 * recorded in the model file), and eval, predict, explain and serve apply what the model recorded,
 * so a saved model sees its texts as it saw them in training. The IMDB loader keeps the texts as
 * written: an imported Keras IMDB model was trained on "br".
 *
 * <p>Matches what the regex {@code <br\s*}{@code /?>} (ASCII case-insensitive) would, by hand:
 * it runs on every review of a dataset, and a scan for '<' is several times faster than a regex.
 */
public final class HtmlLineBreaks {

    private HtmlLineBreaks() {}

    /** {@code <br>}, {@code <br/>} and {@code <br />} (any case, any whitespace before the slash) → one space each. */
    public static String toSpaces(String text) {
        int at = text.indexOf('<');
        if (at < 0) return text;
        StringBuilder out = null;
        int copied = 0;
        for (; at >= 0; at = text.indexOf('<', at + 1)) {
            int end = breakEnd(text, at);
            if (end < 0) continue;
            if (out == null) out = new StringBuilder(text.length());
            out.append(text, copied, at).append(' ');
            copied = end;
            at = end - 1;
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    public static List<String> toSpaces(List<String> texts) {
        List<String> out = new ArrayList<>(texts.size());
        for (String t : texts) out.add(toSpaces(t));
        return out;
    }

    /** The index just past a line break starting at {@code text[at] == '<'}, or -1 if none starts there. */
    private static int breakEnd(String text, int at) {
        int n = text.length(), i = at + 1;
        if (i + 1 >= n || (text.charAt(i) | 0x20) != 'b' || (text.charAt(i + 1) | 0x20) != 'r') return -1;
        i += 2;
        while (i < n && isRegexSpace(text.charAt(i))) i++;
        if (i < n && text.charAt(i) == '/') i++;
        return i < n && text.charAt(i) == '>' ? i + 1 : -1;
    }

    /** Java regex {@code \s} without UNICODE_CHARACTER_CLASS: space, \t, \n, \x0B, \f, \r. */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
