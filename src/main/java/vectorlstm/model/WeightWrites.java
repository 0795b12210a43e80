package vectorlstm.model;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;

/**
 * A model's weights as one thing that changes: every write of them through the model (an
 * optimizer step, the model's or a layer's setWeights, a restore, {@code weightsChanged}) runs as
 * one change under the write side of a {@link StampedLock} and then makes a new version; what
 * reads them for other threads (building the packed inference weights, a layer-by-layer scorer's
 * call, a layer's getWeights, a save) holds the read side. So nothing is read half written, and a
 * reader waits for one write at most (milliseconds), never for a whole fit, whose callbacks may
 * hand work to another thread and wait for it. The other way round, a write waits for the reads in
 * progress, and only for those: a read that begins while a write waits lets the write go first
 * (a StampedLock lets new reads in ahead of a waiting write: with 8 threads scoring a GRU layer by
 * layer, a setWeights waited up to 3 s, and a fit's 30 steps took 5.5 s instead of 0.35). So a
 * reader waits for the reads in flight ahead of a waiting write too (a save's, which spans its
 * file). A read inside a read on the same thread is part of it, so it never waits behind a write
 * that waits for the outer read; a write inside a read is refused (it would wait for itself). A
 * read ends on the thread that began it. All of this allocates nothing per call (a fair
 * ReentrantReadWriteLock would: 144 bytes a layer-by-layer score).
 *
 * <p>A write nested in another on the same thread (setWeights through its layers) is part of it.
 * A read from inside a write is the writer's own: {@link #read} runs it directly, and
 * {@link #beginRead} refuses it (an optimizer or schedule that scores), since the read side would
 * wait for that very write.
 */
final class WeightWrites {
    private final StampedLock lock = new StampedLock();
    /** Writes waiting for the lock: new reads wait while there are any. */
    private final AtomicInteger writesWaiting = new AtomicInteger();
    /** This thread's depth of reads held (one array per thread, made once). */
    private final ThreadLocal<int[]> readDepth = ThreadLocal.withInitial(() -> new int[1]);
    /** This thread's depth of reads its caller holds through {@link #callersRead} (Sequential.readingWeights). */
    private final ThreadLocal<int[]> callersReadDepth = ThreadLocal.withInitial(() -> new int[1]);
    /** What {@link #beginRead} returns for a read inside a read: the outer one holds the lock. */
    private static final long NESTED = -1;
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
        refuseInsideARead();
        long stamp;
        writesWaiting.incrementAndGet();
        try {
            stamp = lock.writeLock();
        } finally {
            writesWaiting.decrementAndGet();
        }
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
        long stamp = acquireRead();
        try {
            return read.get();
        } finally {
            endRead(stamp);
        }
    }

    /** {@link #read} for the model's caller (Sequential.readingWeights), which {@link #refuseInsideACallersRead} watches. */
    <T> T callersRead(Supplier<T> read) {
        return read(() -> {
            int[] depth = callersReadDepth.get();
            depth[0]++;
            try {
                return read.get();
            } finally {
                depth[0]--;
            }
        });
    }

    /**
     * A call that takes the model's lock ({@code what}), made inside a {@link #callersRead} on this
     * thread: refused, always. A write waiting on another thread (a setWeights, a fit's step) holds
     * that lock while it waits for this read to end, so the call waited for ever; with no write
     * waiting it went through, so it passed every test on one thread and hung in production. Every
     * call that takes the model's lock checks before it waits for it (Sequential.locked), so it is
     * refused always, and the first test on one thread finds it.
     */
    void refuseInsideACallersRead(String what) {
        if (callersReadDepth.get()[0] > 0) {
            throw new IllegalStateException(what + " inside readingWeights: it takes the model's lock, which a write of the weights on another thread"
                    + " holds while it waits for this read (both would wait for ever); call it before or after the read");
        }
    }

    /** The read side for a scorer's call or a pack, refused inside a write; give it back with {@link #endRead}. */
    long beginRead() {
        refuseInsideAWrite();
        return acquireRead();
    }

    void endRead(long stamp) {
        int[] depth = readDepth.get();
        if (--depth[0] > 0) return;  // an inner read: the outer one gives the lock back
        lock.unlockRead(stamp);
    }

    /** A write (or a close) inside a read on the same thread would wait for that read, that is for itself: refused. */
    void refuseInsideARead() {
        if (readDepth.get()[0] > 0) {
            throw new IllegalStateException("a write of the model's weights (or its close) inside a read of them on the same thread"
                    + " (it would wait for itself): do it after the read");
        }
    }

    private long acquireRead() {
        int[] depth = readDepth.get();
        if (depth[0] > 0) {
            depth[0]++;
            return NESTED;
        }
        for (int spins = 0; writesWaiting.get() > 0; spins++) {  // a waiting write goes first (it waits for the reads in progress only)
            if (spins < 100) Thread.onSpinWait();
            else LockSupport.parkNanos(Math.min(1_000_000L, 20_000L << Math.min(6, (spins - 100) / 8)));  // 20 us, backing off to 1 ms
        }
        long stamp = lock.readLock();
        depth[0] = 1;
        return stamp;
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
