package vectorlstm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Input;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.Shape;
import vectorlstm.model.Adam;
import vectorlstm.model.Scorer;
import vectorlstm.model.Sequential;
import vectorlstm.text.KerasImdbWordIndex;
import vectorlstm.text.TextPreprocessing;

/**
 * {@code ./lstm predict --ids} on models saved without a vocabulary, as an importer saves them:
 * the outputs equal the engine's own scores of the padded ids bit for bit, and every bad line
 * gets its own error line while the stream goes on.
 */
class PredictIdsTest {
    @TempDir static Path shared;
    private static Path sigmoid, softmax, numeric;

    private record Result(int code, String out, String err) {
        List<String> lines() { return out.lines().toList(); }
    }

    private static Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Untrained models of input length 5 over 20 ids, one per head kind, and one over float sequences. */
    @BeforeAll
    static void saveModels() {
        sigmoid = save("sigmoid.vlstm", new Sequential(new Embedding(20, 4, 5), new Lstm(3), new Dense(1, "sigmoid")).seed(1), "binary_crossentropy", 5);
        softmax = save("softmax.vlstm", new Sequential(new Embedding(20, 4, 5), new Lstm(3), new Dense(6, "relu"), new Dense(3, "softmax")).seed(2),
                "sparse_categorical_crossentropy", 5);
        numeric = save("numeric.vlstm", new Sequential(new Input(Shape.VARIABLE, 3), new Lstm(3), new Dense(2, "softmax")).seed(3),
                "sparse_categorical_crossentropy", 0);
    }

    private static Path save(String name, Sequential m, String loss, int maxlen) {
        m.compile(loss, new Adam(), "accuracy");
        Path file = shared.resolve(name);
        try (SavedModel saved = new SavedModel(m, null, TextPreprocessing.NONE, List.of(), maxlen)) {
            ModelFile.save(file, saved);
        }
        return file;
    }

    /** What the engine scores for these (already fitted) ids. */
    private static float[] engine(Path model, int... ids) {
        try (SavedModel saved = ModelFile.load(model); Scorer scorer = saved.model().newScorer()) {
            return scorer.scoreAll(ids);
        }
    }

    private static float[] outputs(String line) {
        assertTrue(line.matches("\\{\"outputs\":\\[[^\\]]+\\]\\}"), line);
        String[] parts = line.substring(12, line.length() - 2).split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Float.parseFloat(parts[i]);
        return out;
    }

    @Test
    void aSigmoidModelGivesItsProbabilityExactlyPerLine() {
        Result r = run("1 2 3 4 5\n0 0 7 8 19\r\n3 3 3 3 3", "predict", "--model", sigmoid.toString(), "--ids");
        assertEquals(0, r.code(), r.err());
        assertEquals(3, r.lines().size(), r.out());
        assertArrayEquals(engine(sigmoid, 1, 2, 3, 4, 5), outputs(r.lines().get(0)), "printed floats read back bit for bit");
        assertArrayEquals(engine(sigmoid, 0, 0, 7, 8, 19), outputs(r.lines().get(1)), "CRLF line");
        assertArrayEquals(engine(sigmoid, 3, 3, 3, 3, 3), outputs(r.lines().get(2)), "last line without a newline");
        assertEquals(1, outputs(r.lines().get(0)).length);
    }

    @Test
    void aSoftmaxModelGivesTheWholeVector() {
        Result r = run("1\t2  3 4 5\n", "predict", "--model", softmax.toString(), "--ids");
        assertEquals(0, r.code(), r.err());
        float[] out = outputs(r.lines().get(0));
        assertArrayEquals(engine(softmax, 1, 2, 3, 4, 5), out);
        assertEquals(3, out.length);
        assertEquals(1f, out[0] + out[1] + out[2], 1e-5f);
    }

    @Test
    void maxlenPadsAndCutsLikePadSequences() {
        String in = "3 4\n1 2 3 4 5 6 7\n";
        String model = sigmoid.toString();
        Result pre = run(in, "predict", "--model", model, "--ids", "--maxlen", "5");
        assertEquals(0, pre.code(), pre.err());
        assertArrayEquals(engine(sigmoid, 0, 0, 0, 3, 4), outputs(pre.lines().get(0)), "padded at the start by default");
        assertArrayEquals(engine(sigmoid, 3, 4, 5, 6, 7), outputs(pre.lines().get(1)), "cut at the start by default");
        Result post = run(in, "predict", "--model", model, "--ids", "--maxlen", "5", "--padding", "post", "--truncating", "post");
        assertEquals(0, post.code(), post.err());
        assertArrayEquals(engine(sigmoid, 3, 4, 0, 0, 0), outputs(post.lines().get(0)));
        assertArrayEquals(engine(sigmoid, 1, 2, 3, 4, 5), outputs(post.lines().get(1)));
        assertFalse(Arrays.equals(outputs(pre.lines().get(0)), outputs(post.lines().get(0))), "the side matters to a model that does not mask");
        Result mixed = run(in, "predict", "--model", model, "--ids", "--maxlen", "5", "--padding", "post");
        assertArrayEquals(engine(sigmoid, 3, 4, 0, 0, 0), outputs(mixed.lines().get(0)));
        assertArrayEquals(engine(sigmoid, 3, 4, 5, 6, 7), outputs(mixed.lines().get(1)), "truncating stays pre");
        Result upper = run(in, "predict", "--model", model, "--ids", "--maxlen", "5", "--padding", "POST", "--truncating", "Post");
        assertEquals(0, upper.code(), "case ignored, as in the other choice flags: " + upper.err());
        assertEquals(post.lines(), upper.lines());
    }

    @Test
    void everyBadLineGetsItsOwnErrorAndTheStreamGoesOn() {
        byte[] notUtf8 = {'1', ' ', (byte) 0xC3, (byte) 0x28, '\n'};
        String lines = "1 2 3 4 5\n"
                + "\n"
                + "   \t \n"
                + "1 2 x 4 5\n"
                + "1 2 3.0 4 5\n"
                + "1 2 3 4 20\n"
                + "1 -1 3 4 5\n"
                + "1 2 99999999999999999999999 4 5\n"
                + "1 2 3\n"
                + "1 2 3 4 5 6\n";
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(lines.getBytes(StandardCharsets.UTF_8));
        in.writeBytes(notUtf8);
        in.writeBytes("5 4 3 2 1\n".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"predict", "--model", sigmoid.toString(), "--ids"}, new ByteArrayInputStream(in.toByteArray()), out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, "two lines scored: " + err.toString(StandardCharsets.UTF_8));
        assertEquals("lstm: 10 of 12 lines could not be scored (their \"error\" lines say why)", err.toString(StandardCharsets.UTF_8).strip());
        List<String> o = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(12, o.size(), o.toString());
        assertArrayEquals(engine(sigmoid, 1, 2, 3, 4, 5), outputs(o.get(0)));
        assertEquals("{\"line\":2,\"error\":\"no token ids on the line\"}", o.get(1));
        assertEquals("{\"line\":3,\"error\":\"no token ids on the line\"}", o.get(2));
        assertEquals("{\"line\":4,\"error\":\"token 3 (x) is not an integer id\"}", o.get(3));
        assertEquals("{\"line\":5,\"error\":\"token 3 (3.0) is not an integer id\"}", o.get(4));
        assertEquals("{\"line\":6,\"error\":\"token 5 (20) is outside the model's vocabulary: ids are 0 to 19\"}", o.get(5));
        assertEquals("{\"line\":7,\"error\":\"token 2 (-1) is outside the model's vocabulary: ids are 0 to 19\"}", o.get(6));
        assertEquals("{\"line\":8,\"error\":\"token 3 (99999999999999999999999) is outside the model's vocabulary: ids are 0 to 19\"}", o.get(7));
        assertEquals("{\"line\":9,\"error\":\"3 ids, but the model reads exactly 5 (add --maxlen 5 to pad or cut lines to that length)\"}", o.get(8));
        assertEquals("{\"line\":10,\"error\":\"6 ids, but the model reads exactly 5 (add --maxlen 5 to pad or cut lines to that length)\"}", o.get(9));
        assertEquals("{\"line\":11,\"error\":\"not valid UTF-8 text\"}", o.get(10));
        assertArrayEquals(engine(sigmoid, 5, 4, 3, 2, 1), outputs(o.get(11)));
    }

    @Test
    void whenNoLineIsScoredTheExitCodeSaysSoAndAllGoodLinesExitZeroQuietly() {
        // A wrong model or a wrong file used to exit 0 with nothing but error lines: a script's set -e let it pass.
        Result none = run("1 2 3\n1 2 x 4 5\n", "predict", "--model", sigmoid.toString(), "--ids");
        assertEquals(4, none.code(), none.err());
        assertEquals(2, none.lines().size(), none.out());
        assertEquals("lstm: none of the 2 lines could be scored (their \"error\" lines say why)", none.err().strip());
        Result all = run("1 2 3 4 5\n5 4 3 2 1\n", "predict", "--model", sigmoid.toString(), "--ids");
        assertEquals(0, all.code(), all.err());
        assertEquals("", all.err());
        Result empty = run("", "predict", "--model", sigmoid.toString(), "--ids");
        assertEquals(0, empty.code(), "nothing asked, nothing failed: " + empty.err());
        assertEquals("", empty.out() + empty.err());
    }

    @Test
    void aHugeTokenIsShownCut() {
        Result r = run("1 2 " + "7".repeat(1000) + "x 4 5\n", "predict", "--model", sigmoid.toString(), "--ids");
        assertEquals(4, r.code(), "no line scored: " + r.err());
        assertEquals("{\"line\":1,\"error\":\"token 3 (" + "7".repeat(40) + "...) is not an integer id\"}", r.lines().get(0));
    }

    @Test
    void badCommandLinesAreUsageErrors() {
        assertUsageError(run("", "predict", "--model", sigmoid.toString(), "--ids", "--text", "1 2 3"), "use one or the other");
        assertUsageError(run("", "predict", "--model", sigmoid.toString(), "--maxlen", "5"), "--maxlen, --padding and --truncating apply to --ids");
        assertUsageError(run("", "predict", "--model", sigmoid.toString(), "--ids", "--padding", "post"), "--padding and --truncating need --maxlen");
        assertUsageError(run("", "predict", "--model", sigmoid.toString(), "--ids", "--maxlen", "5", "--padding", "left"), "--padding must be pre or post, got 'left'");
        assertUsageError(run("", "predict", "--model", sigmoid.toString(), "--ids", "--maxlen", "7"),
                "--maxlen 7 differs from the model's input length 5: it reads exactly 5 ids (use --maxlen 5");
        assertUsageError(run("", "predict", "--model", sigmoid.toString(), "--ids", "--maxlen", "0"), "--maxlen must be a positive integer");
        Result bad = run("", "predict", "--model", sigmoid.toString(), "--ids", "--maxlen", "0");
        assertTrue(bad.err().startsWith("lstm: --maxlen"), "the flag's fault, not the model file's: " + bad.err());
        assertUsageError(run("1 2 3\n", "predict", "--model", numeric.toString(), "--ids"),
                "this model reads numeric sequences (it starts with InputLayer), not token ids: --ids needs a model that starts with an Embedding");
    }

    @Test
    void textOnAModelWithoutVocabularySaysHowToScoreIt() {
        String message = "this model has no vocabulary: score token ids with ./lstm predict --ids (import it with --word-index to score text)";
        assertUsageError(run("", "predict", "--model", sigmoid.toString(), "--text", "a good film"), message);
        assertUsageError(run("a good film\n", "predict", "--model", sigmoid.toString()), message);
    }

    /** An imported IMDB model with Keras' word index attached scores text through the ordinary predict. */
    @Test
    void aWordIndexMakesAnIdModelScoreText() throws IOException {
        Path index = Files.writeString(shared.resolve("imdb_word_index.json"), "{\"the\": 1, \"film\": 2, \"good\": 3, \"bad\": 4, \"dull\": 30}");
        Path withWords = shared.resolve("with-words.vlstm");
        try (SavedModel saved = ModelFile.load(sigmoid)) {
            ModelFile.save(withWords, saved.withVocabulary(KerasImdbWordIndex.load(index, 20)));
        }
        Result r = run("", "predict", "--model", withWords.toString(), "--text", "The film: good, zzz");
        assertEquals(0, r.code(), r.err());
        // [start 1, the 4, film 5, good 6, zzz → 2], pre-padded/cut to 5: all five fit.
        float p = engine(sigmoid, 1, 4, 5, 6, 2)[0];
        assertTrue(r.out().contains("\"known_words\":3"), "the, film and good; not the start mark or zzz: " + r.out());
        String label = p > 0.5f ? "1" : "0";
        assertTrue(r.out().contains("\"label\":\"" + label + "\""), r.out());
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "\"probability\":%.6f", p > 0.5f ? p : 1 - p)), p + " " + r.out());
        Result ids = run("1 4 5 6 2\n", "predict", "--model", withWords.toString(), "--ids");
        assertArrayEquals(new float[] {p}, outputs(ids.lines().get(0)), "--ids still works on a model with a vocabulary");
    }

    @Test
    void aFullDiskStopsWithExitThreeAsTextPredictDoes() {
        java.io.OutputStream full = new java.io.OutputStream() {
            @Override public void write(int b) throws IOException { throw new IOException("No space left on device"); }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"predict", "--model", sigmoid.toString(), "--ids"}, new ByteArrayInputStream("1 2 3 4 5\n".getBytes(StandardCharsets.UTF_8)),
                full, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(3, code);
        assertEquals("lstm: cannot write the output: No space left on device", err.toString(StandardCharsets.UTF_8).strip());
    }

    /**
     * A model of any length whose steps are wide: a line of 100,000 ids took 6.5 GB on a 197 KB
     * file (a 16,384-wide embedding). The most steps whose working memory stays within the 1 GiB a
     * fixed-length file may ask for are read; a longer line or --maxlen is refused, naming it.
     */
    @Test
    void aWideModelOfAnyLengthReadsOnlyWhatFitsInItsWorkingMemory() {
        Path wide = save("wide-any-length.vlstm", new Sequential(new Embedding(2, 16384, Shape.VARIABLE), new vectorlstm.layers.GlobalAveragePooling1D(),
                new Dense(1, "sigmoid")).seed(6), "binary_crossentropy", 0);
        int most;
        try (SavedModel saved = ModelFile.load(wide)) {
            most = ModelFile.maxSteps(saved.model());
        }
        assertTrue(most > 1_000 && most < (ModelFile.MAX_SEQUENCE_WORKING_BYTES / (16384 * Float.BYTES)) + 1, "steps of 64 KB each within 1 GiB: " + most);
        Result line = run("1 ".repeat(most + 1) + "\n" + "1 1 1\n", "predict", "--model", wide.toString(), "--ids");
        assertEquals(0, line.code(), line.err());
        assertEquals("{\"line\":1,\"error\":\"" + (most + 1) + " ids is more than this model reads: at most " + most
                + " (scoring more would take over 1024 MB of working memory) (cut lines with --maxlen)\"}", line.lines().get(0));
        assertEquals(1, outputs(line.lines().get(1)).length, "the next line is scored");
        assertUsageError(run("1 1\n", "predict", "--model", wide.toString(), "--ids", "--maxlen", Integer.toString(most + 1)),
                "--maxlen " + (most + 1) + " is more than this model reads: at most " + most);
        try (SavedModel narrow = ModelFile.load(numeric)) {
            assertEquals(ModelFile.MAX_SEQUENCE_LENGTH, ModelFile.maxSteps(narrow.model()), "a narrow model of any length reads the usual limit");
        }
        try (SavedModel fixed = ModelFile.load(sigmoid)) {
            assertEquals(5, ModelFile.maxSteps(fixed.model()));
        }
    }

    /**
     * A model file changed under a running stream, in place ({@code cp}, as large) or cut short:
     * the loaded model never reads its file again, so the second line gets the first's answer
     * (computing on the file's mapping, the copy's lines were scored on its bytes, and a cut file
     * faulted).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"copied-over", "truncated"})
    void aModelFileChangedUnderTheStreamLeavesTheLoadedWeightsAsTheyWere(String change) throws IOException {
        Path file = save(change + ".vlstm", new Sequential(new Embedding(20, 4, 5), new Lstm(40), new Dense(1, "sigmoid")).seed(4), "binary_crossentropy", 5);
        Path other = save("other-" + change + ".vlstm", new Sequential(new Embedding(20, 4, 5), new Lstm(40), new Dense(1, "sigmoid")).seed(5), "binary_crossentropy", 5);
        byte[] line = "1 2 3 4 5\n".getBytes(StandardCharsets.UTF_8);
        java.io.InputStream twoLines = new java.io.InputStream() {
            private int reads;
            @Override public int read() { throw new UnsupportedOperationException(); }
            @Override public int read(byte[] b, int off, int len) throws IOException {
                if (reads == 2) return -1;
                if (reads++ == 1) {
                    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE,
                            java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(change.equals("truncated") ? new byte[64] : java.nio.file.Files.readAllBytes(other));
                        while (bytes.hasRemaining()) ch.write(bytes);
                    }
                }
                System.arraycopy(line, 0, b, off, line.length);
                return line.length;
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"predict", "--model", file.toString(), "--ids"}, twoLines, out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), out.toString(StandardCharsets.UTF_8));
        assertEquals(lines.get(0), lines.get(1), "the weights loaded, not the file's new bytes");
    }

    private static void assertUsageError(Result r, String fragment) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(fragment), "'" + fragment + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals("", r.out());
    }
}
