package vectorlstm.inspect;

import java.util.Locale;

/** The little SVG and colour code the pictures share: escaping, number format, colour scales. */
final class Svg {
    private Svg() {}

    /**
     * Text for XML/HTML content and attribute values; characters XML 1.0 forbids become a space or
     * U+FFFD, and so do the bidi embedding, override and isolate controls (U+202A-202E,
     * U+2066-2069): an override in a label reversed the rest of every line it was put in. So do
     * a surrogate without its pair (no character at all: a caller's UTF-8 writer threw on it) and
     * the C1 controls and DEL, which HTML counts as parse errors (IMDB's reviews hold U+0097).
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
                    else if (c >= 0x7F && c <= 0x9F) b.append(' ');
                    else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) b.append(c).append(s.charAt(++i));
                    else if (Character.isSurrogate(c)) b.append('\uFFFD');
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
     * The range an axis shows for values from {@code lo} to {@code hi}: {@code share} of their span
     * added on each side ({@code flat}, or 5 % of the value, when they are all equal), less where
     * that would pass the doubles. The span must stay finite: values near ±1e308 are finite, the distance between
     * them is not, and every coordinate would come out NaN. Coordinates are then computed as
     * (v - lo) / (hi - lo) · pixels, in that order: pixels · (v - lo) overflowed near 1e308.
     */
    static double[] padded(double lo, double hi, double share, double flat, String axis) {
        double a = lo, b = hi;
        if (!(b > a)) {
            double pad = Math.max(flat, Math.abs(a) * 0.05);  // 0.05 around 1e20 is no padding at all
            a -= pad;
            b += pad;
        } else if (Double.isFinite(b - a)) {
            double pad = Math.min((b - a) * share, (Double.MAX_VALUE - (b - a)) / 2);  // less padding rather than a span past the doubles
            a -= pad;
            b += pad;
        }
        a = Math.max(a, -Double.MAX_VALUE);
        b = Math.min(b, Double.MAX_VALUE);
        if (!Double.isFinite(b - a)) {
            throw new IllegalArgumentException("the values of " + axis + " span more than a chart can scale ("
                    + NumberLabels.significant(lo, 4) + " to " + NumberLabels.significant(hi, 4) + ")");
        }
        return new double[] {a, b};
    }

    /** Where {@code v} of an axis from lo to hi falls on {@code pixels}: 0 at lo. Divides first, so nothing overflows. */
    static double scale(double v, double lo, double hi, double pixels) { return (v - lo) / (hi - lo) * pixels; }

    /**
     * DejaVu Sans' advance widths of the printable ASCII characters (space to '~'), in 1/2048 em:
     * read from the font's own metrics (DejaVuSans.ttf, through {@code java.awt.Font}). DejaVu Sans
     * is Linux's system-ui and wider than most other faces, so room for this much does not overprint.
     */
    private static final short[] DEJAVU_ASCII = {
            651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690, 1303, 1303, 1303,
            1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087, 2048, 1401, 1405, 1430, 1577, 1294,
            1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403,
            1251, 1403, 799, 690, 799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186,
            569, 1995, 1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716
    };

    /**
     * How wide {@code s} is at 12 px in DejaVu Sans: exact for ASCII; beyond it a full em (12 px),
     * wider than 95 % of the 5,103 characters DejaVu Sans draws there (8.3 px on average; 241 are
     * wider, up to 20.8 px for ‱), so such text is mostly cut too early rather than drawn over its
     * neighbours. The estimate before (7.6 px for every lowercase letter) was a third too wide and
     * cut ASCII titles that fit.
     */
    static double textWidth(String s) {
        double w = 0;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            w += c >= 0x20 && c <= 0x7e ? DEJAVU_ASCII[c - 0x20] * 12.0 / 2048 : 12;
        }
        return w;
    }

    static String fmt(String pattern, Object... args) { return String.format(Locale.ROOT, pattern, args); }

    /** How much wider DejaVu Sans Bold can be than the regular face: 1.26 for I, i and t (1.12 on average over ASCII). */
    private static final double BOLD = 1.26;

    /**
     * A {@code <text>} with {@code attributes} (position, anchor, font) showing {@code s} cut in the
     * middle to {@code room} px at {@code fontPx}, in a group whose {@code <title>} holds all of it:
     * a browser shows that as a tooltip. A long title or column name ran off the chart.
     */
    static String fittedText(String attributes, String s, double room, double fontPx, boolean bold) {
        return titledText(attributes, s, ShortLabels.middle(s, room * 12 / fontPx / (bold ? BOLD : 1)));
    }

    /** A {@code <text>} showing {@code shown}, in a group whose {@code <title>} (the tooltip) holds {@code full}. */
    static String titledText(String attributes, String full, String shown) {
        return fmt("<g><title>%s</title><text %s>%s</text></g>", esc(full), attributes, esc(shown));
    }

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
