package vectorlstm.model;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import vectorlstm.layers.Parameter;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/** An off-heap copy of weights (for restoreBestWeights), freed on close; used by one thread. */
final class WeightSnapshot implements AutoCloseable {
    private final Arena arena = Arena.ofConfined();
    private final List<Parameter> parameters;
    private final List<Tensor> copies = new ArrayList<>();

    WeightSnapshot(List<Parameter> parameters) {
        this.parameters = parameters;
        Slab counting = Slab.counting();
        for (Parameter p : parameters) counting.tensor(p.shape());
        Slab slab = Slab.allocate(arena, counting.used());
        for (Parameter p : parameters) copies.add(slab.tensor(p.shape()));
    }

    void save() {
        for (int i = 0; i < parameters.size(); i++) copies.get(i).copyFrom(parameters.get(i).value());
    }

    /** Puts the saved weights back (the caller tells the model its weights changed). */
    void restore() {
        for (int i = 0; i < parameters.size(); i++) parameters.get(i).value().copyFrom(copies.get(i));
    }

    /** The saved weights as arrays (for a checkpoint). */
    List<float[]> toArrays() {
        List<float[]> out = new ArrayList<>();
        for (Tensor t : copies) out.add(t.toArray());
        return out;
    }

    /** Saved weights read back from a checkpoint (sizes checked by the caller). */
    void load(List<float[]> values) {
        for (int i = 0; i < copies.size(); i++) copies.get(i).copyFrom(values.get(i));
    }

    @Override
    public void close() { arena.close(); }
}
