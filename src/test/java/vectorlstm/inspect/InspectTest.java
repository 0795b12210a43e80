package vectorlstm.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import vectorlstm.classifier.Classification;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.FitOptions;
import vectorlstm.model.History;
import vectorlstm.model.Sequential;
import vectorlstm.text.PadSequences;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.text.Tokenizer;

class InspectTest {
    static final int MAXLEN = 30;

    static List<String> texts(int n, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            for (int w = 0; w < 1 + r.nextInt(40); w++) b.append(" w").append(r.nextInt(120));
            out.add(b.toString());
        }
        return out;
    }

    static TextClassifier classifier(int classes) {
        List<String> train = texts(300, 1);
        Tokenizer tok = Tokenizer.builder().numWords(100).build();
        tok.fitOnTexts(train);
        int[][] x = PadSequences.pad(tok.textsToSequences(train), MAXLEN);
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) y[i] = (train.get(i).contains("w7 ") ? 1 : 0) + (classes > 2 && train.get(i).contains("w9 ") ? 1 : 0);
        Sequential m = new Sequential(new Embedding(100, 6, MAXLEN), new Lstm(17), classes == 2 ? new Dense(1, "sigmoid") : new Dense(classes, "softmax")).seed(3);
        m.compile(classes == 2 ? "binary_crossentropy" : "sparse_categorical_crossentropy", new Adam(0.02f), "accuracy");
        m.fit(x, y, new FitOptions().epochs(2).batchSize(32).verbose(false));
        return TextClassifier.of(m, tok, TextPreprocessing.HTML_LINE_BREAKS, classes == 2 ? List.of("no", "yes") : List.of("a", "b", "c"), MAXLEN);
    }

    @Test
    void theStepByStepRecordGivesTheEnginesAnswer() {
        for (int classes : new int[] {2, 3}) {
            try (TextClassifier c = classifier(classes)) {
                for (String t : texts(40, 2)) {
                    Inspection in = Inspection.of(c, t);
                    Classification engine = c.classify(t);
                    for (int k = 0; k < classes; k++) {
                        assertEquals(engine.probabilities().get(k), in.probability(in.steps.steps - 1, k), 2e-5, "class " + k + " of '" + t + "'");
                    }
                    assertEquals(engine.classId(), in.predicted);
                    assertEquals(engine.knownWords(), in.readWords().size());
                    // The word-by-word changes add up to the whole move from before the first word.
                    double sum = 0;
                    for (Inspection.Word w : in.readWords()) sum += in.change(w.step());
                    assertEquals(in.probability(in.steps.steps - 1, in.predicted) - in.probability(in.firstWordStep - 1, in.predicted), sum, 1e-5);
                }
            }
        }
    }

    @Test
    void wordsAreReadUnknownOrCutAndLandAtTheirSteps() {
        try (TextClassifier c = classifier(2)) {
            Inspection in = Inspection.of(c, "w1 nosuchword w2");
            assertEquals(List.of(Inspection.Fate.READ, Inspection.Fate.UNKNOWN, Inspection.Fate.READ), in.words.stream().map(Inspection.Word::fate).toList());
            assertEquals(MAXLEN - 2, in.words.get(0).step());
            assertEquals(MAXLEN - 1, in.words.get(2).step());
            Inspection longer = Inspection.of(c, "w1 ".repeat(MAXLEN + 5));
            assertEquals(5, longer.words.stream().filter(w -> w.fate() == Inspection.Fate.TRUNCATED).count(), "pre-truncation cuts the first words");
            assertEquals(0, longer.firstWordStep);
            assertEquals(MAXLEN, Inspection.of(c, "").firstWordStep, "no word: all padding");
        }
    }

    @Test
    void theTraceHasKerasSummaryShapes() {
        try (Sequential seed = new Sequential(new Embedding(5000, 32, 500), new Lstm(100), new Dense(1, "sigmoid")).seed(7)) {
            seed.compile("binary_crossentropy", new Adam(), "accuracy");
            int[] ids = new int[500];
            for (int t = 270; t < 500; t++) ids[t] = 1 + t % 4000;
            List<ShapeTrace.Row> rows = ShapeTrace.ofIds(seed, new int[][] {ids});
            // Keras: embedding (None, 500, 32), lstm (None, 100), dense (None, 1); one review: None = 1.
            List<String> kerasShapes = new ArrayList<>();
            Matcher m = Pattern.compile("\\(None(, \\d+)+\\)").matcher(seed.summary());
            while (m.find()) kerasShapes.add(m.group().replace("None", "1"));
            assertEquals(List.of("(1, 500, 32)", "(1, 100)", "(1, 1)"), kerasShapes);
            assertEquals(kerasShapes.get(0), shape(rows, "embeddings"));
            assertEquals(kerasShapes.get(1), shape(rows, "last h"));
            assertEquals(kerasShapes.get(2), shape(rows, "probability"));
            assertEquals("(1, 500)", shape(rows, "ids"));
            assertEquals("(1, 32)", shape(rows, "x_t"));
            assertEquals("(1, 400)", shape(rows, "z_t"));
            for (String gate : List.of("i_t (input gate)", "f_t (forget gate)", "g_t (candidate)", "o_t (output gate)", "c_t (cell state)", "h_t (hidden state)")) {
                assertEquals("(1, 100)", shape(rows, gate), gate);
            }
            assertTrue(rows.get(0).meaning().contains("steps 0-269 are padding"), rows.get(0).meaning());
            List<ShapeTrace.Row> batch = ShapeTrace.ofIds(seed, new int[][] {ids, ids, ids});
            assertEquals("(batch=3, 500, 32)", shape(batch, "embeddings"), "a batch names its dimension");
        }
    }

    private static String shape(List<ShapeTrace.Row> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name)).shape();
    }

    @Test
    void theExplainPageIsSelfContainedEscapedAndBinsLongTexts() throws Exception {
        try (TextClassifier c = classifier(3)) {
            String hostile = "w1 <script>alert(1)</script> w2 \"quoted\" & w3";
            String html = ExplainPage.html(Inspection.of(c, hostile), "test model");
            assertFalse(html.contains("<script"), "the text is escaped");
            assertFalse(html.contains("http://") && !html.contains("http://www.w3.org"), "nothing fetched");
            assertFalse(html.contains("src="), "no external resource");
            for (String svg : svgs(html)) parseXml(svg);
            assertTrue(html.contains("p(a)") && html.contains("p(b)") && html.contains("p(c)"), "a trajectory per class");

            String longText = String.join(" ", java.util.Collections.nCopies(MAXLEN * 10, "w1 w2 w3"));
            try (TextClassifier wide = classifier(2)) {
                String page = ExplainPage.html(Inspection.of(wide, longText), "test");
                for (String svg : svgs(page)) parseXml(svg);
            }
        }
    }

    @Test
    void theCurvesChartMarksTheKeptEpoch() throws Exception {
        History h = History.of(List.of(new History.Epoch(1, 0.6, 0.7, 0.55, 0.72, 10), new History.Epoch(2, 0.4, 0.82, 0.42, 0.85, 10),
                new History.Epoch(3, 0.3, 0.88, 0.45, 0.84, 10)), 2);
        String svg = CurvesChart.svg(h, "t");
        parseXml(svg);
        assertTrue(svg.contains("kept: epoch 2"), svg);
        assertThrows(IllegalArgumentException.class, () -> CurvesChart.svg(History.of(List.of(), -1), "t"));
        parseXml(CurvesChart.svg(History.of(List.of(new History.Epoch(1, 0.6, 0.7, Double.NaN, Double.NaN, 1)), -1), "no validation"));
    }

    @Test
    void chartTextsWithCharactersXmlForbidsStillParse() throws Exception {
        // U+FFFE and U+FFFF are no XML characters: in a title, an axis or a label the whole SVG
        // failed to parse (a browser shows an error instead of the chart), and the command said "wrote".
        String bad = "acc \uFFFF \uFFFE <b>";
        String xy = XyChart.svg(new double[] {1, 2}, new double[] {0.5, 0.6}, bad, bad, bad, false);
        parseXml(xy);
        assertTrue(xy.contains("acc \uFFFD \uFFFD &lt;b&gt;"), xy);
        parseXml(CurvesChart.svg(History.of(List.of(new History.Epoch(1, 0.6, 0.7, 0.5, 0.8, 1)), -1), "Training of " + bad));
    }

    @Test
    void aLongWordWithAnEmojiIsShortenedWholeOnTheAxis() throws Exception {
        // The trajectory's tick labels are cut at 9 characters: an emoji there was cut in half,
        // and half a surrogate pair is no character (written as "?").
        List<String> train = new ArrayList<>(texts(200, 4));
        for (int i = 0; i < 20; i++) train.add("w1 abcdefgh\uD83D\uDE00xyz w2");
        Tokenizer tok = Tokenizer.builder().numWords(200).build();
        tok.fitOnTexts(train);
        Sequential m = new Sequential(new Embedding(200, 6, MAXLEN), new Lstm(5), new Dense(1, "sigmoid")).seed(3);
        m.compile("binary_crossentropy", new Adam(0.02f), "accuracy");
        try (TextClassifier c = TextClassifier.of(m, tok, TextPreprocessing.HTML_LINE_BREAKS, List.of("no", "yes"), MAXLEN)) {
            String html = ExplainPage.html(Inspection.of(c, "w1 abcdefgh\uD83D\uDE00xyz w2"), "test");
            for (int i = 0; i < html.length(); i++) {
                char ch = html.charAt(i);
                if (Character.isHighSurrogate(ch) && i + 1 < html.length() && Character.isLowSurrogate(html.charAt(i + 1))) i++;
                else assertFalse(Character.isSurrogate(ch), "half a surrogate pair at " + i + ": " + html.substring(Math.max(0, i - 40), i));
            }
            assertTrue(html.contains("abcdefgh\u2026"), "cut before the emoji, not through it");
        }
    }

    static List<String> svgs(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?s)<svg.*?</svg>").matcher(html);
        while (m.find()) out.add(m.group().replaceFirst("<svg ", "<svg xmlns=\"http://www.w3.org/2000/svg\" "));
        assertFalse(out.isEmpty());
        return out;
    }

    static void parseXml(String xml) throws Exception {
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
