package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;
import vectorlstm.layers.Bidirectional;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Dropout;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.GlobalMaxPooling1D;
import vectorlstm.layers.Input;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.Masking;
import vectorlstm.layers.Shape;
import vectorlstm.text.TextPreprocessing;

/** Numeric, variable-length sequence models end to end: fit, predict, scorer, save/load, bad input. */
class SequenceModelsTest {
    @TempDir Path dir;

    /** Class = which of 3 features has the largest sum over the sequence; lengths 3..12. */
    private static float[][][] data(int n, long seed, float[] y) {
        Random r = new Random(seed);
        float[][][] x = new float[n][][];
        for (int i = 0; i < n; i++) {
            int len = 3 + r.nextInt(10), cls = r.nextInt(3);
            x[i] = new float[len][3];
            for (int t = 0; t < len; t++) {
                for (int j = 0; j < 3; j++) x[i][t][j] = (float) (r.nextGaussian() * 0.5 + (j == cls ? 0.6 : 0));
            }
            y[i] = cls;
        }
        return x;
    }

    private static Sequential bidirectionalModel() {
        Sequential m = new Sequential(new Input(Shape.VARIABLE, 3), new Bidirectional(new Lstm(8)), new Dropout(0.1f), new Dense(3, "softmax")).seed(3).threads(2);
        m.compile("sparse_categorical_crossentropy", new Adam(0.01f).clipnorm(1f), "accuracy");
        return m;
    }

    @Test
    void aVariableLengthBidirectionalModelLearnsAndScoresEachSequenceAsIfAlone() {
        float[] y = new float[300], yTest = new float[100];
        float[][][] x = data(300, 1, y), xTest = data(100, 2, yTest);
        try (Sequential m = bidirectionalModel()) {
            m.fit(x, y, new FitOptions().epochs(15).batchSize(16).sortByLength(true).verbose(false));
            double acc = m.evaluate(xTest, yTest, 32).accuracy();
            assertTrue(acc >= 0.85, "test accuracy " + acc);
            float[] batched = m.predict(xTest, 32);
            try (Scorer s = m.newScorer()) {
                float[] one = new float[3];
                for (int i = 0; i < xTest.length; i++) {
                    s.scoreAll(xTest[i], one);
                    for (int k = 0; k < 3; k++) assertEquals(batched[i * 3 + k], one[k], 1e-6, "sample " + i + " alone vs in a padded batch");
                }
            }
        }
    }

    /**
     * Keras' GlobalMaxPooling1D (masked steps included, as imported models use it) over sequences
     * of different lengths: a batch padded by the engine must not pool the padding's zeros. A
     * batch of constant sequences at -5, -3 and -1 pooled 0 for the shorter ones, and the answer
     * changed with the batch size and the thread count; alone (scoreAll) it was right.
     */
    @Test
    void kerasMaxPoolingNeverPoolsTheEnginesPadding() {
        float[][][] x = new float[3][][];
        int[] lengths = {2, 7, 12};
        float[] values = {-5, -3, -1};
        for (int i = 0; i < 3; i++) {
            x[i] = new float[lengths[i]][3];
            for (float[] step : x[i]) java.util.Arrays.fill(step, values[i]);
        }
        for (int threads : new int[] {1, 2}) {
            try (Sequential m = new Sequential(new Input(Shape.VARIABLE, 3), new vectorlstm.layers.GlobalMaxPooling1D(true), new Dense(3)).seed(1).threads(threads)) {
                m.build();
                m.setWeights(java.util.List.of(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new float[3]));  // Dense as the identity: the outputs are the pooled values
                for (int batch : new int[] {1, 2, 3}) {
                    float[] out = m.predict(x, batch);
                    for (int i = 0; i < 3; i++) assertEquals(values[i], out[i * 3], 0f, "sequence " + i + ", batch " + batch + ", threads " + threads);
                }
                try (Scorer s = m.newScorer()) {
                    for (int i = 0; i < 3; i++) assertEquals(values[i], scoreFirst(s, x[i]), 0f, "sequence " + i + " alone");
                }
            }
        }
    }

    /**
     * A goBackwards layer returning sequences hands its outputs on reversed while the padding of a
     * ragged batch stays in time order: its batch answers differed from each sequence's own (by
     * 0.23 under Keras' max pooling). Ragged batches are refused; batches of one are right.
     */
    @Test
    void reversedOutputsAreNeverMixedWithTheEnginesPadding() {
        float[] y = new float[6];
        float[][][] x = data(6, 9, y);
        try (Sequential m = new Sequential(new Input(Shape.VARIABLE, 3), new Lstm(4, true, true), new vectorlstm.layers.GlobalMaxPooling1D(true), new Dense(3, "softmax")).seed(2)) {
            m.compile("sparse_categorical_crossentropy", new Adam(), "accuracy");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(x, 3));
            assertTrue(e.getMessage().contains("sequences of different lengths cannot share a batch"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.evaluate(x, y, 3));
            assertThrows(IllegalArgumentException.class, () -> m.fit(x, y, new FitOptions().epochs(1).batchSize(3).verbose(false)));
            float[] one = m.predict(x, 1);
            try (Scorer s = m.newScorer()) {
                float[] alone = new float[3];
                for (int i = 0; i < x.length; i++) {
                    s.scoreAll(x[i], alone);
                    for (int k = 0; k < 3; k++) assertEquals(alone[k], one[i * 3 + k], 1e-6, "sequence " + i);
                }
            }
        }
    }

    private static float scoreFirst(Scorer s, float[][] sequence) {
        float[] out = new float[3];
        s.scoreAll(sequence, out);
        return out[0];
    }

    /**
     * An evaluate or predict of float sequences holds every row of a batch for the longest
     * sequence's steps: 27 rows with one of 20,000 steps took 3.7 GB. Long batches are cut to
     * keep that within 1 GiB; short ones run as asked.
     */
    @Test
    void inferenceBatchesOfVeryLongSequencesAreCutToTheirMemoryBound() {
        try (Sequential m = new Sequential(new Input(Shape.VARIABLE, 3), new Lstm(256, true), new vectorlstm.layers.GlobalMaxPooling1D(), new Dense(3, "softmax")).seed(1)) {
            m.build();
            Samples none = new Samples.Sequences(new float[1][1][3]);
            assertEquals(27, new Inference(m).inferenceBatch(none, 27, 50), "short sequences: the batch asked for");
            int cut = new Inference(m).inferenceBatch(none, 27, 20_000);
            long perRow = WorkerPool.bytesPerRow(m.layers(), 20_000, false);
            assertTrue(cut >= 1 && cut < 27 && cut * perRow <= ModelWorkers.INFERENCE_BATCH_BYTES, cut + " rows of " + perRow + " bytes");
            assertTrue(new Inference(m).inferenceBatch(none, 27, 100_000) >= 1, "never below one row");
        }
        // A pool kept from a long batch keeps its steps when rebuilt for more rows: the cut counts them (it took 3.88 GB).
        try (Sequential m = new Sequential(new Input(Shape.VARIABLE, 3), new Lstm(8, true), new vectorlstm.layers.GlobalMaxPooling1D(), new Dense(3, "softmax")).seed(1)) {
            m.build();
            m.predict(new float[][][] {new float[100_000][3]}, 1);
            Samples shortOnes = new Samples.Sequences(new float[1][5][3]);
            long perRow = WorkerPool.bytesPerRow(m.layers(), 100_000, false);
            int cut = new Inference(m).inferenceBatch(shortOnes, 100_000, 5);
            assertTrue(cut < 100_000 && cut * perRow <= ModelWorkers.INFERENCE_BATCH_BYTES, cut + " rows of " + perRow + " bytes after a 100,000-step batch");
        }
    }

    /** Sorting fixes each batch's members: on samples of one length it would only freeze the data's own order. */
    @Test
    void sortingByLengthIsRefusedWhereThereIsNoLengthToSortBy() {
        float[] y = new float[32];
        float[][][] equal = new float[32][5][3];
        try (Sequential m = bidirectionalModel()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(equal, y, new FitOptions().epochs(1).batchSize(8).sortByLength(true).verbose(false)));
            assertTrue(e.getMessage().contains("all 32 training sequences have 5 steps"), e.getMessage());
        }
        int[][] ids = new int[32][6];
        try (Sequential m = new Sequential(new Embedding(10, 4, 6), new Lstm(3), new Dense(1, "sigmoid")).seed(3)) {
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(ids, y, new FitOptions().epochs(1).batchSize(8).sortByLength(true).verbose(false)));
            assertTrue(e.getMessage().contains("token ids are padded to one length"), e.getMessage());
        }
    }

    @Test
    void trainingWithDropoutIsReproducibleAndInferenceIgnoresIt() {
        float[] y = new float[64];
        float[][][] x = data(64, 4, y);
        float[] first, second;
        try (Sequential m = bidirectionalModel()) {
            m.fit(x, y, new FitOptions().epochs(2).batchSize(16).verbose(false));
            first = m.predict(x, 64);
            assertArrayEquals(first, m.predict(x, 7), 1e-6f, "inference does not depend on the batch (no dropout)");
        }
        try (Sequential m = bidirectionalModel()) {
            m.fit(x, y, new FitOptions().epochs(2).batchSize(16).verbose(false));
            second = m.predict(x, 64);
        }
        assertArrayEquals(first, second, "same seed, same threads: bit-identical training");
    }

    @Test
    void aSavedSequenceModelLoadsWithTheSameOutputs() {
        float[] y = new float[40];
        float[][][] x = data(40, 5, y);
        Path file = dir.resolve("m.vlstm");
        float[] before;
        try (Sequential m = new Sequential(new Input(Shape.VARIABLE, 3), new Masking(0f), new Bidirectional(new Lstm(5, true).dropout(0.2f).recurrentDropout(0.1f), Bidirectional.MergeMode.SUM),
                new GlobalMaxPooling1D(), new Dense(3, "softmax")).seed(9)) {
            m.compile("sparse_categorical_crossentropy", new Adam(), "accuracy");
            m.fit(x, y, new FitOptions().epochs(1).batchSize(8).verbose(false));
            before = m.predict(x, 8);
            ModelFile.save(file, new SavedModel(m, null, TextPreprocessing.NONE, java.util.List.of("a", "b", "c"), 0));
        }
        try (SavedModel loaded = ModelFile.load(file)) {
            assertEquals("(None, None, 3)", loaded.model().layers().get(0).outputShape().toString());
            assertEquals(0.1f, ((Bidirectional) loaded.model().layers().get(2)).forwardLayer().recurrentDropout());
            assertArrayEquals(before, loaded.model().predict(x, 8), 1e-6f);
        }
    }

    @Test
    void maskedEmbeddingGivesAPaddedSequenceTheScoreOfTheSequenceAlone() {
        try (Sequential padded = new Sequential(new Embedding(20, 4, 9).maskZero(true), new Bidirectional(new Lstm(6)), new Dense(1, "sigmoid")).seed(2);
             Sequential alone = new Sequential(new Embedding(20, 4, 4).maskZero(true), new Bidirectional(new Lstm(6)), new Dense(1, "sigmoid")).seed(2)) {
            padded.build();
            alone.build();
            alone.setWeights(padded.getWeights());
            int[] real = {5, 17, 3, 9};
            float pre = padded.predict(new int[][] {{0, 0, 0, 0, 0, 5, 17, 3, 9}}, 1)[0];
            float post = padded.predict(new int[][] {{5, 17, 3, 9, 0, 0, 0, 0, 0}}, 1)[0];
            float self = alone.predict(new int[][] {real}, 1)[0];
            assertEquals(self, pre, 0f, "pre-padded");
            assertEquals(self, post, 0f, "post-padded");
        }
    }

    @Test
    void badNumericInputIsRefusedWithTheSampleNamed() {
        try (Sequential m = bidirectionalModel()) {
            float[] y = {0, 1};
            FitOptions o = new FitOptions().verbose(false);
            assertThrows(IllegalArgumentException.class, () -> m.fit(new float[][][] {{{1, 2, 3}}, {{1, 2}}}, y, o), "wrong feature count");
            IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> m.fit(new float[][][] {{{1, 2, 3}}, {{1, Float.NaN, 3}}}, y, o));
            assertTrue(nan.getMessage().contains("sample 1"), nan.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.fit(new float[][][] {{{1, 2, 3}}, {}}, y, o), "empty sequence");
            assertThrows(IllegalArgumentException.class, () -> m.fit(new int[][] {{1}, {2}}, y, o), "token ids for a numeric model");
            float[][][] hostile = {new float[InputChecks.MAX_SEQUENCE_STEPS + 1][3]};
            IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> m.predict(hostile, 1));
            assertTrue(big.getMessage().contains("limit"), big.getMessage());
            try (Scorer s = m.newScorer()) {
                assertThrows(IllegalArgumentException.class, () -> s.scoreAll(new float[][] {{1, 2}}, new float[3]));
                assertThrows(IllegalArgumentException.class, () -> s.score(new int[] {1, 2}));
            }
        }
    }
}
