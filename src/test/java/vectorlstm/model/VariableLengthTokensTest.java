package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;
import vectorlstm.layers.Bidirectional;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Gru;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.Shape;
import vectorlstm.text.TextPreprocessing;

/**
 * An Embedding with any input length (Keras' {@code input_length=None}, as older Keras files
 * declare): every sequence is scored at its own length, exactly as a fixed-length model of that
 * length with the same weights scores it. fit and evaluate take ids of one length per call and
 * run as a model of that length; ragged ids are refused with a reason.
 */
class VariableLengthTokensTest {
    @TempDir Path dir;

    private static Sequential model(int length) {
        Sequential m = new Sequential(new Embedding(30, 6, length), new Bidirectional(new Gru(5)), new Dense(1, "sigmoid")).seed(4);
        m.compile("binary_crossentropy", new Adam(), "accuracy");
        return m;
    }

    @Test
    void eachSequenceScoresAsAFixedModelOfItsLength() {
        int[][] rows = {{3}, {1, 2, 3, 4, 5, 6, 7}, {9, 9, 0, 0, 12, 29, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2}};
        try (Sequential variable = model(Shape.VARIABLE)) {
            float[] got = variable.predict(rows, 2);
            assertEquals(rows.length, got.length);
            for (int n = 0; n < rows.length; n++) {
                try (Sequential fixed = model(rows[n].length)) {
                    fixed.setWeights(variable.getWeights());
                    assertEquals(fixed.predict(new int[][] {rows[n]}, 1)[0], got[n], 1e-6f, "row " + n + " of length " + rows[n].length);
                }
            }
            // A longer sequence after shorter ones (the scorer grows its memory) and then a short one again.
            try (Scorer s = variable.newScorer()) {
                float first = s.score(rows[0]);
                s.score(rows[2]);
                assertEquals(first, s.score(rows[0]));
            }
        }
    }

    /**
     * Off the packed path (a BiGRU) predict scores the rows on the model's threads, a scorer each:
     * every row gets a scorer's bits at its own length, whatever its neighbours, batch size or
     * thread count.
     */
    @Test
    void predictOnTheModelsThreadsGivesEachRowAScorersBits() {
        java.util.Random rng = new java.util.Random(3);
        int[][] x = new int[45][];
        for (int n = 0; n < x.length; n++) {
            x[n] = new int[1 + rng.nextInt(n < 40 ? 9 : 70)];  // many rows per length, a few long ones alone
            for (int t = 0; t < x[n].length; t++) x[n][t] = rng.nextInt(30);
        }
        try (Sequential variable = model(Shape.VARIABLE).threads(3); Scorer scorer = variable.newScorer()) {
            float[] got = variable.predict(x, 4);
            float[] out = new float[1];
            for (int n = 0; n < x.length; n++) {
                scorer.scoreAll(x[n], out);
                assertEquals(out[0], got[n], "row " + n + " (length " + x[n].length + ") against a scorer");
            }
            int[][] reversed = new int[x.length][];
            for (int n = 0; n < x.length; n++) reversed[n] = x[x.length - 1 - n];
            float[] back = variable.predict(reversed, 64);
            for (int n = 0; n < x.length; n++) assertEquals(got[n], back[x.length - 1 - n], "row " + n + " in reverse order, batch 64");
            variable.threads(1);
            assertArrayEquals(got, variable.predict(x, 4), "one thread");
        }
    }

    /**
     * predict inside a write of the weights (a learning-rate schedule, which an optimizer's step
     * calls) is refused, also where it runs a scorer on each of the model's threads: a helper's
     * scorer waited for the caller's write while the caller, refused, waited for the helper.
     */
    @Test
    void predictInsideAnOptimizersStepIsRefusedNotDeadlocked() throws InterruptedException {
        int[][] rows = new int[40][];
        rows[0] = new int[20_000];  // long, so that a helper takes the next rows before this thread is refused
        for (int n = 1; n < rows.length; n++) rows[n] = new int[] {1 + n % 29, 2};
        int[][] x = padded(8, 6, 9);
        Sequential variable = new Sequential(new Embedding(30, 6, Shape.VARIABLE), new Bidirectional(new Gru(5)), new Dense(1, "sigmoid"))
                .seed(4).threads(2);
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        variable.compile("binary_crossentropy", new Adam().schedule((iterations, base) -> {
            if (first.getAndSet(false)) variable.predict(rows, 64);
            return base;
        }), "accuracy");
        Throwable[] thrown = new Throwable[1];
        Thread fit = Thread.ofPlatform().daemon().start(() -> {
            try {
                variable.fit(x, labels(x), new FitOptions().epochs(1).batchSize(4).verbose(false));
            } catch (Throwable t) {
                thrown[0] = t;
            }
        });
        fit.join(60_000);
        // A hung fit holds the model's lock: closing the model would hang this test too, so it is left open then.
        assertTrue(!fit.isAlive(), "predict inside an optimizer's step hung (its helper waits for the write, the write for its helper)");
        variable.close();
        assertTrue(thrown[0] instanceof IllegalStateException, "refused, got " + thrown[0]);
        assertTrue(thrown[0].getMessage().contains("inside a write of the model's weights"), thrown[0].getMessage());
    }

    @Test
    void badSequencesAreRefusedByName() {
        try (Sequential variable = model(Shape.VARIABLE)) {
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> variable.predict(new int[][] {{1}, {}}, 2));
            assertTrue(empty.getMessage().contains("sample 1 has no token ids"), empty.getMessage());
            IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> variable.predict(new int[][] {{1, 30}}, 2));
            assertTrue(outside.getMessage().contains("token id 30 is outside the vocabulary [0, 30)"), outside.getMessage());
            IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> variable.predict(new int[][] {new int[InputChecks.MAX_SEQUENCE_STEPS + 1]}, 1));
            assertTrue(huge.getMessage().contains("more than the limit"), huge.getMessage());
        }
    }

    /** The seed model's shape, small: Embedding → last-state LSTM → Dense, the path with the shared padding and the per-token input side. */
    private static Sequential lstmModel(int length) {
        Sequential m = new Sequential(new Embedding(30, 6, length), new Lstm(7), new Dense(1, "sigmoid")).seed(4);
        m.compile("binary_crossentropy", new Adam(), "accuracy");
        return m;
    }

    /** n rows of {@code length} ids, pre-padded with 0 by a varying amount, as pad_sequences leaves them. */
    private static int[][] padded(int n, int length, long seed) {
        java.util.Random rng = new java.util.Random(seed);
        int[][] x = new int[n][length];
        for (int[] row : x) for (int t = rng.nextInt(length); t < length; t++) row[t] = 1 + rng.nextInt(29);
        return x;
    }

    private static float[] labels(int[][] x) {
        float[] y = new float[x.length];
        for (int n = 0; n < x.length; n++) y[n] = x[n][x[n].length - 1] % 2;
        return y;
    }

    /**
     * fit and evaluate on token ids of one length: the bits of a model whose Embedding has that
     * length, with the same weights and seed (Keras 3 trains {@code Embedding(5000, 32)} without an
     * Input on one padded array); then evaluate at a shorter and a longer length than the fit's.
     */
    @Test
    void trainsAndEvaluatesAsAFixedModelOfTheDataLength() {
        for (boolean lstm : new boolean[] {true, false}) {
            int[][] x = padded(37, 12, 1), xVal = padded(9, 12, 2);
            try (Sequential variable = lstm ? lstmModel(Shape.VARIABLE) : model(Shape.VARIABLE); Sequential fixed = lstm ? lstmModel(12) : model(12)) {
                fixed.setWeights(variable.getWeights());
                FitOptions options = new FitOptions().epochs(2).batchSize(8).validationData(xVal, labels(xVal));
                History a = variable.fit(x, labels(x), options), b = fixed.fit(x, labels(x), options);
                String what = lstm ? "Embedding → LSTM → Dense" : "Embedding → Bidirectional(GRU) → Dense";
                for (int e = 0; e < 2; e++) {
                    assertEquals(b.epochs().get(e).loss(), a.epochs().get(e).loss(), what + ", epoch " + e);
                    assertEquals(b.epochs().get(e).valLoss(), a.epochs().get(e).valLoss(), what + ", epoch " + e);
                }
                List<float[]> wa = variable.getWeights(), wb = fixed.getWeights();
                for (int i = 0; i < wa.size(); i++) assertArrayEquals(wb.get(i), wa.get(i), what + ", weight " + i);
                assertEquals(fixed.evaluate(x, labels(x), 8), variable.evaluate(x, labels(x), 8), what);
                for (int length : new int[] {5, 31}) {  // the workers were made for 12 steps: fewer, then more
                    int[][] other = padded(11, length, length);
                    try (Sequential atLength = lstm ? lstmModel(length) : model(length)) {
                        atLength.setWeights(variable.getWeights());
                        assertEquals(atLength.evaluate(other, labels(other), 4), variable.evaluate(other, labels(other), 4), what + ", length " + length);
                    }
                }
            }
        }
    }

    @Test
    void raggedTokenIdsAreRefusedForFitAndEvaluateWithAReason() {
        try (Sequential variable = lstmModel(Shape.VARIABLE)) {
            int[][] ragged = {{1, 2}, {3, 4}, {3}};
            float[] y = {0, 1, 1};
            IllegalArgumentException fit = assertThrows(IllegalArgumentException.class,
                    () -> variable.fit(ragged, y, new FitOptions().epochs(1).batchSize(2)));
            assertTrue(fit.getMessage().contains("sample 2 has 1 token ids and sample 0 has 2"), fit.getMessage());
            assertTrue(fit.getMessage().contains("pad them to one length"), fit.getMessage());
            IllegalArgumentException validation = assertThrows(IllegalArgumentException.class, () -> variable.fit(new int[][] {{1, 2}}, new float[] {1},
                    new FitOptions().epochs(1).batchSize(2).validationData(ragged, y)));
            assertTrue(validation.getMessage().contains("sample 2 has 1 token ids"), validation.getMessage());
            IllegalArgumentException evaluate = assertThrows(IllegalArgumentException.class, () -> variable.evaluate(ragged, y, 2));
            assertTrue(evaluate.getMessage().contains("sample 2 has 1 token ids"), evaluate.getMessage());
            // Refused before anything ran: the model still predicts each row at its own length.
            assertEquals(3, variable.predict(ragged, 2).length);
        }
    }

    @Test
    void modelFileKeepsTheVariableLength() {
        Path file = dir.resolve("variable.vlstm");
        int[][] rows = {{4, 5, 6}, {7}};
        float[] before;
        try (Sequential variable = model(Shape.VARIABLE); SavedModel saved = new SavedModel(variable, null, TextPreprocessing.NONE, List.of(), 0)) {
            before = variable.predict(rows, 2);
            ModelFile.save(file, saved);
        }
        try (SavedModel loaded = ModelFile.load(file)) {
            assertEquals(0, loaded.maxlen());
            assertTrue(loaded.model().inputShape().variableLength());
            assertArrayEquals(before, loaded.model().predict(rows, 2));
        }
    }
}
