package vectorlstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.Shape;
import vectorlstm.model.Adam;
import vectorlstm.model.Sequential;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.text.Tokenizer;

/** train → eval → predict through the command line on small hand-made data sets. */
class TrainEvalPredictTest {
    @TempDir Path dir;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final String[] GOOD = {"great", "wonderful", "superb", "loved", "brilliant"};
    private static final String[] BAD = {"awful", "boring", "terrible", "hated", "dull"};
    private static final String[] FILLER = {"the", "film", "plot", "actor", "scene", "story", "it", "was", "popcorn"};

    /** A CSV whose label follows from which word family the text uses; quoted, with commas and newlines. */
    private Path csv(int n, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder("id,review,sentiment\n");
        for (int i = 0; i < n; i++) {
            boolean pos = r.nextBoolean();
            List<String> words = new ArrayList<>();
            for (int k = 0; k < 8; k++) words.add(FILLER[r.nextInt(FILLER.length)]);
            words.add(r.nextInt(words.size()), (pos ? GOOD : BAD)[r.nextInt(5)]);
            s.append(i).append(",\"").append(String.join(" ", words)).append("\",").append(pos ? "pos" : "neg").append('\n');
        }
        Path file = dir.resolve("reviews-" + seed + ".csv");
        Files.writeString(file, s);
        return file;
    }

    /** A tiny fastText .vec: good words near +1, bad words near -1 on the first axis. */
    private Path vectors() throws IOException {
        StringBuilder s = new StringBuilder((GOOD.length + BAD.length + FILLER.length - 1) + " 4\n");
        for (String w : GOOD) s.append(w).append(" 0.9 0.1 0 0 \n");
        for (String w : BAD) s.append(w).append(" -0.9 0.1 0 0 \n");
        for (String w : FILLER) if (!w.equals("popcorn")) s.append(w).append(" 0 0 0.5 0.1 \n");  // popcorn has no vector
        Path file = dir.resolve("tiny.vec");
        Files.writeString(file, s);
        return file;
    }

    @Test
    void trainEvalPredictOnACsvWithFrozenVectors() throws IOException {
        Path model = dir.resolve("model.vlstm");
        Result train = run("train", "--data", csv(400, 1).toString(), "--text-column", "review", "--label-column", "sentiment",
                "--embeddings", vectors().toString(), "--embeddings-trainable", "false", "--maxlen", "16", "--units", "8",
                "--epochs", "8", "--batch", "16", "--learning-rate", "0.01", "--num-words", "100", "--save", model.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("found 18 of 19 words (94.7%)"), train.out());
        assertTrue(train.out().contains("missing, e.g.: popcorn"), train.out());
        assertTrue(train.out().contains("Non-trainable params: 400"), train.out());
        assertTrue(train.out().contains("val_accuracy"), train.out());
        assertTrue(Files.exists(model));

        Result eval = run("eval", "--model", model.toString(), "--data", csv(200, 2).toString(), "--text-column", "review", "--label-column", "sentiment");
        assertEquals(0, eval.code(), eval.err());
        String first = eval.out().lines().findFirst().orElseThrow();
        assertTrue(first.matches("accuracy: \\d\\.\\d{4}"), first);
        assertTrue(Double.parseDouble(first.substring(10)) > 0.9, eval.out());
        assertTrue(eval.out().contains("confusion matrix"), eval.out());

        Result one = run("predict", "--model", model.toString(), "--text", "the film was superb the plot it was story");
        assertEquals(0, one.code(), one.err());
        assertTrue(one.out().contains("\"label\":\"pos\""), one.out());

        PrintStream stdout = System.out;
        java.io.InputStream stdin = System.in;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream("the plot was dull the film it was scene\nzzz qqq\n".getBytes(StandardCharsets.UTF_8)));
            int code = Main.run(new String[] {"predict", "--model", model.toString()}, new PrintStream(captured, true, StandardCharsets.UTF_8), System.err);
            assertEquals(0, code);
        } finally {
            System.setIn(stdin);
            System.setOut(stdout);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("\"label\":\"neg\""), lines.get(0));
        double pNeg = Double.parseDouble(lines.get(0).replaceAll(".*\"probability\":([0-9.]+).*", "$1"));
        assertTrue(pNeg >= 0.5 && pNeg <= 1, "the probability of the predicted label 'neg' is 1 - p(pos): " + pNeg);

        // eval on data that has only one of the labels: ids must follow the model's order
        Path onlyNeg = dir.resolve("neg-only.csv");
        List<String> negRows = Files.readAllLines(csv(100, 3)).stream().filter(l -> l.endsWith(",neg") || l.startsWith("id,")).toList();
        Files.write(onlyNeg, negRows);
        Result negEval = run("eval", "--model", model.toString(), "--data", onlyNeg.toString(), "--text-column", "review", "--label-column", "sentiment");
        assertEquals(0, negEval.code(), negEval.err());
        assertTrue(Double.parseDouble(negEval.out().lines().findFirst().orElseThrow().substring(10)) > 0.9, negEval.out());
        assertTrue(lines.get(1).contains("\"error\":\"no known words in the text\""), lines.get(1));

        // A label the trained model does not know: no advice meant for imported models (import --labels).
        Path meh = dir.resolve("meh.csv");
        Files.write(meh, List.of("id,review,sentiment", "1,a fine film,meh"));
        Result mehEval = run("eval", "--model", model.toString(), "--data", meh.toString(), "--text-column", "review", "--label-column", "sentiment");
        assertEquals(2, mehEval.code(), mehEval.err());
        assertTrue(mehEval.err().contains("does not fit the model") && !mehEval.err().contains("import --labels"), mehEval.err());
    }

    @Test
    void threeClassesFromFoldersGetASoftmaxHead() throws IOException {
        Random r = new Random(4);
        String[][] families = {GOOD, BAD, {"funny", "laugh", "hilarious", "comic", "joke"}};
        String[] names = {"happy", "sad", "comedy"};
        for (int c = 0; c < 3; c++) {
            Path d = Files.createDirectories(dir.resolve("data").resolve(names[c]));
            for (int i = 0; i < 60; i++) {
                Files.writeString(d.resolve(i + ".txt"), "the film " + families[c][r.nextInt(5)] + " story " + FILLER[r.nextInt(FILLER.length)]);
            }
        }
        Files.writeString(dir.resolve("data").resolve("sad").resolve("notes.md"), "not a review");
        Path model = dir.resolve("three.vlstm");
        Result train = run("train", "--data", dir.resolve("data").toString(), "--maxlen", "8", "--units", "8", "--embedding-dim", "8",
                "--epochs", "15", "--batch", "16", "--learning-rate", "0.02", "--save", model.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.err().contains("notes.md"), "the unexpected file is reported: " + train.err());
        assertTrue(train.out().contains("(None, 3)"), train.out());
        Result eval = run("eval", "--model", model.toString(), "--data", dir.resolve("data").toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(Double.parseDouble(eval.out().lines().findFirst().orElseThrow().substring(10)) > 0.9, eval.out());
        // A test set of one class folder is evaluated (as a CSV of one label is); training on one is refused.
        Path oneClass = Files.createDirectories(dir.resolve("only").resolve("comedy"));
        for (int i = 0; i < 20; i++) Files.writeString(oneClass.resolve(i + ".txt"), "the film " + families[2][r.nextInt(5)] + " story");
        Result evalOne = run("eval", "--model", model.toString(), "--data", dir.resolve("only").toString());
        assertEquals(0, evalOne.code(), evalOne.err());
        assertTrue(evalOne.out().contains("20"), evalOne.out());
        Result trainOne = run("train", "--data", dir.resolve("only").toString(), "--units", "4", "--epochs", "1", "--save", dir.resolve("one.vlstm").toString());
        assertEquals(2, trainOne.code(), trainOne.err());
        assertTrue(trainOne.err().contains("expected at least two, one per class"), trainOne.err());
    }

    /** --layers with a bilstm (the mask turns on by itself) and --early-stopping false keep every epoch; the model scores after a reload. */
    @Test
    void layersSpecMaskAndNoEarlyStoppingTrainAModelThatLoads() throws IOException {
        Path model = dir.resolve("bi.vlstm");
        Result train = run("train", "--data", csv(200, 3).toString(), "--text-column", "review", "--label-column", "sentiment",
                "--layers", "bilstm:6:seq:sum,maxpool,dropout:0.1", "--maxlen", "16", "--epochs", "3", "--batch", "16",
                "--learning-rate", "0.01", "--num-words", "100", "--early-stopping", "false", "--save", model.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("trained 3 epochs"), train.out());
        // Keras 2's summary cuts the name at 27 characters and goes on in the next line: "bidirectional (Bidirectiona" / " l)".
        assertTrue(train.out().contains("bidirectional (Bidirectiona  (None, 16, 6)") && train.out().contains("global_max_pooling1d"), train.out());
        try (vectorlstm.io.SavedModel saved = vectorlstm.io.ModelFile.load(model)) {
            assertTrue(((vectorlstm.layers.Embedding) saved.model().layers().get(0)).maskZero(), "a bilstm spec masks the padding by default");
        }
        Result predict = run("predict", "--model", model.toString(), "--text", "a wonderful superb film");
        assertEquals(0, predict.code(), predict.err());
        Result bad = run("train", "--data", csv(20, 3).toString(), "--text-column", "review", "--label-column", "sentiment",
                "--early-stopping", "maybe", "--save", dir.resolve("x.vlstm").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--early-stopping must be true or false"), bad.err());
    }

    @Test
    void badTrainingInputsAreClearErrors() throws IOException {
        Path data = csv(20, 5);
        Result noSave = run("train", "--data", data.toString(), "--text-column", "review", "--label-column", "sentiment");
        assertEquals(2, noSave.code(), "no --save");
        assertTrue(noSave.err().contains("Missing required option: '--save=MODEL'"), noSave.err());
        Result missingColumn = run("train", "--data", data.toString(), "--text-column", "body", "--label-column", "sentiment", "--save", dir.resolve("x").toString());
        assertEquals(2, missingColumn.code());
        assertTrue(missingColumn.err().contains("body"), missingColumn.err());
        Path badVec = dir.resolve("bad.vec");
        Files.writeString(badVec, "3 4\nthe 1 2 3 4\nfilm 1 2 x 4\nplot 1 2 3 4\n");
        Result badVectors = run("train", "--data", data.toString(), "--text-column", "review", "--label-column", "sentiment",
                "--embeddings", badVec.toString(), "--save", dir.resolve("y").toString());
        assertEquals(2, badVectors.code());
        assertTrue(badVectors.err().contains("bad.vec") && badVectors.err().contains("line 3"), badVectors.err());
        // Was "no such readable file" for a file that is there: a folder, a device or a pipe (process substitution).
        Path folderVec = Files.createDirectories(dir.resolve("folder.vec"));
        Result folderVectors = run("train", "--data", data.toString(), "--text-column", "review", "--label-column", "sentiment",
                "--embeddings", folderVec.toString(), "--save", dir.resolve("y").toString());
        assertEquals(2, folderVectors.code());
        assertTrue(folderVectors.err().contains("folder.vec: not a regular file (a device, a pipe or a folder?)"), folderVectors.err());
        Path oneLabel = dir.resolve("one-label.csv");
        Files.writeString(oneLabel, "review,sentiment\ngood film,pos\ngreat film,pos\n");
        Result single = run("train", "--data", oneLabel.toString(), "--text-column", "review", "--label-column", "sentiment", "--save", dir.resolve("z").toString());
        assertEquals(2, single.code());
        assertTrue(single.err().contains("single label"), single.err());
        assertEquals(2, run("train", "--data", data.toString(), "--text-column", "review", "--label-column", "sentiment",
                "--save", dir.resolve("no-such-folder").resolve("m").toString()).code(), "unwritable --save is refused before training");
        Result badModel = run("eval", "--model", badVec.toString(), "--data", data.toString(), "--text-column", "review", "--label-column", "sentiment");
        assertEquals(2, badModel.code());
        assertTrue(badModel.err().contains("not a vector-lstm model file"), badModel.err());

        // Texts with no word to learn from, and a validation split that leaves one label to train on.
        Path noWords = dir.resolve("no-words.csv");
        Files.writeString(noWords, "review,sentiment\n" + "\"!!! ...\",pos\n,neg\n\"?!\",pos\n\"\",neg\n".repeat(10));
        Result empty = run("train", "--data", noWords.toString(), "--text-column", "review", "--label-column", "sentiment", "--save", dir.resolve("e").toString());
        assertEquals(2, empty.code(), empty.out());
        assertTrue(empty.err().contains("the training texts hold no word to learn from (0 distinct words"), empty.err());
        assertTrue(!Files.exists(dir.resolve("e")));
        Result tooMuchHeldOut = run("train", "--data", data.toString(), "--text-column", "review", "--label-column", "sentiment",
                "--validation-split", "0.95", "--save", dir.resolve("v").toString());
        assertEquals(2, tooMuchHeldOut.code(), tooMuchHeldOut.out());
        assertTrue(tooMuchHeldOut.err().contains("leaves 1 training text(s), all of one label"), tooMuchHeldOut.err());

        // Vectors for none of the words (another language, another tokenization): every row would be random.
        Path foreign = dir.resolve("foreign.vec");
        Files.writeString(foreign, "2 4\nhund 1 2 3 4\nkatze 4 3 2 1\n");
        Result noneFound = run("train", "--data", data.toString(), "--text-column", "review", "--label-column", "sentiment",
                "--embeddings", foreign.toString(), "--save", dir.resolve("f").toString());
        assertEquals(2, noneFound.code(), noneFound.out());
        assertTrue(noneFound.err().contains(foreign + ": a vector for none of the") && noneFound.err().contains("not vectors for these texts"), noneFound.err());
    }

    @Test
    void trainingThatDivergesIsTheUsersInputNotAnInternalError() {
        // Adam at the largest float as its learning rate: the loss is NaN within the first epoch.
        int[][] ids = new int[16][6];
        float[] y = new float[16];
        for (int i = 0; i < 16; i++) {
            for (int t = 0; t < 6; t++) ids[i][t] = 1 + (i * 7 + t) % 9;
            y[i] = i % 2;
        }
        try (vectorlstm.model.Sequential m = new vectorlstm.model.Sequential(new vectorlstm.layers.Embedding(10, 4, 6), new vectorlstm.layers.Lstm(3),
                new vectorlstm.layers.Dense(1, "sigmoid")).seed(1)) {
            m.compile("binary_crossentropy", new vectorlstm.model.Adam(Float.MAX_VALUE), "accuracy");
            vectorlstm.model.TrainingDiverged e = org.junit.jupiter.api.Assertions.assertThrows(vectorlstm.model.TrainingDiverged.class,
                    () -> m.fit(ids, y, new vectorlstm.model.FitOptions().epochs(3).batchSize(4).verbose(false)));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(Main.BAD_INPUT, Main.report(e, new PrintStream(err, true, StandardCharsets.UTF_8)));
            String line = err.toString(StandardCharsets.UTF_8);
            assertTrue(line.startsWith("lstm: training diverged: loss is ") && line.contains("try a lower learning rate") && !line.contains("internal error"), line);
        }
    }

    @Test
    void aModelTheDiskRefusesIsAnOutputFailure() {
        // What train and import do with a save the file system refuses (a full disk): exit 3, as for any output.
        java.io.UncheckedIOException refused = new java.io.UncheckedIOException("cannot write model file m.vlstm: No space left on device",
                new java.io.IOException("No space left on device"));
        RuntimeException failure = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> OutputFiles.saving(() -> { throw refused; }));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(Main.OUTPUT_FAILED, Main.report(failure, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot write model file m.vlstm: No space left on device"), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * A model that reads any length (maxlen 0, as imported ones can) refuses a text of more than
     * Sequential.MAX_SEQUENCE_STEPS known words: on stdin that line gets its error line and the
     * stream goes on, as for any line that cannot be scored (it ended the run with exit 2).
     */
    @Test
    void aStdinLineTooLongForAModelOfAnyLengthGetsItsErrorLine() {
        Tokenizer tokenizer = Tokenizer.builder().numWords(50).build();
        tokenizer.fitOnTexts(List.of("a good film", "a bad film"));
        Sequential m = new Sequential(new Embedding(50, 4, Shape.VARIABLE), new Lstm(3), new Dense(1, "sigmoid")).seed(1);
        m.compile("binary_crossentropy", new Adam(), "accuracy");
        Path model = dir.resolve("any-length.vlstm");
        try (TextClassifier c = TextClassifier.of(m, tokenizer, TextPreprocessing.HTML_LINE_BREAKS, List.of("neg", "pos"), 0)) {
            c.save(model);
        }
        String stdin = "good film\n" + "good ".repeat(Sequential.MAX_SEQUENCE_STEPS + 1) + "\nbad film\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"predict", "--model", model.toString()}, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("\"label\""), lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"line\":2,\"error\":") && lines.get(1).contains("at most " + Sequential.MAX_SEQUENCE_STEPS), lines.get(1));
        assertTrue(lines.get(2).contains("\"label\""), lines.get(2));
    }
}
