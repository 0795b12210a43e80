package vectorlstm.model;

import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;

/**
 * A model's weights as one thing that changes: every write of them through the model (an
 * optimizer step, the model's or a layer's setWeights, a restore, {@code weightsChanged}) runs as
 * one change under the write side of a {@link StampedLock} and then makes a new version; what
 * reads them for other threads (building the packed inference weights, a layer-by-layer scorer's
 * call, a layer's getWeights) holds the read side. So nothing is read half written, and a reader
 * waits for one write at most (milliseconds), never for a whole fit, whose callbacks may hand work
 * to another thread and wait for it. The other way round, a write waits for the reads in progress.
 *
 * <p>A write nested in another on the same thread (setWeights through its layers) is part of it.
 * A read from inside a write is the writer's own: {@link #read} runs it directly, and
 * {@link #beginRead} refuses it (an optimizer or schedule that scores), since the read side would
 * wait for that very write.
 */
final class WeightWrites {
    private final StampedLock lock = new StampedLock();
    /** The thread inside {@link #write}. */
    private volatile Thread writer;
    /** Bumped at the end of every write, so scorers know when their packed copy is stale. */
    private volatile long version;

    long version() {
        return version;
    }

    /** Runs {@code write}, which changes the weights, as one change; then a new version. */
    void write(Runnable write) {
        if (writer == Thread.currentThread()) {
            write.run();
            return;
        }
        long stamp = lock.writeLock();
        writer = Thread.currentThread();
        try {
            write.run();
        } finally {
            version++;
            writer = null;
            lock.unlockWrite(stamp);
        }
    }

    /** {@code read} between writes (directly on the writing thread, which reads its own writes). */
    <T> T read(Supplier<T> read) {
        if (writer == Thread.currentThread()) return read.get();
        long stamp = lock.readLock();
        try {
            return read.get();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** The read side for a scorer's call or a pack, refused inside a write; give it back with {@link #endRead}. */
    long beginRead() {
        refuseInsideAWrite();
        return lock.readLock();
    }

    void endRead(long stamp) {
        lock.unlockRead(stamp);
    }

    /**
     * An optimizer's step (or other write of the weights) that scores or predicts is refused: the
     * weights are half written, and the read side would wait for this very write.
     */
    void refuseInsideAWrite() {
        if (writer == Thread.currentThread()) {
            throw new IllegalStateException("scoring or predicting inside a write of the model's weights (an optimizer's step): score before or after it");
        }
    }
}
