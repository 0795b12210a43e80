package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Rates at chosen step counts, written out from Keras' formulas (learning_rate_schedule.py). */
class LearningRateScheduleTest {
    @Test
    void constantIsTheBaseRate() {
        assertEquals(0.01f, LearningRateSchedule.CONSTANT.rate(0, 0.01f));
        assertEquals(0.01f, LearningRateSchedule.CONSTANT.rate(1_000_000, 0.01f));
    }

    @Test
    void stepDecayDropsByTheFactorEveryNSteps() {
        LearningRateSchedule s = LearningRateSchedule.stepDecay(100, 0.5);
        assertEquals(0.1f, s.rate(0, 0.1f), 1e-9);
        assertEquals(0.1f, s.rate(99, 0.1f), 1e-9);
        assertEquals(0.05f, s.rate(100, 0.1f), 1e-9);
        assertEquals(0.05f, s.rate(199, 0.1f), 1e-9);
        assertEquals(0.0125f, s.rate(300, 0.1f), 1e-9);
    }

    @Test
    void exponentialDecayWithoutStaircaseIsSmooth() {
        LearningRateSchedule s = new LearningRateSchedule.ExponentialDecay(100, 0.5, false);
        assertEquals(0.1 * Math.pow(0.5, 0.5), s.rate(50, 0.1f), 1e-8);
        assertEquals(0.1 * Math.pow(0.5, 2.5), s.rate(250, 0.1f), 1e-8);
    }

    @Test
    void cosineDecayGoesFromTheBaseToAlphaTimesItThenStaysThere() {
        LearningRateSchedule s = new LearningRateSchedule.CosineDecay(1000, 0.1);
        assertEquals(0.2f, s.rate(0, 0.2f), 1e-9);
        // halfway: cos(π/2) = 0, so (1 - 0.1) · 0.5 + 0.1 = 0.55 of the base
        assertEquals(0.2 * 0.55, s.rate(500, 0.2f), 1e-8);
        // a quarter: 0.5 · (1 + cos(π/4)) = 0.8535534
        assertEquals(0.2 * (0.9 * 0.8535533905932737 + 0.1), s.rate(250, 0.2f), 1e-8);
        assertEquals(0.02f, s.rate(1000, 0.2f), 1e-9);
        assertEquals(0.02f, s.rate(5000, 0.2f), 1e-9);
        assertEquals(0f, new LearningRateSchedule.CosineDecay(10, 0).rate(10, 0.2f), 1e-9);
    }

    @Test
    void badArgumentsAreClearErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(0, 0.5)).getMessage().contains("decay steps must be >= 1, got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(10, 1.5)).getMessage().contains("decay rate must be in (0, 1], got 1.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(10, Double.NaN)).getMessage().contains("got NaN"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule.CosineDecay(-5, 0)).getMessage().contains("cosine decay steps must be >= 1, got -5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule.CosineDecay(5, 2)).getMessage().contains("alpha must be in [0, 1], got 2.0"));
    }
}
