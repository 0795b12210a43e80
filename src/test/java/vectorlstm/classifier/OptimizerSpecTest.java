package vectorlstm.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import vectorlstm.model.Adam;
import vectorlstm.model.AdamW;
import vectorlstm.model.LearningRateSchedule;
import vectorlstm.model.Optimizer;
import vectorlstm.model.ReduceLrOnPlateau;
import vectorlstm.model.RmsProp;
import vectorlstm.model.Sgd;

/** What each choice of ./lstm train's optimizer flags builds, and the messages for bad ones. */
class OptimizerSpecTest {
    private static OptimizerSpec spec(String name, float momentum, boolean nesterov, float decay, float clipnorm, float clipvalue, String schedule) {
        return new OptimizerSpec(name, 0.01f, momentum, nesterov, decay, clipnorm, clipvalue, schedule);
    }

    @Test
    void theDefaultIsTodaysAdamWithClipnorm() {
        Adam adam = assertInstanceOf(Adam.class, OptimizerSpec.adam(0.001f, 1f).optimizer(100, 5));
        assertEquals(0.001f, adam.learningRate());
        assertEquals(1f, adam.clipnorm());
        assertTrue(Float.isNaN(adam.clipvalue()) && Float.isNaN(adam.globalClipnorm()));
        assertEquals(0f, adam.weightDecay());
        assertSame(LearningRateSchedule.CONSTANT, adam.schedule());
        assertNull(OptimizerSpec.adam(0.001f, 1f).reduceLrOnPlateau("val_accuracy"));
    }

    @Test
    void eachOptimizerWithItsFlags() {
        Sgd sgd = assertInstanceOf(Sgd.class, spec("sgd", 0.9f, true, 0, Float.NaN, 0.5f, "constant").optimizer(10, 3));
        assertEquals(0.9f, sgd.momentum());
        assertTrue(sgd.nesterov());
        assertEquals(0.5f, sgd.clipvalue());
        assertTrue(Float.isNaN(sgd.clipnorm()));
        RmsProp rms = assertInstanceOf(RmsProp.class, spec("rmsprop", 0.5f, false, 0, 1f, Float.NaN, "constant").optimizer(10, 3));
        assertEquals(0.5f, rms.momentum());
        assertEquals(1f, rms.clipnorm());
        AdamW adamw = assertInstanceOf(AdamW.class, spec("adamw", 0, false, 0.004f, 1f, Float.NaN, "constant").optimizer(10, 3));
        assertEquals(0.004f, adamw.weightDecay());
        assertEquals(0.01f, adamw.learningRate());
    }

    @Test
    void schedulesInEpochsBecomeSteps() {
        // step:2:0.5 with 10 steps per epoch: halves after 20 updates
        Optimizer step = spec("adam", 0, false, 0, 1f, Float.NaN, "step:2:0.5").optimizer(10, 6);
        assertEquals(0.01f, step.currentLearningRate(), 1e-9);
        assertEquals(0.01f, ((Adam) step).schedule().rate(19, 0.01f), 1e-9);
        assertEquals(0.005f, ((Adam) step).schedule().rate(20, 0.01f), 1e-9);
        Sgd cosine = (Sgd) spec("sgd", 0, false, 0, 1f, Float.NaN, "cosine").optimizer(10, 6);
        assertEquals(new LearningRateSchedule.CosineDecay(60, 0), cosine.schedule());
        OptimizerSpec plateau = spec("rmsprop", 0, false, 0, 1f, Float.NaN, "plateau:3:0.2");
        assertSame(LearningRateSchedule.CONSTANT, ((RmsProp) plateau.optimizer(10, 6)).schedule());
        assertEquals(new ReduceLrOnPlateau("val_loss", 0.2, 3, 1e-4, 0, 0), plateau.reduceLrOnPlateau("val_loss"));
    }

    private static void assertMessage(String fragment, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should say '" + fragment + "'");
    }

    @Test
    void badChoicesNameTheFlagAndTheValue() {
        assertMessage("--optimizer must be adam, sgd, rmsprop or adamw, got 'adagrad'", () -> spec("adagrad", 0, false, 0, 1f, Float.NaN, "constant"));
        assertMessage("--learning-rate must be above 0 and finite, got -0.1", () -> new OptimizerSpec("sgd", -0.1f, 0, false, 0, 1f, Float.NaN, "constant"));
        assertMessage("--learning-rate must be above 0 and finite, got Infinity", () -> new OptimizerSpec("sgd", Float.POSITIVE_INFINITY, 0, false, 0, 1f, Float.NaN, "constant"));
        assertMessage("--learning-rate must be above 0 and finite, got NaN", () -> new OptimizerSpec("sgd", Float.NaN, 0, false, 0, 1f, Float.NaN, "constant"));
        // Keras takes a rate of 1 or more (SGD recipes use them); so does the spec.
        assertEquals(2.5f, new OptimizerSpec("sgd", 2.5f, 0, false, 0, 1f, Float.NaN, "constant").learningRate());
        assertMessage("--momentum must be at least 0 and below 1, got 1.0", () -> spec("sgd", 1f, false, 0, 1f, Float.NaN, "constant"));
        assertMessage("--momentum must be at least 0 and below 1, got NaN", () -> spec("sgd", Float.NaN, false, 0, 1f, Float.NaN, "constant"));
        assertMessage("--momentum applies to sgd and rmsprop, not adam", () -> spec("adam", 0.9f, false, 0, 1f, Float.NaN, "constant"));
        assertMessage("--nesterov needs --optimizer sgd and a --momentum above 0", () -> spec("sgd", 0, true, 0, 1f, Float.NaN, "constant"));
        assertMessage("--weight-decay must be at least 0 and below 1, got -0.5", () -> spec("adamw", 0, false, -0.5f, 1f, Float.NaN, "constant"));
        assertMessage("--weight-decay applies to adamw only", () -> spec("adam", 0, false, 0.01f, 1f, Float.NaN, "constant"));
        assertMessage("--clipvalue must be positive and finite, got -1.0", () -> spec("adam", 0, false, 0, Float.NaN, -1f, "constant"));
        assertMessage("--clipnorm and --clipvalue: only one", () -> spec("adam", 0, false, 0, 1f, 0.5f, "constant"));
        for (String bad : new String[] {"linear", "step", "step:2", "step:x:0.5", "step:0:0.5", "step:2:1.5", "plateau:-1:0.5", "plateau:2:0", "cosine:5", "", "step:2:0.5:1"}) {
            assertMessage("--lr-schedule must be constant, step:EPOCHS:FACTOR, cosine or plateau:PATIENCE:FACTOR", () -> spec("adam", 0, false, 0, 1f, Float.NaN, bad));
            assertMessage("got '" + bad + "'", () -> spec("adam", 0, false, 0, 1f, Float.NaN, bad));
        }
        assertMessage("FACTOR must be between 0 and 1", () -> spec("adam", 0, false, 0, 1f, Float.NaN, "step:2:1.5"));
    }
}
