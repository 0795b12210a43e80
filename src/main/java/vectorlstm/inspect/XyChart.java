package vectorlstm.inspect;

import static vectorlstm.inspect.Svg.fmt;
import static vectorlstm.inspect.Svg.num;

/**
 * One measured series as an SVG line chart with labelled points, x on a log scale when asked
 * (unit counts 1, 8, 32, 100, 256 spread evenly that way). For results tables such as the
 * units study of the guide. The line joins the points in the order of x, whatever the table's
 * order; with many points only some are labelled (at most about {@link #MAX_LABELS}, as far apart as
 * their widths need), so labels never pile up.
 */
public final class XyChart {
    private static final int W = 640, H = 360, LEFT = 70, RIGHT = 30, TOP = 50, BOTTOM = 60;
    static final int MAX_LABELS = 12;
    /** Above this many points only the labelled ones are drawn as dots; the line shows the rest. */
    static final int MAX_MARKERS = 200;

    private XyChart() {}

    public static String svg(double[] x, double[] y, String xLabel, String yLabel, String title, boolean logX) {
        if (x.length == 0 || x.length != y.length) throw new IllegalArgumentException("need as many x as y values, at least one");
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) throw new IllegalArgumentException("point " + (i + 1) + " is not plottable: (" + x[i] + ", " + y[i] + ")");
            if (logX && x[i] <= 0) throw new IllegalArgumentException("x on a log scale must be above 0; point " + (i + 1) + " has x = " + NumberLabels.significant(x[i], 17));
        }
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY, yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            double xv = logX ? Math.log10(x[i]) : x[i];
            xMin = Math.min(xMin, xv);
            xMax = Math.max(xMax, xv);
            yMin = Math.min(yMin, y[i]);
            yMax = Math.max(yMax, y[i]);
        }
        double[] xs = Svg.padded(xMin, xMax, 0.06, 1, xLabel), ys = Svg.padded(yMin, yMax, 0.12, 0.05, yLabel);
        double x0 = xs[0], x1 = xs[1], y0 = ys[0], y1 = ys[1];
        AxisTicks ticks = AxisTicks.between(y0, y1, 5);
        double widest = 0;
        for (String t : ticks.labels()) widest = Math.max(widest, Svg.textWidth(t));
        int left = Math.max(LEFT, 40 + (int) Math.ceil(widest));  // the tick labels right of the axis title: 1e9 in full was cut off
        int pw = W - left - RIGHT, ph = H - TOP - BOTTOM;
        StringBuilder s = new StringBuilder();
        s.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"system-ui,sans-serif\" font-size=\"12\">\n", W, H, W, H));
        s.append(fmt("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H));
        s.append(Svg.fittedText(fmt("x=\"%d\" y=\"26\" font-size=\"15\" font-weight=\"bold\"", left), title, pw, 15, true)).append('\n');
        for (int i = 0; i < ticks.values().length; i++) {
            double yy = TOP + ph - Svg.scale(ticks.values()[i], y0, y1, ph);
            s.append(fmt("<line x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\" stroke=\"#e6e6e6\"/><text x=\"%d\" y=\"%s\" text-anchor=\"end\">%s</text>\n",
                    left, left + pw, num(yy), num(yy), left - 6, num(yy + 4), ticks.labels()[i]));
        }
        s.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n", left, TOP, pw, ph));
        StringBuilder pts = new StringBuilder();
        Integer[] byX = new Integer[x.length];
        for (int i = 0; i < byX.length; i++) byX[i] = i;
        java.util.Arrays.sort(byX, java.util.Comparator.comparingDouble(i -> x[i]));  // stable: equal x keep the table's order
        double[] px = new double[x.length], py = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            px[i] = left + Svg.scale(logX ? Math.log10(x[i]) : x[i], x0, x1, pw);
            py[i] = TOP + ph - Svg.scale(y[i], y0, y1, ph);
        }
        int[] labelled = labelled(byX, px, x, y, pw);
        // Both as precise as it takes to tell the labelled points apart: 4 digits printed 1234567.891 and 1234568.2 as 1234568 twice.
        String[] xTexts = NumberLabels.distinct(java.util.Arrays.stream(labelled).mapToDouble(i -> x[i]).toArray(), 4);
        String[] yTexts = NumberLabels.distinct(java.util.Arrays.stream(labelled).mapToDouble(i -> y[i]).toArray(), 4);
        // Thousands of markers would bury the line and the labels: past MAX_MARKERS only the labelled points get one.
        boolean everyMarker = x.length <= MAX_MARKERS;
        // The line first, so that the dots and labels are drawn over it: drawn last, a dense series covered its labels.
        for (int i : byX) pts.append(num(px[i])).append(',').append(num(py[i])).append(' ');
        s.append(fmt("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n", Svg.line(0), pts));
        for (int r = 0, l = 0; r < byX.length; r++) {
            int i = byX[r];
            boolean label = l < labelled.length && labelled[l] == i;
            if (everyMarker || label) s.append(fmt("<circle cx=\"%s\" cy=\"%s\" r=\"4\" fill=\"%s\"/>", num(px[i]), num(py[i]), Svg.line(0)));
            if (!label) continue;
            s.append(fmt("<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%s</text>", num(inside(px[i], yTexts[l])), num(py[i] - 9), yTexts[l]));
            s.append(fmt("<text x=\"%s\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", num(inside(px[i], xTexts[l])), TOP + ph + 16, xTexts[l]));
            l++;
        }
        // The axis names as wide as the plot they name (the y name turned along its height); a log scale says so in full.
        String scale = logX ? " (log scale)" : "";
        s.append(Svg.titledText(fmt("x=\"%d\" y=\"%d\" text-anchor=\"middle\"", left + pw / 2, H - 18), xLabel + scale,
                ShortLabels.middle(xLabel, pw - Svg.textWidth(scale)) + scale)).append('\n');
        s.append(Svg.fittedText(fmt("x=\"18\" y=\"%d\" transform=\"rotate(-90 18 %d)\" text-anchor=\"middle\"", TOP + ph / 2, TOP + ph / 2), yLabel, ph, 12, false)).append('\n');
        return s.append("</svg>\n").toString();
    }

    /**
     * The points that get their x and y printed, in the order of x: from the left, each one whose
     * labels clear the last labelled one's (by the texts' widths, and at least a {@link #MAX_LABELS}th
     * of the plot apart), and the rightmost when it can have its own place, taking the place of the
     * ones before it that it would touch. By count alone ("every k-th, and the last") 38 rows printed
     * "3738". Points of one x share one label. Two passes: widths of 4-digit labels for all points
     * (telling all of a million points apart took a minute), then, among the points chosen, the widths
     * of the labels that tell them apart, the ones printed; a subset of those needs no more digits.
     */
    private static int[] labelled(Integer[] byX, double[] px, double[] x, double[] y, int pw) {
        double[] xs = new double[x.length], ys = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xs[i] = Svg.textWidth(NumberLabels.significant(x[i], 4));
            ys[i] = Svg.textWidth(NumberLabels.significant(y[i], 4));
        }
        int[] first = greedy(java.util.Arrays.asList(byX), px, xs, ys, pw);
        double[] fx = java.util.Arrays.stream(first).mapToDouble(i -> x[i]).toArray(), fy = java.util.Arrays.stream(first).mapToDouble(i -> y[i]).toArray();
        String[] tx = NumberLabels.distinct(fx, 4), ty = NumberLabels.distinct(fy, 4);
        for (int k = 0; k < first.length; k++) {
            xs[first[k]] = Svg.textWidth(tx[k]);
            ys[first[k]] = Svg.textWidth(ty[k]);
        }
        return greedy(java.util.Arrays.stream(first).boxed().toList(), px, xs, ys, pw);
    }

    /** The greedy choice of {@link #labelled} over {@code order} (by x) with these label widths. */
    private static int[] greedy(java.util.List<Integer> order, double[] px, double[] xWidth, double[] yWidth, int pw) {
        double[] half = new double[px.length], centre = new double[px.length];
        for (int i : order) {
            half[i] = Math.max(xWidth[i], yWidth[i]) / 2;
            centre[i] = inside(px[i], half[i]);  // where inside() puts these labels; narrower ones printed stay within them
        }
        double minGap = pw / (double) MAX_LABELS;
        java.util.List<Integer> chosen = new java.util.ArrayList<>();
        for (int i : order) {
            if (chosen.isEmpty() || clear(chosen.get(chosen.size() - 1), i, centre, half, minGap)) chosen.add(i);
        }
        int last = order.get(order.size() - 1);
        if (chosen.get(chosen.size() - 1) != last) {
            while (chosen.size() > 1 && !clear(chosen.get(chosen.size() - 1), last, centre, half, minGap)) chosen.remove(chosen.size() - 1);
            if (clear(chosen.get(chosen.size() - 1), last, centre, half, minGap)) chosen.add(last);
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Whether the labels of point {@code b}, right of {@code a}, keep clear of a's. */
    private static boolean clear(int a, int b, double[] centre, double[] half, double minGap) {
        return centre[b] - centre[a] >= Math.max(minGap, half[a] + half[b] + 8);
    }

    /** Where a label centred over {@code px} goes so that it stays inside the chart: 1.0000000000000002 at the right edge was cut off. */
    private static double inside(double px, String text) { return inside(px, Svg.textWidth(text) / 2); }

    private static double inside(double px, double half) { return Math.max(2 + half, Math.min(W - 2 - half, px)); }
}
