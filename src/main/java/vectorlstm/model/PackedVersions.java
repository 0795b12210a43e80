package vectorlstm.model;

import java.util.List;
import vectorlstm.layers.Layer;

/**
 * A model's weights re-laid for the inference kernels ({@link PackedLstm}), one version at a time:
 * packed on first use, again after a weight change, shared by all scorers and predict calls, each
 * version freed once the model and every scorer or prediction holding it have let go.
 */
final class PackedVersions {
    private final List<Layer> layers;
    private final WeightWrites weightWrites;
    private final Runnable requireOpen;
    private volatile PackedLstm packed;
    private final Object packLock = new Object();

    /** {@code layers}: the model's own list; {@code requireOpen} throws once the model is closed. */
    PackedVersions(List<Layer> layers, WeightWrites weightWrites, Runnable requireOpen) {
        this.layers = layers;
        this.weightWrites = weightWrites;
        this.requireOpen = requireOpen;
    }

    /**
     * The packed weights of the current version; null when the model is not Embedding → LSTM →
     * Dense. Packed under the read side of the model's {@link WeightWrites}: a scorer that meets a
     * write in progress waits for that write (an optimizer step, a setWeights) and for another
     * scorer's pack, never packs weights half written, and never waits for a whole fit (whose
     * callbacks may hand a score to another thread and wait for it). The other way round, a fit's
     * next step waits for a pack in progress: a scorer used during fit slows it by a pack per
     * call. The current version is read without a lock.
     */
    PackedLstm current() {
        weightWrites.refuseInsideAWrite();  // first, so that it does not depend on whether the packed copy is current
        PackedLstm p = packed;
        long version = weightWrites.version();
        if (p != null && p.version == version) return p;
        long stamp = weightWrites.beginRead();  // the read side before packLock, always
        try {
            synchronized (packLock) {
                p = packed;
                if (p == null || p.version != weightWrites.version()) {
                    if (!PackedLstm.supports(layers)) return null;
                    requireOpen.run();
                    PackedLstm next = new PackedLstm(layers, weightWrites.version());
                    if (p != null) p.release();  // the model's reference: freed once no scorer or prediction holds it
                    packed = p = next;
                }
                return p;
            }
        } finally {
            weightWrites.endRead(stamp);
        }
    }

    /**
     * {@link #current()} retained for the caller, who gives it back with {@link PackedLstm#release}
     * when done with it (a scorer when it moves to a newer version or closes, a prediction at its end).
     */
    PackedLstm retain() {
        for (;;) {
            PackedLstm p = current();
            if (p == null || p.retain()) return p;  // not retained: replaced meanwhile, take the newer one
        }
    }

    /** At the model's close: lets go of the model's reference (scorers still open hold theirs until they close). */
    void close() {
        synchronized (packLock) {
            if (packed != null) packed.release();
            packed = null;
        }
    }
}
