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
        return classifier(classes, false);
    }

    static TextClassifier classifier(int classes, boolean maskZero) {
        return classifier(classes, maskZero, vectorlstm.layers.RecurrentActivation.SIGMOID);
    }

    static TextClassifier classifier(int classes, boolean maskZero, vectorlstm.layers.RecurrentActivation gates) {
        List<String> train = texts(300, 1);
        Tokenizer tok = Tokenizer.builder().numWords(100).build();
        tok.fitOnTexts(train);
        int[][] x = PadSequences.pad(tok.textsToSequences(train), MAXLEN);
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) y[i] = (train.get(i).contains("w7 ") ? 1 : 0) + (classes > 2 && train.get(i).contains("w9 ") ? 1 : 0);
        Sequential m = new Sequential(new Embedding(100, 6, MAXLEN).maskZero(maskZero), new Lstm(17).recurrentActivation(gates), classes == 2 ? new Dense(1, "sigmoid") : new Dense(classes, "softmax")).seed(3);
        m.compile(classes == 2 ? "binary_crossentropy" : "sparse_categorical_crossentropy", new Adam(0.02f), "accuracy");
        m.fit(x, y, new FitOptions().epochs(2).batchSize(32).verbose(false));
        return TextClassifier.of(m, tok, TextPreprocessing.HTML_LINE_BREAKS, classes == 2 ? List.of("no", "yes") : List.of("a", "b", "c"), MAXLEN);
    }

    @Test
    void theStepByStepRecordGivesTheEnginesAnswer() {
        // Models 4 and 5 have Keras 2's and Keras 3's hard-sigmoid gates (the record refused every Keras 2.2 LSTM file before).
        vectorlstm.layers.RecurrentActivation[] gates = {vectorlstm.layers.RecurrentActivation.HARD_SIGMOID_KERAS2, vectorlstm.layers.RecurrentActivation.HARD_SIGMOID_KERAS3};
        for (int model = 0; model < 6; model++) {
            int classes = model % 2 == 0 ? 2 : 3;
            try (TextClassifier c = classifier(classes, model == 2 || model == 3, model >= 4 ? gates[model - 4] : vectorlstm.layers.RecurrentActivation.SIGMOID)) {
                if (model >= 4) assertTrue(ShapeTrace.trace(c, "w7 w1").contains("hard_sigmoid(z_t[0:17])"), "the trace names the gates' function");
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

    /**
     * The probability after a word is the model's answer for the text cut after that word. Without
     * mask_zero a cut text has more padding before its first word, which the LSTM runs through: the
     * head on h_t of the whole text's run was off (by up to 0.12 on an imported Keras model, naming
     * the other label). Truncated texts are cut from their start too, as the model reads them.
     */
    @Test
    void theProbabilityAfterEachWordIsTheAnswerForTheTextCutThere() {
        for (boolean maskZero : new boolean[] {false, true}) {
            try (TextClassifier c = classifier(2, maskZero)) {
                // A padding row that drives the state hard: after 1 pad it is not what it is after 29 (in this small model it settles otherwise).
                List<float[]> weights = c.model().getWeights();
                int dim = ((Embedding) c.model().layers().get(0)).outputDim();
                for (int d = 0; d < dim; d++) weights.get(0)[d] = d % 2 == 0 ? 1.5f : -1.5f;
                c.model().setWeights(weights);
                double largestGapToTheHead = 0;
                List<String> texts = new ArrayList<>(texts(12, 5));
                // Longer than MAXLEN: pre-truncation drops their first words, which a text cut early still holds (masked or not).
                Random r = new Random(9);
                for (int k = 0; k < 3; k++) {
                    StringBuilder b = new StringBuilder();
                    for (int w = 0; w < MAXLEN + 5 + 7 * k; w++) b.append(" w").append(r.nextInt(90));
                    texts.add(b.toString());
                }
                for (String t : texts) {
                    Inspection in = Inspection.of(c, t);
                    StringBuilder cut = new StringBuilder();
                    boolean beforeFirstRead = true;
                    for (Inspection.Word w : in.words) {
                        if (w.fate() == Inspection.Fate.READ && beforeFirstRead) {
                            assertEquals(c.classify(cut.toString()).probabilities().get(1), in.probability(w.step() - 1, 1), 2e-5, "before the first word read of '" + t + "'");
                            beforeFirstRead = false;
                        }
                        cut.append(' ').append(w.text());
                        if (w.fate() != Inspection.Fate.READ) continue;
                        float expected = c.classify(cut.toString()).probabilities().get(1);
                        assertEquals(expected, in.probability(w.step(), 1), 2e-5, "'" + cut + "' of '" + t + "'");
                        largestGapToTheHead = Math.max(largestGapToTheHead, Math.abs(expected - in.steps.head[w.step()][0]));
                    }
                }
                // The head on h_t of the whole text's run differs from that answer, masked or not: the test would pass on it only if neither padding nor truncation did anything.
                assertTrue(largestGapToTheHead > 1e-3, (maskZero ? "masked" : "unmasked") + ": the head on h_t differs by " + largestGapToTheHead);
            }
        }
    }

    /** Under mask_zero the padding is skipped as Keras skips it: no gate computed, h and c (and the answer) carried over. */
    @Test
    void aMaskZeroModelSkipsThePaddingSteps() {
        try (TextClassifier masked = classifier(2, true); TextClassifier plain = classifier(2, false)) {
            Inspection in = Inspection.of(masked, "w7 w3 w11");
            LstmSteps s = in.steps;
            assertTrue(s.masksPadding);
            for (int t = 0; t < MAXLEN; t++) {
                assertEquals(t < in.firstWordStep, s.masked[t], "step " + t);
                if (!s.masked[t]) continue;
                assertTrue(Float.isNaN(s.input[t][0]) && Float.isNaN(s.preActivations[t][5]), "no gate at a masked step");
                assertEquals(0f, s.hidden[t][3], "h stays at its zero start");
                assertEquals(s.initialHead[0], s.head[t][0], "the answer before any word");
            }
            assertFalse(Float.isNaN(s.input[in.firstWordStep][0]));
            // The word after the padding moves the answer from the bias alone: nothing before it changed the state.
            assertEquals(s.initialHead[0], in.probability(in.firstWordStep - 1, 1), 0f);
            String page = ExplainPage.html(in, "masked.vlstm");
            assertTrue(page.contains("the model masks them (mask_zero): the LSTM skips them"), "the page says so");
            assertFalse(page.contains("NaN"), "no NaN reaches the page");
            String trace = ShapeTrace.trace(masked, "w7 w3 w11");
            assertTrue(trace.contains("the padding is masked (mask_zero)"), trace);
            String allPadding = ShapeTrace.format(ShapeTrace.ofIds(masked.model(), new int[][] {new int[MAXLEN]}));
            assertTrue(allPadding.contains("step 29 is masked (id 0, mask_zero): skipped, no gate computed"), allPadding);
            assertFalse(allPadding.contains("NaN"), allPadding);
            assertFalse(Inspection.of(plain, "w7 w3 w11").steps.masked[0], "without mask_zero the padding runs");
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
            assertTrue(rows.get(0).values().startsWith("[0, 0, ..., 271, 272, 273, 274, ...]"), rows.get(0).values());
            // One or two pads are written out: left out, the values began at the first word as if ids[0] were it.
            int[] twoPads = ids.clone(), onePad = ids.clone();
            for (int t = 0; t < 500; t++) twoPads[t] = onePad[t] = 1 + t % 4000;
            twoPads[0] = twoPads[1] = onePad[0] = 0;
            assertTrue(ShapeTrace.ofIds(seed, new int[][] {twoPads}).get(0).values().endsWith("[0, 0, 3, 4, ...]"), ShapeTrace.ofIds(seed, new int[][] {twoPads}).get(0).values());
            List<ShapeTrace.Row> one = ShapeTrace.ofIds(seed, new int[][] {onePad});
            assertTrue(one.get(0).values().endsWith("[0, 2, 3, 4, ...]") && one.get(0).meaning().contains("step 0 is padding (id 0)"), one.get(0).toString());
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
        // Was a NullPointerException: a model wrapped by TextClassifier.of has no history (history() is null).
        assertThrows(IllegalArgumentException.class, () -> CurvesChart.svg(null, "t"));
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
        // The trajectory's tick labels are cut to a width (once 9 characters): an emoji there was cut in half,
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
            assertTrue(html.contains("abcdefgh\uD83D\uDE00\u2026"), "cut after the emoji, which stays whole");
        }
    }

    /** An untrained classifier over words w0..w49 with the given labels (a softmax head when more than two). */
    private static TextClassifier untrained(List<String> labels) {
        Tokenizer tok = Tokenizer.builder().numWords(50).build();
        tok.fitOnTexts(texts(100, 9).stream().map(t -> t.replaceAll("w(\\d+)", "w$1").replaceAll("w(\\d\\d+)", "w1")).toList());
        Sequential m = new Sequential(new Embedding(50, 4, MAXLEN), new Lstm(3), labels.size() == 2 ? new Dense(1, "sigmoid") : new Dense(labels.size(), "softmax")).seed(4);
        m.compile(labels.size() == 2 ? "binary_crossentropy" : "sparse_categorical_crossentropy", new Adam(), "accuracy");
        return TextClassifier.of(m, tok, TextPreprocessing.HTML_LINE_BREAKS, labels, MAXLEN);
    }

    /**
     * Weights that overflow in float: the engine's output is NaN (two logits of +inf, and softmax's
     * inf - inf), where LstmSteps, which adds up in double, finds p = 0.5. On a model of any length
     * the page took its answer from LstmSteps and said "neg (p = 0.5000)" while predict said the
     * model has no answer; with a NaN answer it failed with a bare "Infinite or NaN". Now the page's
     * answer is always the engine's, and a NaN one is refused in predict's words.
     */
    @Test
    void aModelWhoseOutputOverflowsIsRefusedNotExplained() {
        int units = 16;
        for (int maxlen : new int[] {0, 5}) {
            Tokenizer tok = Tokenizer.builder().build();
            tok.fitOnTexts(List.of("good bad"));
            Sequential m = new Sequential(new Embedding(3, 2, maxlen == 0 ? vectorlstm.layers.Shape.VARIABLE : maxlen), new Lstm(units), new Dense(2, "softmax")).seed(5);
            m.compile("sparse_categorical_crossentropy", new Adam(), "accuracy");
            float[] bias = new float[4 * units];
            java.util.Arrays.fill(bias, 10f);  // every gate open, g = tanh(10): h = tanh(c) > 0.7 in every unit
            float[] kernel = new float[units * 2];
            java.util.Arrays.fill(kernel, 3e38f);  // every partial sum of a logit is past float's range, in any order
            m.setWeights(List.of(new float[6], new float[2 * 4 * units], new float[units * 4 * units], bias, kernel, new float[2]));
            try (TextClassifier c = TextClassifier.of(m, tok, TextPreprocessing.NONE, List.of("neg", "pos"), maxlen)) {
                assertTrue(c.classify("good bad").notANumber() != null, "the engine's answer is NaN: " + c.classify("good bad"));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Inspection.of(c, "good bad"), "maxlen " + maxlen);
                assertTrue(e.getMessage().contains("its weights overflow on this input"), e.getMessage());
            }
        }
    }

    @Test
    void onePaddingStepIsSpokenOfInTheSingular() {
        try (TextClassifier c = untrained(List.of("no", "yes"))) {
            String text = String.join(" ", java.util.Collections.nCopies(MAXLEN - 1, "w1"));
            String html = ExplainPage.html(Inspection.of(c, text), "m");
            assertTrue(html.contains("1 padding step (id 0) comes before the first word; the LSTM runs through it too, but it is the same for every text and is not drawn."), html);
        }
    }

    /** A surrogate without its pair is no character: the guide's Files.writeString of a page threw on one in a word. */
    @Test
    void aLoneSurrogateOrAC1ControlIsReplacedNotPassedOn() {
        assertEquals("a\uFFFDb\uFFFDc \uD83D\uDE00 d e", Svg.esc("a\uD800b\uDC00c \uD83D\uDE00 d\u0097e"));
    }

    @Test
    void aBidiOverrideInALabelDoesNotTurnThePageAround() {
        // U+202E in a label reversed the rest of every line it was put in (the answer, the headings, the legend).
        try (TextClassifier c = untrained(List.of("\u202Enegative", "\u2067positive"))) {
            String html = ExplainPage.html(Inspection.of(c, "w1 w2 w3"), "m\u202Ddel");
            for (char bidi : new char[] {'\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'}) {
                assertEquals(-1, html.indexOf(bidi), "control U+" + Integer.toHexString(bidi) + " in the page");
            }
            assertTrue(html.contains("\uFFFDnegative") || html.contains("\uFFFDpositive"), "shown as a replacement character");
        }
    }

    @Test
    void aLongWordWrapsInsteadOfWideningThePage() {
        try (TextClassifier c = untrained(List.of("no", "yes"))) {
            String html = ExplainPage.html(Inspection.of(c, "w1 " + "x".repeat(3000) + " w2"), "m");
            assertTrue(html.contains(".w{") && html.substring(html.indexOf(".w{"), html.indexOf('}', html.indexOf(".w{"))).contains("overflow-wrap:anywhere"), "words may break");
            // BrowserRenderTest measures it: the page is no wider than the window.
        }
    }

    @Test
    void manyClassesWithLongNamesGetALegendThatFitsAndLinesThatDiffer() throws Exception {
        List<String> labels = new ArrayList<>();
        for (int k = 0; k < 10; k++) labels.add("class number " + k + " with a rather long descriptive name");
        try (TextClassifier c = untrained(labels)) {
            String html = ExplainPage.html(Inspection.of(c, "w1 w2 w3 w4"), "m");
            String trajectory = svgs(html).stream().filter(svg -> svg.contains("probability after each word")).findFirst().orElseThrow();
            parseXml(trajectory);
            Matcher legend = Pattern.compile("<text x=\"(\\d+)\" y=\"(\\d+)\">p\\(([^)]*)\\)</text>").matcher(trajectory);
            List<int[]> at = new ArrayList<>();
            java.util.Set<String> names = new java.util.HashSet<>();
            while (legend.find()) {
                at.add(new int[] {Integer.parseInt(legend.group(1)), Integer.parseInt(legend.group(2))});
                assertTrue(legend.group(3).length() < labels.get(0).length(), "shortened: " + legend.group(3));
                names.add(legend.group(3));
            }
            assertEquals(10, at.size(), "an entry per class");
            assertEquals(10, names.size(), "each shortened differently: " + names);
            for (int[] xy : at) assertTrue(xy[0] < 960 - 60, "inside the 960-wide chart: x " + xy[0]);
            assertTrue(at.stream().mapToInt(xy -> xy[1]).distinct().count() > 1, "in more than one row");
            assertTrue(trajectory.contains("stroke-dasharray"), "classes 9 and 10 dashed: their colours repeat classes 1 and 2");
        }
    }

    @Test
    void theHeatmapsStartAtTheFirstWordNotAtAStartMark() {
        // With a Keras word index (a start mark before the words) "good film" made 3 columns: the mark was word 1.
        Sequential m = new Sequential(new Embedding(10, 4, MAXLEN), new Lstm(3), new Dense(1, "sigmoid")).seed(2);
        m.compile("binary_crossentropy", new Adam(), "accuracy");
        try (TextClassifier c = TextClassifier.of(m, vectorlstm.text.KerasImdbWordIndex.of(java.util.Map.of("good", 1, "film", 2), 10),
                TextPreprocessing.NONE, List.of("neg", "pos"), MAXLEN)) {
            String html = ExplainPage.html(Inspection.of(c, "good film"), "m");
            String inputGate = svgs(html).stream().filter(svg -> svg.contains("aria-label=\"Input gate")).findFirst().orElseThrow();
            Matcher firstRow = Pattern.compile("<rect x=\"[0-9.]+\" y=\"8\\.0\"").matcher(inputGate);
            int columns = 0;
            while (firstRow.find()) columns++;
            assertEquals(2, columns, "one column per word read");
            // The trace named the start mark's step a word's ("words at steps 27-29" for two words), and said "after none".
            String trace = ShapeTrace.trace(c, "good film");
            assertTrue(trace.contains("the start mark at step 27, words at steps 28-29"), trace);
            assertTrue(trace.contains("2 words after the tokenizer's filters"), trace);
            assertTrue(ShapeTrace.trace(c, "film").contains("1 word after"), "one word, not 1 words");
            // No word read: the start mark alone was called the words ("words at steps 29-29"), the page said "29 padding
            // steps come before the first word" and scaled its colours by the 1e-6 that guards a division.
            assertTrue(ShapeTrace.trace(c, "").contains("the start mark at step 29, no word"), ShapeTrace.trace(c, ""));
            String empty = ExplainPage.html(Inspection.of(c, ""), "m");
            assertTrue(empty.contains("29 padding steps (id 0) and no word: the model read none of this text's words"), empty);
            assertFalse(empty.contains("1e-6"), "no guard value on the colour scale");
        }
    }

    @Test
    void aModelOfAnyLengthIsTracedAtEachTextsOwnLength() {
        // Was: "token ids, pre-padded to maxlen 3" and the shape (batch=2, 3) for two texts of 3 and 6 ids, nothing padded.
        Sequential m = new Sequential(new Embedding(10, 4, vectorlstm.layers.Shape.VARIABLE), new Lstm(3), new Dense(1, "sigmoid")).seed(2);
        m.compile("binary_crossentropy", new Adam(), "accuracy");
        Tokenizer tok = Tokenizer.builder().numWords(10).build();
        tok.fitOnTexts(List.of("good film bad plot dull end"));
        try (TextClassifier c = TextClassifier.of(m, tok, TextPreprocessing.NONE, List.of("neg", "pos"), 0)) {
            String batch = ShapeTrace.trace(c, "good film bad", "good film bad plot dull end");
            assertTrue(batch.contains("(batch=2, None)") && batch.contains("(batch=2, None, 4)"), batch);
            assertTrue(batch.contains("each text at its own length") && batch.contains("text 1 3 steps"), batch);
            assertFalse(batch.contains("pre-padded"), batch);
            String one = ShapeTrace.trace(c, "good film bad plot");
            assertTrue(one.contains("(1, 4)") && one.contains("each text at its own length") && !one.contains("pre-padded"), one);
        }
    }

    @Test
    void chartsWithManyPointsLabelOnlySomeAndJoinThemInOrder() throws Exception {
        List<History.Epoch> epochs = new ArrayList<>();
        for (int e = 1; e <= 120; e++) epochs.add(new History.Epoch(e, 1.0 / e, 0.5, 1.0 / e, 0.5, 1));
        String curves = CurvesChart.svg(History.of(epochs, -1), "long run");
        parseXml(curves);
        Matcher ticks = Pattern.compile("text-anchor=\"middle\">(\\d+)</text>").matcher(curves);
        int labels = 0;
        while (ticks.find()) labels++;
        assertTrue(labels <= 2 * 12, "epoch labels in two panels: " + labels);

        double[] x = new double[300], y = new double[300];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 7919) % 300 + 1;  // the table's order is not x's
            y[i] = x[i] / 300;
        }
        String xy = XyChart.svg(x, y, "x", "y", "t", false);
        parseXml(xy);
        Matcher values = Pattern.compile("text-anchor=\"middle\">[-0-9.e]+</text>").matcher(xy);  // value and x labels
        int valueLabels = 0;
        while (values.find()) valueLabels++;
        assertTrue(valueLabels >= 2 && valueLabels <= 2 * (XyChart.MAX_LABELS + 1), "value and x labels: " + valueLabels);
        Matcher points = Pattern.compile("points=\"([^\"]+)\"").matcher(xy);
        assertTrue(points.find());
        double last = Double.NEGATIVE_INFINITY;
        for (String pt : points.group(1).trim().split(" ")) {
            double px = Double.parseDouble(pt.split(",")[0]);
            assertTrue(px >= last, "the line runs left to right");
            last = px;
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
