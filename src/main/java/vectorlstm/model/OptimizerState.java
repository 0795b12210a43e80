package vectorlstm.model;

import java.lang.foreign.Arena;
import java.util.List;
import vectorlstm.layers.Parameter;
import vectorlstm.memory.Slab;

/**
 * The optimizer's state (Adam's moments) of a model's last compile, in an arena of its own: cut by
 * the first fit after compile, so a model compiled only to be evaluated or scored never carries
 * it, and freed when a later fit cuts fresh state (the first fit after the next compile, or after
 * a divergence left NaN in the moments). (From the model's arena each
 * compile + fit round kept its moments until close: 49 MB a round for the fastText model, and
 * Keras users re-compile to change the learning rate.)
 */
final class OptimizerState implements AutoCloseable {
    private Arena arena;
    private boolean ready;

    /** Cuts fresh state for {@code trainable} unless the current state is still good. */
    void prepare(Optimizer optimizer, List<Parameter> trainable) {
        if (ready) return;
        Slab counting = Slab.counting();
        optimizer.allocateState(counting, trainable);
        Arena next = Arena.ofShared();
        try {
            optimizer.allocateState(Slab.allocate(next, counting.used()), trainable);
        } catch (RuntimeException | Error e) {
            next.close();
            throw e;
        }
        if (arena != null) arena.close();
        arena = next;
        ready = true;
    }

    /**
     * After a compile (another optimizer or other weights) or a divergence (moments holding NaN):
     * the next fit cuts fresh state. The stale state's memory stays until then (or close).
     */
    void markStale() { ready = false; }

    /** The arena of the state in use, or the stale one (for tests: the previous one must be freed). */
    Arena arena() { return arena; }

    @Override
    public void close() {
        if (arena != null) arena.close();
    }
}
