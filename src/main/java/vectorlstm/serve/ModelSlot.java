package vectorlstm.serve;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The model being served, swapped atomically by a reload. A request takes the current model with
 * {@link #acquire()} and releases it when answered, so requests in flight finish on the model they
 * started with; a file that fails to load is refused and the old model keeps serving.
 */
final class ModelSlot implements AutoCloseable {
    private final AtomicReference<LoadedModel> current;
    private final ReentrantLock reloading = new ReentrantLock();
    private final int threads;

    ModelSlot(LoadedModel first, int threads) {
        this.current = new AtomicReference<>(first);
        this.threads = threads;
    }

    /** The current model with a reference taken for the caller, who must {@link LoadedModel#release()} it. */
    LoadedModel acquire() {
        while (true) {
            LoadedModel m = current.get();
            if (m == null) throw new ApiError(503, "the server is shutting down");
            if (m.retain()) return m;
            // m was retired and closed between get() and retain(): the next get() sees its successor
            Thread.onSpinWait();
        }
    }

    /** A look at the current model without a reference (for metadata only, never for scoring). */
    LoadedModel peek() {
        return current.get();
    }

    /**
     * Loads {@code file} (default: the file being served), checks and warms it, and swaps it in.
     * One reload at a time: a reload asked for while another runs is refused (409) rather than
     * queued, so a burst of reload requests cannot line up minutes of loading; unless
     * {@code waitForRunning}, for the one caller that needs the file read after the running
     * reload (a signal, whose repeats the server folds into one). Throws what the load threw, and
     * then nothing has changed.
     */
    LoadedModel reload(Path file, boolean waitForRunning) {
        if (waitForRunning) {
            reloading.lock();
        } else if (!reloading.tryLock()) {
            throw new ApiError(409, "a reload is already in progress; retry when it is done");
        }
        try {
            LoadedModel old = current.get();
            if (old == null) throw new ApiError(503, "the server is shutting down");
            LoadedModel fresh = LoadedModel.load(file == null ? old.file : file, threads);
            if (!current.compareAndSet(old, fresh)) {  // close() ran meanwhile
                fresh.release();
                throw new ApiError(503, "the server is shutting down");
            }
            old.release();  // the slot's reference: closes when its last request is done
            return fresh;
        } finally {
            reloading.unlock();
        }
    }

    /** Holds the reload lock as a running reload does (tests); the Runnable, run on the same thread, lets it go. */
    Runnable holdReloadForTests() {
        reloading.lock();
        return reloading::unlock;
    }

    @Override
    public void close() {
        LoadedModel m = current.getAndSet(null);  // a reload still loading sees null and drops its model
        if (m != null) m.release();
    }

    /**
     * Waits, at most {@code limit}, for a reload that is running to end (after {@link #close} it
     * drops what it loaded and says so). A signal's reload runs on a thread of its own: a stop that
     * did not wait for it let the process exit under it, its outcome never logged and its snapshot
     * of the model file left in java.io.tmpdir for good.
     *
     * @return false if it was still running when the limit came
     */
    boolean awaitReload(java.time.Duration limit) {
        try {
            if (!reloading.tryLock(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) return false;
            reloading.unlock();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
