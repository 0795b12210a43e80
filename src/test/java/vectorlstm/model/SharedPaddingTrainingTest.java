package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.memory.Tensor;

/**
 * Training with the rows' shared padding computed once ({@link Sequential#skipSharedPadding})
 * against training through every step: the same loss and the same gradients for every weight,
 * including the padding token's embedding row, on rows with no, some and only padding. Unit counts
 * fill and overrun whole vectors at every width (37, 100).
 */
class SharedPaddingTrainingTest {
    @ParameterizedTest
    @CsvSource({"37, 1, true", "100, 1, true", "37, 3, false", "8, 2, true"})
    void sameLossAndGradientsAsRunningEveryStep(int units, int outputs, boolean trainableEmbedding) {
        int steps = 40, vocab = 30, b = 13;
        Random r = new Random(units);
        int[][] x = new int[b][steps];
        float[] y = new float[b];
        for (int i = 0; i < b; i++) {
            int pads = i == 0 ? 0 : i == 1 ? steps : i == 2 ? steps - 1 : r.nextInt(steps);
            for (int t = pads; t < steps; t++) x[i][t] = 1 + r.nextInt(vocab - 1);
            y[i] = outputs == 1 ? i % 2 : i % outputs;
        }
        String loss = outputs == 1 ? "binary_crossentropy" : "sparse_categorical_crossentropy";
        try (Sequential m = new Sequential(new Embedding(vocab, 6, steps).trainable(trainableEmbedding), new Lstm(units),
                new Dense(outputs, outputs == 1 ? "sigmoid" : "softmax")).seed(units).threads(1)) {
            m.compile(loss, new Adam(), "accuracy");
            // Make the padding token matter: a large embedding row 0 drives the shared trajectory.
            Tensor table = m.layers().get(0).parameters().get(0).value();
            for (int j = 0; j < 6; j++) table.set(j, 0.9f * (j % 2 == 0 ? 1 : -1));

            Step skipping = step(m, x, y, true), everyStep = step(m, x, y, false);
            assertEquals(everyStep.loss, skipping.loss, 1e-6 * Math.max(1, Math.abs(everyStep.loss)), "loss");
            assertEquals(everyStep.grads.size(), skipping.grads.size());
            for (int k = 0; k < everyStep.grads.size(); k++) {
                float[] want = everyStep.grads.get(k), got = skipping.grads.get(k);
                double scale = 1e-8;
                for (float v : want) scale = Math.max(scale, Math.abs(v));
                for (int i = 0; i < want.length; i++) {
                    assertTrue(Math.abs(want[i] - got[i]) <= 1e-5 * scale + 1e-7,
                            "gradient " + k + "[" + i + "]: every step " + want[i] + ", shared padding " + got[i]);
                }
            }
        }
    }

    private record Step(double loss, List<float[]> grads) {}

    private static Step step(Sequential m, int[][] x, float[] y, boolean skip) {
        int b = x.length;
        try (WorkerPool pool = new WorkerPool(m.layers(), x[0].length, b, 1, skip, false)) {  // the row path (TokenInputTrainingTest: per token)
            Worker w = pool.workers[0];
            w.stage(new Samples.Tokens(x), y, null, 0, b, true);
            w.trainStep(b, 1f / b, m.loss(), 0);
            List<float[]> grads = new ArrayList<>();
            for (List<Tensor> layer : w.grads) for (Tensor g : layer) if (g != null) grads.add(g.toArray());
            return new Step(w.result.lossSum / b, grads);
        }
    }
}
