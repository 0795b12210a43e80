package vectorlstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.FitOptions;
import vectorlstm.model.Sequential;
import vectorlstm.text.Tokenizer;

class ModelFileTest {
    @TempDir Path dir;

    private static int[][] ids(int n, long seed) {
        Random r = new Random(seed);
        int[][] x = new int[n][7];
        for (int[] row : x) for (int t = 0; t < 7; t++) row[t] = r.nextInt(12);
        return x;
    }

    private static Sequential trained() {
        Sequential m = new Sequential(new Embedding(12, 5, 7).trainable(false).learningRateScale(0.25f), new Lstm(6, true), new Lstm(4), new Dense(3, "softmax")).seed(3);
        m.compile("sparse_categorical_crossentropy", new Adam(0.01f), "accuracy");
        int[][] x = ids(40, 1);
        float[] y = new float[40];
        for (int i = 0; i < y.length; i++) y[i] = x[i][0] % 3;
        m.fit(x, y, new FitOptions().epochs(2).batchSize(8).verbose(false));
        return m;
    }

    @Test
    void roundTripKeepsArchitectureWeightsTokenizerAndLabels() {
        // frozen embedding, stacked LSTMs and a softmax head: every layer option goes through the file
        Tokenizer tok = Tokenizer.builder().numWords(12).build();
        tok.fitOnTexts(List.of("a good film", "a bad film", "good good"));
        Path file = dir.resolve("m.vlstm");
        int[][] x = ids(9, 2);
        try (Sequential m = trained()) {
            float[] before = m.predict(x, 4);
            ModelFile.save(file, m, tok, List.of("neg", "neutral", "pos"), 7);
            try (SavedModel loaded = ModelFile.load(file)) {
                assertArrayEquals(before, loaded.model().predict(x, 4), 0f, "identical outputs after loading");
                assertEquals(m.summary(), loaded.model().summary());
                assertEquals(List.of("neg", "neutral", "pos"), loaded.labels());
                assertEquals(7, loaded.maxlen());
                assertEquals(tok.wordIndex(), loaded.tokenizer().wordIndex());
                assertEquals("sparse_categorical_crossentropy", loaded.model().loss().name());
                assertEquals(0.25f, ((Embedding) loaded.model().layers().get(0)).learningRateScale());
            }
        }
        assertNoTemporaries();
    }

    private void assertNoTemporaries() {
        try (var s = Files.list(dir)) {
            List<Path> left = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertTrue(left.isEmpty(), "temporary files left: " + left);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void savingOverAnExistingModelReplacesItWhole() throws IOException {
        Path file = dir.resolve("m.vlstm");
        int[][] x = ids(5, 9);
        try (Sequential first = trained(); Sequential second = new Sequential(new Embedding(12, 5, 7), new Lstm(3), new Dense(1, "sigmoid")).seed(8)) {
            second.compile("binary_crossentropy", new Adam(), "accuracy");
            ModelFile.save(file, first, null, List.of(), 7);
            ModelFile.save(file, second, null, List.of("no", "yes"), 7);
            try (SavedModel loaded = ModelFile.load(file)) {
                assertEquals(null, loaded.tokenizer());
                assertEquals(List.of("no", "yes"), loaded.labels());
                assertArrayEquals(second.predict(x, 5), loaded.model().predict(x, 5), 0f, "the second model replaced the first");
            }
        }
        assertNoTemporaries();
    }

    @Test
    void aFailedSaveLeavesNothingBehindAndTheOldFileIntact() throws IOException {
        Path target = Files.createDirectories(dir.resolve("occupied"));
        Files.writeString(target.resolve("inside.txt"), "a non-empty folder cannot be replaced by a file");
        try (Sequential m = trained()) {
            assertThrows(ModelFileException.class, () -> ModelFile.save(target, m, null, List.of(), 7));
            assertMessageOnSave(m, List.of("only-one"), 7, "labels do not fit");
            assertMessageOnSave(m, List.of("a", "b", "c"), 9, "maxlen 9 differs");
        }
        try (Sequential uncompiled = new Sequential(new Embedding(12, 5, 7), new Lstm(3), new Dense(1, "sigmoid"))) {
            assertMessageOnSave(uncompiled, List.of(), 7, "compile the model");
        }
        assertNoTemporaries();
        assertTrue(Files.isDirectory(target));
    }

    private void assertMessageOnSave(Sequential m, List<String> labels, int maxlen, String fragment) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.save(dir.resolve("x.vlstm"), m, null, labels, maxlen));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void corruptTruncatedAndForeignFilesAreRefused() throws IOException {
        Path file = dir.resolve("m.vlstm");
        try (Sequential m = trained()) {
            ModelFile.save(file, m, null, List.of("a", "b", "c"), 7);
        }
        byte[] good = Files.readAllBytes(file);

        Path truncated = dir.resolve("truncated.vlstm");
        Files.write(truncated, Arrays.copyOf(good, good.length - 100));
        assertMessage(truncated, "corrupt or truncated");

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        Path corrupt = dir.resolve("corrupt.vlstm");
        Files.write(corrupt, flipped);
        assertMessage(corrupt, "checksum");

        Path foreign = dir.resolve("notes.txt");
        Files.writeString(foreign, "this is not a model, just some text that is long enough");
        assertMessage(foreign, "not a vector-lstm model file");

        Path empty = dir.resolve("empty.vlstm");
        Files.write(empty, new byte[0]);
        assertMessage(empty, "not a vector-lstm model file");

        assertMessage(dir.resolve("missing.vlstm"), "not found");

        byte[] future = good.clone();
        future[6] = 2;  // format version 2
        Path newer = dir.resolve("newer.vlstm");
        Files.write(newer, future);
        assertMessage(newer, "unsupported model file version");
    }

    private static void assertMessage(Path file, String fragment) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
