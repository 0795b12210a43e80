package vectorlstm.serve;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Hot reloads of the served model, however asked for (HTTP, the embedding program, a signal): each
 * one counted in the metrics and logged, and signals that come during a signalled reload folded
 * into one more read of the file. The swap itself is the {@link ModelSlot}'s.
 */
final class ModelReloads {
    private final ModelSlot slot;
    private final Metrics metrics;
    private final BooleanSupplier stopping;
    private final Consumer<String> log;
    /** Signals to reload since the signalled reload running began (0: none runs). */
    private final AtomicInteger signalledReloads = new AtomicInteger();

    ModelReloads(ModelSlot slot, Metrics metrics, BooleanSupplier stopping, Consumer<String> log) {
        this.slot = slot;
        this.metrics = metrics;
        this.stopping = stopping;
        this.log = log;
    }

    /**
     * Re-reads the served file (or {@code file}) and swaps it in; throws and keeps the old model if
     * it cannot load. A reload asked for while another runs is refused (409) unless
     * {@code waitForRunning}, and then waits for it. Returns the model this reload swapped in
     * (which a reload right after may already have replaced).
     */
    LoadedModel reload(Path file, boolean waitForRunning) {
        if (stopping.getAsBoolean()) throw new ApiError(503, "the server is shutting down");
        try {
            LoadedModel fresh = slot.reload(file, waitForRunning);
            metrics.reloaded(true);
            log.accept("reloaded " + fresh.file + " (sha256 " + fresh.shortId() + ")");
            return fresh;
        } catch (ApiError e) {
            throw e;  // not a file refused: another reload running (409, the caller's to report), or the server stopping (503)
        } catch (RuntimeException e) {
            metrics.reloaded(false);
            log.accept("reload refused, still serving the old model: " + e.getMessage());
            throw e;
        }
    }

    /** What {@link ScoringServer#reloadOnSignal()} does: never throws but an Error, what happened is logged. */
    void onSignal() {
        if (signalledReloads.getAndIncrement() > 0) {
            log.accept("reload asked for while one runs: the file is read again when it is done");
            return;
        }
        int asked;
        do {
            asked = signalledReloads.get();
            try {
                reload(null, true);
            } catch (ApiError e) {
                log.accept("not reloaded: " + e.getMessage());  // the server is stopping
            } catch (RuntimeException e) {
                // logged by reload(): the old model keeps serving
            } catch (Error e) {  // an OutOfMemoryError while two models are held: later signals must still reload
                signalledReloads.set(0);
                log.accept("not reloaded: " + e);
                throw e;
            }
        } while (!signalledReloads.compareAndSet(asked, 0));  // more signals came meanwhile: read the file again
    }
}
