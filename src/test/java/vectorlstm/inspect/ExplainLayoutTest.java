package vectorlstm.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.Sequential;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.text.Tokenizer;

/**
 * The explain page's layout, read from its SVG: legend labels that differ, a one-word chart that
 * shows something, a colour key that has room for its labels. BrowserRenderTest measures the rest
 * (nothing overprinted, nothing outside its chart) in Chromium.
 */
class ExplainLayoutTest {
    static final List<String> SIMILAR = List.of("customer-feedback-category-positive", "customer-feedback-category-negative",
            "customer-feedback-category-neutral", "非常に良い映画でした本当に素晴らしい作品です", "WEATHER_WARNINGS_MOUNTAINS_AND_VALLEYS");

    /** An untrained classifier whose vocabulary is {@code words}, with these labels and LSTM units. */
    static TextClassifier model(List<String> labels, int units, String words) {
        Tokenizer tok = Tokenizer.builder().numWords(100).build();
        tok.fitOnTexts(List.of(words));
        Sequential m = new Sequential(new Embedding(100, 4, 20), new Lstm(units), labels.size() == 2 ? new Dense(1, "sigmoid") : new Dense(labels.size(), "softmax")).seed(5);
        m.compile(labels.size() == 2 ? "binary_crossentropy" : "sparse_categorical_crossentropy", new Adam(), "accuracy");
        return TextClassifier.of(m, tok, TextPreprocessing.HTML_LINE_BREAKS, labels, 20);
    }

    private record KeyLabel(int y, String text) {}

    /** A heatmap's colour-key labels (texts without an anchor, matching {@code text}), top to bottom as drawn. */
    private static List<KeyLabel> keyLabels(String map, String text) {
        Matcher key = Pattern.compile("<text x=\"\\d+\" y=\"(\\d+)\">(" + text + ")</text>").matcher(map);
        List<KeyLabel> labels = new ArrayList<>();
        while (key.find()) labels.add(new KeyLabel(Integer.parseInt(key.group(1)), key.group(2)));
        return labels;
    }

    private static String chart(String html, String label) {
        return InspectTest.svgs(html).stream().filter(svg -> svg.contains("aria-label=\"" + label)).findFirst().orElseThrow();
    }

    @Test
    void shortenedLegendLabelsStayDistinctAndKeepTheFullOneAsATooltip() throws Exception {
        // Labels cut after 24 characters became two identical entries "p(customer-feedback-categ…)".
        try (TextClassifier c = model(SIMILAR, 3, "the movie plot")) {
            String trajectory = chart(ExplainPage.html(Inspection.of(c, "the movie plot"), "m"), "probability after each word");
            InspectTest.parseXml(trajectory);
            Matcher entry = Pattern.compile("<g><title>p\\(([^<]*)\\)</title><line [^>]*/><text [^>]*>p\\(([^<]*)\\)</text></g>").matcher(trajectory);
            List<String> full = new ArrayList<>(), shown = new ArrayList<>();
            while (entry.find()) {
                full.add(entry.group(1));
                shown.add(entry.group(2));
            }
            assertEquals(SIMILAR, full, "each entry's tooltip: its whole label");
            assertEquals(SIMILAR.size(), new HashSet<>(shown).size(), "distinct: " + shown);
            assertTrue(shown.stream().anyMatch(s -> s.contains("…")), "long labels shortened: " + shown);
            assertTrue(shown.stream().anyMatch(l -> l.startsWith("customer-fee") && l.contains("…") && l.endsWith("gory-neutral")),
                    "cut in the middle, so the end that differs stays: " + shown);
        }
    }

    @Test
    void aOneWordTextDrawsItsProbabilityAsAPoint() {
        // One point made a polyline of one vertex, which draws nothing: the chart was empty.
        try (TextClassifier c = model(List.of("neg", "pos"), 3, "the movie plot")) {
            String trajectory = chart(ExplainPage.html(Inspection.of(c, "movie"), "m"), "probability after each word");
            assertTrue(trajectory.matches("(?s).*<circle cx=\"[0-9.]+\" cy=\"[0-9.]+\" r=\"[0-9.]+\".*"), trajectory);
        }
    }

    /**
     * The chart starts before the first word, at the answer for the padding alone: each word's
     * colour is its change from the point before it, and the first word's point of reference was
     * not drawn. Few words: a "(start)" tick and one point more than words; many: the ticks count
     * the words from 0.
     */
    @Test
    void theProbabilityChartStartsBeforeTheFirstWord() {
        try (TextClassifier c = model(List.of("neg", "pos"), 3, "the movie was great")) {
            Inspection in = Inspection.of(c, "the movie was great");
            String chart = chart(ExplainPage.html(in, "m"), "probability after each word");
            Matcher tick = Pattern.compile("transform=\"rotate\\(-40 [^\"]*\">([^<]*)</text>").matcher(chart);
            List<String> ticks = new ArrayList<>();
            while (tick.find()) ticks.add(tick.group(1));
            assertEquals(List.of("(start)", "the", "movie", "was", "great"), ticks);
            Matcher point = Pattern.compile("<circle cx=\"([0-9.]+)\" cy=\"([0-9.]+)\"").matcher(chart);
            List<Double> ys = new ArrayList<>();
            while (point.find()) ys.add(Double.parseDouble(point.group(2)));
            assertEquals(5, ys.size(), "the start and four words");
            // Where the 0.00 and 1.00 grid lines (the first and last drawn) put p, for the start and each word.
            Matcher grid = Pattern.compile("<line x1=\"[0-9]+\" x2=\"[0-9]+\" y1=\"([0-9.]+)\"").matcher(chart);
            List<Double> lines = new ArrayList<>();
            while (grid.find()) lines.add(Double.parseDouble(grid.group(1)));
            double zero = lines.getFirst(), one = lines.get(4);
            int step = in.readWords().get(0).step() - 1;  // the start: the step before the first word
            for (int j = 0; j < ys.size(); j++, step++) {
                assertEquals(zero + (one - zero) * in.probability(step, in.predicted), ys.get(j), 0.06, "point " + j);
            }
        }
        Tokenizer tok = Tokenizer.builder().numWords(100).build();
        tok.fitOnTexts(List.of("the movie was great"));
        Sequential m = new Sequential(new Embedding(100, 4, 40), new Lstm(2), new Dense(1, "sigmoid")).seed(5);
        m.compile("binary_crossentropy", new Adam(), "accuracy");
        try (TextClassifier c = TextClassifier.of(m, tok, TextPreprocessing.NONE, List.of("neg", "pos"), 40)) {
            String many = chart(ExplainPage.html(Inspection.of(c, "the movie was great ".repeat(8)), "m"), "probability after each word");
            assertTrue(many.contains("rotate(-40 90.0 ") && many.contains(">0</text>") && many.contains("words read (0 = none yet)"), many);
        }
    }

    @Test
    void theColourScaleSaysHowFarASmallChangeWent() {
        // %+.3f printed a largest change of 0.0005 as "+0.001 (pushed up)", and one of 0.0003 as "+0.000".
        try (TextClassifier c = model(List.of("neg", "pos"), 1, "the movie was great")) {
            Inspection in = Inspection.of(c, "movie");
            float change = in.change(in.readWords().get(0).step());
            assertTrue(Math.abs(change) > 1e-5 && Math.abs(change) < 1e-3, "a small change: " + change);
            String scale = chart(ExplainPage.html(in, "m"), "colour scale");
            Matcher up = Pattern.compile(">\\+([0-9.e-]+) \\(pushed up\\)<").matcher(scale);
            assertTrue(up.find(), scale);
            assertEquals(Math.abs(change), Double.parseDouble(up.group(1)), Math.abs(change) * 0.002, "the largest change, to three digits");
        }
    }

    @Test
    void theColourKeyOfAOneUnitHeatmapHasRoomForItsLabels() {
        // The key was units × 16 px tall: for one unit its "1" and "0" were 6 px apart, one over the other.
        try (TextClassifier c = model(List.of("neg", "pos"), 1, "the movie was great")) {
            String map = chart(ExplainPage.html(Inspection.of(c, "the movie was great"), "m"), "Input gate");
            List<Integer> ys = keyLabels(map, "[01]").stream().map(KeyLabel::y).toList();
            assertEquals(2, ys.size(), map);
            assertTrue(ys.get(1) - ys.get(0) >= 40, "labels " + ys.get(1) + " and " + ys.get(0) + " apart");
            Matcher height = Pattern.compile("<svg [^>]*height=\"(\\d+)\"").matcher(map);
            assertTrue(height.find() && Integer.parseInt(height.group(1)) >= ys.get(1) + 4, "the key inside the chart");
        }
    }

    @Test
    void theCellStateKeyNamesItsMiddle() {
        // The signed key read +largest at the top and -largest at the bottom, and nothing at its white middle.
        try (TextClassifier c = model(List.of("neg", "pos"), 3, "the movie was great")) {
            String map = chart(ExplainPage.html(Inspection.of(c, "the movie was great"), "m"), "Cell state c");
            List<KeyLabel> key = keyLabels(map, "[-+]?[0-9.e-]+");
            List<String> labels = key.stream().map(KeyLabel::text).toList();
            List<Integer> ys = key.stream().map(KeyLabel::y).toList();
            assertEquals(3, labels.size(), map);
            assertTrue(labels.get(0).startsWith("+") && labels.get(1).equals("0") && labels.get(2).startsWith("-"), labels.toString());
            assertTrue(ys.get(1) - ys.get(0) >= 20 && ys.get(2) - ys.get(1) >= 20, "the 0 between the ends, apart from both: " + ys);
        }
    }

    @Test
    void aOneWordTextShowsTheUnitsThatWordLeftHoldingTheMost() {
        // Ranked by their variance over the words alone, one word gave every unit 0: the maps showed units 0-11.
        try (TextClassifier c = model(List.of("neg", "pos"), 30, "the movie was great")) {
            Inspection in = Inspection.of(c, "movie");
            int step = in.readWords().get(0).step();
            float[] after = in.steps.cell[step];
            List<Integer> expected = java.util.stream.IntStream.range(0, 30).boxed()
                    .sorted(java.util.Comparator.comparingDouble((Integer u) -> -Math.abs(after[u]))).limit(ExplainPage.UNITS_SHOWN).sorted().toList();
            Matcher unit = Pattern.compile(">unit (\\d+)</text>").matcher(chart(ExplainPage.html(in, "m"), "Cell state c"));
            List<Integer> shown = new ArrayList<>();
            while (unit.find()) shown.add(Integer.parseInt(unit.group(1)));
            assertEquals(expected, shown.stream().sorted().toList());
            assertTrue(!shown.equals(java.util.stream.IntStream.range(0, 12).boxed().toList()), "not simply the first twelve: " + shown);
        }
    }

    @Test
    void aWordsTooltipSaysHowFarATinyChangeWent() {
        // %+.4f wrote a change of 3.2e-6 as "+0.0000", which reads as no change at all.
        assertEquals("+3.2e-6", ExplainPage.signedChange(3.2e-6));
        assertEquals("-5e-5", ExplainPage.signedChange(-5e-5));
        assertEquals("-0.0123", ExplainPage.signedChange(-0.0123456));
        assertEquals("+0.0001", ExplainPage.signedChange(1e-4));
        assertEquals("0", ExplainPage.signedChange(0));
    }
}
