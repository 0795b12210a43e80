package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;

/** Each optimizer trains a tiny LSTM on "does the sequence contain word 1": the loss must fall. */
class OptimizerFitTest {
    private static final int N = 160, STEPS = 8, VOCAB = 10;
    private static final ContainsWordOne DATA = ContainsWordOne.of(N, STEPS, VOCAB, 11);
    private static final int[][] X = DATA.x();
    private static final float[] Y = DATA.y();

    private static History fit(Optimizer o, FitOptions options) {
        try (Sequential m = new Sequential(new Embedding(VOCAB, 6, STEPS), new Lstm(8), new Dense(1, "sigmoid")).seed(5)) {
            m.compile("binary_crossentropy", o, "accuracy");
            return m.fit(X, Y, options);
        }
    }

    private static void assertLearns(Optimizer o) {
        History h = fit(o, new FitOptions().epochs(6).batchSize(16).verbose(false));
        double first = h.epochs().get(0).loss(), last = h.last().loss();
        assertTrue(last < 0.8 * first, o.name() + ": loss " + first + " -> " + last + " should fall by a fifth");
    }

    @Test void sgdWithNesterovMomentumLearns() { assertLearns(new Sgd(0.1f, 0.9f, true)); }
    @Test void plainSgdLearns() { assertLearns(new Sgd(2f)); }  // no momentum: a large step to get anywhere in six epochs
    @Test void rmspropLearns() { assertLearns(new RmsProp(0.01f)); }
    @Test void centeredRmspropWithMomentumLearns() { assertLearns(new RmsProp(0.005f, 0.9f, 0.5f, 1e-7f, true)); }
    @Test void adamwLearns() { assertLearns(new AdamW(0.02f)); }
    @Test void adamWithClipvalueAndCosineScheduleLearns() {
        assertLearns(new Adam(0.03f).clipvalue(0.5f).schedule(new LearningRateSchedule.CosineDecay(6 * 10, 0.1)));
    }

    @Test
    void reduceLrOnPlateauLowersTheRateDuringFitAndSaysSo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Sgd sgd = new Sgd(0.05f);
        // minDelta 10: no epoch counts as an improvement after the first, so with patience 1 the rate halves every epoch from the second.
        fit(sgd, new FitOptions().epochs(4).batchSize(32).log(new PrintStream(bytes, true, StandardCharsets.UTF_8)).terminal(false)
                .reduceLrOnPlateau(new ReduceLrOnPlateau("loss", 0.5, 1, 10, 0, 0)));
        assertEquals(0.05f / 8, sgd.learningRate(), 1e-9);
        String log = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("Epoch 2: ReduceLROnPlateau reducing learning rate to 0.025."), log);
        assertTrue(log.contains("Epoch 4: ReduceLROnPlateau reducing learning rate to 0.00625."), log);
    }
}
