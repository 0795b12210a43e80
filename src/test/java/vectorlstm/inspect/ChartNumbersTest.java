package vectorlstm.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import vectorlstm.model.History;

/**
 * The numbers of the line charts (plot --csv and plot --model): every coordinate finite and inside
 * the picture, axis labels that tell their ticks apart and say where they are, value labels of a
 * readable length.
 */
class ChartNumbersTest {
    private static final Pattern COORDINATE = Pattern.compile(" (x|y|x1|x2|y1|y2|cx|cy)=\"([^\"]*)\"");
    private static final Pattern POINTS = Pattern.compile("points=\"([^\"]*)\"");
    private static final Pattern SIZE = Pattern.compile("<svg [^>]*width=\"(\\d+)\" height=\"(\\d+)\"");
    /** A y-axis tick: its grid line's y, then its label (anchored at the end, left of the plot). */
    private static final Pattern Y_TICK = Pattern.compile("y1=\"([-0-9.]+)\" y2=\"[-0-9.]+\" stroke=\"#e6e6e6\"/><text x=\"\\d+\" y=\"[-0-9.]+\" text-anchor=\"end\">([^<]*)</text>");
    private static final Pattern CIRCLE = Pattern.compile("<circle cx=\"([^\"]*)\" cy=\"([^\"]*)\"");

    /** Every coordinate of the chart is a finite number inside its width and height. */
    static void assertInside(String svg) {
        Matcher size = SIZE.matcher(svg);
        assertTrue(size.find(), "the chart's size");
        double w = Double.parseDouble(size.group(1)), h = Double.parseDouble(size.group(2));
        List<double[]> at = new ArrayList<>();  // {value, limit}
        Matcher c = COORDINATE.matcher(svg);
        while (c.find()) if (c.start() > size.end()) at.add(new double[] {Double.parseDouble(c.group(2)), c.group(1).startsWith("x") || c.group(1).equals("cx") ? w : h});
        Matcher p = POINTS.matcher(svg);
        while (p.find()) {
            for (String xy : p.group(1).trim().split(" ")) {
                at.add(new double[] {Double.parseDouble(xy.split(",")[0]), w});
                at.add(new double[] {Double.parseDouble(xy.split(",")[1]), h});
            }
        }
        for (double[] v : at) assertTrue(Double.isFinite(v[0]) && v[0] >= 0 && v[0] <= v[1], "coordinate " + v[0] + " outside 0.." + v[1]);
    }

    /** The y ticks as {grid line y, value the label says}, top to bottom of the file. */
    private static List<double[]> yTicks(String svg) {
        List<double[]> ticks = new ArrayList<>();
        Matcher m = Y_TICK.matcher(svg);
        while (m.find()) ticks.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
        return ticks;
    }

    /** The labels tell the ticks apart, are short, and put each point where its value says. */
    private static void assertHonestAxis(String svg, double[] ys) {
        List<double[]> ticks = yTicks(svg);
        Matcher labels = Y_TICK.matcher(svg);
        List<String> texts = new ArrayList<>();
        while (labels.find()) texts.add(labels.group(2));
        assertTrue(ticks.size() >= 2, "at least two ticks: " + texts);
        assertEquals(texts.size(), new HashSet<>(texts).size(), "distinct tick labels: " + texts);
        for (String t : texts) assertTrue(t.length() <= 9, "a short tick label: " + t);
        double[] a = ticks.get(0), b = ticks.get(ticks.size() - 1);
        Matcher circle = CIRCLE.matcher(svg);
        for (double y : ys) {
            assertTrue(circle.find());
            double expected = a[0] + (b[0] - a[0]) * ((y - a[1]) / (b[1] - a[1]));  // where the labels say y is
            assertEquals(expected, Double.parseDouble(circle.group(2)), 1.0, "point " + y + " against the ticks " + texts);
        }
    }

    @Test
    void valuesNearTheLargestDoubleGetFiniteCoordinates() {
        // cy was -Infinity: ph * (y - y0) overflowed before the division (and so did x for 0 and 1e306).
        String nearMax = XyChart.svg(new double[] {1, 2}, new double[] {1.7e308, 1.6e308}, "x", "y", "t", false);
        assertInside(nearMax);
        assertHonestAxis(nearMax, new double[] {1.7e308, 1.6e308});
        assertInside(XyChart.svg(new double[] {0, 1e306}, new double[] {0.5, 0.6}, "x", "y", "t", false));
        assertInside(XyChart.svg(new double[] {1, 2, 3}, new double[] {1e20, 1e20, 1e20}, "x", "y", "t", false));
        assertInside(CurvesChart.svg(History.of(List.of(new History.Epoch(1, 1.7e308, 0.5, 1.6e308, 0.5, 1),
                new History.Epoch(2, 1.65e308, 0.6, 1.62e308, 0.6, 1)), -1), "t"));
    }

    @Test
    void tickLabelsTellTheirValuesApartAtAnyScale() {
        // Fixed decimals (%.3f) wrote 0.692, 0.693, 0.693 for a flat run, 0.000 six times for values near 1e-6,
        // 13-digit labels cut off at the left for 1e9, and 300-digit ones near 1e308.
        double[][] series = {{0.6931, 0.6927, 0.6925, 0.6924}, {0.0000011, 0.0000012, 0.0000013}, {1, 1e9, -5e9}, {0.83, 0.86, 0.87, 0.8737, 0.83}};
        for (double[] ys : series) {
            double[] xs = new double[ys.length];
            for (int i = 0; i < xs.length; i++) xs[i] = i + 1;
            String svg = XyChart.svg(xs, ys, "x", "y", "t", false);
            assertInside(svg);
            assertHonestAxis(svg, ys);
        }
        List<History.Epoch> flat = new ArrayList<>();
        for (int e = 1; e <= 4; e++) flat.add(new History.Epoch(e, 0.6932 - e * 0.0002, 0.5, 0.6931 - e * 0.0001, 0.5, 1));
        String curves = CurvesChart.svg(History.of(flat, -1), "flat");
        assertInside(curves);
        List<String> loss = new ArrayList<>();
        Matcher m = Y_TICK.matcher(curves);
        while (m.find() && loss.size() < yTicks(curves).size() / 2) loss.add(m.group(2));
        assertEquals(loss.size(), new HashSet<>(loss).size(), "distinct loss ticks: " + loss);
    }

    @Test
    void valueLabelsAreShortAtAnyScale() {
        // %.4f wrote 1.7e308 as 309 digits and -5e9 as -5000000000.0000 (x far apart: labels of points closer than their widths are left out).
        String svg = XyChart.svg(new double[] {1, 5e305, 1e306}, new double[] {1.7e308, -5e9, 0.0000011}, "x", "y", "t", false);
        Matcher texts = Pattern.compile(">([^<]*)</text>").matcher(svg);
        while (texts.find()) assertTrue(texts.group(1).length() <= 12, "a short label: " + texts.group(1));
        assertTrue(svg.contains(">1.7e308<") && svg.contains(">-5e9<") && svg.contains(">1.1e-6<") && svg.contains(">1e306<"), svg);
        String accuracies = XyChart.svg(new double[] {1, 8, 32}, new double[] {0.8347, 0.8649, 0.8761}, "units", "acc", "t", true);
        assertTrue(accuracies.contains(">0.8347<") && accuracies.contains(">32<"), "four digits of an accuracy, whole unit counts");
        String close = XyChart.svg(new double[] {1000000, 1000001, 1000002}, new double[] {0.5, 0.6, 0.7}, "x", "y", "t", false);
        assertTrue(close.contains(">1000001<"), "x labels as precise as it takes to tell the points apart");
    }

    @Test
    void pointLabelsTellDifferentValuesApart() {
        // y labels had 4 significant digits (whole numbers all of theirs): 1234567.891 and 1234568.2 both read 1234568, 100000001 read 1e8.
        String close = XyChart.svg(new double[] {1, 2, 3}, new double[] {1234567.891, 1234568.2, 1234569}, "x", "y", "t", false);
        assertTrue(close.contains(">1234567.9<") && close.contains(">1234568.2<") && close.contains(">1234569<"), close);
        String large = XyChart.svg(new double[] {1, 2, 3}, new double[] {100000000, 100000001, 100000002}, "x", "y", "t", false);
        assertTrue(large.contains(">1e8<") && large.contains(">1.00000001e8<") && large.contains(">1.00000002e8<"), large);
        // Not only neighbours: the points go by x, and their y values need not be in order.
        String apart = XyChart.svg(new double[] {1, 2, 3}, new double[] {1234567.891, 5, 1234568.2}, "x", "y", "t", false);
        assertTrue(apart.contains(">1234567.9<") && apart.contains(">1234568.2<"), apart);
        String accuracies = XyChart.svg(new double[] {1, 2, 3}, new double[] {0.8347, 0.8649, 0.8761}, "x", "y", "t", false);
        assertTrue(accuracies.contains(">0.8347<") && accuracies.contains(">0.8649<"), "values apart at 4 digits keep 4");
    }

    @Test
    void pointLabelsNeverTouchAndStayInside() {
        // By count ("every k-th and the last") 38 rows printed "3738" and 10,000 rows' labels touched; a
        // table measured twice printed each x twice on one spot; 1.0000000000000002 at the right edge was cut off.
        double[] rows38 = new double[38], many = new double[10_000], manyY = new double[10_000];
        for (int i = 0; i < rows38.length; i++) rows38[i] = i + 1;
        for (int i = 0; i < many.length; i++) {
            many[i] = i;
            manyY[i] = 0.3 + 0.2 * Math.sin(i / 300.0);
        }
        double[] y38 = java.util.Arrays.stream(rows38).map(v -> 0.3 - v / 1000).toArray();
        List<String> charts = List.of(XyChart.svg(rows38, y38, "x", "y", "t", false),
                XyChart.svg(many, manyY, "x", "y", "t", false),
                XyChart.svg(new double[] {1, 8, 1, 8}, new double[] {0.83, 0.86, 0.84, 0.87}, "x", "y", "t", false),
                XyChart.svg(new double[] {1, 1.0000000000000002}, new double[] {1, 2}, "x", "y", "t", false));
        for (String svg : charts) assertLabelsApartAndInside(svg, 640);
        assertTrue(charts.get(0).contains(">38</text>"), "the last row keeps its label");
        assertTrue(charts.get(3).contains(">1.0000000000000002</text>"), charts.get(3));
        Matcher x = Pattern.compile("text-anchor=\"middle\">(1|8)</text>").matcher(charts.get(2));
        List<String> seen = new ArrayList<>();
        while (x.find()) seen.add(x.group(1));
        assertEquals(List.of("1", "8"), seen, "one label per x");
        assertTrue(charts.get(1).split("<circle ").length < 40, "not 10,000 dots");
        List<History.Epoch> epochs = new ArrayList<>();
        for (int e = 1; e <= 38; e++) epochs.add(new History.Epoch(e, 0.7 - e / 100.0, 0.5 + e / 100.0, 0.7 - e / 120.0, 0.5 + e / 120.0, 1));
        String curves = CurvesChart.svg(History.of(epochs, -1), "t");
        assertLabelsApartAndInside(curves, Integer.MAX_VALUE);
        assertTrue(curves.contains(">38</text>") && !curves.contains(">37</text>"), "the last epoch in place of the one next to it");
    }

    /** No two centred labels overlap (by {@link Svg#textWidth}, 12 px tall), and none reaches past x = 0 or {@code width}. */
    private static void assertLabelsApartAndInside(String svg, int width) {
        Matcher m = Pattern.compile("<text x=\"([-0-9.]+)\" y=\"([-0-9.]+)\" text-anchor=\"middle\">([^<]*)</text>").matcher(svg);
        List<double[]> boxes = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        while (m.find()) {
            double cx = Double.parseDouble(m.group(1)), y = Double.parseDouble(m.group(2)), half = Svg.textWidth(m.group(3)) / 2;
            assertTrue(cx - half >= 0 && cx + half <= width, "inside: " + m.group(3) + " at " + cx);
            boxes.add(new double[] {cx - half, cx + half, y - 12, y});
            texts.add(m.group(3));
        }
        for (int i = 0; i < boxes.size(); i++) {
            for (int j = i + 1; j < boxes.size(); j++) {
                double[] a = boxes.get(i), b = boxes.get(j);
                boolean apart = a[1] <= b[0] || b[1] <= a[0] || a[3] <= b[2] || b[3] <= a[2];
                assertTrue(apart, "'" + texts.get(i) + "' and '" + texts.get(j) + "' overlap");
            }
        }
    }

    /** The width of a text at {@code fontPx} as the charts estimate it ({@link Svg#textWidth} is for 12 px). */
    private static double width(String text, double fontPx) { return Svg.textWidth(text) * fontPx / 12; }

    @Test
    void aTitleThatFitsIsNotCut() {
        // The width estimate was a third too wide: docs/pictures/make.sh's title came out "IMDB test accuracy by L…nits (3 epochs, seed 7)"
        // where Chromium drew it whole with about 90 px to spare.
        String title = "IMDB test accuracy by LSTM units (3 epochs, seed 7)";
        String svg = XyChart.svg(new double[] {8, 100, 512}, new double[] {0.85, 0.87, 0.86}, "units", "test_accuracy", title, true);
        assertTrue(svg.contains(">" + title + "</text>"), svg);
    }

    @Test
    void longTitlesAndAxisNamesFitTheChartWithTheWholeNameInATooltip() {
        // They were written whole: a long --y column ran off the top and bottom of the chart, the title off its right.
        String name = "test accuracy on the full IMDB test split after three epochs with the default settings";
        String svg = XyChart.svg(new double[] {1, 8, 32}, new double[] {0.83, 0.86, 0.87}, "units of " + name, name, "y against units of " + name, true);
        Matcher size = SIZE.matcher(svg);
        assertTrue(size.find());
        int w = Integer.parseInt(size.group(1)), h = Integer.parseInt(size.group(2));
        Matcher title = Pattern.compile("<text x=\"(\\d+)\" y=\"26\" font-size=\"15\" font-weight=\"bold\">([^<]*)</text>").matcher(svg);
        assertTrue(title.find(), svg);
        assertTrue(width(title.group(2), 15) <= w - Integer.parseInt(title.group(1)), "the title fits: " + title.group(2));
        Matcher yName = Pattern.compile("<text x=\"18\" y=\"(\\d+)\" transform=\"rotate[^>]*>([^<]*)</text>").matcher(svg);
        assertTrue(yName.find(), svg);
        int middle = Integer.parseInt(yName.group(1));
        assertTrue(width(yName.group(2), 12) / 2 <= Math.min(middle, h - middle), "the y name fits above and below its middle: " + yName.group(2));
        Matcher xName = Pattern.compile("<text x=\"(\\d+)\" y=\"" + (h - 18) + "\" text-anchor=\"middle\">([^<]*)</text>").matcher(svg);
        assertTrue(xName.find(), svg);
        int centre = Integer.parseInt(xName.group(1));
        assertTrue(width(xName.group(2), 12) / 2 <= Math.min(centre, w - centre), "the x name fits: " + xName.group(2));
        assertTrue(xName.group(2).contains("…") && xName.group(2).endsWith("settings (log scale)"), "the name shortened, the scale said whole: " + xName.group(2));
        for (String whole : List.of("y against units of " + name, name, "units of " + name + " (log scale)")) {
            assertTrue(svg.contains("<title>" + whole + "</title>"), "the whole of it in a tooltip: " + whole);
        }
        String file = "imdb-lstm16-lr0.01-earlystopping-patience3-numwords2000-maxlen200-run-of-2026-12-05-seed7-validation-split0.1-experiment-final-v2.vlstm";
        String curves = CurvesChart.svg(History.of(List.of(new History.Epoch(1, 0.6, 0.7, 0.5, 0.8, 1)), -1), "Training of " + file);
        Matcher curvesSize = SIZE.matcher(curves);
        assertTrue(curvesSize.find());
        Matcher curvesTitle = Pattern.compile("<text x=\"(\\d+)\" y=\"24\" font-size=\"16\" font-weight=\"bold\">([^<]*)</text>").matcher(curves);
        assertTrue(curvesTitle.find(), curves);
        assertTrue(width(curvesTitle.group(2), 16) <= Integer.parseInt(curvesSize.group(1)) - Integer.parseInt(curvesTitle.group(1)), "fits: " + curvesTitle.group(2));
        assertTrue(curves.contains("<title>Training of " + file + "</title>"));
        String shortTitle = XyChart.svg(new double[] {1, 2}, new double[] {0.5, 0.6}, "units", "acc", "acc against units", false);
        assertTrue(shortTitle.contains(">acc against units</text>") && shortTitle.contains(">acc</text>") && shortTitle.contains(">units</text>"), "short names whole");
    }

    @Test
    void trainingCurvesListValidationOnlyWhenThereIsSome() {
        // The legend always had "validation", also for a model trained with --validation-split 0.
        History none = History.of(List.of(new History.Epoch(1, 0.6, 0.7, Double.NaN, Double.NaN, 1), new History.Epoch(2, 0.5, 0.8, Double.NaN, Double.NaN, 1)), -1);
        assertFalse(CurvesChart.svg(none, "t").contains("validation"));
        History some = History.of(List.of(new History.Epoch(1, 0.6, 0.7, 0.65, 0.68, 1), new History.Epoch(2, 0.5, 0.8, 0.6, 0.7, 1)), -1);
        assertTrue(CurvesChart.svg(some, "t").contains(">validation</text>"));
    }

    @Test
    void unplottableTablesAreNamedByWhatIsWrong() {
        // A log scale with x = -1 said "point 1 is not plottable: (-1.0, 0.5)"; ±1e308 said "(-Infinity to Infinity)".
        IllegalArgumentException log = assertThrows(IllegalArgumentException.class,
                () -> XyChart.svg(new double[] {-1, 10}, new double[] {0.5, 0.6}, "x", "y", "t", true));
        assertEquals("x on a log scale must be above 0; point 1 has x = -1", log.getMessage());
        IllegalArgumentException span = assertThrows(IllegalArgumentException.class,
                () -> XyChart.svg(new double[] {1, 2}, new double[] {1e308, -1e308}, "x", "y", "t", false));
        assertEquals("the values of y span more than a chart can scale (-1e308 to 1e308)", span.getMessage());
    }
}
