package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Gru;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.Parameter;
import vectorlstm.memory.Tensor;

/**
 * Finite differences of the whole model's mean BCE loss (summed in double) against the
 * backward pass, for every weight of a tiny stacked model: Embedding → LSTM(seq) → LSTM → Dense → Dense.
 */
class WholeModelGradientCheckTest {
    @Test
    void everyParameterGradientMatchesCentralDifferences() {
        check(new Sequential(new Embedding(7, 4, 6), new Lstm(9, true), new Lstm(5), new Dense(3, "tanh"), new Dense(1, "sigmoid")),
                "binary_crossentropy", new float[] {1, 0, 1});
    }

    @Test
    void softmaxWithSparseCategoricalCrossentropy() {
        check(new Sequential(new Embedding(7, 4, 6), new Lstm(9), new Dense(4, "softmax")), "sparse_categorical_crossentropy", new float[] {3, 0, 2});
    }

    @Test
    void prePaddedRowsWithTheirSharedPaddingComputedOnce() {
        // 37 units fill and overrun whole vectors at every width; rows with 0, 2 and 6 (all) pads,
        // the padding token's embedding included in the check (it is trained through the trajectory).
        int[][] x = {{3, 1, 4, 1, 5, 6}, {0, 0, 2, 6, 5, 3}, {0, 0, 0, 0, 0, 0}};
        check(new Sequential(new Embedding(7, 4, 6), new Lstm(37), new Dense(1, "sigmoid")), "binary_crossentropy", new float[] {1, 0, 1}, x, 0.3);
    }

    @Test
    void stackedGrusInBothResetModesUnderAMask() {
        // maskZero: the zeros are masked steps, pre- and post-padding, which both GRUs carry through.
        int[][] x = {{3, 1, 4, 1, 5, 6}, {0, 0, 2, 6, 5, 3}, {2, 5, 1, 0, 0, 0}};
        check(new Sequential(new Embedding(7, 4, 6).maskZero(true), new Gru(9, true, false, false), new Gru(5), new Dense(1, "sigmoid")),
                "binary_crossentropy", new float[] {1, 0, 1}, x, 0.6);
    }

    private static void check(Sequential model, String lossName, float[] y) {
        check(model, lossName, y, null, 0.6);
    }

    /** Weights ~ N(0, weightScale²): large enough to leave the linear range, small enough for float differences. */
    private static void check(Sequential model, String lossName, float[] y, int[][] given, double weightScale) {
        int steps = 6, b = 3;
        try (Sequential m = model.seed(5).threads(1)) {
            m.compile(lossName, new Adam(), "accuracy");
            Random r = new Random(2);
            List<Parameter> params = new ArrayList<>();
            for (var l : m.layers()) params.addAll(l.parameters());
            for (Parameter p : params) for (long i = 0; i < p.size(); i++) p.value().set(i, (float) (r.nextGaussian() * weightScale));
            int[][] x = given != null ? given : new int[b][steps];
            if (given == null) for (int[] row : x) for (int t = 0; t < steps; t++) row[t] = r.nextInt(7);

            WorkerPool pool = new WorkerPool(m.layers(), steps, b, 1, true);
            try {
                Worker w = pool.workers[0];
                w.stage(new Samples.Tokens(x), y, null, 0, b, true);
                w.trainStep(b, 1f / b, m.loss(), 0);
                List<Tensor> grads = new ArrayList<>();
                for (List<Tensor> g : w.grads) grads.addAll(g);
                double eps = 1e-2, worst = 0;
                for (int k = 0; k < params.size(); k++) {
                    Tensor v = params.get(k).value();
                    for (long i = 0; i < v.size(); i++) {
                        float saved = v.get(i);
                        v.set(i, (float) (saved + eps));
                        w.evalStep(b, m.loss());
                        double plus = w.result.lossSum / b;
                        v.set(i, (float) (saved - eps));
                        w.evalStep(b, m.loss());
                        double minus = w.result.lossSum / b;
                        v.set(i, saved);
                        double numeric = (plus - minus) / (2 * eps), analytic = grads.get(k).get(i);
                        double err = Math.abs(numeric - analytic) / Math.max(1e-2, Math.abs(numeric) + Math.abs(analytic));
                        assertTrue(err < 2e-2, params.get(k) + "[" + i + "]: numeric " + numeric + " vs analytic " + analytic);
                        worst = Math.max(worst, Math.abs(numeric - analytic));
                    }
                }
                assertTrue(worst < 1e-3, "worst absolute gradient error " + worst);
            } finally {
                pool.close();
            }
        }
    }
}
