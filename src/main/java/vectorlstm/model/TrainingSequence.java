package vectorlstm.model;

import java.util.Random;

/**
 * Where a model's shuffling and dropout masks stand after the fits so far, so that the next
 * {@code fit} goes on from there instead of starting over: Keras' {@code fit} draws from a global
 * generator that keeps going, and a loop of one-epoch fits (to save a checkpoint after each) must
 * not see the same sample order and the same dropout masks every epoch. Two one-epoch fits on the
 * same data therefore train as one fit of two epochs does. A {@link TrainingState} holds it, so a
 * fit resumed from a checkpoint goes on from here too.
 */
final class TrainingSequence {
    private final ResumableRandom shuffler;
    /** The sample order the last epoch left (shuffled in place epoch after epoch), or null. */
    private int[] order;
    private int epochsStarted;

    TrainingSequence(long seed) {
        this.shuffler = new ResumableRandom(seed * 31 + 17);
    }

    Random shuffler() { return shuffler; }

    /** The order the last epoch left, or 0, 1, ... n-1 when there is none for data of n samples. */
    int[] order(int n) {
        if (order == null || order.length != n) order = TrainingLoop.identity(n);
        return order;
    }

    /** Counts an epoch as started and gives its number over every fit of this model: 1, 2, ... */
    int startEpoch() {
        return ++epochsStarted;
    }

    TrainingState.Sequence capture() {
        return new TrainingState.Sequence(shuffler.state(), epochsStarted, order == null ? null : order.clone());
    }

    void restore(TrainingState.Sequence s) {
        shuffler.restore(s.shufflerState());
        epochsStarted = s.epochsStarted();
        order = s.order() == null ? null : s.order().clone();
    }
}
