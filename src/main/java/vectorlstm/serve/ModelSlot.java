package vectorlstm.serve;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model being served, swapped atomically by a reload. A request takes the current model with
 * {@link #acquire()} and releases it when answered, so requests in flight finish on the model they
 * started with; a file that fails to load is refused and the old model keeps serving.
 */
final class ModelSlot implements AutoCloseable {
    private final AtomicReference<LoadedModel> current;
    private final Object reloadLock = new Object();

    ModelSlot(LoadedModel first) {
        this.current = new AtomicReference<>(first);
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
     * Loads {@code file} (default: the file being served) and swaps it in; reloads are taken one at
     * a time. Throws what the load threw, and then nothing has changed.
     */
    LoadedModel reload(Path file) {
        synchronized (reloadLock) {
            LoadedModel old = current.get();
            if (old == null) throw new ApiError(503, "the server is shutting down");
            LoadedModel fresh = LoadedModel.load(file == null ? old.file : file);
            if (!current.compareAndSet(old, fresh)) {  // close() ran meanwhile
                fresh.release();
                throw new ApiError(503, "the server is shutting down");
            }
            old.release();  // the slot's reference: closes when its last request is done
            return fresh;
        }
    }

    @Override
    public void close() {
        synchronized (reloadLock) {
            LoadedModel m = current.getAndSet(null);
            if (m != null) m.release();
        }
    }
}
