package vectorlstm.inspect;

import static vectorlstm.inspect.Svg.esc;
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
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i]) || (logX && x[i] <= 0)) throw new IllegalArgumentException("point " + (i + 1) + " is not plottable: (" + x[i] + ", " + y[i] + ")");
        }
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            double xv = logX ? Math.log10(x[i]) : x[i];
            x0 = Math.min(x0, xv);
            x1 = Math.max(x1, xv);
            y0 = Math.min(y0, y[i]);
            y1 = Math.max(y1, y[i]);
        }
        if (!(x1 > x0)) { x0 -= 1; x1 += 1; }
        if (!(y1 > y0)) { y0 -= 0.05; y1 += 0.05; }
        double padY = (y1 - y0) * 0.12, padX = (x1 - x0) * 0.06;
        y0 -= padY; y1 += padY; x0 -= padX; x1 += padX;
        Svg.checkSpan(x0, x1, xLabel);
        Svg.checkSpan(y0, y1, yLabel);
        int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
        StringBuilder s = new StringBuilder();
        s.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"system-ui,sans-serif\" font-size=\"12\">\n", W, H, W, H));
        s.append(fmt("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n<text x=\"%d\" y=\"26\" font-size=\"15\" font-weight=\"bold\">%s</text>\n", W, H, LEFT, esc(title)));
        for (int i = 0; i <= 5; i++) {
            double v = y0 + (y1 - y0) * i / 5, yy = TOP + ph - ph * i / 5.0;
            s.append(fmt("<line x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\" stroke=\"#e6e6e6\"/><text x=\"%d\" y=\"%s\" text-anchor=\"end\">%.3f</text>\n", LEFT, LEFT + pw, num(yy), num(yy), LEFT - 6, num(yy + 4), v));
        }
        s.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n", LEFT, TOP, pw, ph));
        StringBuilder pts = new StringBuilder();
        Integer[] byX = new Integer[x.length];
        for (int i = 0; i < byX.length; i++) byX[i] = i;
        java.util.Arrays.sort(byX, java.util.Comparator.comparingDouble(i -> x[i]));  // stable: equal x keep the table's order
        int every = Math.max(1, (int) Math.ceil(x.length / (double) MAX_LABELS));
        for (int r = 0; r < byX.length; r++) {
            int i = byX[r];
            boolean labelled = r % every == 0 || r == byX.length - 1;
            double xv = logX ? Math.log10(x[i]) : x[i];
            double px = LEFT + pw * (xv - x0) / (x1 - x0), py = TOP + ph - ph * (y[i] - y0) / (y1 - y0);
            pts.append(num(px)).append(',').append(num(py)).append(' ');
            s.append(fmt("<circle cx=\"%s\" cy=\"%s\" r=\"4\" fill=\"%s\"/>", num(px), num(py), Svg.line(0)));
            if (!labelled) continue;
            s.append(fmt("<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%.4f</text>", num(px), num(py - 9), y[i]));
            s.append(fmt("<text x=\"%s\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", num(px), TOP + ph + 16, trim(x[i])));
        }
        s.append(fmt("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n", Svg.line(0), pts));
        s.append(fmt("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", LEFT + pw / 2, H - 18, esc(xLabel + (logX ? " (log scale)" : ""))));
        s.append(fmt("<text x=\"18\" y=\"%d\" transform=\"rotate(-90 18 %d)\" text-anchor=\"middle\">%s</text>\n", TOP + ph / 2, TOP + ph / 2, esc(yLabel)));
        return s.append("</svg>\n").toString();
    }

    private static String trim(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : fmt("%g", v);
    }
}
