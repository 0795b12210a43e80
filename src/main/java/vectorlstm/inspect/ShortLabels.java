package vectorlstm.inspect;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Labels shortened to a width in pixels (as {@link Svg#textWidth} estimates it), with "…" where
 * something was left out; never half a surrogate pair.
 */
final class ShortLabels {
    private ShortLabels() {}

    /** The start of {@code s} that fits in {@code px}, then "…". For axis ticks. */
    static String end(String s, double px) {
        if (Svg.textWidth(s) <= px) return s;
        int[] cps = s.codePoints().toArray();
        int n = 0;
        for (double w = Svg.textWidth("…"); n < cps.length && w + width(cps[n]) <= px; n++) w += width(cps[n]);
        return new String(cps, 0, n) + "…";
    }

    /**
     * The start and the end of {@code s} around a "…", together {@code px} wide. Class names
     * often share a start ("customer-feedback-category-positive", "…-negative"): cut at the end,
     * two such labels read the same.
     */
    static String middle(String s, double px) {
        if (Svg.textWidth(s) <= px) return s;
        int[] cps = s.codePoints().toArray();
        int head = 0, tail = 0;
        for (double w = Svg.textWidth("…"); head + tail < cps.length; ) {
            boolean front = head <= tail;
            double c = width(front ? cps[head] : cps[cps.length - 1 - tail]);
            if (w + c > px) break;
            w += c;
            if (front) head++;
            else tail++;
        }
        return new String(cps, 0, head) + "…" + new String(cps, cps.length - tail, tail);
    }

    /**
     * Each label cut in the middle to {@code px}, and those that would read the same as another
     * given more room until they do not (or are whole).
     */
    static String[] distinct(List<String> labels, double px) {
        double[] room = new double[labels.size()];
        java.util.Arrays.fill(room, px);
        String[] out = new String[labels.size()];
        for (boolean again = true; again; ) {
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < out.length; i++) {
                out[i] = middle(labels.get(i), room[i]);
                seen.merge(out[i], 1, Integer::sum);
            }
            again = false;
            for (int i = 0; i < out.length; i++) {
                if (seen.get(out[i]) > 1 && !out[i].equals(labels.get(i))) {
                    room[i] += 8;
                    again = true;
                }
            }
        }
        return out;
    }

    private static double width(int codePoint) { return Svg.textWidth(Character.toString(codePoint)); }
}
