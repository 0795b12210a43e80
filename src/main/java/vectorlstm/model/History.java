package vectorlstm.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What {@code fit} returns, as Keras' History: one entry per epoch. */
public final class History {
    /** Metrics of one epoch; validation values are NaN when there was no validation data. */
    public record Epoch(int epoch, double loss, double accuracy, double seconds) {}

    private final List<Epoch> epochs = new ArrayList<>();

    void add(Epoch e) { epochs.add(e); }

    public List<Epoch> epochs() { return Collections.unmodifiableList(epochs); }

    public Epoch last() { return epochs.get(epochs.size() - 1); }
}
