package vectorlstm.importer.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;
import vectorlstm.importer.ImportException;
import vectorlstm.importer.onnx.Value.Axis;
import vectorlstm.importer.onnx.Value.Batch;
import vectorlstm.importer.onnx.Value.Data;
import vectorlstm.importer.onnx.Value.Directions;
import vectorlstm.importer.onnx.Value.Features;
import vectorlstm.importer.onnx.Value.Filled;
import vectorlstm.importer.onnx.Value.Hidden;
import vectorlstm.importer.onnx.Value.Known;
import vectorlstm.importer.onnx.Value.LastStep;
import vectorlstm.importer.onnx.Value.Sizes;
import vectorlstm.importer.onnx.Value.StateFeatures;
import vectorlstm.importer.onnx.Value.StateRef;
import vectorlstm.importer.onnx.Value.States;
import vectorlstm.importer.onnx.Value.Time;

/**
 * The ops that move data between the layers, on {@link Value}s: the Embedding's Gather, the
 * layout ops around the recurrent nodes (Transpose, Squeeze, Reshape), the picking of final
 * states out of Y_h (Gather, Slice, Concat), and the shape arithmetic torch writes for the zero
 * initial states (Shape, Gather, Unsqueeze, Concat, ConstantOfShape, Slice, Expand; the size
 * lists' own ops in {@link SizeOps}). The layers themselves are in {@link RecurrentNodes} and
 * {@link Heads}, Reshape's cases in {@link Reshape}.
 */
final class Ops {
    private final GraphWalker walker;
    /** What {@link #uniform} found for each float constant read so far. */
    private final Map<NumericTensor, Value> uniformConstants = new IdentityHashMap<>();
    private final ModelParts parts;
    private final long opset;

    Ops(GraphWalker walker, ModelParts parts, long opset) {
        this.walker = walker;
        this.parts = parts;
        this.opset = opset;
    }

    void apply(NodeProto node) {
        Attributes attrs = new Attributes(node);
        List<Value> in = new ArrayList<>();
        int most = mostInputs(node.getOpType());
        if (node.getInputCount() > most) {
            throw new ImportException(attrs.node() + " has " + node.getInputCount() + " inputs; " + node.getOpType() + " takes at most " + most
                    + " (ONNX opset " + opset + "): the file is not valid ONNX");
        }
        for (int i = 0; i < node.getInputCount(); i++) in.add(walker.value(node.getInput(i), "input " + i + " of " + attrs.node()));
        switch (node.getOpType()) {
            case "LSTM", "GRU" -> {
                List<Value> out = RecurrentNodes.apply(node, attrs, in, parts);
                if (node.getOutputCount() > out.size()) throw new ImportException(attrs.node() + " has " + node.getOutputCount() + " outputs; the op has " + out.size());
                for (int i = 0; i < node.getOutputCount(); i++) walker.define(node.getOutput(i), out.get(i));
                return;
            }
            default -> { }
        }
        if (node.getOutputCount() != 1) throw new ImportException(attrs.node() + " has " + node.getOutputCount() + " outputs; expected 1");
        Value out = switch (node.getOpType()) {
            case "Constant" -> constant(attrs, node.getOutput(0));
            case "Identity" -> identity(attrs, in);
            case "Gather" -> gather(node, attrs, in);
            case "Sub" -> SizeOps.minus(attrs, in);
            case "Shape" -> SizeOps.shape(attrs, in);
            case "Unsqueeze" -> unsqueeze(attrs, in);
            case "Concat" -> concat(attrs, in);
            case "ConstantOfShape" -> SizeOps.constantOfShape(attrs, in);
            case "Expand" -> expand(attrs, in);
            case "Slice" -> slice(attrs, in);
            case "Transpose" -> transpose(attrs, in);
            case "Squeeze" -> squeeze(attrs, in);
            case "Reshape" -> Reshape.apply(attrs, in, opset, walker.fixedBatch());
            default -> Heads.apply(node.getOpType(), attrs, in, parts, opset);
        };
        walker.define(node.getOutput(0), out);
    }

    /**
     * How many inputs the ONNX operator schema gives an op at this opset (Integer.MAX_VALUE for
     * variadic ones and for ops the importer refuses anyway). An input past them has no meaning,
     * and reading the node without it would map a file its writer meant otherwise: such a node is
     * refused, as ONNX Runtime's checker refuses it.
     */
    private int mostInputs(String op) {
        return switch (op) {
            case "Constant" -> 0;
            case "Identity", "Shape", "ConstantOfShape", "Transpose", "Sigmoid", "Tanh", "Relu", "Softmax" -> 1;
            case "Gather", "Expand", "Reshape", "MatMul", "Add", "Sub" -> 2;
            case "Unsqueeze", "Squeeze" -> opset >= 13 ? 2 : 1;   // axes became an input at opset 13
            case "Slice" -> opset >= 10 ? 5 : 1;                   // starts, ends, axes, steps became inputs at opset 10
            case "Gemm" -> 3;
            case "GRU" -> 6;                                        // X, W, R, B, sequence_lens, initial_h
            case "LSTM" -> 8;                                       // ... and initial_c, P
            default -> Integer.MAX_VALUE;                           // Concat (variadic); other ops are refused by name
        };
    }

    static List<Value> one(Attributes attrs, List<Value> in, int count) {
        if (in.size() < count || in.subList(0, count).contains(null)) throw new ImportException(attrs.node() + " needs " + count + " input(s), has " + in.size());
        return in;
    }

    static ImportException cannot(Attributes attrs, String what) {
        return new ImportException(attrs.node() + ": " + what + "; the importer cannot map this to a Keras layer");
    }

    private static Value identity(Attributes attrs, List<Value> in) {
        attrs.allowOnly(Set.of());
        return one(attrs, in, 1).get(0);
    }

    private Value constant(Attributes attrs, String output) {
        attrs.allowOnly(Set.of("value"));
        AttributeProto a = attrs.get("value");
        if (a == null || a.getType() != AttributeProto.AttributeType.TENSOR) throw new ImportException(attrs.node() + " has no tensor 'value'");
        NumericTensor t = OnnxTensors.read(a.getT(), "value of " + attrs.node());
        // A Constant's tensor is mostly unnamed: errors about its values name the graph tensor it defines.
        if (t.name().isEmpty()) t = new NumericTensor(output, t.dims(), t.floats(), t.longs(), t.int64());
        return new Known(t);
    }

    private Value gather(NodeProto node, Attributes attrs, List<Value> in) {
        attrs.allowOnly(Set.of("axis"));
        one(attrs, in, 2);
        long axis = attrs.integer("axis", 0);
        Value data = in.get(0), indices = in.get(1);
        if (walker.isGraphInput(node.getInput(1))) return embedding(attrs, axis, data, node.getInput(0));
        if (indices instanceof Sizes i && i.scalar() && SizeOps.LAST_STEP.equals(i.entries().get(0))) return lastStepBySize(attrs, axis, data);
        long index;
        if (indices instanceof Sizes i && i.scalar() && i.entries().get(0) instanceof Long n) {
            index = n;  // a size computed from a fixed one: x.size(1) - 1 at a fixed length
        } else if (indices instanceof Known k && k.tensor().rank() == 0) {
            index = k.tensor().ints("index")[0];
        } else {
            throw cannot(attrs, "only a single constant index (a scalar) can be gathered here, got " + indices);
        }
        if (data instanceof Sizes s && s.entries().size() > 0 && !s.scalar()) {
            return new Sizes(List.of(s.entries().get((int) normalise(attrs, index, s.entries().size()))), true);
        }
        if (!(data instanceof Data d)) throw cannot(attrs, "gathers from " + data);
        int ax = (int) normalise(attrs, axis, d.rank());
        Axis picked = d.axes().get(ax);
        if (picked instanceof States st) {
            StateRef ref = st.refs().get((int) normalise(attrs, index, st.refs().size()));
            return pickStates(attrs, d, ax, List.of(ref));
        }
        if (picked instanceof Time time) return RecurrentNodes.lastStep(attrs, d, ax, index, time, parts);
        if (picked instanceof LastStep last && (index == 0 || index == -1)) return RecurrentNodes.lastStep(attrs, d, ax, -1, last.time(), parts);
        throw cannot(attrs, "gathers index " + index + " of the " + picked + " axis of " + d);
    }

    /** Gather of {@link SizeOps#LAST_STEP} on {@code data}'s axis: the last step of a dynamic time axis, nothing else. */
    private Value lastStepBySize(Attributes attrs, long axis, Value data) {
        if (data instanceof Data d) {
            int ax = (int) normalise(attrs, axis, d.rank());
            if (d.axes().get(ax) instanceof Time time && time.steps() <= 0) return RecurrentNodes.lastStep(attrs, d, ax, -1, time, parts);
        }
        throw cannot(attrs, "gathers index (steps - 1) of " + data + " on axis " + axis + " (only the dynamic time axis' last step)");
    }

    private Value embedding(Attributes attrs, long axis, Value table, String tableName) {
        if (parts.embedding != null) throw cannot(attrs, "a second lookup of the input ids");
        if (!(table instanceof Known k) || !k.tensor().isFloat() || k.tensor().rank() != 2 || axis != 0) {
            throw cannot(attrs, "the input ids index " + (table instanceof Known ? "'" + tableName + "'" : table) + " on axis " + axis
                    + "; an Embedding is a Gather on axis 0 of a float32 table [vocab, dim]");
        }
        NumericTensor t = k.tensor();
        if (t.dims()[0] < 1 || t.dims()[1] < 1) throw new ImportException("embedding table '" + tableName + "' has dims " + t.dimsText());
        parts.vocab = (int) t.dims()[0];
        parts.embeddingDim = (int) t.dims()[1];
        parts.embedding = GateLayouts.finiteCopy(t);
        int steps = ((Time) ((Data) walker.value(walker.inputName(), "input")).axes().get(1)).steps();
        return new Data(List.of(new Batch(), new Time(steps), new Features(-1, parts.embeddingDim)));
    }

    /** The chosen final states as features, replacing the States axis and the per-state width. */
    static Data pickStates(Attributes attrs, Data d, int statesAxis, List<StateRef> refs) {
        States st = (States) d.axes().get(statesAxis);
        Data rest = d.without(statesAxis);
        int hidden = rest.indexOf(Value.PerState.class);
        if (rest.rank() != 2 || rest.indexOf(Batch.class) < 0 || hidden < 0) throw cannot(attrs, "picks states out of " + d);
        return rest.with(hidden, new StateFeatures(refs, st.width()));
    }

    private Value unsqueeze(Attributes attrs, List<Value> in) {
        long[] axes = axes(attrs, in, 13);
        Value v = in.get(0);
        if (v instanceof Sizes s && s.scalar() && axes != null && axes.length == 1 && (axes[0] == 0 || axes[0] == -1)) return new Sizes(s.entries(), false);
        if (v instanceof Filled f) return f.reshaped();
        if (v instanceof Value.SqueezedOutput s && axes != null && axes.length == 1 && (axes[0] == 1 || axes[0] == -1)) {
            return new Data(List.of(new Batch(), s.output()));
        }
        // Shape arithmetic on constants is what torch.onnx.export folds away by default: such a graph was exported without it.
        throw cannot(attrs, "unsqueezes " + v + (v instanceof Known ? " (shape arithmetic on constants, which torch.onnx.export folds unless"
                + " do_constant_folding=False: export again with the default)" : ""));
    }

    private Value concat(Attributes attrs, List<Value> in) {
        attrs.allowOnly(Set.of("axis"));
        if (in.isEmpty() || in.contains(null)) throw cannot(attrs, "has no inputs");
        // The schema requires the axis; a default would guess at what the writer meant.
        if (attrs.get("axis") == null) throw new ImportException(attrs.node() + " has no 'axis', which Concat requires: the file is not valid ONNX");
        long axis = attrs.integer("axis", 0);
        if (in.stream().allMatch(v -> v instanceof Sizes || v instanceof Known)) return SizeOps.concat(attrs, in);
        if (!in.stream().allMatch(v -> v instanceof Data)) throw cannot(attrs, "concatenates " + in);
        Data first = (Data) in.get(0);
        int ax = (int) normalise(attrs, axis, first.rank());
        List<StateRef> refs = new ArrayList<>();
        for (Value v : in) {
            Data d = (Data) v;
            if (d.rank() != first.rank()) throw cannot(attrs, "concatenates tensors of different ranks " + in);
            for (int i = 0; i < d.rank(); i++) {
                if (i != ax && !d.axes().get(i).equals(first.axes().get(i))) throw cannot(attrs, "concatenates " + in + " whose other axes differ");
            }
            Axis a = d.axes().get(ax), f = first.axes().get(ax);
            if (a instanceof States s && f instanceof States fs && s.width() == fs.width()) refs.addAll(s.refs());
            else if (a instanceof StateFeatures s && f instanceof StateFeatures fs && s.width() == fs.width()) refs.addAll(s.refs());
            else throw cannot(attrs, "concatenates along " + a + "; only final states can be concatenated (Y_h of layers, or h_n's directions as features)");
            if (refs.size() > SizeOps.MAX_ENTRIES) throw SizeOps.tooMany(attrs, "a list of more than " + SizeOps.MAX_ENTRIES + " final states");
        }
        Axis f = first.axes().get(ax);
        Axis merged = f instanceof States s ? new States(refs, s.width()) : new StateFeatures(refs, ((StateFeatures) f).width());
        return first.with(ax, merged);
    }

    private Value expand(Attributes attrs, List<Value> in) {
        attrs.allowOnly(Set.of());
        Value v = uniform(one(attrs, in, 2).get(0));
        if (v instanceof Filled f) return f.reshaped();
        throw cannot(attrs, "expands " + v);
    }

    private Value slice(Attributes attrs, List<Value> in) {
        Value v = one(attrs, in, 1).get(0);
        long[] starts, ends, axes, steps;
        if (opset >= 10) {
            attrs.allowOnly(Set.of());
            one(attrs, in, 3);
            starts = ints(attrs, in.get(1), "starts");
            ends = ints(attrs, in.get(2), "ends");
            axes = in.size() > 3 && in.get(3) != null ? ints(attrs, in.get(3), "axes") : null;
            steps = in.size() > 4 && in.get(4) != null ? ints(attrs, in.get(4), "steps") : null;
        } else {
            attrs.allowOnly(Set.of("starts", "ends", "axes"));
            starts = attrs.integers("starts");
            ends = attrs.integers("ends");
            axes = attrs.integers("axes");
            steps = null;
        }
        if (uniform(v) instanceof Filled f) return f.reshaped();
        if (!(v instanceof Data d) || starts == null || ends == null || starts.length != 1 || ends.length != 1
                || (axes != null && axes.length != 1) || (steps != null && steps.length != 1)) {
            throw cannot(attrs, "slices " + v + " (only one axis of final states can be sliced)");
        }
        int ax = (int) normalise(attrs, axes == null ? 0 : axes[0], d.rank());
        if (steps != null && steps[0] != 1) throw cannot(attrs, "slices with step " + steps[0]);
        if (d.axes().get(ax) instanceof Time time) return d.with(ax, lastStepSlice(attrs, time, starts[0], ends[0]));
        if (!(d.axes().get(ax) instanceof States st)) throw cannot(attrs, "slices the " + d.axes().get(ax) + " axis of " + d);
        int n = st.refs().size();
        int from = (int) clamp(starts[0] < 0 ? starts[0] + n : starts[0], n), to = (int) clamp(ends[0] < 0 ? ends[0] + n : ends[0], n);
        if (from >= to) throw cannot(attrs, "slices nothing out of " + st);
        return d.with(ax, new States(st.refs().subList(from, to), st.width()));
    }

    /**
     * {@code out[:, -1, :]} as torch writes it at opsets 9 and 10: a Slice of the time axis from -1
     * to the end, then a Squeeze (or a Gather of index 0) of that axis. Only the last step is a
     * final state, so only a slice that keeps exactly the last step is read; its end must reach
     * past any length the engine runs (torch writes 2^63 - 1).
     */
    private static LastStep lastStepSlice(Attributes attrs, Time time, long start, long end) {
        int steps = time.steps();
        boolean fromLast = start == -1 || (steps > 0 && start == steps - 1);
        boolean toEnd = steps > 0 ? end >= steps : end >= vectorlstm.io.ModelFile.MAX_SEQUENCE_LENGTH;
        if (!fromLast || !toEnd) {
            throw cannot(attrs, "slices steps " + start + " to " + end + " of the time axis; only the last step (out[:, -1:]) is a final state");
        }
        return new LastStep(time);
    }

    private Value transpose(Attributes attrs, List<Value> in) {
        attrs.allowOnly(Set.of("perm"));
        Value v = one(attrs, in, 1).get(0);
        if (v instanceof Filled f) return f.reshaped();
        if (!(v instanceof Data d)) throw cannot(attrs, "transposes " + v);
        long[] perm = attrs.integers("perm");
        if (perm != null && perm.length != d.rank()) throw cannot(attrs, "has perm " + Arrays.toString(perm) + " for " + d);
        List<Axis> out = new ArrayList<>();
        boolean[] seen = new boolean[d.rank()];
        for (int i = 0; i < d.rank(); i++) {
            long p = perm == null ? d.rank() - 1 - i : perm[i];
            if (p < 0 || p >= d.rank() || seen[(int) p]) throw cannot(attrs, "has perm " + Arrays.toString(perm) + " for " + d);
            seen[(int) p] = true;
            out.add(d.axes().get((int) p));
        }
        return new Data(out);
    }

    private Value squeeze(Attributes attrs, List<Value> in) {
        long[] axes = axes(attrs, in, 13);
        Value v = in.get(0);
        if (v instanceof Filled f) return f.reshaped();
        if (!(v instanceof Data d)) throw cannot(attrs, "squeezes " + v);
        List<Integer> drop = new ArrayList<>();
        if (axes == null) {
            for (int i = 0; i < d.rank(); i++) if (d.axes().get(i).size() == 1) drop.add(i);
        } else {
            for (long a : axes) drop.add((int) normalise(attrs, a, d.rank()));
        }
        if (drop.size() != 1) throw cannot(attrs, "squeezes axes " + drop + " of " + d);
        int ax = drop.get(0);
        Axis a = d.axes().get(ax);
        if (a instanceof Directions dir && dir.count() == 1) {
            Data rest = d.without(ax);
            int h = rest.indexOf(Hidden.class);
            if (h < 0) throw cannot(attrs, "squeezes the directions of " + d + ", which has no hidden axis");
            Hidden hidden = (Hidden) rest.axes().get(h);
            return rest.with(h, new Features(hidden.layer(), hidden.width()));
        }
        if (a instanceof States st && st.refs().size() == 1) return pickStates(attrs, d, ax, st.refs());
        if (a instanceof LastStep last) return RecurrentNodes.lastStep(attrs, d, ax, -1, last.time(), parts);
        if (a instanceof Value.Outputs o && o.units() == 1 && d.rank() == 2) return new Value.SqueezedOutput(o);
        throw cannot(attrs, "squeezes the " + a + " axis of " + d + " (only a single direction or state can be squeezed)");
    }

    /** Squeeze's and Unsqueeze's axes: an input from {@code inputSince} on, an attribute before. */
    private long[] axes(Attributes attrs, List<Value> in, int inputSince) {
        if (in.isEmpty() || in.get(0) == null) throw cannot(attrs, "has no data input");
        if (opset >= inputSince) {
            attrs.allowOnly(Set.of());
            return in.size() > 1 && in.get(1) != null ? ints(attrs, in.get(1), "axes") : null;
        }
        attrs.allowOnly(Set.of("axes"));
        return attrs.integers("axes");
    }

    private static long[] ints(Attributes attrs, Value v, String role) {
        if (v instanceof Known k) return k.tensor().ints(role + " of " + attrs.node());
        throw cannot(attrs, role + " must be constant, got " + v);
    }

    static long normalise(Attributes attrs, long index, int size) {
        long i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) throw new ImportException(attrs.node() + ": index " + index + " is out of range for size " + size);
        return i;
    }

    /**
     * A float constant with one value everywhere (torch's initial states when the batch is fixed) as
     * {@link Filled}; other values as they are. Each constant is scanned once: a file of thousands of
     * Expand or Slice nodes reading one large constant took minutes to import when each node
     * scanned it again (about 4 ms a node for 4M floats).
     */
    private Value uniform(Value v) {
        if (!(v instanceof Known k) || !k.tensor().isFloat() || k.tensor().size() == 0) return v;
        return uniformConstants.computeIfAbsent(k.tensor(), t -> {
            float[] f = t.floats();
            for (float x : f) if (Float.compare(x, f[0]) != 0) return v;
            return new Filled(f[0], SizeOps.longs(t.dims()));
        });
    }

    private static long clamp(long v, int n) { return Math.max(0, Math.min(n, v)); }

}
