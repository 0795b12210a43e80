package vectorlstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.classifier.Classification;
import vectorlstm.classifier.TextClassifier;

/** summary --trace, explain and plot through the command line, on a model that train wrote. */
class SeeInsideCommandsTest {
    @TempDir static Path shared;
    @TempDir Path dir;
    private static Path model;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), out, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void train() throws IOException {
        StringBuilder csv = new StringBuilder("text,label\n");
        Random r = new Random(3);
        for (int i = 0; i < 200; i++) {
            boolean pos = r.nextBoolean();
            csv.append(pos ? "a great fun film" : "a dull boring film").append(r.nextBoolean() ? " indeed" : "").append(',').append(pos ? "pos" : "neg").append('\n');
        }
        Path data = Files.writeString(shared.resolve("d.csv"), csv);
        model = shared.resolve("m.vlstm");
        Result t = run("train", "--data", data.toString(), "--text-column", "text", "--label-column", "label", "--maxlen", "12",
                "--units", "5", "--embedding-dim", "4", "--epochs", "3", "--batch", "16", "--save", model.toString());
        assertEquals(0, t.code(), t.err());
    }

    @Test
    void summaryTracePrintsEveryShapeFromTextToLabel() {
        Result r = run("summary", "--model", model.toString(), "--trace", "--text", "a great film", "--text", "dull");
        assertEquals(0, r.code(), r.err());
        for (String row : new String[] {"ids                 (batch=2, 12)", "embeddings          (batch=2, 12, 4)", "z_t                 (batch=2, 20)",
                "c_t (cell state)    (batch=2, 5)", "probability         (batch=2, 1)", "steps 0-8 are padding"}) {
            assertTrue(r.out().contains(row), row + " in:\n" + r.out());
        }
        Result seed = run("summary", "--trace");
        assertEquals(0, seed.code(), seed.err());
        assertTrue(seed.out().contains("embeddings          (1, 500, 32)"), seed.out());
        assertEquals(2, run("summary", "--text", "x").code(), "--text needs --model and --trace");
        Result seedFlag = run("summary", "--model", model.toString(), "--num-words", "5");
        assertEquals(2, seedFlag.code());
        assertTrue(seedFlag.err().contains("--num-words describes the seed model; a --model file has its own"), seedFlag.err());
    }

    @Test
    void aTracedBatchGivesEveryTextsLabelAndSaysWhoseValuesItShows() {
        // With several --text only text 1 was traced, and its one label and probability were printed
        // under "3 labels" as if they were the batch's.
        List<String> texts = List.of("a great film", "dull boring", "fun");
        Result r = run("summary", "--model", model.toString(), "--trace", "--text", texts.get(0), "--text", texts.get(1), "--text", texts.get(2));
        assertEquals(0, r.code(), r.err());
        try (TextClassifier c = TextClassifier.load(model)) {
            for (int i = 0; i < texts.size(); i++) {
                Classification answer = c.classify(texts.get(i));
                String line = String.format(Locale.ROOT, "text %d of 3: \"%s\" (p = %.4f)", i + 1, answer.label(), answer.probability());
                assertTrue(r.out().contains(line), line + " in:\n" + r.out());
            }
        }
        for (String said : new String[] {"text 1 of 3, whose values are shown: 3 words", "text 1: steps 0-8 are padding",
                "text 1, step 11: [", "text 1: [", "the most probable of [neg, pos], for each text"}) {
            assertTrue(r.out().contains(said), said + " in:\n" + r.out());
        }
        Result one = run("summary", "--model", model.toString(), "--trace", "--text", "a great film");
        assertFalse(one.out().contains("text 1"), "one text needs no name:\n" + one.out());
    }

    @Test
    void explainWritesOnePageAndRefusesAFolder() throws IOException {
        Path page = dir.resolve("e.html");
        Result r = run("explain", "--model", model.toString(), "--text", "a great <b>fun</b> film", "--out", page.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + page), r.out());
        String html = Files.readString(page);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<svg") && !html.contains("<b>fun"), "escaped, self-contained");
        Result folder = run("explain", "--model", model.toString(), "--text", "x", "--out", dir.toString());
        assertEquals(2, folder.code());
        assertTrue(folder.err().contains("is a folder"), folder.err());
        Result noWord = run("explain", "--model", model.toString(), "--text", "qqq zzz", "--out", dir.resolve("n.html").toString());
        assertEquals(0, noWord.code(), noWord.err());
        assertTrue(Files.readString(dir.resolve("n.html")).contains("No word of this text is in the model's vocabulary"));
        // The terminal said only "neg (p = 0.9434, 0 of 2 words read)", a verdict on a text the model never saw.
        assertTrue(noWord.out().contains("0 of 2 words read: no word is in the model's vocabulary, so the answer says nothing about the text); wrote "), noWord.out());
        assertFalse(r.out().contains("says nothing"), "a text with known words gets no such note: " + r.out());
    }

    @Test
    void aModelTheTraceCannotFollowIsRefusedBeforeAnythingIsPrinted() {
        // summary --trace printed the whole summary, then the refusal.
        Path gru = shared.resolve("gru.vlstm");
        Result t = run("train", "--data", shared.resolve("d.csv").toString(), "--text-column", "text", "--label-column", "label", "--maxlen", "12",
                "--layers", "gru:3", "--embedding-dim", "4", "--epochs", "1", "--save", gru.toString());
        assertEquals(0, t.code(), t.err());
        Result r = run("summary", "--model", gru.toString(), "--trace");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("needs an Embedding → LSTM → Dense model (Dropout before the Dense allowed); this one is Embedding → GRU → Dense"), r.err());
        assertEquals("", r.out());
    }

    /** A mask_zero model (refused until the record skipped masked steps as Keras does) is traced and explained. */
    @Test
    void aMaskZeroModelIsTracedAndExplained() throws IOException {
        Path masked = shared.resolve("masked.vlstm");
        Result t = run("train", "--data", shared.resolve("d.csv").toString(), "--text-column", "text", "--label-column", "label", "--maxlen", "12",
                "--units", "3", "--embedding-dim", "4", "--epochs", "1", "--mask-zero", "true", "--save", masked.toString());
        assertEquals(0, t.code(), t.err());
        Result trace = run("summary", "--model", masked.toString(), "--trace", "--text", "good film");
        assertEquals(0, trace.code(), trace.err());
        assertTrue(trace.out().contains("the padding is masked (mask_zero): the LSTM skips it"), trace.out());
        Path page = dir.resolve("masked.html");
        Result explain = run("explain", "--model", masked.toString(), "--text", "good film", "--out", page.toString());
        assertEquals(0, explain.code(), explain.err());
        assertTrue(Files.readString(page).contains("the model masks them (mask_zero)"));
    }

    @Test
    void plotRefusesCsvFlagsWithAModel() {
        // --title, --x, --y and --log-x were ignored with --model: the chart came out without them, exit 0.
        for (String[] flags : new String[][] {{"--title", "T"}, {"--x", "a"}, {"--y", "b"}, {"--log-x"}}) {
            List<String> args = new ArrayList<>(List.of("plot", "--model", model.toString(), "--out", dir.resolve("c.svg").toString()));
            args.addAll(List.of(flags));
            Result r = run(args.toArray(String[]::new));
            assertEquals(2, r.code(), String.join(" ", flags) + ": " + r.err());
            assertTrue(r.err().contains("--x, --y, --log-x and --title apply to --csv"), r.err());
        }
    }

    @Test
    void plotAndExplainReplaceNeitherTheirInputsNorFilesOfAnotherKind() throws IOException {
        Path copy = Files.copy(model, dir.resolve("m.vlstm"));
        byte[] modelBytes = Files.readAllBytes(copy);
        for (String[] args : new String[][] {
                {"plot", "--model", copy.toString(), "--out", copy.toString()},
                {"plot", "--model", copy.toString(), "--out", copy.toString(), "--force"},
                {"explain", "--model", copy.toString(), "--text", "great", "--out", copy.toString(), "--force"}}) {
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args));
            assertTrue(r.err().contains("is an input of this run"), r.err());
        }
        Path csv = Files.writeString(dir.resolve("u.csv"), "units,acc\n1,0.83\n8,0.86\n");
        Result overCsv = run("plot", "--csv", csv.toString(), "--x", "units", "--y", "acc", "--out", csv.toString(), "--force");
        assertEquals(2, overCsv.code());
        assertTrue(overCsv.err().contains("is an input of this run"), overCsv.err());
        assertEquals("units,acc\n1,0.83\n8,0.86\n", Files.readString(csv));
        assertTrue(java.util.Arrays.equals(modelBytes, Files.readAllBytes(copy)), "the model is untouched");

        // Another XML file is not an SVG: its first element decides, not the XML declaration.
        String pom = "<?xml version=\"1.0\"?>\n<!-- a build -->\n<project><modelVersion>4.0.0</modelVersion></project>\n";
        Path xml = Files.writeString(dir.resolve("pom.xml"), pom);
        Result overXml = run("plot", "--model", copy.toString(), "--out", xml.toString());
        assertEquals(2, overXml.code(), overXml.out());
        assertTrue(overXml.err().contains("exists and is not an SVG image"), overXml.err());
        assertEquals(pom, Files.readString(xml));
        Path prologSvg = Files.writeString(dir.resolve("old.svg"), "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<!-- old -->\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n");
        assertEquals(0, run("plot", "--model", copy.toString(), "--out", prologSvg.toString()).code(), "an SVG with a prolog is an SVG");

        // A name too long for the file system is refused before the work, not after it.
        Result longName = run("plot", "--model", copy.toString(), "--out", dir.resolve("a".repeat(252) + ".svg").toString());
        assertEquals(2, longName.code(), longName.out());
        assertTrue(longName.err().contains("longer than 255 bytes"), longName.err());
        Path longest = dir.resolve("b".repeat(251) + ".svg");  // 255 bytes: fits, and so does the temp file beside it
        assertEquals(0, run("plot", "--model", copy.toString(), "--out", longest.toString()).code());
        assertTrue(Files.readString(longest).startsWith("<svg"));

        Path notes = Files.writeString(dir.resolve("notes.txt"), "my notes");
        for (String command : new String[] {"plot", "explain"}) {
            String[] args = command.equals("plot") ? new String[] {"plot", "--model", copy.toString(), "--out", notes.toString()}
                    : new String[] {"explain", "--model", copy.toString(), "--text", "great", "--out", notes.toString()};
            Result refused = run(args);
            assertEquals(2, refused.code());
            assertTrue(refused.err().contains("exists and is not " + (command.equals("plot") ? "an SVG image" : "an HTML page") + "; choose another name, or add --force"), refused.err());
            assertEquals("my notes", Files.readString(notes));
        }
        Path page = dir.resolve("p.html");
        for (int i = 0; i < 2; i++) assertEquals(0, run("explain", "--model", copy.toString(), "--text", "great", "--out", page.toString()).code(), "a page replaces a page");
        Path svg = dir.resolve("c.svg");
        for (int i = 0; i < 2; i++) assertEquals(0, run("plot", "--model", copy.toString(), "--out", svg.toString()).code(), "a chart replaces a chart");
        assertEquals(0, run("plot", "--model", copy.toString(), "--out", notes.toString(), "--force").code());
        assertTrue(Files.readString(notes).startsWith("<svg"), "--force replaces another kind");
    }

    @Test
    void plotReadsItsTableAsTheDataLoadersDo() throws IOException {
        Path quoted = Files.writeString(dir.resolve("q.csv"), "\uFEFF\"units\",\"acc\"\r\n1,0.83\r\n\"8\",0.86\r\n");
        Result ok = run("plot", "--csv", quoted.toString(), "--x", "units", "--y", "acc", "--out", dir.resolve("q.svg").toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("(2 points)"), ok.out());
        Path ragged = Files.writeString(dir.resolve("r.csv"), "x,y\n1,2\n2,3,4\n");
        Result r = run("plot", "--csv", ragged.toString(), "--x", "x", "--y", "y", "--out", dir.resolve("r.svg").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("line 3: expected 2 fields"), r.err());
        Path huge = Files.writeString(dir.resolve("h.csv"), "x,y\n1,2\n2,1e308\n3,-1e308\n");
        Result h = run("plot", "--csv", huge.toString(), "--x", "x", "--y", "y", "--out", dir.resolve("h.svg").toString());
        assertEquals(2, h.code());
        // The bounds were the padded ones, "(-Infinity to Infinity)", and the file was not named.
        assertTrue(h.err().contains(huge + ": the values of y span more than a chart can scale (-1e308 to 1e308)"), h.err());
        assertFalse(Files.exists(dir.resolve("h.svg")));
        Path word = Files.writeString(dir.resolve("w.csv"), "x,y\n1,2\n2,Infinity\n");
        Result w = run("plot", "--csv", word.toString(), "--x", "x", "--y", "y", "--out", dir.resolve("w.svg").toString());
        assertEquals(2, w.code());
        assertTrue(w.err().contains("line 3: column \"y\" holds \"Infinity\", not a finite number"), w.err());
        for (String javaOnly : new String[] {"0x1p-1", "0.7d", "1f", "NaN"}) {  // Java's number syntax, not a table's
            Path odd = Files.writeString(dir.resolve("j.csv"), "x,y\n1,2\n2," + javaOnly + "\n");
            Result j = run("plot", "--csv", odd.toString(), "--x", "x", "--y", "y", "--out", dir.resolve("j.svg").toString());
            assertEquals(2, j.code(), javaOnly);
            assertTrue(j.err().contains("holds \"" + javaOnly + "\", not a finite number"), j.err());
        }
        Path fine = Files.writeString(dir.resolve("f.csv"), "x,y\n1,+2.\n2,-.5e-3\n3, 7E2 \n");
        assertEquals(0, run("plot", "--csv", fine.toString(), "--x", "x", "--y", "y", "--out", dir.resolve("f.svg").toString()).code());
    }

    @Test
    void plotNamesTheFlagFileAndRowOfAnXThatALogScaleCannotShow() throws IOException {
        // It said "point 1 is not plottable: (-1.0, 0.5)", naming neither --log-x nor the file.
        // Then "data row 2", which is line 4 when a quoted field spans two lines: the line, as the CSV errors name it.
        Path csv = Files.writeString(dir.resolve("neg.csv"), "x,y,note\n10,0.6,\"two\nlines\"\n-1,0.5,\n100,0.7,\n");
        Result r = run("plot", "--csv", csv.toString(), "--x", "x", "--y", "y", "--log-x", "--out", dir.resolve("n.svg").toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().strip().endsWith(csv + ", line 4: --log-x needs every x above 0; this row has x = -1"), "as the table wrote it, not -1.0: " + r.err());
        assertFalse(Files.exists(dir.resolve("n.svg")));
    }

    @Test
    void plotDrawsTheSavedHistoryAndCsvTables() throws IOException {
        Path svg = dir.resolve("c.svg");
        Result r = run("plot", "--model", model.toString(), "--out", svg.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(svg).contains("epoch"), "curves");
        Path csv = Files.writeString(dir.resolve("u.csv"), "units,acc\n1,0.83\n8,0.86\n32,0.87\n");
        Result table = run("plot", "--csv", csv.toString(), "--x", "units", "--y", "acc", "--log-x", "--out", dir.resolve("u.svg").toString());
        assertEquals(0, table.code(), table.err());
        Result badColumn = run("plot", "--csv", csv.toString(), "--x", "units", "--y", "nope", "--out", dir.resolve("v.svg").toString());
        assertEquals(2, badColumn.code());
        assertTrue(badColumn.err().contains("line 1: no column \"nope\"; the header has \"units\", \"acc\""), badColumn.err());
        assertFalse(Files.exists(dir.resolve("v.svg")));
        assertEquals(2, run("plot", "--out", dir.resolve("w.svg").toString()).code(), "--model or --csv is needed");
        Path old = Path.of("src/test/resources/models/v1-small.vlstm");  // saved before histories were kept
        Result noHistory = run("plot", "--model", old.toString(), "--out", dir.resolve("x.svg").toString());
        assertEquals(2, noHistory.code());
        assertTrue(noHistory.err().contains("has no training history"), noHistory.err());
    }

    /**
     * --out - : the chart or page on standard output, alone (the command's own line on standard
     * error), as a Unix tool's; it was written to a file named "-". Commands that write other files
     * refuse "-" by name.
     */
    @Test
    void aDashOutWritesTheChartOrPageToStandardOutputAlone() throws IOException {
        Path svg = dir.resolve("c.svg");
        assertEquals(0, run("plot", "--model", model.toString(), "--out", svg.toString()).code());
        Result plot = run("plot", "--model", model.toString(), "--out", "-");
        assertEquals(0, plot.code(), plot.err());
        assertEquals(Files.readString(svg), plot.out(), "the same chart as the file");
        assertEquals("wrote to standard output (3 epochs)", plot.err().strip());
        Path csv = Files.writeString(dir.resolve("u.csv"), "units,acc\n1,0.83\n8,0.86\n");
        Result table = run("plot", "--csv", csv.toString(), "--x", "units", "--y", "acc", "--out", "-");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().startsWith("<svg") && table.out().strip().endsWith("</svg>"), table.out());
        assertEquals("wrote to standard output (2 points)", table.err().strip());
        Path page = dir.resolve("e.html");
        assertEquals(0, run("explain", "--model", model.toString(), "--text", "a great film", "--out", page.toString()).code());
        Result explain = run("explain", "--model", model.toString(), "--text", "a great film", "--out", "-");
        assertEquals(0, explain.code(), explain.err());
        assertEquals(Files.readString(page), explain.out());
        assertTrue(explain.err().matches("(pos|neg) \\(p = [01]\\.\\d{4}, 3 of 3 words read\\); wrote to standard output\\R"), explain.err());
        assertFalse(Files.exists(Path.of("-")), "no file named -");
        for (String[] args : new String[][] {{"import", "--keras", "m.h5", "--out", "-"}, {"bench", "--quick", "--out", "-"},
                {"train", "--data", "d.csv", "--save", "-"}}) {
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args));
            assertTrue(r.err().contains(args[args.length - 2] + " -: this command writes a file, not standard output; give a file name (./- for a file named -)"), r.err());
        }
    }
}
