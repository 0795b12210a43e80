package vectorlstm.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import vectorlstm.layers.Parameter;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Where a {@link Sequential}'s weights live: one slab cut from the model's own shared arena
 * ({@link #allocate}), or the segments the model was built on ({@link #adopt}: a model file read
 * or mapped), copied into the model's arena before their first write when any is read-only.
 * The model calls these under its lock; {@link #close} frees both arenas.
 */
final class ParameterMemory implements AutoCloseable {
    private final Arena own = Arena.ofShared();
    /** The arena of the weights the model was built on, or null. */
    private Arena given;

    /**
     * Binds every parameter to a tensor of one new slab, sized by the same calls that cut it.
     * {@code rng} initialises them in order; null leaves them zero (every weight is set right after).
     */
    void allocate(List<Parameter> params, Random rng) {
        Slab counting = counted(params);
        Slab slab;
        try {
            slab = Slab.allocate(own, counting.used());
        } catch (OutOfMemoryError e) {
            throw new IllegalArgumentException("the weights need " + counting.used() + " bytes, more than this machine gives the JVM (" + e.getMessage() + ")", e);
        }
        for (Parameter p : params) {
            Tensor t = slab.tensor(p.shape());
            if (rng != null) p.initializer().fill(t, rng);
            p.bind(t);
        }
    }

    /**
     * Binds {@code weights.get(i)} to the i-th parameter as it is (no copy, no initialiser), after
     * checking every segment's size; the model closes {@code owner} when it is closed.
     */
    void adopt(List<Parameter> params, List<MemorySegment> weights, Arena owner) {
        if (weights.size() != params.size()) {
            throw new IllegalArgumentException("the architecture has " + params.size() + " weights, " + weights.size() + " were given");
        }
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            if (weights.get(i).byteSize() != p.size() * Float.BYTES) {
                throw new IllegalArgumentException("weight " + i + " (" + p + ") needs " + p.size() * Float.BYTES + " bytes, got " + weights.get(i).byteSize());
            }
        }
        for (int i = 0; i < params.size(); i++) params.get(i).bind(Tensor.wrap(weights.get(i), params.get(i).shape()));
        given = owner;
    }

    /** Whether the weights are ones the model was built on ({@link #adopt}), which may be read-only. */
    boolean adopted() { return given != null; }

    /**
     * When any adopted weight is read-only (a caller's mapping of a file), copies every weight into
     * the model's own memory, so that the file stays as it was; models that are only scored never
     * copy. Returns whether it copied: views of the old weights (the workers') must then be dropped.
     * Out of memory here is the JVM's OutOfMemoryError, as for any other allocation of a fit.
     */
    boolean makeWritable(List<Parameter> params) {
        if (given == null || params.stream().noneMatch(p -> p.value().segment().isReadOnly())) return false;
        Slab slab = Slab.allocate(own, counted(params).used());
        for (Parameter p : params) {
            Tensor copy = slab.tensor(p.shape());
            copy.copyFrom(p.value());
            p.bind(copy);
        }
        return true;
    }

    /** The parameters' tensors cut from a counting slab: its {@code used()} sizes the real one. */
    private static Slab counted(List<Parameter> params) {
        Slab counting = Slab.counting();
        for (Parameter p : params) counting.tensor(p.shape());
        return counting;
    }

    /**
     * Frees the model's arena, then the adopted one. An adopted arena that cannot be closed (an
     * automatic or the global arena: the garbage collector or nothing frees it) or that its owner
     * already closed is left as it is.
     */
    @Override
    public void close() {
        try {
            own.close();
        } finally {
            if (given != null && given.scope().isAlive()) {
                try {
                    given.close();
                } catch (UnsupportedOperationException notCloseable) {
                    // Arena.ofAuto() or Arena.global(): not ours to free.
                }
            }
        }
    }
}
