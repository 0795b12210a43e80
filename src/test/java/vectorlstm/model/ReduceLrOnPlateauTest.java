package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keras' ReduceLROnPlateau rules (reduce_lr_on_plateau.py), epoch by epoch. */
class ReduceLrOnPlateauTest {
    private static History.Epoch loss(int epoch, double loss) { return new History.Epoch(epoch, loss, 0.5, Double.NaN, Double.NaN, 1); }

    /** The learning rate after each epoch, given the training losses of the epochs. */
    private static float[] rates(ReduceLrOnPlateau p, Optimizer o, PrintStream log, double... losses) {
        ReduceLrOnPlateau.Tracker t = p.start(false);
        float[] out = new float[losses.length];
        for (int e = 0; e < losses.length; e++) {
            t.epochEnded(loss(e + 1, losses[e]), o, log);
            out[e] = o.learningRate();
        }
        return out;
    }

    @Test
    void reducesAfterPatienceEpochsWithoutImprovementAndStopsAtMinLr() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ReduceLrOnPlateau p = new ReduceLrOnPlateau("loss", 0.5, 2, 0, 0.02, 0);
        float[] r = rates(p, new Sgd(0.1f), log, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9);
        // epoch 4: second epoch without improvement, 0.1 -> 0.05; epoch 6: 0.025; epoch 8: max(0.0125, 0.02); then at minLr, no change
        float[] want = {0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.025f, 0.025f, 0.02f, 0.02f, 0.02f};
        for (int e = 0; e < want.length; e++) assertEquals(want[e], r[e], 1e-9, "after epoch " + (e + 1));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Epoch 4: ReduceLROnPlateau reducing learning rate to 0.05."), text);
        assertEquals(3, text.lines().count(), "one line per reduction, none at minLr:\n" + text);
    }

    @Test
    void anImprovementSmallerThanMinDeltaDoesNotCount() {
        float[] r = rates(new ReduceLrOnPlateau("loss", 0.1, 1, 0.01, 0, 0), new Adam(0.01f), null, 1.0, 0.995, 0.98);
        assertEquals(0.01f, r[0]);
        assertEquals(0.001f, r[1], 1e-9, "0.995 is within minDelta of 1.0");
        assertEquals(0.001f, r[2], 1e-9, "0.98 improves on 1.0 by more than minDelta");
    }

    @Test
    void cooldownWaitsBeforeCountingAgain() {
        double[] flat = {1, 1, 1, 1, 1};
        float[] none = rates(new ReduceLrOnPlateau("loss", 0.5, 1, 0, 0, 0), new Sgd(0.8f), null, flat);
        float[] cool = rates(new ReduceLrOnPlateau("loss", 0.5, 1, 0, 0, 2), new Sgd(0.8f), null, flat);
        assertEquals("0.8 0.4 0.2 0.1 0.05", join(none));
        // reduced at epoch 2; epochs 3 and 4 cool down (the counter reaches 0 in epoch 4, which then counts again)
        assertEquals("0.8 0.4 0.4 0.2 0.2", join(cool));
    }

    @Test
    void accuracyMonitorsWantHigherValues() {
        ReduceLrOnPlateau.Tracker t = new ReduceLrOnPlateau("val_accuracy", 0.5, 1, 0, 0, 0).start(true);
        Sgd sgd = new Sgd(0.1f);
        t.epochEnded(new History.Epoch(1, 1, 0.5, 1, 0.6, 1), sgd, null);
        t.epochEnded(new History.Epoch(2, 1, 0.5, 1, 0.7, 1), sgd, null);
        assertEquals(0.1f, sgd.learningRate(), "accuracy went up");
        t.epochEnded(new History.Epoch(3, 1, 0.5, 1, 0.65, 1), sgd, null);
        assertEquals(0.05f, sgd.learningRate(), 1e-9, "accuracy went down");
    }

    @Test
    void aNanLossNeverImproves() {
        // Keras (best starts at +inf, NaN < best is false): every NaN epoch waits. Here NaN was the best so far, and nothing was lowered.
        assertEquals("0.5 0.25 0.125 0.0625", join(rates(new ReduceLrOnPlateau("loss", 0.5, 1, 0, 0, 0), new Sgd(1f), null, Double.NaN, Double.NaN, Double.NaN, Double.NaN)));
    }

    @Test
    void kerasDefaults() {
        ReduceLrOnPlateau p = new ReduceLrOnPlateau("val_loss");
        assertEquals(new ReduceLrOnPlateau("val_loss", 0.1, 10, 1e-4, 0, 0), p);
    }

    @Test
    void badArgumentsAreClearErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ReduceLrOnPlateau("loss", 1.0, 1, 0, 0, 0)).getMessage().contains("factor in (0, 1), got 1.0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ReduceLrOnPlateau("loss", Double.NaN, 1, 0, 0, 0)).getMessage().contains("got NaN"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ReduceLrOnPlateau("loss", 0.5, -1, 0, 0, 0)).getMessage().contains("patience >= 0, got -1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ReduceLrOnPlateau("loss", 0.5, 1, 0, -1, 0)).getMessage().contains("minLr >= 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ReduceLrOnPlateau("loss", 0.5, 1, 0, 0, -2)).getMessage().contains("cooldown >= 0, got -2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ReduceLrOnPlateau("lost")).getMessage().contains("not 'lost'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ReduceLrOnPlateau("val_loss").start(false)).getMessage().contains("needs validation data"));
    }

    private static String join(float[] r) {
        StringBuilder s = new StringBuilder();
        for (float v : r) s.append(s.isEmpty() ? "" : " ").append(v);
        return s.toString();
    }
}
