package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.Parameter;
import vectorlstm.memory.Tensor;

/** Validation data, early stopping with best-weight restore, clipping, multi-class softmax, frozen embeddings. */
class FitFeaturesTest {
    private static int[][] randomIds(int n, int steps, int vocab, long seed) {
        Random r = new Random(seed);
        int[][] x = new int[n][steps];
        for (int[] row : x) for (int t = 0; t < steps; t++) row[t] = r.nextInt(vocab);
        return x;
    }

    private static float[] containsOne(int[][] x) {
        float[] y = new float[x.length];
        for (int n = 0; n < x.length; n++) for (int id : x[n]) if (id == 1) y[n] = 1;
        return y;
    }

    private static Sequential binaryModel(long seed) {
        Sequential m = new Sequential(new Embedding(10, 6, 8), new Lstm(8), new Dense(1, "sigmoid")).seed(seed);
        m.compile("binary_crossentropy", new Adam(0.02f), "accuracy");
        return m;
    }

    private static float[] weights(Sequential m) {
        List<Float> all = new ArrayList<>();
        for (var l : m.layers()) for (Parameter p : l.parameters()) for (float v : p.value().toArray()) all.add(v);
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) out[i] = all.get(i);
        return out;
    }

    @Test
    void validationSplitHoldsOutTheLastSamplesAndReportsValMetrics() {
        int[][] x = randomIds(200, 8, 10, 1);
        float[] y = containsOne(x);
        try (Sequential m = binaryModel(2)) {
            History h = m.fit(x, y, new FitOptions().epochs(2).batchSize(20).validationSplit(0.25).verbose(false));
            History.Epoch e = h.last();
            assertTrue(Double.isFinite(e.valLoss()) && Double.isFinite(e.valAccuracy()), "val metrics present");
            // The held-out part is exactly the last 50 samples: evaluate on them gives the same numbers.
            Evaluation v = m.evaluate(java.util.Arrays.copyOfRange(x, 150, 200), java.util.Arrays.copyOfRange(y, 150, 200), 20);
            assertEquals(v.loss(), e.valLoss(), 1e-9);
            assertEquals(v.accuracy(), e.valAccuracy(), 1e-9);
        }
    }

    @Test
    void validationSplitCutsWhereKerasDoes() {
        // Keras: split_at = int(10 * (1 - 0.25)) = 7, so 3 samples validate (not int(10 * 0.25) = 2).
        int[][] x = randomIds(10, 8, 10, 2);
        float[] y = containsOne(x);
        try (Sequential m = binaryModel(3)) {
            History.Epoch e = m.fit(x, y, new FitOptions().epochs(1).batchSize(5).validationSplit(0.25).verbose(false)).last();
            assertEquals(m.evaluate(java.util.Arrays.copyOfRange(x, 7, 10), java.util.Arrays.copyOfRange(y, 7, 10), 5).loss(), e.valLoss(), 1e-9);
        }
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestEpoch() {
        int[][] x = randomIds(120, 8, 10, 3);
        float[] y = containsOne(x);
        // Validation labels are noise: val_loss soon stops improving while training continues.
        int[][] xVal = randomIds(60, 8, 10, 4);
        float[] yVal = new float[60];
        Random r = new Random(5);
        for (int i = 0; i < yVal.length; i++) yVal[i] = r.nextInt(2);
        try (Sequential m = binaryModel(6)) {
            History h = m.fit(x, y, new FitOptions().epochs(40).batchSize(20).validationData(xVal, yVal)
                    .earlyStopping(EarlyStopping.onValidationLoss(2)).verbose(false));
            assertTrue(h.epochs().size() < 40, "stopped early after " + h.epochs().size() + " epochs");
            int best = 0;
            for (int i = 1; i < h.epochs().size(); i++) if (h.epochs().get(i).valLoss() < h.epochs().get(best).valLoss()) best = i;
            assertEquals(best + 2, h.epochs().size() - 1, "Keras semantics: stops after exactly `patience` (2) epochs without improvement");
            assertEquals(h.epochs().get(best).epoch(), h.restoredEpoch());
            assertEquals(h.epochs().get(best).valLoss(), m.evaluate(xVal, yVal, 20).loss(), 1e-6, "the restored weights are the best epoch's");
        }
    }

    @Test
    void earlyStoppingOnValidationNeedsValidationData() {
        try (Sequential m = binaryModel(1)) {
            int[][] x = randomIds(10, 8, 10, 1);
            assertThrows(IllegalArgumentException.class, () -> m.fit(x, containsOne(x), new FitOptions().earlyStopping(EarlyStopping.onValidationLoss(1)).verbose(false)));
            assertThrows(IllegalArgumentException.class, () -> m.fit(x, containsOne(x), new FitOptions().validationSplit(0.95).verbose(false)));  // int(10 * 0.05) = 0 left to train
        }
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("val_f1", 1, 0, true));
    }

    @Test
    void clipnormBoundsEachUpdateDirection() {
        // With a tiny clip norm every gradient is rescaled; Adam's first step is then still ±lr per
        // weight (it normalises), but its moments see the clipped gradient: the m tensor differs.
        int[][] x = randomIds(32, 8, 10, 7);
        float[] y = containsOne(x);
        float[] plain, clipped;
        try (Sequential m = binaryModel(8)) {
            m.fit(x, y, new FitOptions().epochs(3).batchSize(32).shuffle(false).verbose(false));
            plain = weights(m);
        }
        try (Sequential m = new Sequential(new Embedding(10, 6, 8), new Lstm(8), new Dense(1, "sigmoid")).seed(8)) {
            m.compile("binary_crossentropy", new Adam(0.02f).globalClipnorm(1e-6f), "accuracy");
            m.fit(x, y, new FitOptions().epochs(3).batchSize(32).shuffle(false).verbose(false));
            clipped = weights(m);
        }
        assertEquals(plain.length, clipped.length);
        boolean differs = false;
        for (int i = 0; i < plain.length; i++) differs |= Math.abs(plain[i] - clipped[i]) > 1e-6;
        assertTrue(differs, "clipping changes the trajectory");
        assertThrows(IllegalArgumentException.class, () -> new Adam().clipnorm(0));
    }

    @Test
    void softmaxWithSparseCategoricalCrossentropyLearnsThreeClasses() {
        // class = which of the tokens 1, 2, 3 occurs first
        int[][] x = randomIds(300, 6, 8, 9);
        float[] y = new float[x.length];
        for (int n = 0; n < x.length; n++) {
            for (int id : x[n]) if (id >= 1 && id <= 3) { y[n] = id - 1; break; }
        }
        try (Sequential m = new Sequential(new Embedding(8, 8, 6), new Lstm(12), new Dense(3, "softmax")).seed(4)) {
            m.compile("sparse_categorical_crossentropy", new Adam(0.02f), "accuracy");
            History h = m.fit(x, y, new FitOptions().epochs(15).batchSize(30).verbose(false));
            assertTrue(h.last().accuracy() > 0.85, "train accuracy " + h.last().accuracy());
            float[] p = m.predict(x, 64);
            assertEquals(3 * x.length, p.length);
            for (int n = 0; n < x.length; n++) assertEquals(1.0, p[3 * n] + p[3 * n + 1] + p[3 * n + 2], 1e-5, "softmax rows sum to 1");
            assertThrows(IllegalArgumentException.class, () -> m.fit(new int[][] {x[0]}, new float[] {3}, new FitOptions().verbose(false)));
            assertThrows(IllegalArgumentException.class, () -> m.fit(new int[][] {x[0]}, new float[] {1.5f}, new FitOptions().verbose(false)));
        }
    }

    @Test
    void frozenEmbeddingGetsNoUpdateWhileTheRestTrains() {
        int[][] x = randomIds(64, 8, 10, 11);
        float[] y = containsOne(x);
        try (Sequential m = new Sequential(new Embedding(10, 6, 8).trainable(false), new Lstm(8), new Dense(1, "sigmoid")).seed(12)) {
            m.compile("binary_crossentropy", new Adam(0.02f), "accuracy");
            Tensor table = m.layers().get(0).parameters().get(0).value();
            float[] before = table.toArray(), lstmBefore = m.layers().get(1).parameters().get(0).value().toArray();
            m.fit(x, y, new FitOptions().epochs(2).batchSize(16).verbose(false));
            assertArrayEquals(before, table.toArray(), 0f, "frozen table unchanged");
            float[] lstmAfter = m.layers().get(1).parameters().get(0).value().toArray();
            boolean moved = false;
            for (int i = 0; i < lstmAfter.length; i++) moved |= lstmAfter[i] != lstmBefore[i];
            assertTrue(moved, "the LSTM still trains");
        }
    }
}
