package vectorlstm.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Review texts scraped from the web carry HTML line breaks ({@code <br />}); Keras' filters would
 * turn them into the word "br". train, eval and predict replace them by a space first, the same
 * way for every text, so a saved model sees its texts as it saw them in training.
 */
public final class HtmlLineBreaks {
    private static final Pattern BR = Pattern.compile("<br\\s*/?>", Pattern.CASE_INSENSITIVE);

    private HtmlLineBreaks() {}

    /** {@code <br>}, {@code <br/>} and {@code <br />} (any case) → one space each. */
    public static String toSpaces(String text) {
        return text.indexOf('<') < 0 ? text : BR.matcher(text).replaceAll(" ");
    }

    public static List<String> toSpaces(List<String> texts) {
        List<String> out = new ArrayList<>(texts.size());
        for (String t : texts) out.add(toSpaces(t));
        return out;
    }
}
