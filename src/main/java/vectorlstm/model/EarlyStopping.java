package vectorlstm.model;

/**
 * Keras' {@code EarlyStopping}: stop when {@code monitor} ("val_loss", "val_accuracy", "loss" or
 * "accuracy") has not improved by more than {@code minDelta} for {@code patience} epochs in a row;
 * with {@code restoreBestWeights} the weights of the best epoch are put back at the end of the
 * fit, stopped early or not, as Keras 3 does (tf-keras 2 put them back only after a stop).
 */
public record EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {
    public EarlyStopping {
        monitor = monitorName("EarlyStopping", monitor);
        if (patience < 0 || !(minDelta >= 0) || Double.isInfinite(minDelta)) throw new IllegalArgumentException("EarlyStopping needs patience >= 0 and a finite minDelta >= 0");
    }

    /** Watches val_loss with the given patience and restores the best weights. */
    public static EarlyStopping onValidationLoss(int patience) {
        return new EarlyStopping("val_loss", patience, 0, true);
    }

    /**
     * The history's name of a quantity a callback may watch; {@code who} names the callback in the
     * message. Keras code compiled with metrics=["acc"] watches "acc" or "val_acc": the same
     * accuracy, which this engine's history always records as "accuracy".
     */
    public static String monitorName(String who, String monitor) {
        if (monitor != null) {
            switch (monitor) {
                case "val_loss", "val_accuracy", "loss", "accuracy" -> { return monitor; }
                case "val_acc" -> { return "val_accuracy"; }
                case "acc" -> { return "accuracy"; }
                default -> { }
            }
        }
        throw new IllegalArgumentException(who + " monitors val_loss, val_accuracy, loss or accuracy (or val_acc, acc), not '" + monitor + "'");
    }

    boolean needsValidation() { return monitor.startsWith("val_"); }

    boolean higherIsBetter() { return monitor.endsWith("accuracy"); }

    /** The monitored quantity in epoch {@code e} (NaN for a validation quantity of a fit without validation data). */
    public double value(History.Epoch e) {
        return switch (monitor) {
            case "val_loss" -> e.valLoss();
            case "val_accuracy" -> e.valAccuracy();
            case "loss" -> e.loss();
            default -> e.accuracy();
        };
    }

    /**
     * Whether {@code candidate} beats {@code best} by more than minDelta in the monitor's direction.
     * A NaN best means none yet: any number beats it. A NaN candidate beats nothing, as in Keras
     * (whose best starts at infinity, and {@code NaN < best} is false).
     */
    public boolean improves(double candidate, double best) {
        if (Double.isNaN(candidate)) return false;
        if (Double.isNaN(best)) return true;
        return higherIsBetter() ? candidate > best + minDelta : candidate < best - minDelta;
    }

    /** The state of one fit: the best value so far, its epoch, the epochs waited since. */
    final class Tracker {
        private double best = Double.NaN;
        private int bestEpoch = -1, wait;

        /** After epoch {@code epoch}: whether it is the best so far (its weights are kept then). */
        boolean improved(int epoch, History.Epoch e) {
            double v = value(e);
            if (!improves(v, best)) {
                wait++;
                return false;
            }
            best = v;
            bestEpoch = epoch;
            wait = 0;
            return true;
        }

        /** Keras: stop after {@code patience} epochs without improvement, never after the first epoch (one of NaN does not improve). */
        boolean shouldStop(int epoch) { return wait >= patience && epoch > 1; }

        double best() { return best; }
        int bestEpoch() { return bestEpoch; }

        TrainingState.Watch capture(java.util.List<float[]> bestWeights) {
            return new TrainingState.Watch(best, bestEpoch, wait, 0, bestWeights);
        }

        void restore(TrainingState.Watch w) {
            best = w.best();
            bestEpoch = w.bestEpoch();
            wait = w.epochsWaited();
        }
    }

    Tracker start() { return new Tracker(); }
}
