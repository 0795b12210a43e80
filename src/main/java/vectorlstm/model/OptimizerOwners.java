package vectorlstm.model;

import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The open model each optimizer is compiled into. An optimizer's state (Adam's moments, its
 * step count) is cut for one model's weights; a second model training with it would step with
 * the first one's moments (or run off their end), so it is refused at compile, as Keras 3
 * refuses an optimizer built for other variables. Weak both ways: neither keeps the other alive.
 */
final class OptimizerOwners {
    private static final Map<Optimizer, WeakReference<Sequential>> OWNERS = Collections.synchronizedMap(new WeakHashMap<>());

    private OptimizerOwners() {}

    /** {@code model} compiles {@code next} in place of {@code current} (null before its first compile). */
    static void claim(Optimizer next, Sequential model, Optimizer current) {
        synchronized (OWNERS) {
            WeakReference<Sequential> owner = OWNERS.get(next);
            Sequential other = owner == null ? null : owner.get();
            if (other != null && other != model && !other.isClosed()) {
                throw new IllegalArgumentException("this " + next.name() + " optimizer is compiled into another open model: its state fits that model's weights; give each model its own optimizer");
            }
            if (current != null && current != next) release(current, model);
            OWNERS.put(next, new WeakReference<>(model));
        }
    }

    /** {@code model} lets go of {@code held} (a new compile, or close): another model may compile it. */
    static void release(Optimizer held, Sequential model) {
        synchronized (OWNERS) {
            WeakReference<Sequential> owner = OWNERS.get(held);
            if (owner != null && owner.get() == model) OWNERS.remove(held);
        }
    }
}
