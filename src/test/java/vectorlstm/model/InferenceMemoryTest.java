package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import vectorlstm.layers.Bidirectional;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Dropout;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Gru;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.Parameter;
import vectorlstm.layers.Pass;
import vectorlstm.memory.Slab;

/**
 * Evaluation and prediction run on workers made for inference: no parameter gradients and no
 * backward buffers, the same outputs as a training worker's forward, and a refusal when asked to
 * train.
 */
class InferenceMemoryTest {
    private static final int STEPS = 40, BATCH = 16;

    /** Not Embedding → LSTM → Dense, so predict goes through the layers (the packed path would not). */
    private static Sequential stackedModel() {
        Sequential m = new Sequential(new Embedding(3000, 24, STEPS), new Bidirectional(new Lstm(12, true)), new Dropout(0.2f),
                new Gru(10), new Dense(1, "sigmoid")).seed(5).threads(2);
        m.compile("binary_crossentropy", new Adam(0.01f), "accuracy");
        m.build();
        return m;
    }

    private static int[][] ids(int n, long seed) {
        Random r = new Random(seed);
        int[][] x = new int[n][STEPS];
        for (int[] row : x) for (int t = 0; t < STEPS; t++) row[t] = 1 + r.nextInt(2999);
        return x;
    }

    @Test
    void anInferencePoolHoldsNeitherGradientsNorBackwardBuffers() {
        try (Sequential m = stackedModel()) {
            long gradientBytes = 0;
            for (Layer l : m.layers()) for (Parameter p : l.parameters()) if (p.trainable()) gradientBytes += p.value().size() * Float.BYTES;
            try (WorkerPool training = new WorkerPool(m.layers(), STEPS, BATCH, 2, true, true, true);
                 WorkerPool inference = new WorkerPool(m.layers(), STEPS, BATCH, 2, true, true, false)) {
                long saved = training.bytes() - inference.bytes();
                // Each of the two workers holds a gradient per weight; the rest is backward's buffers.
                assertTrue(saved > 2 * gradientBytes, "saved " + saved + " B, gradients alone " + 2 * gradientBytes + " B");
                assertTrue(inference.bytes() < training.bytes() / 2,
                        "inference " + inference.bytes() + " B against training " + training.bytes() + " B");
            }
        }
    }

    @Test
    void predictionOnAnInferencePoolMatchesTheTrainingPoolsForwardBitForBit() {
        int[][] x = ids(50, 1);
        float[] y = new float[50];
        for (int i = 0; i < y.length; i++) y[i] = i % 2;
        try (Sequential m = stackedModel()) {
            float[] before = m.predict(x, BATCH);             // inference pool
            m.fit(x, y, new FitOptions().epochs(1).batchSize(BATCH).verbose(false));  // replaced by a training pool
            float[] onTrainingPool = m.predict(x, BATCH);
            try (Sequential fresh = stackedModel()) {
                fresh.setWeights(m.getWeights());
                float[] onInferencePool = fresh.predict(x, BATCH);
                assertArrayEquals(onTrainingPool, onInferencePool, "same weights, same bits on either kind of pool");
            }
            assertTrue(before.length == onTrainingPool.length && !java.util.Arrays.equals(before, onTrainingPool),
                    "the fit after an inference-only predict trained");
            assertTrue(m.evaluate(x, y, BATCH).loss() >= 0, "evaluate after fit runs on the training pool");
        }
    }

    @Test
    void aModelThatTrainedKeepsATrainingPoolWhenALargerBatchReplacesIt() {
        int[][] x = ids(64, 2);
        float[] y = new float[64];
        for (int i = 0; i < y.length; i++) y[i] = i % 2;
        try (Sequential m = stackedModel()) {
            m.evaluate(x, y, 8);
            assertTrue(!m.currentPool().training, "evaluate before any fit: an inference pool");
            m.fit(x, y, new FitOptions().epochs(1).batchSize(8).verbose(false));
            WorkerPool trained = m.currentPool();
            assertTrue(trained.training, "fit replaced it with a training pool");
            m.evaluate(x, y, 32);
            WorkerPool larger = m.currentPool();
            assertTrue(larger != trained && larger.training && larger.maxBatch == 32, "a larger evaluate grew it, still for training");
            m.fit(x, y, new FitOptions().epochs(1).batchSize(8).verbose(false));
            assertTrue(m.currentPool() == larger, "the next fit reuses it: no rebuild at each switch");
        }
    }

    @Test
    void aStateMadeForInferenceRefusesATrainingPass() {
        try (Sequential m = stackedModel()) {
            try (WorkerPool inference = new WorkerPool(m.layers(), STEPS, BATCH, 1, true, true, false)) {
                assertThrows(IllegalStateException.class, () -> inference.workers[0].trainStep(1, 1f, Loss.parse("binary_crossentropy"), 7L));
            }
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                Slab slab = Slab.allocate(arena, 1 << 20);
                for (Layer l : m.layers()) {
                    if (!(l instanceof Gru || l instanceof Dropout)) continue;
                    Layer.State state = l.newState(slab, 1, STEPS, false);
                    var input = slab.tensor(STEPS, 1, l.inputShape().last());
                    assertThrows(IllegalStateException.class, () -> l.forward(state, input, null, Pass.training(1, 3L)), l.typeName());
                }
            }
        }
    }
}
