package vectorlstm.inspect;

import java.util.Locale;

/** The little SVG and colour code the pictures share: escaping, number format, colour scales. */
final class Svg {
    private Svg() {}

    /**
     * Text for XML/HTML content and attribute values; characters XML 1.0 forbids become a space or
     * U+FFFD, and so do the bidi embedding, override and isolate controls (U+202A-202E,
     * U+2066-2069): an override in a label reversed the rest of every line it was put in.
     */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') b.append(' ');  // not allowed in XML 1.0
                    else if (c == '\uFFFE' || c == '\uFFFF') b.append('\uFFFD');  // nor these: the SVG would not parse
                    else if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) b.append('\uFFFD');
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    static String num(double v) { return String.format(Locale.ROOT, "%.1f", v); }

    /**
     * An axis from lo to hi (with its padding) must have a finite length: values near ±1e308 are
     * finite, but the span between them is not, and every coordinate would come out NaN.
     */
    static void checkSpan(double lo, double hi, String axis) {
        if (!Double.isFinite(hi - lo)) {
            throw new IllegalArgumentException("the values of " + axis + " span more than a chart can scale (" + lo + " to " + hi + ")");
        }
    }

    static String fmt(String pattern, Object... args) { return String.format(Locale.ROOT, pattern, args); }

    /** White (0) to dark blue (1), for values in [0, 1] such as gates. */
    static String sequential(double v) {
        double t = Math.max(0, Math.min(1, v));
        return rgb(255 - 222 * t, 255 - 153 * t, 255 - 75 * t);
    }

    /** Red (-1) through white (0) to green (+1), for signed values scaled to [-1, 1]. */
    static String diverging(double v) {
        double t = Math.max(-1, Math.min(1, v));
        return t >= 0 ? rgb(255 - 229 * t, 255 - 103 * t, 255 - 190 * t) : rgb(255 + 41 * t, 255 + 216 * t, 255 + 204 * t);
    }

    private static String rgb(double r, double g, double b) {
        return fmt("#%02x%02x%02x", (int) Math.round(r), (int) Math.round(g), (int) Math.round(b));
    }

    private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
    private static final String[] DASHES = {"", " stroke-dasharray=\"7 3\"", " stroke-dasharray=\"2 3\"", " stroke-dasharray=\"9 3 2 3\""};

    /** A colour per line (class); with {@link #dash}, distinct for the first 32 classes. */
    static String line(int k) { return PALETTE[k % PALETTE.length]; }

    /** The stroke pattern that tells apart lines of one colour: solid for the first 8 classes, then dashes. */
    static String dash(int k) { return DASHES[(k / PALETTE.length) % DASHES.length]; }
}
