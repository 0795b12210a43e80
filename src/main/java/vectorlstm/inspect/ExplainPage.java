package vectorlstm.inspect;

import static vectorlstm.inspect.Svg.esc;
import static vectorlstm.inspect.Svg.fmt;
import static vectorlstm.inspect.Svg.num;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One self-contained HTML page (inline CSS and SVG, no script, nothing fetched) that shows how a
 * model read one text: the words coloured by how each moved the predicted label's probability,
 * the probability after every word (per class for more than two labels), the input, forget and
 * output gates and the cell state of the most active units as heatmaps, and the final answer.
 * Long texts are drawn in bins (the mean of consecutive steps) so nothing overlaps at 500 steps.
 */
public final class ExplainPage {
    /** Heatmap rows: this many units, those whose cell state moves the most over the text. */
    static final int UNITS_SHOWN = 12;
    /** Heatmap and chart columns at most; longer texts are binned. */
    static final int MAX_COLUMNS = 100;
    private static final int WIDTH = 960, LEFT = 90, RIGHT = 20;
    /** The probability legend: labels shortened to about this many pixels (more where two would read the same), rows this far apart. */
    private static final int LEGEND_LABEL_PX = 200, LEGEND_ROW_PX = 18;
    /** Word ticks under the probability chart: shortened to this many pixels, drawn at -40°. */
    private static final int TICK_PX = 85;

    private ExplainPage() {}

    public static String html(Inspection in, String modelName) {
        StringBuilder h = new StringBuilder(64 * 1024);
        List<Inspection.Word> read = in.readWords();
        String label = in.labels.get(in.predicted);
        float p = in.probability(in.steps.steps - 1, in.predicted);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>vector-lstm explain: ")
                .append(esc(label)).append("</title>\n<style>")
                .append("body{font:15px/1.5 system-ui,sans-serif;max-width:1000px;margin:24px auto;padding:0 16px;color:#222}")
                .append("h1{font-size:22px}h2{font-size:17px;margin-top:28px}h1,h2{overflow-wrap:anywhere}.answer{font-size:20px;overflow-wrap:anywhere}")
                .append(".w{padding:1px 3px;margin:1px;border-radius:3px;display:inline-block;overflow-wrap:anywhere}")
                .append(".unk{color:#999;text-decoration:line-through}.cut{color:#bbb}.oov{text-decoration:underline dotted}")
                .append("svg text{font:12px system-ui,sans-serif;fill:#333}.note{color:#555;font-size:13px}")
                .append("</style></head><body>\n");
        h.append("<h1>How the model read this text</h1>\n");
        h.append("<p class=\"answer\">Answer: <b>").append(esc(label)).append("</b>, probability ").append(fmt("%.4f", p))
                .append(" <span class=\"note\">(").append(esc(modelName)).append(")</span></p>\n");
        if (read.isEmpty()) {
            h.append("<p><b>No word of this text is in the model's vocabulary</b>: the model read only padding, so its answer says nothing about the text.</p>\n");
        }
        words(h, in);
        if (!read.isEmpty()) {
            trajectory(h, in, read);
            h.append("<h2>Inside the LSTM: gates and cell state of the ").append(Math.min(UNITS_SHOWN, in.steps.units))
                    .append(" most active of its ").append(in.steps.units).append(" units</h2>\n")
                    .append("<p class=\"note\">Rows are units (the ones whose cell state varies most over this text), columns are the words read, in order")
                    .append(read.size() > MAX_COLUMNS ? fmt(", in %d bins of about %d words (mean per bin)", bins(read.size()), (int) Math.ceil(read.size() / (double) bins(read.size()))) : "")
                    .append(". Every unit sees every word and all of them share one recurrent matrix U; each unit keeps one number of memory (its cell state).</p>\n");
            int[] units = activeUnits(in);
            heatmap(h, in, units, in.steps.input, "Input gate i: how much of the new candidate is written (0 = nothing, 1 = all)", false);
            heatmap(h, in, units, in.steps.forget, "Forget gate f: how much of the old memory is kept (0 = forgotten, 1 = kept)", false);
            heatmap(h, in, units, in.steps.output, "Output gate o: how much of the memory is shown in h (0 = hidden, 1 = shown)", false);
            heatmap(h, in, units, in.steps.cell, "Cell state c: the memory itself (red negative, white 0, green positive)", true);
        }
        h.append("<p class=\"note\">").append(padding(in))
                .append("Computed step by step from the model's weights (Keras' equations); ")
                .append("the probability after a word is the model's answer for the text cut after that word, padded as the model pads it. Made by vector-lstm.</p>\n");
        h.append("</body></html>\n");
        return h.toString();
    }

    /** What the page says of the padding: none, all of the sequence (no word read), or the steps before the first word. */
    private static String padding(Inspection in) {
        int pads = 0;
        while (pads < in.ids.length && in.ids[pads] == 0) pads++;
        if (pads == 0) return "No padding comes before the first word. ";
        boolean one = pads == 1;
        String steps = one ? "1 padding step (id 0)" : pads + " padding steps (id 0)";
        String before = in.readWords().isEmpty() ? steps + " and no word: the model read none of this text's words; "
                : steps + (one ? " comes" : " come") + " before the first word; ";
        String them = one ? "it" : "them", are = one ? "it is" : "they are";
        return before + (in.steps.masksPadding ? "the model masks " + them + " (mask_zero): the LSTM skips " + them + ", so it reads the first word from a zero state. "
                : "the LSTM runs through " + them + " too, but " + are + " the same for every text and " + (one ? "is" : "are") + " not drawn. ");
    }

    private static void words(StringBuilder h, Inspection in) {
        List<Inspection.Word> read = in.readWords();
        double max = 1e-6;
        for (Inspection.Word w : read) max = Math.max(max, Math.abs(in.change(w.step())));
        h.append("<h2>The words, coloured by how each moved p(").append(esc(in.labels.get(in.predicted))).append(")</h2>\n<p>");
        for (Inspection.Word w : in.words) {
            switch (w.fate()) {
                case READ -> {
                    float d = in.change(w.step());
                    h.append("<span class=\"w").append(w.readAsUnknown() ? " oov" : "").append("\" style=\"background:").append(Svg.diverging(d / max)).append("\" title=\"")
                            .append(w.readAsUnknown() ? "not in the vocabulary, read as the unknown-word id " + w.id() + "; " : "")
                            .append(esc(fmt("step %d: p(%s) %.4f → %.4f (%s)", w.step(), in.labels.get(in.predicted),
                                    in.probability(w.step() - 1, in.predicted), in.probability(w.step(), in.predicted), signedChange(d))))
                            .append("\">").append(esc(w.text())).append("</span> ");
                }
                case UNKNOWN -> h.append("<span class=\"w unk\" title=\"not in the vocabulary: the model never saw it\">").append(esc(w.text())).append("</span> ");
                case TRUNCATED -> h.append("<span class=\"w cut\" title=\"cut: only the last maxlen words are read\">").append(esc(w.text())).append("</span> ");
            }
        }
        h.append("</p>\n");
        // The colour scale, explained.
        h.append("<svg width=\"").append(WIDTH).append("\" height=\"62\" role=\"img\" aria-label=\"colour scale\">");
        for (int i = 0; i <= 40; i++) {
            double v = i / 20.0 - 1;
            h.append(fmt("<rect x=\"%s\" y=\"4\" width=\"9\" height=\"14\" fill=\"%s\"/>", num(LEFT + i * 9), Svg.diverging(v)));
        }
        // %.3f wrote a largest change of 0.0003 as 0.000; with no word read there is no change to scale by (the 1e-6 is a guard).
        String largest = NumberLabels.significant(max, 3);
        h.append(fmt("<text x=\"%d\" y=\"34\">%s(pushed down)</text>", LEFT - 20, read.isEmpty() ? "" : "-" + largest + " "))
                .append(fmt("<text x=\"%d\" y=\"34\" text-anchor=\"middle\">0</text>", LEFT + 184))
                .append(fmt("<text x=\"%d\" y=\"34\" text-anchor=\"end\">%s(pushed up)</text>", LEFT + 369 + 60, read.isEmpty() ? "" : "+" + largest + " "))
                .append(caption(in.labels.get(in.predicted)))
                .append("</svg>\n");
    }

    /**
     * The colour scale's caption, on its own line under the scale, the label cut in the middle to
     * fit the chart's width (the whole of it as a tooltip): beside the scale, a long label ran off the right.
     */
    private static String caption(String label) {
        String before = "change of p(", after = ") after the word; grey: not read (unknown or cut)";
        int x = LEFT - 20;
        String shown = ShortLabels.middle(label, WIDTH - 10 - x - Svg.textWidth(before + after));
        return fmt("<g><title>%s</title><text x=\"%d\" y=\"56\">%s</text></g>", esc(before + label + after), x, esc(before + shown + after));
    }

    private static void trajectory(StringBuilder h, Inspection in, List<Inspection.Word> read) {
        int n = read.size(), classes = in.labels.size();
        List<Integer> shown = classes == 2 ? List.of(in.predicted) : IntStream.range(0, classes).boxed().toList();
        // The legend, in rows above the plot so it never covers a line: each entry as wide as its
        // (shortened) label, a new row when the next would pass the plot's right end.
        int plotW = WIDTH - LEFT - RIGHT;
        String[] names = ShortLabels.distinct(shown.stream().map(in.labels::get).toList(), LEGEND_LABEL_PX);
        List<int[]> places = new java.util.ArrayList<>();  // {x, row}
        int x0 = LEFT, row = 0;
        for (String name : names) {
            int width = 30 + (int) Math.ceil(Svg.textWidth("p(" + name + ")")) + 16;  // swatch, label, gap
            if (x0 > LEFT && x0 + width > LEFT + plotW) {
                x0 = LEFT;
                row++;
            }
            places.add(new int[] {x0, row});
            x0 += width;
        }
        // Point 0 is the start, the answer before any word (the padding alone), which the first
        // word's colour is measured from; point j is the answer after word j. x ticks: words when
        // few (shortened, at -40°), counts otherwise; below them the axis title.
        int every = Math.max(1, (int) Math.ceil((n + 1) / 26.0));
        List<String> ticks = new java.util.ArrayList<>();
        double widest = 0;
        for (int j = 0; j <= n; j += every) {
            ticks.add(n <= 25 ? (j == 0 ? "(start)" : ShortLabels.end(read.get(j - 1).text(), TICK_PX)) : Integer.toString(j));
            widest = Math.max(widest, Svg.textWidth(ticks.getLast()));
        }
        // The ticks hang 18 px under the plot (clear of the 0.00 label) and reach sin 40° of their width lower;
        // with a fixed 50 px margin they were cut off and the title was printed over them.
        int plotH = 194, tickDrop = 18 + (int) Math.ceil(Math.sin(Math.toRadians(40)) * widest) + 4;
        int top = 36 + LEGEND_ROW_PX * row, titleY = top + plotH + tickDrop + 14, height = titleY + 6;
        h.append("<h2>Probability after each word</h2>\n<svg width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"probability after each word\">");
        for (int i = 0; i <= 4; i++) {  // y grid and labels
            double y = top + plotH - plotH * i / 4.0;
            h.append(fmt("<line x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\" stroke=\"#e3e3e3\"/>", LEFT, LEFT + plotW, num(y), num(y)))
                    .append(fmt("<text x=\"%d\" y=\"%s\" text-anchor=\"end\">%.2f</text>", LEFT - 6, num(y + 4), i / 4.0));
        }
        h.append(fmt("<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">probability</text>", top + plotH / 2, top + plotH / 2));
        for (int i = 0; i < ticks.size(); i++) {
            double x = LEFT + plotW * i * every / (double) n;
            h.append(fmt("<text x=\"%s\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-40 %s %d)\">%s</text>", num(x), top + plotH + 18, num(x), top + plotH + 18, esc(ticks.get(i))));
        }
        h.append(fmt("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", LEFT + plotW / 2, titleY, n <= 25 ? "word read" : "words read (0 = none yet)"));
        int start = read.get(0).step() - 1;  // the step before the first word: padding, or -1 (no step)
        for (int k : shown) {
            StringBuilder pts = new StringBuilder();
            for (int j = 0; j <= n; j++) {
                double x = LEFT + plotW * j / (double) n;
                double y = top + plotH - plotH * in.probability(j == 0 ? start : read.get(j - 1).step(), k);
                pts.append(num(x)).append(',').append(num(y)).append(' ');
                if (n <= 25) h.append(fmt("<circle cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"/>", num(x), num(y), Svg.line(k)));  // a point per tick
            }
            h.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(Svg.line(k)).append('"').append(Svg.dash(k))
                    .append(" points=\"").append(pts).append("\"/>");
        }
        for (int i = 0; i < shown.size(); i++) {
            int k = shown.get(i), x = places.get(i)[0], y = 20 + LEGEND_ROW_PX * places.get(i)[1];
            h.append(fmt("<g><title>p(%s)</title><line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke-width=\"3\" stroke=\"%s\"%s/><text x=\"%d\" y=\"%d\">p(%s)</text></g>",
                    esc(in.labels.get(k)), x, x + 24, y - 4, y - 4, Svg.line(k), Svg.dash(k), x + 30, y, esc(names[i])));
        }
        h.append("</svg>\n");
    }

    /**
     * Units whose cell state varies most over the words read (the columns drawn), ties going to the
     * larger mean |c|: with one word read every variance is 0, and the page showed units 0-11
     * whatever the word did; now the units the word left holding the most. (Counting the state
     * before the first word instead ranked first a unit whose drawn row was blank.)
     */
    private static int[] activeUnits(Inspection in) {
        int from = firstReadStep(in), to = in.steps.steps, n = Math.max(1, to - from);
        double[] variance = new double[in.steps.units], size = new double[in.steps.units];
        for (int u = 0; u < variance.length; u++) {
            double mean = 0, sq = 0, abs = 0;
            for (int t = from; t < to; t++) {
                mean += in.steps.cell[t][u];
                abs += Math.abs(in.steps.cell[t][u]);
            }
            mean /= n;
            for (int t = from; t < to; t++) sq += Math.pow(in.steps.cell[t][u] - mean, 2);
            variance[u] = sq;
            size[u] = abs / n;
        }
        return IntStream.range(0, variance.length).boxed()
                .sorted(Comparator.comparingDouble((Integer u) -> -variance[u]).thenComparingDouble(u -> -size[u]))
                .limit(UNITS_SHOWN).mapToInt(Integer::intValue).toArray();
    }

    /** A word's change of p, signed: four decimals, or two significant digits below 0.0001 (%+.4f wrote those as "+0.0000"). */
    static String signedChange(double d) {
        if (d == 0) return "0";
        String sign = d > 0 ? "+" : "-";
        return sign + (Math.abs(d) >= 1e-4 ? fmt("%.4f", Math.abs(d)) : NumberLabels.significant(Math.abs(d), 2));
    }

    private static int bins(int n) { return Math.min(n, MAX_COLUMNS); }

    /**
     * The step of the first word read: the heatmaps' first column. Not {@code firstWordStep}, which
     * is where the ids start: a Keras word index puts its start mark there, and the maps showed it
     * as word 1.
     */
    private static int firstReadStep(Inspection in) { return in.readWords().get(0).step(); }

    private static void heatmap(StringBuilder h, Inspection in, int[] units, float[][] values, String title, boolean signed) {
        int from = firstReadStep(in), n = in.steps.steps - from, cols = bins(n);
        // The colour key is at least 110 px tall: sized by the rows alone, one unit's key had its labels one over the other.
        int rowH = 16, top = 8, plotW = WIDTH - LEFT - RIGHT - 70, keyH = Math.max(units.length * rowH, 110);
        int height = top + Math.max(units.length * rowH + 44, keyH + 8);
        double cellW = plotW / (double) cols;
        double scale = 1;
        if (signed) {
            scale = 1e-6;
            for (int u : units) for (int t = from; t < in.steps.steps; t++) scale = Math.max(scale, Math.abs(values[t][u]));
        }
        h.append("<h2 style=\"font-size:15px\">").append(esc(title)).append("</h2>\n<svg width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">");
        for (int r = 0; r < units.length; r++) {
            int u = units[r];
            double y = top + r * rowH;
            h.append(fmt("<text x=\"%d\" y=\"%s\" text-anchor=\"end\">unit %d</text>", LEFT - 6, num(y + rowH - 4), u));
            for (int c = 0; c < cols; c++) {
                int a = from + (int) ((long) c * n / cols), b = from + (int) ((long) (c + 1) * n / cols);
                double mean = 0;
                for (int t = a; t < b; t++) mean += values[t][u];
                mean /= Math.max(1, b - a);
                String colour = signed ? Svg.diverging(mean / scale) : Svg.sequential(mean);
                h.append(fmt("<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%d\" fill=\"%s\"/>", num(LEFT + c * cellW), num(y), num(cellW + 0.4), rowH - 1, colour));
            }
        }
        int axisY = top + units.length * rowH;
        int every = Math.max(1, (int) Math.ceil(cols / 10.0));
        for (int c = 0; c < cols; c += every) {
            int word = (int) ((long) c * n / cols) + 1;
            h.append(fmt("<text x=\"%s\" y=\"%d\" text-anchor=\"middle\">%d</text>", num(LEFT + (c + 0.5) * cellW), axisY + 14, word));
        }
        h.append(fmt("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">word read (1 = first)%s</text>", LEFT + plotW / 2, axisY + 32,
                n > cols ? fmt(", %d words in %d bins", n, cols) : ""));
        // Colour key for this map.
        int kx = LEFT + plotW + 14;
        for (int i = 0; i <= 10; i++) {
            double v = signed ? 1 - i / 5.0 : 1 - i / 10.0;
            h.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"%d\" fill=\"%s\"/>", kx, top + i * (keyH / 11), keyH / 11 + 1,
                    signed ? Svg.diverging(v) : Svg.sequential(v)));
        }
        // %.2f wrote a small model's largest cell state as +0.00 / -0.00
        String largest = NumberLabels.significant(scale, 3);
        h.append(fmt("<text x=\"%d\" y=\"%d\">%s</text>", kx + 18, top + 10, signed ? "+" + largest : "1"));
        // A signed key's middle swatch is 0 (white): without a label there the reader had to guess where the sign turns.
        if (signed) h.append(fmt("<text x=\"%d\" y=\"%d\">0</text>", kx + 18, top + 5 * (keyH / 11) + keyH / 22 + 4));
        h.append(fmt("<text x=\"%d\" y=\"%d\">%s</text>", kx + 18, top + 11 * (keyH / 11), signed ? "-" + largest : "0"));
        h.append("</svg>\n");
    }
}
