package vectorlstm.inspect;

import static vectorlstm.inspect.Svg.fmt;
import static vectorlstm.inspect.Svg.num;

/**
 * One measured series as an SVG line chart with labelled points, x on a log scale when asked
 * (unit counts 1, 8, 32, 100, 256 spread evenly that way). For results tables such as the
 * units study of the guide. The line joins the points in the order of x, whatever the table's
 * order; with many points only some are labelled (about {@link #MAX_LABELS}), so labels never pile up.
 */
public final class XyChart {
    private static final int W = 640, H = 360, LEFT = 70, RIGHT = 30, TOP = 50, BOTTOM = 60;
    static final int MAX_LABELS = 12;

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
        int every = Math.max(1, (int) Math.ceil(x.length / (double) MAX_LABELS));
        int[] labelled = java.util.stream.IntStream.range(0, byX.length).filter(r -> r % every == 0 || r == byX.length - 1).map(r -> byX[r]).toArray();
        // Both as precise as it takes to tell the points apart: 4 digits printed 1234567.891 and 1234568.2 as 1234568 twice.
        String[] xTexts = NumberLabels.distinct(java.util.Arrays.stream(labelled).mapToDouble(i -> x[i]).toArray(), 4);
        String[] yTexts = NumberLabels.distinct(java.util.Arrays.stream(labelled).mapToDouble(i -> y[i]).toArray(), 4);
        double lastXText = Double.NaN;
        for (int r = 0, l = 0; r < byX.length; r++) {
            int i = byX[r];
            double xv = logX ? Math.log10(x[i]) : x[i];
            double px = left + Svg.scale(xv, x0, x1, pw), py = TOP + ph - Svg.scale(y[i], y0, y1, ph);
            pts.append(num(px)).append(',').append(num(py)).append(' ');
            s.append(fmt("<circle cx=\"%s\" cy=\"%s\" r=\"4\" fill=\"%s\"/>", num(px), num(py), Svg.line(0)));
            if (l == labelled.length || labelled[l] != i) continue;
            s.append(fmt("<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%s</text>", num(px), num(py - 9), yTexts[l]));
            // Points of one x (a table measured twice) share their x label: printed once, not stacked into a smudge.
            if (x[i] != lastXText) s.append(fmt("<text x=\"%s\" y=\"%d\" text-anchor=\"middle\">%s</text>", num(px), TOP + ph + 16, xTexts[l]));
            lastXText = x[i];
            l++;
            s.append('\n');
        }
        s.append(fmt("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n", Svg.line(0), pts));
        // The axis names as wide as the plot they name (the y name turned along its height); a log scale says so in full.
        String scale = logX ? " (log scale)" : "";
        s.append(Svg.titledText(fmt("x=\"%d\" y=\"%d\" text-anchor=\"middle\"", left + pw / 2, H - 18), xLabel + scale,
                ShortLabels.middle(xLabel, pw - Svg.textWidth(scale)) + scale)).append('\n');
        s.append(Svg.fittedText(fmt("x=\"18\" y=\"%d\" transform=\"rotate(-90 18 %d)\" text-anchor=\"middle\"", TOP + ph / 2, TOP + ph / 2), yLabel, ph, 12, false)).append('\n');
        return s.append("</svg>\n").toString();
    }
}
