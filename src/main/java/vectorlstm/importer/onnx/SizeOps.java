package vectorlstm.importer.onnx;

import static vectorlstm.importer.onnx.Ops.cannot;
import static vectorlstm.importer.onnx.Ops.one;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import onnx.Onnx.AttributeProto;
import vectorlstm.importer.ImportException;
import vectorlstm.importer.onnx.Value.Axis;
import vectorlstm.importer.onnx.Value.Batch;
import vectorlstm.importer.onnx.Value.Data;
import vectorlstm.importer.onnx.Value.Filled;
import vectorlstm.importer.onnx.Value.Known;
import vectorlstm.importer.onnx.Value.Sizes;

/**
 * The shape arithmetic torch writes, on {@link Sizes}: Shape, a Concat of sizes, ConstantOfShape
 * for the zero initial states, and a size minus a constant for {@code out[:, out.size(1) - 1, :]}.
 * Every list is bounded ({@link #MAX_ENTRIES}), so a hostile graph cannot make it fill the heap.
 */
final class SizeOps {
    private SizeOps() {}

    /**
     * The most entries a shape vector or a list of final states may hold. torch's shapes have at
     * most 4 entries and a model at most 2 final states per recurrent layer; a file that builds
     * more (each Concat of a value with itself doubles it: 40 such nodes in 10 KB ask for 2^40
     * entries) is refused before it fills the heap.
     */
    static final int MAX_ENTRIES = 64;

    /**
     * What {@link #minus} makes of a dynamic time axis' size minus one: the index of the last
     * step, whatever the length ({@code out[:, out.size(1) - 1, :]}).
     */
    static final String LAST_STEP = "steps - 1";

    /**
     * A size minus a constant ({@code Sub}), as PyTorch writes {@code out.size(1) - 1}: the number
     * when the size is fixed, {@link #LAST_STEP} for a dynamic time axis' size minus one; anything
     * else is refused.
     */
    static Value minus(Attributes attrs, List<Value> in) {
        attrs.allowOnly(Set.of());
        one(attrs, in, 2);
        if (!(in.get(0) instanceof Sizes s && s.scalar())) throw cannot(attrs, "subtracts from " + in.get(0) + " (only a size, such as out.size(1), minus a constant)");
        // int64, as the Shape's sizes: ONNX's Sub takes two of one type, and ONNX Runtime refuses an int32 constant.
        if (!(in.get(1) instanceof Known k && k.tensor().rank() == 0 && k.tensor().int64())) {
            throw cannot(attrs, "subtracts " + (in.get(1) instanceof Known k && !k.tensor().isFloat() && !k.tensor().int64() ? "an int32 constant" : in.get(1))
                    + " from a size (only a constant int64 scalar, as the size is)");
        }
        Object size = s.entries().get(0);
        long minus = k.tensor().ints("subtrahend")[0];
        if (size instanceof Long n) return new Sizes(List.of(n - minus), true);
        if ("steps".equals(size) && minus == 1) return new Sizes(List.of(LAST_STEP), true);
        throw cannot(attrs, "subtracts " + minus + " from the " + size + " size (only out.size(1) - 1, the last step, is known here)");
    }

    /** The sizes of a value's axes: a number where fixed, "batch" or "steps" where the graph leaves them open. */
    static Value shape(Attributes attrs, List<Value> in) {
        attrs.allowOnly(Set.of());
        Value v = one(attrs, in, 1).get(0);
        List<Object> entries = new ArrayList<>();
        if (v instanceof Data d) {
            for (Axis a : d.axes()) entries.add(a.size() < 0 ? (a instanceof Batch ? "batch" : "steps") : (Object) (long) a.size());
        } else if (v instanceof Known k) {
            if (k.tensor().rank() > MAX_ENTRIES) throw tooMany(attrs, "a shape of " + k.tensor().rank() + " dims");
            for (long dim : k.tensor().dims()) entries.add(dim);
        } else {
            throw cannot(attrs, "takes the shape of " + v);
        }
        return new Sizes(entries, false);
    }

    /** A Concat of sizes and constant integers: one size list. */
    static Value concat(Attributes attrs, List<Value> in) {
        List<Object> entries = new ArrayList<>();
        for (Value v : in) {
            if (v instanceof Known k && k.tensor().size() > MAX_ENTRIES) throw tooMany(attrs, "a size list of " + k.tensor().size() + " entries");
            if (v instanceof Sizes s) entries.addAll(s.entries());
            else for (long x : ((Known) v).tensor().ints("concatenated size")) entries.add(x);
            if (entries.size() > MAX_ENTRIES) throw tooMany(attrs, "a size list of more than " + MAX_ENTRIES + " entries");
        }
        return new Sizes(entries, false);
    }

    /** torch's zero initial states: a value filled over a size list (checked where a recurrent node reads it). */
    static Value constantOfShape(Attributes attrs, List<Value> in) {
        attrs.allowOnly(Set.of("value"));
        Value shape = one(attrs, in, 1).get(0);
        if (!(shape instanceof Sizes) && !(shape instanceof Known)) throw cannot(attrs, "takes its shape from " + shape);
        List<Object> dims = shape instanceof Sizes sizes ? sizes.entries()
                : ((Known) shape).tensor().size() <= MAX_ENTRIES ? longs(((Known) shape).tensor().ints("shape of " + attrs.node())) : null;
        AttributeProto a = attrs.get("value");
        if (a == null) return new Filled(0f, dims);
        if (a.getType() != AttributeProto.AttributeType.TENSOR) throw new ImportException(attrs.node() + ": attribute 'value' must be a TENSOR, is " + a.getType());
        NumericTensor t = OnnxTensors.read(a.getT(), "value of " + attrs.node());
        if (t.size() != 1) throw cannot(attrs, "fills with a value of dims " + t.dimsText());
        return new Filled(t.isFloat() ? t.floats()[0] : t.longs()[0], dims);
    }

    static ImportException tooMany(Attributes attrs, String what) {
        return new ImportException(attrs.node() + " builds " + what + "; shapes and lists of final states have at most " + MAX_ENTRIES
                + " entries in the models the importer reads (a damaged file, or one made to exhaust memory)");
    }

    static List<Object> longs(long[] dims) {
        List<Object> out = new ArrayList<>(dims.length);
        for (long d : dims) out.add(d);
        return out;
    }
}
