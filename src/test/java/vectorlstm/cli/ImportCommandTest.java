package vectorlstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.importer.SharedKerasModels;

/**
 * {@code ./lstm import} then {@code ./lstm predict} on real Keras files, the way a user runs them:
 * the saved model scores the reference fixture's ids (a variable-length GRU: each line at its own
 * length) and, with the IMDB word index attached, scores text.
 */
class ImportCommandTest {
    @TempDir Path dir;

    private record Result(int code, String out, String err) {}

    private static Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void importedVariableLengthModelScoresTheFixtureIdsThroughPredict() throws Exception {
        JsonNode fixture;
        try (InputStream in = getClass().getResourceAsStream("/keras-parity/imdb-gru16-hardsigmoid-keras2.2.4tf.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        Path model = dir.resolve("gru.vlstm");
        Result imported = run("", "import", "--keras", SharedKerasModels.file(fixture.get("file").asText()).toString(), "--out", model.toString());
        assertEquals(0, imported.code(), imported.err());
        assertTrue(imported.out().contains("hard_sigmoid read as Keras 2's clip(0.2x + 0.5, 0, 1)"), imported.out());
        assertTrue(imported.out().contains("Total params: 81,601"), imported.out());

        StringBuilder stdin = new StringBuilder();
        for (JsonNode row : fixture.get("inputs")) {
            for (JsonNode id : row) stdin.append(id.asInt()).append(' ');
            stdin.append('\n');
        }
        Result scored = run(stdin.toString(), "predict", "--model", model.toString(), "--ids");
        assertEquals(0, scored.code(), scored.err());
        List<String> lines = scored.out().lines().toList();
        assertEquals(fixture.get("inputs").size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode got = new ObjectMapper().readTree(lines.get(i)).get("outputs");
            assertEquals(fixture.get("outputs").get(i).get(0).asDouble(), got.get(0).asDouble(), 1e-5, "row " + i + " (" + fixture.get("inputs").get(i).size() + " ids)");
        }
    }

    @Test
    void wordIndexMakesTheImportedModelScoreText() throws Exception {
        Path model = dir.resolve("lstm100.vlstm");
        Path index = SharedKerasModels.file("imdb_word_index.json");
        Result imported = run("", "import", "--keras", SharedKerasModels.file("imdb-lstm100-keras2.15.h5").toString(),
                "--word-index", index.toString(), "--out", model.toString());
        assertEquals(0, imported.code(), imported.err());
        assertTrue(imported.out().contains("keras.datasets.imdb.load_data(num_words=5000)"), imported.out());
        Result good = run("", "predict", "--model", model.toString(), "--text", "A wonderful film: brilliant acting, a moving story. Highly recommended.");
        Result bad = run("", "predict", "--model", model.toString(), "--text", "The worst film I have ever seen. Boring, stupid, a waste of time.");
        assertEquals(0, good.code(), good.err());
        assertTrue(good.out().contains("\"label\":\"1\""), good.out());
        assertTrue(bad.out().contains("\"label\":\"0\""), bad.out());

        // Keras files record no class names: eval on neg/pos data needs them, and says so without.
        Path csv = Files.writeString(dir.resolve("reviews.csv"), "review,sentiment\n\"A wonderful film, brilliant.\",pos\n\"The worst, boring film.\",neg\n");
        Result unnamed = run("", "eval", "--model", model.toString(), "--data", csv.toString(), "--text-column", "review", "--label-column", "sentiment");
        assertEquals(Main.BAD_INPUT, unnamed.code(), unnamed.out());
        assertTrue(unnamed.err().contains("--data " + csv + " does not fit the model: its labels are [neg, pos], the model's [0, 1]")
                && unnamed.err().contains("import --labels"), unnamed.err());
        Path named = dir.resolve("named.vlstm");
        Result withNames = run("", "import", "--keras", SharedKerasModels.file("imdb-lstm100-keras2.15.h5").toString(),
                "--word-index", index.toString(), "--labels", "neg,pos", "--out", named.toString());
        assertEquals(0, withNames.code(), withNames.err());
        assertTrue(withNames.out().contains("labels: neg, pos (class ids 0..1)"), withNames.out());
        Result evaluated = run("", "eval", "--model", named.toString(), "--data", csv.toString(), "--text-column", "review", "--label-column", "sentiment");
        assertEquals(0, evaluated.code(), evaluated.err());
        assertTrue(run("", "predict", "--model", named.toString(), "--text", "A wonderful film.").out().contains("\"label\":\"pos\""));
        // " neg,pos " was saved, and then no data set could be evaluated with the model ("neg" is not " neg").
        for (String labels : new String[] {"neg,pos,other", "neg,neg", "neg, ", " neg,pos ", "neg, pos", "neg,pos,", ",neg,pos", "neg,,pos"}) {
            Result refused = run("", "import", "--keras", SharedKerasModels.file("imdb-lstm100-keras2.15.h5").toString(), "--labels", labels,
                    "--out", dir.resolve("refused.vlstm").toString());
            assertEquals(Main.BAD_INPUT, refused.code(), labels + ": " + refused.out());
            assertEquals("", refused.out(), "refused before the summary is printed: " + labels);
        }
        assertTrue(!Files.exists(dir.resolve("refused.vlstm")));
        Result twice = run("", "import", "--keras", SharedKerasModels.file("imdb-lstm100-keras2.15.h5").toString(), "--labels", "neg", "--labels", "pos",
                "--out", dir.resolve("refused.vlstm").toString());
        assertEquals(Main.BAD_INPUT, twice.code(), twice.err());
        assertTrue(twice.err().contains("--labels is given 2 times"), twice.err());
    }

    @Test
    void onnxImportsThroughTheCommand() throws Exception {
        Path onnx = Path.of(getClass().getResource("/onnx/lstm_dynamic_length.onnx").toURI());
        Path anyLength = dir.resolve("any.vlstm"), fixed = dir.resolve("fixed.vlstm");
        Result imported = run("", "import", "--onnx", onnx.toString(), "--out", anyLength.toString());
        assertEquals(0, imported.code(), imported.err());
        assertTrue(imported.out().contains("note: ONNX opset") && imported.out().contains("any length, each scored at its own length\n"), imported.out());
        Result scored = run("1 2 3\n4 5 6 7 8 9 10 11\n", "predict", "--model", anyLength.toString(), "--ids");
        assertEquals(0, scored.code(), scored.err());
        assertEquals(2, scored.out().lines().filter(l -> l.startsWith("{\"outputs\":[")).count(), scored.out());

        // With a vocabulary, the any-length model is looked inside as it scores: the text's own ids, no padding.
        Path texts = dir.resolve("texts.vlstm"), page = dir.resolve("e.html");
        assertEquals(0, run("", "import", "--onnx", onnx.toString(), "--word-index", SharedKerasModels.file("imdb_word_index.json").toString(),
                "--out", texts.toString()).code());
        Result explained = run("", "explain", "--model", texts.toString(), "--text", "a great film", "--out", page.toString());
        assertEquals(0, explained.code(), explained.err());
        Result predicted = run("", "predict", "--model", texts.toString(), "--text", "a great film");
        Matcher p = Pattern.compile("\"probability\":([0-9.]+)").matcher(predicted.out());
        assertTrue(p.find(), predicted.out());
        String rounded = String.format(java.util.Locale.ROOT, "%.4f", Double.parseDouble(p.group(1)));
        assertTrue(explained.out().contains("(p = " + rounded), "explain's answer is predict's: " + explained.out() + " / " + predicted.out());
        Result traced = run("", "summary", "--model", texts.toString(), "--trace");
        assertEquals(0, traced.code(), traced.err());
        assertTrue(traced.out().contains("h_t (hidden state)"), traced.out());

        Result atSix = run("", "import", "--onnx", onnx.toString(), "--steps", "6", "--out", fixed.toString());
        assertEquals(0, atSix.code(), atSix.err());
        Result wrongLength = run("1 2 3\n", "predict", "--model", fixed.toString(), "--ids");
        assertTrue(wrongLength.out().contains("\"error\""), wrongLength.out());

        Path logits = Path.of(getClass().getResource("/onnx/lstm_matmul_linear.onnx").toURI());
        Result linear = run("", "import", "--onnx", logits.toString(), "--out", dir.resolve("linear.vlstm").toString());
        assertEquals(Main.BAD_INPUT, linear.code());
        assertTrue(linear.err().contains("not a classifier's Dense(1, sigmoid) or Dense(k, softmax)"), linear.err());
        assertTrue(linear.err().contains("lstm_matmul_linear.onnx: the model ends in Dense(2, linear)"), "names the file: " + linear.err());
        assertTrue(!Files.exists(dir.resolve("linear.vlstm")));

        Result stepsForKeras = run("", "import", "--keras", onnx.toString(), "--steps", "5", "--out", dir.resolve("z.vlstm").toString());
        assertEquals(Main.BAD_INPUT, stepsForKeras.code());
        assertTrue(stepsForKeras.err().contains("--steps applies to --onnx only"), stepsForKeras.err());
    }

    @Test
    void aFullOrClosedStandardOutputDoesNotCostTheImportedModel() throws Exception {
        // The summary and notes come before the save; stdout failing there used to stop the command before it saved.
        for (boolean closed : new boolean[] {false, true}) {
            Path model = dir.resolve(closed ? "closed.vlstm" : "full.vlstm");
            java.io.OutputStream failing = new java.io.OutputStream() {
                @Override public void write(int b) throws java.io.IOException {
                    throw new java.io.IOException(closed ? "Broken pipe" : "No space left on device");
                }
            };
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"import", "--keras", SharedKerasModels.file("imdb-lstm100-keras2.15.h5").toString(), "--out", model.toString()},
                    new ByteArrayInputStream(new byte[0]), failing, new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(closed ? Main.OUTPUT_CLOSED : Main.OUTPUT_FAILED, code, err.toString(StandardCharsets.UTF_8));
            assertTrue(vectorlstm.io.ModelFile.isModelFile(model), "the model was saved all the same");
            vectorlstm.io.ModelFile.load(model).close();
        }
    }

    @Test
    void badFilesAndTargetsAreUsageErrors() throws Exception {
        Path notAModel = Files.writeString(dir.resolve("notes.txt"), "my notes");
        Result bad = run("", "import", "--keras", notAModel.toString(), "--out", dir.resolve("x.vlstm").toString());
        assertEquals(Main.BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("lstm: cannot import: ") && bad.err().contains("neither a Keras .h5 (HDF5) file nor a .keras (zip) archive"), bad.err());
        // The other importer's file given to one: the message names the flag that reads it.
        Result onnxAsKeras = run("", "import", "--keras", Path.of("src/test/resources/onnx/bidir_gru.onnx").toString(), "--out", dir.resolve("y.vlstm").toString());
        assertTrue(onnxAsKeras.code() == Main.BAD_INPUT && onnxAsKeras.err().contains("./lstm import --onnx"), onnxAsKeras.err());
        Result kerasAsOnnx = run("", "import", "--onnx", Path.of("src/test/resources/keras-synthetic/k2-chunked-gzip-lstm.h5").toString(), "--out", dir.resolve("z.vlstm").toString());
        assertTrue(kerasAsOnnx.code() == Main.BAD_INPUT && kerasAsOnnx.err().contains("./lstm import --keras"), kerasAsOnnx.err());

        Result overwrite = run("", "import", "--keras", SharedKerasModels.file("imdb-lstm100-keras2.15.h5").toString(), "--out", notAModel.toString());
        assertEquals(Main.BAD_INPUT, overwrite.code());
        assertTrue(overwrite.err().contains("exists and is not a model file"), overwrite.err());
        assertEquals("my notes", Files.readString(notAModel), "the user's file is untouched");

        Result missing = run("", "import", "--out", dir.resolve("y.vlstm").toString());
        assertEquals(Main.BAD_INPUT, missing.code());

        // --out is never one of the run's inputs, even with --force; a word index must be a regular file.
        Path keras = Files.copy(SharedKerasModels.file("imdb-lstm100-keras2.15.h5"), dir.resolve("copy.h5"));
        byte[] kerasBytes = Files.readAllBytes(keras);
        Path index = Files.copy(SharedKerasModels.file("imdb_word_index.json"), dir.resolve("index.json"));
        for (Path input : new Path[] {keras, index}) {
            Result self = run("", "import", "--keras", keras.toString(), "--word-index", index.toString(), "--out", input.toString(), "--force");
            assertEquals(Main.BAD_INPUT, self.code(), self.out());
            assertTrue(self.err().contains("is an input of this run"), self.err());
        }
        assertTrue(java.util.Arrays.equals(kerasBytes, Files.readAllBytes(keras)), "the Keras file is untouched");
        Result device = run("", "import", "--keras", keras.toString(), "--word-index", "/dev/zero", "--out", dir.resolve("d.vlstm").toString());
        assertEquals(Main.BAD_INPUT, device.code());
        assertTrue(device.err().contains("--word-index /dev/zero: not a regular file"), device.err());
    }
}
