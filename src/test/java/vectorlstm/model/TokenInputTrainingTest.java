package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Gru;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.RecurrentActivation;
import vectorlstm.memory.Tensor;

/**
 * The input side per token of an LSTM or a GRU ({@code TokenInput}: E·W + bias gathered forward,
 * dz summed per token backward) against the per-row path: the same loss and the same gradients for every
 * weight, with trainable and frozen embeddings, with and without the shared-padding path, on rows
 * with no, some and only padding and repeated tokens (the padding id 0 also inside rows); through
 * {@code fit} on two threads (tiles taken by the other worker) the same weights after several steps;
 * and the row path wherever per token cannot run. WholeModelGradientCheckTest's Embedding → LSTM
 * models run per token too (vocab 7 against 18 rows), against finite differences.
 */
class TokenInputTrainingTest {
    @ParameterizedTest
    @CsvSource({"37, 1, true, true", "100, 1, true, false", "37, 3, false, true", "8, 2, true, true", "100, 1, false, false", "16, 1, true, true"})
    void sameLossAndGradientsAsThePerRowPath(int units, int outputs, boolean trainableEmbedding, boolean skipPadding) {
        int steps = 40, vocab = 30, b = 13;
        Random r = new Random(units * 7 + (skipPadding ? 1 : 0));
        int[][] x = paddedRows(r, b, steps, vocab, true);
        float[] y = new float[b];
        for (int i = 0; i < b; i++) y[i] = outputs == 1 ? i % 2 : i % outputs;
        String loss = outputs == 1 ? "binary_crossentropy" : "sparse_categorical_crossentropy";
        try (Sequential m = new Sequential(new Embedding(vocab, 6, steps).trainable(trainableEmbedding), new Lstm(units),
                new Dense(outputs, outputs == 1 ? "sigmoid" : "softmax")).seed(units).threads(1)) {
            m.compile(loss, new Adam(), "accuracy");
            // Make the padding token matter: a large embedding row 0 drives the shared trajectory.
            Tensor table = m.layers().get(0).parameters().get(0).value();
            for (int j = 0; j < 6; j++) table.set(j, 0.9f * (j % 2 == 0 ? 1 : -1));

            Step perToken = step(m, x, y, skipPadding, true), perRow = step(m, x, y, skipPadding, false);
            assertTrue(perToken.ranPerToken, "the per-token path should run for vocab 30 against " + steps * b + " rows");
            assertFalse(perRow.ranPerToken);
            assertEquals(trainableEmbedding ? 6 : 5, perRow.grads.size());
            assertSame(perRow, perToken);
        }
    }

    /**
     * A GRU takes its input side per token too (3H gate columns): reset_after (Keras' default and
     * torch's) and reset_before, sigmoid and Keras 2's hard-sigmoid gates, recurrent dropout, a
     * trainable and a frozen embedding; the same loss and gradients as the per-row path.
     */
    @ParameterizedTest
    @CsvSource({"37, true, true, SIGMOID, 0", "100, false, true, SIGMOID, 0", "19, true, false, HARD_SIGMOID_KERAS2, 0",
                "16, false, true, SIGMOID, 0.3", "8, true, true, SIGMOID, 0.3"})
    void aGruTakesItsInputSidePerTokenToo(int units, boolean resetAfter, boolean trainableEmbedding, RecurrentActivation gates, float recurrentDropout) {
        int steps = 12, vocab = 30, b = 13;  // short: the first steps' gradients are large enough to tell a missing sum
        int[][] x = paddedRows(new Random(units * 3 + 1), b, steps, vocab, true);
        float[] y = new float[b];
        for (int i = 0; i < b; i++) y[i] = i % 2;
        Gru gru = new Gru(units, false, false, resetAfter);
        gru.recurrentActivation(gates).recurrentDropout(recurrentDropout);
        try (Sequential m = new Sequential(new Embedding(vocab, 6, steps).trainable(trainableEmbedding), gru,
                new Dense(1, "sigmoid")).seed(units).threads(1)) {
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            Step perToken = step(m, x, y, false, true), perRow = step(m, x, y, false, false);
            assertTrue(perToken.ranPerToken, "the per-token path should run for vocab 30 against " + steps * b + " rows");
            assertFalse(perRow.ranPerToken);
            assertEquals(trainableEmbedding ? 6 : 5, perRow.grads.size());
            assertSame(perRow, perToken);
        }
    }

    @Test
    void stackedLstmReturningSequencesMatchesThePerRowPath() {
        int steps = 25, vocab = 17, b = 7;
        Random r = new Random(11);
        int[][] x = paddedRows(r, b, steps, vocab, false);
        float[] y = new float[b];
        for (int i = 0; i < b; i++) y[i] = i % 2;
        try (Sequential m = new Sequential(new Embedding(vocab, 5, steps), new Lstm(21, true), new Lstm(9),
                new Dense(1, "sigmoid")).seed(4).threads(1)) {
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            Step perToken = step(m, x, y, true, true), perRow = step(m, x, y, true, false);
            assertTrue(perToken.ranPerToken);
            assertSame(perRow, perToken);
        }
    }

    @Test
    void perTokenGradientsAreBitIdenticalOnRerun() {
        int steps = 30, vocab = 20, b = 9;
        int[][] x = paddedRows(new Random(5), b, steps, vocab, false);
        float[] y = new float[b];
        for (int i = 0; i < b; i++) y[i] = i % 2;
        try (Sequential m = new Sequential(new Embedding(vocab, 5, steps), new Lstm(19), new Dense(1, "sigmoid")).seed(3).threads(1)) {
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            Step a = step(m, x, y, true, true), c = step(m, x, y, true, true);
            assertTrue(a.ranPerToken);
            for (int k = 0; k < a.grads.size(); k++) assertArrayEquals(a.grads.get(k), c.grads.get(k));
        }
    }

    /** Two workers, the other's tiles taken when one is done, the workers' gradients summed, Adam: the weights of both paths agree after 6 steps. */
    @ParameterizedTest
    @CsvSource({"true", "false"})
    void fitOnTwoThreadsEndsOnTheSameWeights(boolean skipPadding) {
        int steps = 60, vocab = 40, n = 96;
        int[][] x = paddedRows(new Random(8), n, steps, vocab, true);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = (x[i][steps - 1] % 3 == 0) ? 1 : 0;
        List<float[]> perToken = fitWeights(x, y, steps, vocab, skipPadding, true);
        List<float[]> perRow = fitWeights(x, y, steps, vocab, skipPadding, false);
        assertSameWeights(perRow, perToken);
    }

    /**
     * The demo's model and batch at its scale (5,000 words, T = 500, batch 64 on two workers,
     * pre-padded rows of about 400 real tokens, so 8,000-16,000 real rows per worker and several
     * tiles of every kind): after 4 Adam steps both paths hold the same weights.
     */
    @Test
    void atTheDemosScaleFitEndsOnTheSameWeights() {
        int steps = 500, vocab = 5000, n = 256;
        Random r = new Random(17);
        int[][] x = new int[n][steps];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int len = (int) Math.min(steps, Math.max(10, Math.exp(Math.log(400) + 0.3 * r.nextGaussian())));
            for (int t = steps - len; t < steps; t++) x[i][t] = 1 + (int) Math.min(vocab - 2, Math.floor(Math.pow(vocab, r.nextDouble())));
            y[i] = r.nextInt(2);
        }
        List<float[]> perToken = fitWeights(x, y, steps, vocab, 32, 100, 64, true, true);
        List<float[]> perRow = fitWeights(x, y, steps, vocab, 32, 100, 64, true, false);
        assertSameWeights(perRow, perToken);
    }

    /** Every weight within 1e-4 of its tensor's largest element. */
    private static void assertSameWeights(List<float[]> perRow, List<float[]> perToken) {
        assertEquals(perRow.size(), perToken.size());
        for (int k = 0; k < perRow.size(); k++) {
            float[] want = perRow.get(k), got = perToken.get(k);
            double scale = 1e-8;
            for (float v : want) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < want.length; i++) {
                assertTrue(Math.abs(want[i] - got[i]) <= 1e-4 * scale, "weight " + k + "[" + i + "]: per row " + want[i] + ", per token " + got[i]);
            }
        }
    }

    private static List<float[]> fitWeights(int[][] x, float[] y, int steps, int vocab, boolean skipPadding, boolean perToken) {
        return fitWeights(x, y, steps, vocab, 8, 37, 16, skipPadding, perToken);
    }

    private static List<float[]> fitWeights(int[][] x, float[] y, int steps, int vocab, int dim, int units, int batch,
                                            boolean skipPadding, boolean perToken) {
        try (Sequential m = new Sequential(new Embedding(vocab, dim, steps), new Lstm(units), new Dense(1, "sigmoid"))
                .seed(21).threads(2).skipSharedPadding(skipPadding).perTokenInput(perToken)) {
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            m.fit(x, y, new FitOptions().epochs(1).batchSize(batch).shuffle(false).verbose(false));
            return m.getWeights();
        }
    }

    /** Where per token cannot run (masked embedding, reversed LSTM, input dropout) or does not pay (too many words for the rows), the row path runs. */
    @Test
    void theRowPathRunsWherePerTokenCannot() {
        int steps = 20, b = 5;
        int[][] x = paddedRows(new Random(3), b, steps, 10, false);
        int[][] manyWords = new int[b][steps];
        for (int i = 0; i < b; i++) for (int t = 0; t < steps; t++) manyWords[i][t] = 1 + i * steps + t;  // 100 rows, 101 words
        float[] y = {1, 0, 1, 0, 1};
        Sequential[] models = {
            new Sequential(new Embedding(10, 4, steps).maskZero(true), new Lstm(7), new Dense(1, "sigmoid")),
            new Sequential(new Embedding(10, 4, steps), new Lstm(7, false, true), new Dense(1, "sigmoid")),
            new Sequential(new Embedding(10, 4, steps), new Lstm(7).dropout(0.2f), new Dense(1, "sigmoid")),
            new Sequential(new Embedding(1000, 4, steps), new Lstm(7), new Dense(1, "sigmoid")),
        };
        for (int k = 0; k < models.length; k++) {
            try (Sequential m = models[k].seed(1).threads(1)) {
                m.compile("binary_crossentropy", new Adam(), "accuracy");
                Step s = step(m, k == 3 ? manyWords : x, y, true, true);
                assertFalse(s.ranPerToken, m.summary());
                assertTrue(Double.isFinite(s.loss));
            }
        }
    }

    /** Rows of pre-padding (none, all, all but one, random), ids in [1, vocab) with 0 also inside rows when asked. */
    private static int[][] paddedRows(Random r, int b, int steps, int vocab, boolean zerosInside) {
        int[][] x = new int[b][steps];
        for (int i = 0; i < b; i++) {
            int pads = i == 0 ? 0 : i == 1 ? steps : i == 2 ? steps - 1 : r.nextInt(steps);
            for (int t = pads; t < steps; t++) x[i][t] = zerosInside && r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(vocab - 1);
        }
        return x;
    }

    private static void assertSame(Step perRow, Step perToken) {
        assertEquals(perRow.loss, perToken.loss, 1e-6 * Math.max(1, Math.abs(perRow.loss)), "loss");
        assertEquals(perRow.grads.size(), perToken.grads.size());
        for (int k = 0; k < perRow.grads.size(); k++) {
            float[] want = perRow.grads.get(k), got = perToken.grads.get(k);
            double scale = 1e-8;
            for (float v : want) scale = Math.max(scale, Math.abs(v));
            assertTrue(scale > 1e-6, "gradient " + k + " is all zero");
            for (int i = 0; i < want.length; i++) {
                assertTrue(Math.abs(want[i] - got[i]) <= 1e-5 * scale + 1e-7,
                        "gradient " + k + "[" + i + "]: per row " + want[i] + ", per token " + got[i]);
            }
        }
    }

    /**
     * A batch that uses only some of the words (every third one, the rest never seen): the table,
     * the sums and the products run over those words alone, and the embedding's gradient has the
     * same values as the per-row path's, zero in the rows of the words not in the batch.
     */
    @ParameterizedTest
    @CsvSource({"true", "false"})
    void aBatchOfSomeWordsGivesTheSameGradientsAndNoneForTheOthers(boolean skipPadding) {
        int steps = 30, vocab = 90, b = 11;
        Random r = new Random(5);
        int[][] x = new int[b][steps];
        for (int i = 0; i < b; i++) {
            int pads = i == 0 ? 0 : r.nextInt(steps / 2);
            for (int t = pads; t < steps; t++) x[i][t] = 3 * (1 + r.nextInt(vocab / 3 - 1));   // words 3, 6, ..., 87
        }
        float[] y = new float[b];
        for (int i = 0; i < b; i++) y[i] = i % 2;
        try (Sequential m = new Sequential(new Embedding(vocab, 5, steps), new Lstm(19), new Dense(1, "sigmoid")).seed(4).threads(1)) {
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            Step perToken = step(m, x, y, skipPadding, true), perRow = step(m, x, y, skipPadding, false);
            assertTrue(perToken.ranPerToken, "vocab " + vocab + " against at least " + (steps * b / 2) + " rows");
            assertSame(perRow, perToken);
            float[] dE = perToken.grads.get(0);
            for (int v = 1; v < vocab; v++) {
                boolean used = v % 3 == 0;
                double norm = 0;
                for (int j = 0; j < 5; j++) norm += Math.abs(dE[v * 5 + j]);
                if (used) assertTrue(norm > 0, "word " + v + " is in the batch: its gradient should not be zero");
                else assertEquals(0.0, norm, "word " + v + " is not in the batch");
            }
        }
    }

    /**
     * The bound: per token while the batch's words (the padding id among them) are at most
     * max(3/4, 1 - 8/D) of its rows (after the shared padding, when it is skipped), the row path
     * one word above it; both give the same step. The vocabulary (5,000) is larger than the batch,
     * so the table holds only as many words as per token runs with.
     */
    @ParameterizedTest
    @CsvSource({"false, 4, 75, true", "false, 4, 76, false", "true, 4, 56, true", "true, 4, 57, false",
                "false, 64, 87, true", "false, 64, 88, false", "true, 100, 69, true", "true, 100, 70, false"})
    void perTokenRunsWhileTheWordsAreFewAgainstTheRows(boolean skipPadding, int features, int words, boolean expectPerToken) {
        int steps = 20, b = 5, vocab = 5000;
        int[][] x = new int[b][steps];
        int next = 0;
        // 100 rows in all; skipping the padding, the rows start with 3..7 padding steps (25 in all), so 75 real rows
        for (int i = 0; i < b; i++) for (int t = skipPadding ? 3 + i : 0; t < steps; t++) x[i][t] = 1 + (next++ % (words - 1)) * 53;
        Set<Integer> distinct = new HashSet<>(List.of(0));
        int realRows = 0;
        for (int[] row : x) for (int v : row) if (v != 0) { realRows++; distinct.add(v); }
        int rows = skipPadding ? realRows : steps * b;
        assertEquals(words, distinct.size(), "the test's own arithmetic: words");
        // at most max(3/4, 1 - 8/D) of the rows
        double bound = Math.max(0.75, 1 - 8.0 / features) * rows;
        assertEquals(expectPerToken, words <= bound, "the test's own arithmetic: words " + words + ", rows " + rows + ", D " + features);
        float[] y = {1, 0, 1, 0, 1};
        try (Sequential m = new Sequential(new Embedding(vocab, features, steps), new Lstm(7), new Dense(1, "sigmoid")).seed(2).threads(1)) {
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            Step s = step(m, x, y, skipPadding, true);
            assertEquals(expectPerToken, s.ranPerToken, words + " words against " + rows + " rows");
            assertSame(step(m, x, y, skipPadding, false), s);
        }
    }

    private record Step(double loss, List<float[]> grads, boolean ranPerToken) {}

    private static Step step(Sequential m, int[][] x, float[] y, boolean skip, boolean tokens) {
        int b = x.length;
        try (WorkerPool pool = new WorkerPool(m.layers(), x[0].length, b, 1, skip, tokens)) {
            Worker w = pool.workers[0];
            w.stage(new Samples.Tokens(x), y, null, 0, b, true);
            w.trainStep(b, 1f / b, m.loss(), 0);
            List<float[]> grads = new ArrayList<>();
            for (List<Tensor> layer : w.grads) for (Tensor g : layer) if (g != null) grads.add(g.toArray());
            return new Step(w.result.lossSum / b, grads, w.ranPerToken());
        }
    }
}
