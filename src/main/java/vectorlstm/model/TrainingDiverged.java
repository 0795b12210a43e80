package vectorlstm.model;

/**
 * The training loss became NaN or infinite: the run's settings (learning rate, clipping) made the
 * weights blow up. A condition of the user's inputs, not a fault of the engine. With early
 * stopping that restores the best weights, the best epoch before the divergence is restored (the
 * message says so); otherwise the weights are the broken ones (they were overwritten step by step).
 */
public final class TrainingDiverged extends IllegalStateException {  // what fit threw before it had a type of its own
    private final History history;

    TrainingDiverged(String message) {
        this(message, null);
    }

    private TrainingDiverged(String message, History history) {
        super(message);
        this.history = history;
    }

    /** This divergence with the epochs that completed before it, and the epoch restored (-1: none). */
    TrainingDiverged after(History completed, int restoredEpoch) {
        String restored = restoredEpoch > 0 ? "; the weights of epoch " + restoredEpoch + " (the best so far) were restored" : "";
        TrainingDiverged d = new TrainingDiverged(getMessage() + restored, completed);
        d.setStackTrace(getStackTrace());
        return d;
    }

    /**
     * This divergence, told by a caller that then threw the model away (./lstm train): the
     * message must not leave "the weights were restored" as the last word.
     */
    public TrainingDiverged discarded(String what) {
        TrainingDiverged d = new TrainingDiverged(getMessage() + "; " + what, history);
        d.setStackTrace(getStackTrace());
        return d;
    }

    /** The epochs that completed before the divergence (an empty history when it diverged in the first), or null. */
    public History history() { return history; }
}
