package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import vectorlstm.layers.Initializer;
import vectorlstm.layers.Parameter;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Three updates of each optimizer on a 5-element weight against Keras 3's formulas. The expected
 * weights were computed in float64 with numpy by tools/optimizers/keras_steps.py (written from
 * keras/src/optimizers/*.py, not from the Java code); rerun it to re-check them.
 */
class OptimizersTest {
    private static final float[] W0 = {0.5f, -1.0f, 0.25f, 2.0f, -0.75f};
    private static final float[][] GRADS = {
        {0.1f, -0.4f, 1.5f, -2.0f, 0.05f},
        {-0.3f, 0.2f, 0.8f, -1.0f, 0.6f},
        {0.05f, -0.9f, -0.2f, 0.7f, 1.2f},
    };

    // python3 tools/optimizers/keras_steps.py
    private static final double[] SGD_PLAIN = {0.515, -0.89, 0.04, 2.23, -0.935};
    private static final double[] SGD_MOMENTUM = {0.5249, -0.8396, -0.2885, 2.662, -0.99755};
    private static final double[] SGD_NESTEROV = {0.53741, -0.74564, -0.44465, 2.8258, -1.157795};
    private static final double[] SGD_MOMENTUM_CLIPVALUE = {0.5225, -0.91, 0.1075, 2.1125, -0.88375};
    private static final double[] SGD_CLIPNORM = {0.5136122911, -0.9439659478, 0.1479859615, 2.105472865, -0.865023159};
    private static final double[] SGD_STEP_DECAY = {0.5175, -0.935, 0.03, 2.265, -0.875};
    private static final double[] RMSPROP_PLAIN = {0.4933055854, -0.9543072894, 0.2069305824, 2.036079522, -0.8416958619};
    private static final double[] RMSPROP_CENTERED = {0.4922341559, -0.950942063, 0.2039471978, 2.038844986, -0.8483573426};
    private static final double[] RMSPROP_MOMENTUM = {0.4663692249, -0.9135022504, 0.1389085498, 2.103424238, -0.9241319336};
    private static final double[] RMSPROP_CENTERED_MOMENTUM_CLIPVALUE = {0.4826584556, -0.9380885959, 0.1631369011, 2.077178461, -0.8842810983};
    private static final double[] ADAMW_DEFAULT_DECAY = {0.4976577243, -0.9805803613, 0.2240757354, 2.024046698, -0.7763527693};
    private static final double[] ADAMW_STRONG_DECAY_CLIPVALUE = {0.4962336667, -0.9782272263, 0.2235829006, 2.016595817, -0.7747226862};
    private static final double[] ADAM_CLIPVALUE = {0.4977171196, -0.9812015741, 0.224302161, 2.022619809, -0.7769984966};

    /** Three steps of {@code o} from W0, with the given learning-rate scale on the weight. */
    private static float[] threeSteps(Optimizer o, float lrScale) {
        try (Arena arena = Arena.ofConfined()) {
            Slab slab = Slab.allocate(arena, 1 << 12);
            Parameter p = new Parameter("w", Initializer.zeros(), W0.length);
            p.setLearningRateScale(lrScale);
            p.bind(slab.tensor(W0.length));
            p.value().copyFrom(W0);
            Tensor g = slab.tensor(W0.length);
            o.allocateState(slab, List.of(p));
            for (float[] step : GRADS) {
                g.copyFrom(step);
                o.step(List.of(p), List.of(g));
                for (int i = 0; i < step.length; i++) assertEquals(step[i], g.get(i), "the gradient is left as it was");
            }
            assertEquals(GRADS.length, o.iterations());
            return p.value().toArray();
        }
    }

    private static void assertSteps(double[] want, Optimizer o) {
        float[] got = threeSteps(o, 1f);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 2e-6, o.name() + " weight " + i);
    }

    @Test void sgdPlain() { assertSteps(SGD_PLAIN, new Sgd(0.1f)); }
    @Test void sgdMomentum() { assertSteps(SGD_MOMENTUM, new Sgd(0.1f, 0.9f, false)); }
    @Test void sgdNesterov() { assertSteps(SGD_NESTEROV, new Sgd(0.1f, 0.9f, true)); }
    @Test void sgdMomentumClipvalue() { assertSteps(SGD_MOMENTUM_CLIPVALUE, new Sgd(0.1f, 0.5f, false).clipvalue(0.5f)); }
    @Test void sgdClipnorm() { assertSteps(SGD_CLIPNORM, new Sgd(0.1f).clipnorm(1f)); }
    /** One weight: the global norm is its own norm, so global clipping gives clipnorm's numbers. */
    @Test void sgdGlobalClipnormOnOneWeight() { assertSteps(SGD_CLIPNORM, new Sgd(0.1f).globalClipnorm(1f)); }
    @Test void sgdStepDecaySchedule() { assertSteps(SGD_STEP_DECAY, new Sgd(0.1f).schedule(LearningRateSchedule.stepDecay(2, 0.5))); }
    @Test void rmspropPlain() { assertSteps(RMSPROP_PLAIN, new RmsProp(0.01f)); }
    @Test void rmspropCentered() { assertSteps(RMSPROP_CENTERED, new RmsProp(0.01f, 0.9f, 0f, 1e-7f, true)); }
    @Test void rmspropMomentum() { assertSteps(RMSPROP_MOMENTUM, new RmsProp(0.01f, 0.9f, 0.9f, 1e-7f, false)); }
    @Test void rmspropCenteredMomentumClipvalue() {
        assertSteps(RMSPROP_CENTERED_MOMENTUM_CLIPVALUE, new RmsProp(0.01f, 0.9f, 0.5f, 1e-7f, true).clipvalue(0.5f));
    }
    @Test void adamwDefaultDecay() { assertSteps(ADAMW_DEFAULT_DECAY, new AdamW(0.01f)); }
    @Test void adamwStrongDecayClipvalue() { assertSteps(ADAMW_STRONG_DECAY_CLIPVALUE, new AdamW(0.01f, 0.1f).clipvalue(0.5f)); }
    @Test void adamClipvalue() { assertSteps(ADAM_CLIPVALUE, new Adam(0.01f).clipvalue(0.5f)); }

    @Test
    void kerasDefaults() {
        Sgd sgd = new Sgd();
        assertEquals(0.01f, sgd.learningRate());
        assertEquals(0f, sgd.momentum());
        assertEquals(false, sgd.nesterov());
        RmsProp rms = new RmsProp();
        assertEquals(0.001f, rms.learningRate());
        assertEquals(0.9f, rms.rho());
        assertEquals(0f, rms.momentum());
        assertEquals(1e-7f, rms.epsilon());
        assertEquals(false, rms.centered());
        AdamW adamw = new AdamW();
        assertEquals(0.001f, adamw.learningRate());
        assertEquals(0.004f, adamw.weightDecay());
        assertEquals("sgd rmsprop adamw adam", String.join(" ", sgd.name(), rms.name(), adamw.name(), new Adam().name()));
        assertTrue(Float.isNaN(new Adam().clipvalue()) && Float.isNaN(sgd.clipnorm()) && Float.isNaN(rms.globalClipnorm()));
    }

    @Test
    void aWeightsLearningRateScaleScalesEveryOptimizersStep() {
        // Plain SGD is linear in lr: half the scale, half the distance moved.
        float[] half = threeSteps(new Sgd(0.1f), 0.5f);
        for (int i = 0; i < W0.length; i++) assertEquals((W0[i] + SGD_PLAIN[i]) / 2, half[i], 2e-6, "sgd weight " + i);
        // The others: scale 0.5 at lr 0.02 is lr 0.01 at scale 1 (for AdamW the decay is scaled too).
        assertArrayClose(threeSteps(new RmsProp(0.01f, 0.9f, 0.5f, 1e-7f, true), 1f), threeSteps(new RmsProp(0.02f, 0.9f, 0.5f, 1e-7f, true), 0.5f));
        assertArrayClose(threeSteps(new AdamW(0.01f, 0.1f), 1f), threeSteps(new AdamW(0.02f, 0.1f), 0.5f));
    }

    private static void assertArrayClose(float[] want, float[] got) {
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-6, "weight " + i);
    }

    @Test
    void setLearningRateChangesTheNextStepAndCurrentRateFollowsTheSchedule() {
        Sgd sgd = new Sgd(0.1f).schedule(new LearningRateSchedule.CosineDecay(4, 0));
        assertEquals(0.1f, sgd.currentLearningRate(), 1e-9);
        threeSteps(sgd, 1f);
        assertEquals(0.1 * 0.5 * (1 + Math.cos(Math.PI * 3 / 4)), sgd.currentLearningRate(), 1e-8);
        sgd.setLearningRate(0.05f);
        assertEquals(0.05f, sgd.learningRate());
        assertEquals(0.05 * 0.5 * (1 + Math.cos(Math.PI * 3 / 4)), sgd.currentLearningRate(), 1e-8);
    }

    private static void assertMessage(String fragment, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(fragment), "'" + x.getMessage() + "' should say '" + fragment + "'");
    }

    @Test
    void badArgumentsAreClearErrors() {
        assertMessage("sgd needs a learning rate > 0", () -> new Sgd(-0.1f));
        assertMessage("learning rate > 0 and finite, got NaN", () -> new RmsProp(Float.NaN));
        assertMessage("adamw needs lr > 0", () -> new AdamW(0f));
        assertMessage("sgd needs momentum in [0, 1), got 1.0", () -> new Sgd(0.1f, 1f, false));
        assertMessage("sgd needs momentum in [0, 1), got NaN", () -> new Sgd(0.1f, Float.NaN, false));
        assertMessage("nesterov needs a momentum > 0", () -> new Sgd(0.1f, 0f, true));
        assertMessage("rmsprop needs momentum in [0, 1), got 1.5", () -> new RmsProp(0.1f, 0.9f, 1.5f, 1e-7f, false));
        assertMessage("rmsprop needs rho in [0, 1), got -0.1", () -> new RmsProp(0.1f, -0.1f, 0f, 1e-7f, false));
        assertMessage("rmsprop needs epsilon > 0", () -> new RmsProp(0.1f, 0.9f, 0f, 0f, false));
        assertMessage("adamw needs weight decay >= 0 and finite, got -0.004", () -> new AdamW(0.001f, -0.004f));
        assertMessage("adamw needs weight decay >= 0 and finite, got NaN", () -> new AdamW(0.001f, Float.NaN));
        assertMessage("clipvalue must be > 0 and finite, got -1.0", () -> new Sgd().clipvalue(-1f));
        assertMessage("clipvalue must be > 0 and finite, got NaN", () -> new Adam().clipvalue(Float.NaN));
        assertMessage("clipnorm must be > 0 and finite, got 0.0", () -> new RmsProp().clipnorm(0f));
        assertMessage("only one of clipnorm, globalClipnorm and clipvalue", () -> new Adam().clipnorm(1f).clipvalue(0.5f));
        assertMessage("only one of clipnorm, globalClipnorm and clipvalue", () -> new Sgd().clipvalue(0.5f).globalClipnorm(1f));
        assertMessage("schedule must not be null", () -> new AdamW().schedule(null));
        assertMessage("learning rate > 0 and finite, got -1.0", () -> new Adam().setLearningRate(-1f));
    }
}
