package vectorlstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.TestEnvironment;
import vectorlstm.classifier.OverflowingClassifier;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.Sequential;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.text.Tokenizer;

/**
 * The hostile list of issue 7, one test per case: what a new user, then an attacker, tried. Each
 * ends in a clear one-line error and a non-zero exit, or a defined result; nothing is lost.
 */
class HostileInputTest {
    @TempDir static Path shared;
    @TempDir Path dir;
    private static Path model;

    private record Result(int code, String out, String err) {}

    private static Result run(InputStream in, OutputStream out, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, in, out, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out instanceof ByteArrayOutputStream b ? b.toString(StandardCharsets.UTF_8) : "", err.toString(StandardCharsets.UTF_8));
    }

    private static Result run(String... args) {
        return run(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), args);
    }

    private static void assertOneLineError(Result r, int code, String... fragments) {
        assertEquals(code, r.code(), r.err());
        for (String fragment : fragments) assertTrue(r.err().contains(fragment), "stderr should mention '" + fragment + "': " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("lstm: ")).count(), "said once: " + r.err());
    }

    /** A small (untrained) text classifier saved with the Java API and no labels. */
    @BeforeAll
    static void saveAModel() {
        Tokenizer tokenizer = Tokenizer.builder().numWords(50).build();
        tokenizer.fitOnTexts(List.of("a good film", "a bad film", "the plot was dull", "superb acting"));
        Sequential m = new Sequential(new Embedding(50, 4, 10), new Lstm(3), new Dense(1, "sigmoid")).seed(1);
        m.compile("binary_crossentropy", new Adam(), "accuracy");
        model = shared.resolve("model.vlstm");
        try (TextClassifier c = TextClassifier.of(m, tokenizer, TextPreprocessing.HTML_LINE_BREAKS, List.of(), 10)) {
            c.save(model);
        }
    }

    private Path csv() throws IOException {
        StringBuilder s = new StringBuilder("review,sentiment\n");
        Random r = new Random(1);
        for (int i = 0; i < 40; i++) s.append(r.nextBoolean() ? "good film,pos\n" : "bad film,neg\n");
        return Files.writeString(dir.resolve("reviews.csv"), s);
    }

    // 1. Output write errors

    @Test
    void predictIntoAFullDeviceFailsWithExitThree() throws IOException {
        TestEnvironment.require(Files.exists(Path.of("/dev/full")), "/dev/full (Linux)");
        try (FileOutputStream full = new FileOutputStream("/dev/full")) {
            Result r = run(new ByteArrayInputStream("a good film\n".getBytes(StandardCharsets.UTF_8)), full, "predict", "--model", model.toString());
            assertOneLineError(r, Main.OUTPUT_FAILED, "cannot write the output: No space left on device");
        }
    }

    @Test
    void aDiskThatFillsUpMidStreamStopsTheCommand() {
        OutputStream fillsUp = new OutputStream() {
            private int written;
            @Override public void write(int b) throws IOException {
                if (++written > 2000) throw new IOException("No space left on device");
            }
        };
        InputStream thousandLines = new ByteArrayInputStream("a good film\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
        Result r = run(thousandLines, fillsUp, "predict", "--model", model.toString());
        assertOneLineError(r, Main.OUTPUT_FAILED, "No space left on device");
    }

    @Test
    void aClosedPipeEndsAnEndlessStreamQuietly() throws IOException {
        Process head = new ProcessBuilder("head", "-2").redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        InputStream endless = new InputStream() {  // "yes 'a good film' | ./lstm predict | head -2"
            private final byte[] line = "a good film\n".getBytes(StandardCharsets.UTF_8);
            private long i;
            @Override public int read() { return line[(int) (i++ % line.length)]; }
        };
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> run(endless, head.getOutputStream(), "predict", "--model", model.toString()));
        assertEquals(Main.OUTPUT_CLOSED, r.code(), r.err());
        assertEquals("", r.err(), "quiet, as a shell pipeline expects");
        assertEquals(2, new String(head.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void aTrainingWhoseLogCannotBeWrittenStillSavesItsModel() throws IOException {
        Path saved = dir.resolve("kept.vlstm");
        OutputStream full = new OutputStream() {
            @Override public void write(int b) throws IOException { throw new IOException("No space left on device"); }
        };
        Result r = run(new ByteArrayInputStream(new byte[0]), full, "train", "--data", csv().toString(), "--text-column", "review",
                "--label-column", "sentiment", "--maxlen", "4", "--units", "2", "--epochs", "1", "--save", saved.toString());
        assertOneLineError(r, Main.OUTPUT_FAILED, "No space left on device");
        assertTrue(vectorlstm.io.ModelFile.isModelFile(saved), "the trained model was saved before the log failed");
    }

    // 2. Labels

    @Test
    void aModelSavedWithoutLabelsNamesItsClassesByNumber() {
        Result r = run("predict", "--model", model.toString(), "--text", "a good film");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s)\\{.*\"label\":\"[01]\".*"), r.out());
    }

    @Test
    void aCommandLineTextWithNoKnownWordPrintsItsErrorAndExitsFour() {
        Result r = run("predict", "--model", model.toString(), "--text", "qqqq zzzz");
        assertEquals(4, r.code(), r.err());
        assertEquals("{\"text\":\"qqqq zzzz\",\"error\":\"no known words in the text\"}", r.out().strip());
        assertEquals("lstm: the text could not be scored (its \"error\" line says why)", r.err().strip());
    }

    @Test
    void aCommandLineTextThatWasNotUtf8IsRefusedAndItsByteOrderMarkDropped() {
        // Before, --text's bytes that were not UTF-8 (U+FFFD once the JVM decoded them) were scored as a word, where
        // stdin refused them, and a leading byte-order mark stayed part of the first word.
        String bad = "great \uFFFD\uFFFD movie";
        assertOneLineError(run("predict", "--model", model.toString(), "--text", bad), 2, "--text holds U+FFFD", "on stdin");
        // explain and summary read no stdin: their refusal pointed there all the same.
        Result explain = run("explain", "--model", model.toString(), "--text", bad, "--out", dir.resolve("bad.html").toString());
        assertOneLineError(explain, 2, "--text holds U+FFFD", "UTF-8");
        assertFalse(explain.err().contains("stdin"), explain.err());
        assertFalse(Files.exists(dir.resolve("bad.html")));
        Result summary = run("summary", "--model", model.toString(), "--trace", "--text", "good", "--text", bad);
        assertOneLineError(summary, 2, "--text holds U+FFFD", "UTF-8");
        assertFalse(summary.err().contains("stdin"), summary.err());
        Result plain = run("predict", "--model", model.toString(), "--text", "a good film");
        Result marked = run("predict", "--model", model.toString(), "--text", "\uFEFFa good film");
        assertEquals(0, marked.code(), marked.err());
        assertEquals(plain.out(), marked.out());
    }

    @Test
    void labelsThatDoNotFitTheOutputAreRefused() throws IOException {
        Path oneLabel = dir.resolve("one-label.vlstm");
        ModelFileForgery.rewriteDescription(model, oneLabel, d -> d.replaceFirst("\"labels\":\\[[^\\]]*\\]", "\"labels\":[\"only\"]"));
        assertOneLineError(run("predict", "--model", oneLabel.toString(), "--text", "a good film"), 2, "1 labels [only] do not fit an output of 1 unit(s): expected 2");
    }

    /** Description fields a forger can write with a valid checksum: refused, not read as something else. */
    @Test
    void forgedLabelsHistoryAndSplitAreRefused() throws IOException {
        String[][] cases = {
            {"\"labels\":\\[[^\\]]*\\]", "\"labels\":[\"neg\",null]", "a label is null"},
            {"\"labels\":\\[[^\\]]*\\]", "\"labels\":[1,2]", "a label is not a string"},
            {"\"labels\":\\[[^\\]]*\\]", "\"labels\":{\"a\":1}", "'labels' is not a list of strings"},
            {"\"history\":null", "\"history\":{\"epochs\":[{\"epoch\":1,\"loss\":0.5,\"accuracy\":0.5,\"seconds\":1.0}],\"restored_epoch\":99}",
                "bad restored_epoch 99 (the history has 1 epochs"},
            {"\"split\":\" \"", "\"split\":\"" + "x".repeat(2000) + "\"", "longer than a tokenizer uses"},
            {"\"preprocessing\":\"[^\"]*\"", "\"preprocessing\":3", "'preprocessing' is not a name"},
            {"\"history\":null", "\"history\":{\"epochs\":[{\"epoch\":1,\"loss\":1" + "0".repeat(400) + ",\"accuracy\":0.5,\"seconds\":1.0}],\"restored_epoch\":-1}",
                "the history's 'loss' is 1" + "0".repeat(400) + ", not a finite number"},
        };
        assertEachForgeryRefused("forged.vlstm", cases, false);
    }

    /**
     * Each case {pattern, replacement, message}: the description with the pattern's first match
     * replaced (and a valid checksum) is refused by predict with one line holding the message (and
     * the file's path when {@code namesTheFile}).
     */
    private void assertEachForgeryRefused(String fileName, String[][] cases, boolean namesTheFile) throws IOException {
        for (String[] c : cases) {
            Path forged = dir.resolve(fileName);
            ModelFileForgery.rewriteDescription(model, forged, d -> {
                String e = d.replaceFirst(c[0], java.util.regex.Matcher.quoteReplacement(c[1]));
                assertTrue(!e.equals(d), "the pattern " + c[0] + " is in the description");
                return e;
            });
            Result r = run("predict", "--model", forged.toString(), "--text", "a good film");
            if (namesTheFile) assertOneLineError(r, 2, forged.toString(), c[2]);
            else assertOneLineError(r, 2, c[2]);
        }
    }

    // 3. --save must not destroy inputs or foreign files

    @Test
    void saveOverTheTrainingDataIsRefusedAndTheDataKept() throws IOException {
        Path data = csv();
        String before = Files.readString(data);
        Result r = run("train", "--data", data.toString(), "--text-column", "review", "--label-column", "sentiment", "--save", data.toString(), "--force");
        assertOneLineError(r, 2, "is an input of this run");
        assertEquals(before, Files.readString(data));
    }

    @Test
    void saveOverAFileInsideTheDataFolderIsRefusedEvenWithForce() throws IOException {
        // --data a folder of class folders: --save fold/pos/1.txt --force replaced a training text with the model.
        Path fold = dir.resolve("fold");
        for (String name : new String[] {"pos/1.txt", "pos/2.txt", "neg/1.txt", "neg/2.txt"}) {
            Files.createDirectories(fold.resolve(name).getParent());
            Files.writeString(fold.resolve(name), name.startsWith("pos") ? "a good film" : "a bad film");
        }
        Path text = fold.resolve("pos/1.txt");
        Result r = run("train", "--data", fold.toString(), "--units", "4", "--epochs", "1", "--save", text.toString(), "--force");
        assertOneLineError(r, 2, "is inside this run's data folder");
        assertEquals("a good film", Files.readString(text));
    }

    @Test
    void aSaveLinkThatLeadsNowhereWritableIsRefusedBeforeTraining() throws IOException {
        // The link's own folder was checked, not where it leads: the run trained, then lost its model (exit 3).
        Path notes = Files.writeString(dir.resolve("notes.txt"), "mine");
        Path link = Files.createSymbolicLink(dir.resolve("link.vlstm"), notes.resolve("x.vlstm"));
        Result r = run("train", "--data", csv().toString(), "--text-column", "review", "--label-column", "sentiment", "--save", link.toString());
        assertOneLineError(r, 2, "--save " + link, "cannot write there: not a folder: " + notes);
        assertFalse(r.out().contains("Epoch"), "refused before training: " + r.out());
        Result out = run("plot", "--model", "nothing.vlstm", "--out", link.toString());
        assertOneLineError(out, 2, "--out " + link, "cannot write there");
        assertEquals("mine", Files.readString(notes));
    }

    @Test
    void trainFlagsAreCheckedBeforeTheDataIsRead() throws IOException {
        // An embeddings file named .vectors was refused only after the whole data set was read, with a Java-only hint.
        Path vec = Files.writeString(dir.resolve("v.vectors"), "2 3\ngood 1 0 0\nbad 0 1 0\n");
        Path missing = dir.resolve("no-such-data.csv");
        Result named = run("train", "--data", missing.toString(), "--text-column", "review", "--label-column", "sentiment",
                "--embeddings", vec.toString(), "--save", dir.resolve("e.vlstm").toString());
        assertOneLineError(named, 2, "--embeddings " + vec, "must end in .vec (fastText), .txt (GloVe) or .bin (word2vec)");
        // An empty --data was blamed on --save ("inside this run's data folder") when --save named a model in the current folder.
        Result empty = run("train", "--data", "", "--save", model.toString());
        assertOneLineError(empty, 2, "--data needs a non-empty value");
        // The numeric recipe said "learning rate must be in (0, 1)" for 1e-50, without the flag.
        Result tiny = run("train", "--format", "japanese-vowels", "--data", missing.toString(), "--learning-rate", "1e-50", "--save", dir.resolve("v.vlstm").toString());
        assertOneLineError(tiny, 2, "--learning-rate 1.0E-50 is below the smallest float");
    }

    @Test
    void saveOverTheEmbeddingsFileIsRefused() throws IOException {
        Path vec = Files.writeString(dir.resolve("v.vec"), "2 3\ngood 1 0 0\nbad 0 1 0\n");
        Result r = run("train", "--data", csv().toString(), "--text-column", "review", "--label-column", "sentiment",
                "--embeddings", vec.toString(), "--save", vec.toString());
        assertOneLineError(r, 2, "is an input of this run");
        assertTrue(Files.readString(vec).startsWith("2 3"));
    }

    @Test
    void saveOverAFileThatIsNotAModelNeedsForce() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "my notes");
        String[] train = {"train", "--data", csv().toString(), "--text-column", "review", "--label-column", "sentiment",
                "--maxlen", "4", "--units", "2", "--epochs", "1", "--save", notes.toString()};
        assertOneLineError(run(train), 2, "exists and is not a model file; choose another name, or add --force");
        assertEquals("my notes", Files.readString(notes));
        String[] forced = java.util.Arrays.copyOf(train, train.length + 1);
        forced[train.length] = "--force";
        assertEquals(0, run(forced).code());
        assertTrue(vectorlstm.io.ModelFile.isModelFile(notes));
    }

    // 4. Deep JSON

    @Test
    void aJsonLineNestedTenThousandDeepIsAnError() throws IOException {
        Path jsonl = Files.writeString(dir.resolve("deep.jsonl"),
                "{\"text\": \"good\", \"label\": \"pos\"}\n{\"text\": " + "[".repeat(10_000) + "]".repeat(10_000) + ", \"label\": \"neg\"}\n");
        Result r = run("train", "--data", jsonl.toString(), "--text-column", "text", "--label-column", "label", "--save", dir.resolve("m").toString());
        assertOneLineError(r, 2, "nested deeper than 64");
        assertTrue(r.err().contains("line 2"), r.err());
    }

    // 5. Sizes that only end in a hang or out of memory

    @Test
    void hugeUnitsAreRefusedBeforeAnyWork() throws IOException {
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> run("train", "--data", csv().toString(), "--text-column", "review",
                "--label-column", "sentiment", "--units", "4096", "--save", dir.resolve("m").toString()));
        assertOneLineError(r, 2, "--units must be a positive integer and at most 1024, got 4096");
    }

    // 6. A save killed half-way

    @Test
    void aSaveKilledHalfWayLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("big.vlstm");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "vectorlstm.io.SlowSave", target.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("writing", out.readLine());
        assertEquals(1, temporaries().size(), "the save is under way: " + temporaries());
        p.destroy();  // SIGTERM, what `kill` sends
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(List.of(), temporaries(), "the temporary file is removed on the way out");
        assertFalse(Files.exists(target), "and nothing half-written takes the model's name");
    }

    private List<Path> temporaries() throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    // 7. The minor ones

    @Test
    void aBareCarriageReturnStaysInsideItsLine() {
        InputStream in = new ByteArrayInputStream("a good\rfilm\nthe plot\r\n".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Result r = run(in, out, "predict", "--model", model.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), "one output per input line: " + lines);
        assertTrue(lines.get(0).startsWith("{\"text\":\"a good\\rfilm\""), lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"text\":\"the plot\","), "CRLF: the \\r is dropped: " + lines.get(1));
    }

    @Test
    void aByteOrderMarkAtTheStartOfStdinIsNotText() {
        // Left in, it was part of line 1's first word, which the tokenizer then did not know.
        byte[] withMark = "\uFEFFgood film\ngood film\n".getBytes(StandardCharsets.UTF_8);
        Result r = run(new ByteArrayInputStream(withMark), new ByteArrayOutputStream(), "predict", "--model", model.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("{\"text\":\"good film\","), lines.get(0));
        assertEquals(lines.get(1), lines.get(0), "the line with the mark scores as the one without");
        Result ids = run(new ByteArrayInputStream("\uFEFF".getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), "predict", "--model", model.toString());
        assertEquals(0, ids.code(), ids.err());
        assertEquals("", ids.out(), "a mark alone is an empty stream");
    }

    @Test
    void invalidUtf8OnStdinIsReportedForThatLineAndTheStreamGoesOn() {
        byte[] bad = {'a', ' ', (byte) 0xC3, (byte) 0x28, '\n', 'g', 'o', 'o', 'd', '\n'};
        Result r = run(new ByteArrayInputStream(bad), new ByteArrayOutputStream(), "predict", "--model", model.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("{\"line\":1,\"error\":\"not valid UTF-8 text\"}", lines.get(0));
        assertTrue(lines.get(1).contains("\"label\""), lines.get(1));
    }

    @Test
    void aModelWhoseOutputOverflowsGivesAnErrorLineNotANaNLabel() {
        // Its probability was printed as NaN (not JSON) beside the first label, as if it were an answer.
        Path overflowing = shared.resolve("overflowing.vlstm");
        try (TextClassifier c = OverflowingClassifier.create()) {
            c.save(overflowing);
        }
        Result r = run(new ByteArrayInputStream("a good film\n".getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
                "predict", "--model", overflowing.toString());
        assertEquals(4, r.code(), "no line scored: " + r.err());
        assertEquals("lstm: the one line could not be scored (its \"error\" line says why)", r.err().strip());
        assertEquals("{\"text\":\"a good film\",\"error\":\"the model's output is NaN (its weights overflow on this input)\"}", r.out().strip());
    }

    @Test
    void evalRefusesAModelWhoseOutputOverflowsInsteadOfCountingNaNAsTheFirstLabel() throws IOException {
        // A NaN loses every comparison, so each text counted as label "a": accuracy 0.3333 on these three lines.
        Path overflowing = shared.resolve("overflowing-eval.vlstm");
        try (TextClassifier c = OverflowingClassifier.create()) {
            c.save(overflowing);
        }
        Path csv = Files.writeString(dir.resolve("labelled.csv"), "review,sentiment\na good film,a\na bad film,b\nfilm,b\n");
        Result r = run("eval", "--model", overflowing.toString(), "--data", csv.toString(), "--text-column", "review", "--label-column", "sentiment");
        assertOneLineError(r, 2, overflowing + ": the model's output is NaN for 3 of 3 texts (the first: text 1 of --data): its weights overflow on them");
        assertEquals("", r.out());
    }

    @Test
    void evalSaysHowManyTextsHadNoKnownWord() throws IOException {
        // Counted as Keras counts them, by the model's answer without a known word; nothing said so, and an
        // accuracy of such texts read like one of the texts (predict refuses each of them).
        Path csv = Files.writeString(dir.resolve("punct.csv"), "review,sentiment\na good film,1\n!!! ???,1\na bad film,0\n...,0\n");
        Result r = run("eval", "--model", model.toString(), "--data", csv.toString(), "--text-column", "review", "--label-column", "sentiment");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("accuracy: "), r.out());
        assertTrue(r.err().contains("note: 2 of 4 texts have no word the model knows"), r.err());
        Path known = Files.writeString(dir.resolve("known.csv"), "review,sentiment\na good film,1\na bad film,0\n");
        r = run("eval", "--model", model.toString(), "--data", known.toString(), "--text-column", "review", "--label-column", "sentiment");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("no word the model knows"), r.err());
    }

    @Test
    void serveRefusesWaitsSoLongTheyOverflow() {
        // Each was taken: --timeout-ms made every classify request a 500 (its nanoseconds overflowed),
        // --read-timeout-s failed the start and --grace-s the stop with an ArithmeticException, and
        // --batch-wait-us wrapped round to 0.384 microseconds. The settings are checked before the model is read.
        String missing = dir.resolve("never-read.vlstm").toString();
        String[][] cases = {
            {"--timeout-ms", "9223372036854775807", "request timeout must be > 0 and at most a day (86400000 ms), got 9223372036854775807 ms"},
            {"--read-timeout-s", "9223372036854775807", "read timeout must be 1 s", "got 9223372036854775807 s"},
            {"--grace-s", "9223372036854775807", "shutdown grace must be 0 to a day (86400 s), got 9223372036854775807 s"},
            {"--batch-wait-us", "18446744073709552", "batch wait must be 0..1000 ms"},
            // The value was given back as Duration's text: "got PT24H0.001S" for a flag in milliseconds.
            {"--timeout-ms", "86400001", "got 86400001 ms"},
            // 1000.001 ms passed a check on whole milliseconds
            {"--batch-wait-us", "1000001", "batch wait must be 0..1000 ms (0..1000000 µs), got 1000001 µs"},
        };
        for (String[] c : cases) assertOneLineError(run("serve", "--model", missing, "--port", "0", c[0], c[1]), 2, java.util.Arrays.copyOfRange(c, 2, c.length));
        // Each names its flag, as the other commands' errors do ("threads must be 1..256, got 0" named none).
        for (String[] c : cases) assertOneLineError(run("serve", "--model", missing, "--port", "0", c[0], c[1]), 2, "lstm: " + c[0] + ": ");
        assertOneLineError(run("serve", "--model", missing, "--threads", "0"), 2, "--threads: threads must be 1..256, got 0");
        assertOneLineError(run("serve", "--model", missing, "--port", "-1"), 2, "--port: port must be 0..65535, got -1");
    }

    @Test
    void numWordsOfOneIsRefused() throws IOException {
        assertOneLineError(run("train", "--data", csv().toString(), "--text-column", "review", "--label-column", "sentiment",
                "--num-words", "1", "--save", dir.resolve("m").toString()), 2, "--num-words must be at least 2");
    }

    @Test
    void aFifoAsModelIsRefusedAtOnce() throws Exception {
        Path fifo = dir.resolve("pipe.vlstm");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        TestEnvironment.require(mkfifo.waitFor() == 0, "mkfifo (POSIX)");
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> run("predict", "--model", fifo.toString(), "--text", "x"));
        assertOneLineError(r, 2, "is not a regular file");
    }

    @Test
    void aForgedHeaderClaimingHugeWeightsIsRefusedWithoutReservingThem() throws IOException {
        Path forged = dir.resolve("forged.vlstm");
        ModelFileForgery.rewriteHeader(model, forged, h -> h.replaceFirst("\"data_offsets\":\\[0,800\\]", "\"data_offsets\":[0,1600000000]"));
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> run("predict", "--model", forged.toString(), "--text", "x"));
        assertOneLineError(r, 2, "lies outside the file");
    }

    @Test
    void aForgedHugeSequenceLengthIsRefused() throws IOException {
        Path forged = dir.resolve("long.vlstm");
        ModelFileForgery.rewriteDescription(model, forged, d -> d.replace("\"inputLength\":10", "\"inputLength\":2000000000").replace("\"maxlen\":10", "\"maxlen\":2000000000"));
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> run("predict", "--model", forged.toString(), "--text", "a good film"));
        assertOneLineError(r, 2, "above the limit of 100000");
    }

    @Test
    void aForgedModelWhoseScoringWouldNeedGigabytesIsRefused() throws IOException {
        // 100,000 steps and 600 weightless Maskings on the 4-wide embedding: a few KB of file that
        // asks for 1.2 GB of working memory a prediction (zero-filled), times the batch's rows.
        // (Dropouts no longer amplify: scoring gives them no memory.)
        StringBuilder dropouts = new StringBuilder();
        for (int i = 0; i < 600; i++) dropouts.append("{\"type\":\"Masking\",\"name\":\"masking_").append(i).append("\",\"maskValue\":0.0},");
        Path forged = dir.resolve("amplified.vlstm");
        ModelFileForgery.rewriteDescription(model, forged, d -> d.replace("\"inputLength\":10", "\"inputLength\":100000").replace("\"maxlen\":10", "\"maxlen\":100000")
                .replace("{\"type\":\"LSTM\"", dropouts + "{\"type\":\"LSTM\""));
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run("predict", "--model", forged.toString(), "--text", "a good film"));
        assertOneLineError(r, 2, forged + ": scoring one sequence would need 1163 MB of working memory (its 100000 steps", "more than the 1024 MB a model file may ask for");
    }

    @Test
    void trainingAModelNoFileCouldHoldIsRefusedBeforeTheFirstEpoch() throws IOException {
        // LSTM(1024) at 100,000 steps: 1.6 GB of gate values a sequence; the saved model could not be loaded again.
        Path save = dir.resolve("huge.vlstm");
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run("train", "--data", csv().toString(), "--text-column", "review",
                "--label-column", "sentiment", "--maxlen", "100000", "--units", "1024", "--epochs", "1", "--save", save.toString()));
        assertOneLineError(r, 2, "scoring one sequence would need", "more than the 1024 MB a model file may ask for");
        assertFalse(r.out().contains("Epoch 1/1"), "refused before training: " + r.out());
        assertFalse(Files.exists(save));
    }

    @Test
    void trainingWithATokenizerNoHeaderCouldHoldIsRefusedBeforeTheFirstEpoch() throws IOException {
        // 80,000 distinct 1,000-letter words (72,000 of them in the training split), all kept: the
        // tokenizer takes about 73 MB of description, more than a model file's header may hold (64 MB).
        StringBuilder s = new StringBuilder("review,sentiment\n");
        char[] word = new char[1000];
        int words = 0;
        for (int row = 0; row < 40; row++) {
            for (int k = 0; k < 2_000; k++, words++) {
                for (int i = 0, n = words; i < word.length; i++, n /= 26) word[i] = (char) ('a' + (i < 6 ? n % 26 : (i * 7 + n) % 26));
                s.append(word).append(' ');
            }
            s.append(row % 2 == 0 ? ",pos\n" : ",neg\n");
        }
        Path data = Files.writeString(dir.resolve("wordy.csv"), s), save = dir.resolve("wordy.vlstm");
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> run("train", "--data", data.toString(), "--text-column", "review",
                "--label-column", "sentiment", "--num-words", "100000", "--embedding-dim", "2", "--maxlen", "20", "--units", "2",
                "--epochs", "1", "--save", save.toString()));
        assertOneLineError(r, 2, "the model's description (its tokenizer, mostly) takes", "more than the 64 MB a model file's header may hold");
        assertFalse(r.out().contains("Epoch 1/1"), "refused before training: " + r.out());
        assertFalse(Files.exists(save));
    }

    @Test
    void forgedLayerNamesThatWouldCollideInAFileAreRefused() throws IOException {
        String[][] cases = {
            {"\"name\":\"lstm\"", "\"name\":\"embedding\"", "two layers are named 'embedding'"},
            {"\"name\":\"lstm\"", "\"name\":\"__padding_0__\"", "nor start with '__'"},
            {"\"name\":\"lstm\"", "\"name\":\"x\\u001b]0;owned\\u0007\"", "layer name 'x?]0;owned?' may not contain"},
            {"\"labels\":\\[[^\\]]*\\]", "\"labels\":[\"neg\\u001b[2J\",\"pos\"]", "a label must be non-empty text without control characters, got 'neg?[2J'"},
        };
        assertEachForgeryRefused("names.vlstm", cases, true);
    }

    /** Layer options a forger can write into a valid-checksum description: each refused by name, nothing built. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "\"recurrentActivation\":\"sigmoid\" | \"recurrentActivation\":\"relu\" | unknown recurrent activation 'relu'",
        "\"dropout\":[0-9.eE+-]+ | \"dropout\":5.0 | dropout must be in [0, 1)",
        "\"type\":\"LSTM\" | \"type\":\"Bidirectional\",\"mergeMode\":\"concat\",\"layer\":{\"type\":\"Dense\",\"units\":1,\"activation\":\"linear\"} | wraps Dense, not a recurrent layer",
        "\"type\":\"LSTM\" | \"type\":\"Bidirectional\",\"mergeMode\":\"concat\",\"layer\":{\"type\":\"Bidirectional\"} | wraps Bidirectional, not a recurrent layer",
        "\"type\":\"LSTM\" | \"type\":\"Bidirectional\",\"mergeMode\":\"diff\",\"layer\":{\"type\":\"LSTM\",\"units\":8,\"returnSequences\":false} | unknown merge mode 'diff'",
    })
    void forgedLayerOptionsAreRefused(String pattern, String replacement, String message) throws IOException {
        Path forged = dir.resolve("options.vlstm");
        ModelFileForgery.rewriteDescription(model, forged, d -> d.replaceFirst(pattern, java.util.regex.Matcher.quoteReplacement(replacement)));
        assertOneLineError(run("predict", "--model", forged.toString(), "--text", "a good film"), 2, message);
    }

    @Test
    void misalignedWeightsAreRefused() throws IOException {
        Path shifted = dir.resolve("shifted.vlstm");
        ModelFileForgery.rewriteHeaderExactly(model, shifted, h -> h + " ");  // one more byte of header: the data moves off its boundary
        assertOneLineError(run("predict", "--model", shifted.toString(), "--text", "x"), 2, "64-byte boundary");
    }

    @Test
    void saveIntoAFolderIsRefusedBeforeTraining() throws IOException {
        Result r = run("train", "--data", csv().toString(), "--text-column", "review", "--label-column", "sentiment", "--save", dir.toString());
        assertOneLineError(r, 2, "is a folder");
        assertFalse(r.out().contains("Epoch"), "refused before training: " + r.out());
    }

    @Test
    void aTextThatLooksLikeAFlagCanBeScored() {
        Result r = run("predict", "--model", model.toString(), "--text", "--good film");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{\"text\":\"--good film\""), r.out());
    }

    @Test
    void aFlagIsNeverTakenAsTheValueOfTheFlagBeforeIt() throws IOException {
        // With the file name forgotten, the next flag was the file: a model saved as "--force", an SVG as "--force".
        Result r = run("train", "--data", csv().toString(), "--text-column", "review", "--label-column", "sentiment", "--save", "--force");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("Expected parameter for option '--save' but found '--force'"), r.err());
        assertFalse(Files.exists(Path.of("--force")), "no file named --force");
        r = run("plot", "--model", model.toString(), "--out", "--force");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("Expected parameter for option '--out' but found '--force'"), r.err());
        // A text may look like a flag, even one of the command's own: it is scored as written.
        for (String text : new String[] {"-hmm, a good film", "--model=good film", "-V good"}) {
            r = run("predict", "--model", model.toString(), "--text", text);
            assertEquals(0, r.code(), text + ": " + r.err());
            assertTrue(r.out().startsWith("{\"text\":" + vectorlstm.text.Json.quote(text)), r.out());
        }
    }

    @Test
    void nothingWasLeftBehind() throws IOException {
        try (var s = Files.list(shared)) {
            List<Path> all = new ArrayList<>(s.toList());
            assertTrue(all.stream().noneMatch(f -> f.toString().endsWith(".tmp")), all.toString());
        }
    }
}
