package vectorlstm.text;

import java.util.Locale;

/**
 * What is done to a raw text before the {@link Tokenizer} sees it. It is recorded in the model
 * file, so a loaded model treats texts exactly as its training did.
 */
public enum TextPreprocessing {
    /** The text goes to the tokenizer as it is. */
    NONE,
    /** HTML line breaks become spaces first ({@link HtmlLineBreaks}): what train does, for scraped reviews. */
    HTML_LINE_BREAKS;

    public String apply(String text) {
        return this == HTML_LINE_BREAKS ? HtmlLineBreaks.toSpaces(text) : text;
    }

    /** The name stored in model files: "none", "html_line_breaks". */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TextPreprocessing fromFileName(String name) {
        for (TextPreprocessing p : values()) if (p.fileName().equals(name)) return p;
        throw new IllegalArgumentException("unknown text preprocessing '" + name + "' (this build knows none, html_line_breaks)");
    }
}
