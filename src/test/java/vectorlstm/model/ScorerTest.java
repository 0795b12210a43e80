package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;

/** The batch-1 scorer, which skips leading padding, against the batched predict path. */
class ScorerTest {
    private static int[][] prePadded(int n, int steps, int vocab, long seed) {
        Random r = new Random(seed);
        int[][] x = new int[n][steps];
        for (int i = 0; i < n; i++) {
            int pad = i == 0 ? 0 : i == 1 ? steps : r.nextInt(steps + 1);  // none, all, and anything between
            for (int t = pad; t < steps; t++) x[i][t] = 1 + r.nextInt(vocab - 1);
        }
        return x;
    }

    private static void agrees(Sequential m, int steps, int vocab) {
        int[][] x = prePadded(40, steps, vocab, 3);
        int units = m.layers().get(m.layers().size() - 1).outputShape().last();
        float[] batched = m.predict(x, 16);
        try (Scorer s = m.newScorer()) {
            for (int i = 0; i < x.length; i++) {
                float[] one = s.scoreAll(x[i]);
                for (int j = 0; j < units; j++) assertEquals(batched[i * units + j], one[j], 1e-5, "sample " + i + " output " + j);
            }
        }
    }

    @Test
    void skippingThePaddingPrefixGivesThePredictResults() {
        try (Sequential m = new Sequential(new Embedding(30, 8, 25), new Lstm(17), new Dense(1, "sigmoid")).seed(2)) {
            m.build();
            // Make the padding token matter: give row 0 of the table large values.
            var table = m.layers().get(0).parameters().get(0).value();
            for (int j = 0; j < 8; j++) table.set(j, 0.8f * (j % 2 == 0 ? 1 : -1));
            agrees(m, 25, 30);
        }
    }

    @Test
    void stackedLstmsAndSoftmaxHeadsAgreeToo() {
        try (Sequential m = new Sequential(new Embedding(30, 6, 20), new Lstm(9, true), new Lstm(5), new Dense(3, "softmax")).seed(4)) {
            m.build();
            agrees(m, 20, 30);
        }
    }

    @Test
    void aScorerCreatedBeforeFitFollowsTheNewWeights() {
        try (Sequential m = new Sequential(new Embedding(30, 6, 20), new Lstm(9), new Dense(1, "sigmoid")).seed(5)) {
            m.compile("binary_crossentropy", new Adam(0.05f), "accuracy");
            int[][] x = prePadded(32, 20, 30, 6);
            float[] y = new float[32];
            for (int i = 0; i < y.length; i++) y[i] = i % 2;
            try (Scorer early = m.newScorer()) {
                early.score(x[2]);
                m.fit(x, y, new FitOptions().epochs(2).batchSize(8).verbose(false));
                float[] now = m.predict(x, 8);
                for (int i = 0; i < x.length; i++) assertEquals(now[i], early.score(x[i]), 1e-5, "sample " + i);
            }
        }
    }

    @Test
    void badSequencesAreRefused() {
        try (Sequential m = new Sequential(new Embedding(30, 6, 20), new Lstm(9), new Dense(1, "sigmoid")); Scorer s = m.newScorer()) {
            assertThrows(IllegalArgumentException.class, () -> s.score(new int[19]));
            int[] outside = new int[20];
            outside[5] = 30;
            assertThrows(IllegalArgumentException.class, () -> s.score(outside));
        }
    }
}
