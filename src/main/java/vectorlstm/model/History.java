package vectorlstm.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What {@code fit} returns, as Keras' History: one entry per epoch that ran. */
public final class History {
    /**
     * Metrics of one epoch; valLoss and valAccuracy are NaN when there was no validation data.
     * {@code epoch} counts from 1, as Keras prints epochs ("Epoch 1/3"); its callbacks' {@code
     * epoch} argument is the 0-based index, one less.
     */
    public record Epoch(int epoch, double loss, double accuracy, double valLoss, double valAccuracy, double seconds) {}

    private final List<Epoch> epochs = new ArrayList<>();
    private int bestEpoch = -1;

    /** A history read back (from a model file); {@code restoredEpoch} -1 when none was restored. */
    public static History of(List<Epoch> epochs, int restoredEpoch) {
        History h = new History();
        h.epochs.addAll(epochs);
        h.bestEpoch = restoredEpoch;
        return h;
    }

    void add(Epoch e) { epochs.add(e); }

    void setRestoredEpoch(int epoch) { this.bestEpoch = epoch; }

    public List<Epoch> epochs() { return Collections.unmodifiableList(epochs); }

    /** The last completed epoch; a history without one (a run that diverged in its first epoch) has none to give. */
    public Epoch last() {
        if (epochs.isEmpty()) throw new IllegalStateException("no epoch was completed (the run stopped in its first epoch)");
        return epochs.get(epochs.size() - 1);
    }

    /** The epoch whose weights the model holds after early stopping restored them, or -1. */
    public int restoredEpoch() { return bestEpoch; }
}
