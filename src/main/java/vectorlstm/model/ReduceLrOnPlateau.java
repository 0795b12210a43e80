package vectorlstm.model;

import java.io.PrintStream;

/**
 * Keras' {@code ReduceLROnPlateau} callback (keras/src/callbacks/reduce_lr_on_plateau.py), as a
 * fit option: when {@code monitor} has not improved by more than {@code minDelta} for
 * {@code patience} epochs, the optimizer's learning rate becomes {@code max(lr · factor, minLr)}
 * (nothing happens once it is at minLr), then {@code cooldown} epochs pass before waiting starts
 * again. Defaults as Keras': val_loss, factor 0.1, patience 10, minDelta 1e-4, minLr 0, cooldown 0.
 * Monitors and "improved" are those of {@link EarlyStopping} (loss lower, accuracy higher).
 * With a {@link LearningRateSchedule} it lowers the base rate, so the whole schedule is scaled.
 */
public record ReduceLrOnPlateau(String monitor, double factor, int patience, double minDelta, double minLr, int cooldown) {
    public ReduceLrOnPlateau {
        if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("ReduceLrOnPlateau needs a factor in (0, 1), got " + factor);
        if (patience < 0) throw new IllegalArgumentException("ReduceLrOnPlateau needs patience >= 0, got " + patience);
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) throw new IllegalArgumentException("ReduceLrOnPlateau needs minDelta >= 0 and finite, got " + minDelta);
        if (!(minLr >= 0) || Double.isInfinite(minLr)) throw new IllegalArgumentException("ReduceLrOnPlateau needs minLr >= 0 and finite, got " + minLr);
        if (cooldown < 0) throw new IllegalArgumentException("ReduceLrOnPlateau needs cooldown >= 0, got " + cooldown);
        monitor = EarlyStopping.monitorName("ReduceLrOnPlateau", monitor);
    }

    /** Keras' defaults on {@code monitor}. */
    public ReduceLrOnPlateau(String monitor) { this(monitor, 0.1, 10, 1e-4, 0, 0); }

    /** The monitor and improvement test, shared with early stopping. */
    private static EarlyStopping watch(String monitor, double minDelta) {
        return new EarlyStopping(monitor, 0, minDelta, false);
    }

    boolean needsValidation() { return monitor.startsWith("val_"); }

    /** The state of one fit: best value so far, epochs waited, cooldown left. */
    final class Tracker {
        private final EarlyStopping watch = watch(monitor, minDelta);
        private double best = Double.NaN;
        private int wait, cooldownLeft;

        /** After epoch {@code e}: maybe lowers the optimizer's rate, and says so on {@code log} (null: quiet). */
        void epochEnded(History.Epoch e, Optimizer optimizer, PrintStream log) {
            double current = watch.value(e);
            if (cooldownLeft > 0) {
                cooldownLeft--;
                wait = 0;
            }
            if (watch.improves(current, best)) {
                best = current;
                wait = 0;
            } else if (cooldownLeft == 0 && ++wait >= patience) {
                float old = optimizer.learningRate();
                if (old > (float) minLr) {
                    float lowered = (float) Math.max(old * factor, minLr);
                    if (lowered <= 0) return;  // minLr 0 and an underflow: keep the smallest rate there is
                    optimizer.setLearningRate(lowered);
                    if (log != null) log.println("Epoch " + e.epoch() + ": ReduceLROnPlateau reducing learning rate to " + lowered + ".");
                    cooldownLeft = cooldown;
                    wait = 0;
                }
            }
        }

        TrainingState.Watch capture() { return new TrainingState.Watch(best, -1, wait, cooldownLeft, null); }

        void restore(TrainingState.Watch w) {
            best = w.best();
            wait = w.epochsWaited();
            cooldownLeft = w.cooldownLeft();
        }
    }

    /** A fresh state for one fit; validation monitors need validation data. */
    Tracker start(boolean hasValidation) {
        if (needsValidation() && !hasValidation) {
            throw new IllegalArgumentException("ReduceLrOnPlateau on " + monitor + " needs validation data (FitOptions.validationSplit or validationData; ./lstm train: --validation-split above 0)");
        }
        return new Tracker();
    }
}
