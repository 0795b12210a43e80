package vectorlstm.inspect;

import static vectorlstm.inspect.Svg.fmt;
import static vectorlstm.inspect.Svg.num;

import java.util.List;
import java.util.function.ToDoubleFunction;
import vectorlstm.model.History;

/**
 * Training curves as one self-contained SVG: loss and accuracy per epoch, training and
 * validation, with the epoch early stopping kept (restored) marked.
 */
public final class CurvesChart {
    private static final int PANEL_W = 440, PANEL_H = 260, LEFT = 60, TOP = 66, GAP = 70;

    private CurvesChart() {}

    /** One panel's values: the range it shows and its ticks. */
    private record Panel(String name, ToDoubleFunction<History.Epoch> train, ToDoubleFunction<History.Epoch> validation, double lo, double hi, AxisTicks ticks) {
        /** Room for the tick labels left of the panel. */
        int labelRoom() {
            double widest = 0;
            for (String t : ticks.labels()) widest = Math.max(widest, Svg.textWidth(t));
            return 12 + (int) Math.ceil(widest);
        }
    }

    /** @throws IllegalArgumentException without a history (a model wrapped by TextClassifier.of records none) or with no epoch */
    public static String svg(History history, String title) {
        if (history == null) throw new IllegalArgumentException("no training history to draw (a model saves one when train made it, or when SavedModel was given the History fit returned)");
        List<History.Epoch> epochs = history.epochs();
        if (epochs.isEmpty()) throw new IllegalArgumentException("the history has no epoch");
        Panel loss = panel(epochs, "loss", History.Epoch::loss, History.Epoch::valLoss);
        Panel accuracy = panel(epochs, "accuracy", History.Epoch::accuracy, History.Epoch::valAccuracy);
        int left = Math.max(LEFT, loss.labelRoom()), second = left + PANEL_W + Math.max(GAP, accuracy.labelRoom() + 10);
        int width = second + PANEL_W + 30, height = TOP + PANEL_H + 90;
        StringBuilder s = new StringBuilder(16 * 1024);
        s.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"system-ui,sans-serif\" font-size=\"12\">\n",
                width, height, width, height));
        s.append(fmt("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height));
        // As wide as the panels below it: "Training of <a long file name>" ran off the chart.
        s.append(Svg.fittedText(fmt("x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\"", left), title, width - 30 - left, 16, true)).append('\n');
        draw(s, epochs, history.restoredEpoch(), left, loss);
        draw(s, epochs, history.restoredEpoch(), second, accuracy);
        // The legend: validation only when there is some (a run without validation data listed it all the same).
        int ly = TOP + PANEL_H + 62, x = left;
        s.append(fmt("<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/><text x=\"%d\" y=\"%d\">training</text>",
                x, x + 24, ly, ly, Svg.line(0), x + 30, ly + 4));
        x += 110;
        if (epochs.stream().anyMatch(e -> Double.isFinite(e.valLoss()) || Double.isFinite(e.valAccuracy()))) {
            s.append(fmt("<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/><text x=\"%d\" y=\"%d\">validation</text>",
                    x, x + 24, ly, ly, Svg.line(1), x + 30, ly + 4));
            x += 130;
        }
        if (history.restoredEpoch() > 0) {
            s.append(fmt("<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#2ca02c\" stroke-width=\"2\"/><text x=\"%d\" y=\"%d\">kept: epoch %d (early stopping restored its weights)</text>",
                    x, x, ly - 8, ly + 8, x + 8, ly + 4, history.restoredEpoch()));
        }
        return s.append("</svg>\n").toString();
    }

    private static Panel panel(List<History.Epoch> epochs, String name, ToDoubleFunction<History.Epoch> train, ToDoubleFunction<History.Epoch> validation) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (History.Epoch e : epochs) {
            for (double v : new double[] {train.applyAsDouble(e), validation.applyAsDouble(e)}) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) lo = hi = 0.5;  // no finite value at all: an empty panel
        double[] range = Svg.padded(lo, hi, 0.08, 0.05, name);
        return new Panel(name, train, validation, range[0], range[1], AxisTicks.between(range[0], range[1], 5));
    }

    private static void draw(StringBuilder s, List<History.Epoch> epochs, int kept, int x0, Panel p) {
        int n = epochs.size();
        s.append(fmt("<text x=\"%d\" y=\"%d\" font-size=\"14\">%s</text>\n", x0, TOP - 10, p.name()));
        for (int i = 0; i < p.ticks().values().length; i++) {
            double y = TOP + PANEL_H - Svg.scale(p.ticks().values()[i], p.lo(), p.hi(), PANEL_H);
            s.append(fmt("<line x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\" stroke=\"#e6e6e6\"/><text x=\"%d\" y=\"%s\" text-anchor=\"end\">%s</text>\n",
                    x0, x0 + PANEL_W, num(y), num(y), x0 - 6, num(y + 4), p.ticks().labels()[i]));
        }
        int every = Math.max(1, (int) Math.ceil(n / 10.0));  // at most about ten labels: 120 epochs overprinted each other
        for (History.Epoch e : epochs) {
            // The last epoch always, in place of the regular label before it when that one is closer than a step: 37 and 38 read "3738".
            if (e.epoch() != n && ((e.epoch() - 1) % every != 0 || n - e.epoch() < every)) continue;
            double x = xOf(e.epoch(), n, x0);
            s.append(fmt("<text x=\"%s\" y=\"%d\" text-anchor=\"middle\">%d</text>", num(x), TOP + PANEL_H + 16, e.epoch()));
        }
        s.append(fmt("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">epoch</text>\n", x0 + PANEL_W / 2, TOP + PANEL_H + 34));
        s.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n", x0, TOP, PANEL_W, PANEL_H));
        if (kept > 0) {
            double x = xOf(kept, n, x0);
            s.append(fmt("<line x1=\"%s\" x2=\"%s\" y1=\"%d\" y2=\"%d\" stroke=\"#2ca02c\" stroke-width=\"2\"/>\n", num(x), num(x), TOP, TOP + PANEL_H));
        }
        line(s, epochs, p.train(), p.lo(), p.hi(), n, x0, Svg.line(0), "");
        line(s, epochs, p.validation(), p.lo(), p.hi(), n, x0, Svg.line(1), " stroke-dasharray=\"6 3\"");
    }

    private static void line(StringBuilder s, List<History.Epoch> epochs, ToDoubleFunction<History.Epoch> f, double lo, double hi, int n, int x0, String colour, String dash) {
        StringBuilder pts = new StringBuilder();
        for (History.Epoch e : epochs) {
            double v = f.applyAsDouble(e);
            if (!Double.isFinite(v)) continue;
            double x = xOf(e.epoch(), n, x0), y = TOP + PANEL_H - Svg.scale(v, lo, hi, PANEL_H);
            pts.append(num(x)).append(',').append(num(y)).append(' ');
            s.append(fmt("<circle cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"/>", num(x), num(y), colour));
        }
        if (!pts.isEmpty()) s.append(fmt("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"/>\n", colour, dash, pts));
    }

    private static double xOf(int epoch, int n, int x0) {
        return n == 1 ? x0 + PANEL_W / 2.0 : x0 + 20 + (PANEL_W - 40) * (epoch - 1) / (double) (n - 1);
    }
}
