package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Keras' EarlyStopping rules (early_stopping.py), epoch by epoch, on made-up monitored values. */
class EarlyStoppingTest {
    private static History.Epoch valLoss(int epoch, double v) { return new History.Epoch(epoch, 0.5, 0.5, v, 0.5, 1); }

    /** The epoch the fit stops after (0: it runs them all), and the best epoch, for these val_loss values. */
    private static int[] run(EarlyStopping s, double... values) {
        EarlyStopping.Tracker t = s.start();
        for (int e = 1; e <= values.length; e++) {
            if (!t.improved(e, valLoss(e, values[e - 1])) && t.shouldStop(e)) return new int[] {e, t.bestEpoch()};
        }
        return new int[] {0, t.bestEpoch()};
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovement() {
        EarlyStopping s = new EarlyStopping("val_loss", 2, 0.01, true);
        assertEquals("4 2", join(run(s, 1.0, 0.9, 0.895, 0.95, 0.5)), "0.895 is within minDelta of 0.9");
        assertEquals("0 5", join(run(s, 1.0, 0.9, 0.95, 0.8, 0.7)));
    }

    @Test
    void aNanValueNeverImproves() {
        // Keras: best starts at +inf and NaN < best is false, so NaN epochs only wait; here a NaN
        // was taken as the best so far (its wait reset), and the next number beat it.
        EarlyStopping s = new EarlyStopping("val_loss", 1, 0, true);
        assertEquals("2 -1", join(run(s, Double.NaN, Double.NaN, Double.NaN, Double.NaN)), "stops after epoch 2 (never after the first), no best epoch");
        assertEquals("2 -1", join(run(new EarlyStopping("val_loss", 0, 0, true), Double.NaN, Double.NaN)), "patience 0 too");
        assertEquals("3 1", join(run(new EarlyStopping("val_loss", 2, 0, true), 0.7, Double.NaN, Double.NaN, 0.1)), "NaN epochs after a number wait");
        assertEquals("0 3", join(run(s, Double.NaN, 0.9, 0.8)), "a number after a NaN is the first best");
        assertFalse(s.improves(Double.NaN, Double.NaN));
        assertTrue(s.improves(5.0, Double.NaN));
    }

    private static String join(int[] r) { return r[0] + " " + r[1]; }
}
