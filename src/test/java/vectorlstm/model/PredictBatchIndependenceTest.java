package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;

/**
 * A sequence's batched prediction must not depend on which sequences share its batch: Spark
 * (docs/scale-out.md) cuts the same texts into other batches than a single process does, and its
 * scores must agree with the single process bit for bit. Checked on the packed path with enough
 * units for several vector blocks and a compact tail, rows of every padding length (so the number
 * of rows stepped together changes from step to step), in one batch, in odd slices, one by one,
 * reversed, and on one thread or two.
 */
class PredictBatchIndependenceTest {
    private static final int STEPS = 40, VOCAB = 50;

    @Test
    void eachRowGetsTheSameBitsWhateverItsNeighbours() {
        int[][] x = sequences(301, 11);
        try (Sequential m = new Sequential(new Embedding(VOCAB, 16, STEPS), new Lstm(37), new Dense(1, "sigmoid")).seed(5)) {
            m.build();
            float[] all = m.predict(x, 64);
            for (int slice : new int[] {1, 3, 7, 64, 65}) assertSameBits(all, inSlices(m, x, slice), "slices of " + slice);
            assertSameBits(all, reversed(m.predict(reversed(x), 64)), "reversed order");
            m.threads(1);
            assertSameBits(all, m.predict(x, 64), "one thread");
        }
    }

    /**
     * A model of any length predicts on the same packed path, its rows of different lengths stepped
     * together aligned at their ends: each row gets the bits it gets alone, in any slice, and the
     * bits of a fixed-length model with the same weights at that row's length; a scorer agrees
     * within rounding (other kernels).
     */
    @Test
    void rowsOfAnyLengthGetTheBitsOfTheirOwnLength() {
        Random r = new Random(17);
        int[][] x = new int[150][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new int[1 + r.nextInt(STEPS + 20)];
            int pad = i % 10 == 0 ? x[i].length : r.nextInt(x[i].length + 1);  // some all padding
            for (int t = pad; t < x[i].length; t++) x[i][t] = 1 + r.nextInt(VOCAB - 1);
        }
        try (Sequential m = new Sequential(new Embedding(VOCAB, 16, vectorlstm.layers.Shape.VARIABLE), new Lstm(37), new Dense(1, "sigmoid")).seed(5);
             Scorer scorer = m.newScorer()) {
            m.build();
            float[] all = m.predict(x, 64);
            for (int slice : new int[] {1, 7, 65}) assertSameBits(all, inSlices(m, x, slice), "slices of " + slice);
            m.threads(1);
            assertSameBits(all, m.predict(x, 64), "one thread");
            for (int i = 0; i < x.length; i++) assertEquals(scorer.score(x[i]), all[i], 1e-5, "row " + i + " against a scorer");
            for (int i : new int[] {0, 1, 2, 3, 10}) {  // row 0 and 10 all padding
                try (Sequential fixed = new Sequential(new Embedding(VOCAB, 16, x[i].length), new Lstm(37), new Dense(1, "sigmoid"))) {
                    fixed.build();
                    fixed.setWeights(m.getWeights());
                    assertSameBits(new float[] {all[i]}, fixed.predict(new int[][] {x[i]}, 64), "row " + i + " (length " + x[i].length + ") against a model of that length");
                }
            }
        }
    }

    private static float[] inSlices(Sequential m, int[][] x, int slice) {
        float[] out = new float[x.length];
        for (int from = 0; from < x.length; from += slice) {
            int n = Math.min(slice, x.length - from);
            int[][] part = new int[n][];
            System.arraycopy(x, from, part, 0, n);
            System.arraycopy(m.predict(part, 64), 0, out, from, n);
        }
        return out;
    }

    private static void assertSameBits(float[] expected, float[] actual, String how) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    how + ": row " + i + " scored " + actual[i] + ", in one batch " + expected[i]);
        }
    }

    /** Pre-padded rows: none, all and every amount of padding between, in a seeded order. */
    private static int[][] sequences(int n, long seed) {
        Random r = new Random(seed);
        int[][] x = new int[n][STEPS];
        for (int i = 0; i < n; i++) {
            int pad = r.nextInt(STEPS + 1);
            for (int t = pad; t < STEPS; t++) x[i][t] = 1 + r.nextInt(VOCAB - 1);
        }
        return x;
    }

    private static int[][] reversed(int[][] x) {
        int[][] r = new int[x.length][];
        for (int i = 0; i < x.length; i++) r[i] = x[x.length - 1 - i];
        return r;
    }

    private static float[] reversed(float[] x) {
        float[] r = new float[x.length];
        for (int i = 0; i < x.length; i++) r[i] = x[x.length - 1 - i];
        return r;
    }
}
