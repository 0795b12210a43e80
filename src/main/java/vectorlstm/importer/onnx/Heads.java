package vectorlstm.importer.onnx;

import java.util.List;
import java.util.Set;
import vectorlstm.importer.ImportException;
import vectorlstm.importer.onnx.Value.Batch;
import vectorlstm.importer.onnx.Value.Data;
import vectorlstm.importer.onnx.Value.Known;
import vectorlstm.importer.onnx.Value.Outputs;
import vectorlstm.importer.onnx.Value.StateFeatures;
import vectorlstm.importer.onnx.Value.StateRef;

/**
 * The Dense layer: Gemm (nn.Linear) or MatMul + Add (x @ W + b) on the final states, then at most
 * one activation (Sigmoid, Softmax over the units, Tanh, Relu). {@link #finish} checks that the
 * states it reads are exactly what Keras' last recurrent layer returns.
 */
final class Heads {
    private Heads() {}

    static Value apply(String op, Attributes attrs, List<Value> in, ModelParts parts, long opset) {
        return switch (op) {
            case "Gemm" -> gemm(attrs, in, parts);
            case "MatMul" -> matMul(attrs, in, parts);
            case "Add" -> add(attrs, in, parts);
            case "Sigmoid", "Tanh", "Relu" -> activation(attrs, in, op.toLowerCase(java.util.Locale.ROOT), parts);
            case "Softmax" -> softmax(attrs, in, parts, opset);
            default -> throw new ImportException("unsupported op " + attrs.node());
        };
    }

    private static Value gemm(Attributes attrs, List<Value> in, ModelParts parts) {
        attrs.allowOnly(Set.of("alpha", "beta", "transA", "transB"));
        Ops.one(attrs, in, 2);
        float alpha = attrs.real("alpha", 1f), beta = attrs.real("beta", 1f);
        long transA = attrs.integer("transA", 0);
        boolean hasC = in.size() > 2 && in.get(2) != null;
        if (alpha != 1f || transA != 0 || (hasC && beta != 1f)) {
            String which = alpha != 1f ? "alpha=" + alpha : transA != 0 ? "transA=" + transA : "beta=" + beta + " with a bias C";
            throw Ops.cannot(attrs, "has " + which + "; the importer reads alpha=1, beta=1, transA=0 (nn.Linear writes alpha=1, beta=1, transB=1)");
        }
        StateFeatures x = finalStates(attrs, in.get(0));
        NumericTensor w = constant(attrs, in.get(1), "B (the weight)");
        boolean transB = attrs.integer("transB", 0) != 0;
        if (w.rank() != 2 || w.dims()[transB ? 1 : 0] != x.size()) {
            throw new ImportException(attrs.node() + ": weight '" + w.name() + "' has dims " + w.dimsText() + "; expected " + (transB ? "[units, " + x.size() + "]" : "[" + x.size() + ", units]")
                    + " for " + x.size() + " input features");
        }
        int units = (int) w.dims()[transB ? 0 : 1];
        if (units < 1) throw new ImportException(attrs.node() + ": weight '" + w.name() + "' has dims " + w.dimsText() + ": no output units");
        float[] src = GateLayouts.finiteCopy(w);
        float[] kernel = src;
        if (transB) {
            kernel = new float[src.length];
            for (int o = 0; o < units; o++) for (int i = 0; i < x.size(); i++) kernel[i * units + o] = src[o * x.size() + i];
        }
        ModelParts.Dense dense = newDense(attrs, parts, kernel, x, units);
        dense.bias = in.size() > 2 && in.get(2) != null ? bias(attrs, in.get(2), units) : new float[units];
        return output(dense, true);
    }

    private static Value matMul(Attributes attrs, List<Value> in, ModelParts parts) {
        attrs.allowOnly(Set.of());
        Ops.one(attrs, in, 2);
        StateFeatures x = finalStates(attrs, in.get(0));
        NumericTensor w = constant(attrs, in.get(1), "the weight");
        if (!w.hasDims(x.size(), w.rank() == 2 ? w.dims()[1] : -1) || w.dims()[1] < 1) {
            throw new ImportException(attrs.node() + ": weight '" + w.name() + "' has dims " + w.dimsText() + "; expected [" + x.size() + ", units]");
        }
        return output(newDense(attrs, parts, GateLayouts.finiteCopy(w), x, (int) w.dims()[1]), false);
    }

    private static Value add(Attributes attrs, List<Value> in, ModelParts parts) {
        attrs.allowOnly(Set.of());
        Ops.one(attrs, in, 2);
        int data = in.get(0) instanceof Data ? 0 : 1;
        ModelParts.Dense dense = parts.dense;
        if (!(in.get(data) instanceof Data d) || !isOutput(d, "linear") || ((Outputs) d.axes().get(1)).biased() || dense == null || dense.bias != null) {
            throw Ops.cannot(attrs, "adds to " + in.get(data) + "; only the bias of a MatMul can be added");
        }
        dense.bias = bias(attrs, in.get(1 - data), dense.units);
        return output(dense, true);
    }

    private static Value activation(Attributes attrs, List<Value> in, String name, ModelParts parts) {
        attrs.allowOnly(Set.of());
        return activate(attrs, Ops.one(attrs, in, 1).get(0), name, parts);
    }

    private static Value softmax(Attributes attrs, List<Value> in, ModelParts parts, long opset) {
        attrs.allowOnly(Set.of("axis"));
        long axis = attrs.integer("axis", opset >= 13 ? -1 : 1);
        if (axis != 1 && axis != -1) throw Ops.cannot(attrs, "takes the softmax over axis " + axis + "; Keras' Dense softmax is over the units (axis 1)");
        return activate(attrs, Ops.one(attrs, in, 1).get(0), "softmax", parts);
    }

    private static Value activate(Attributes attrs, Value v, String name, ModelParts parts) {
        if (v instanceof Value.SqueezedOutput s && s.output().activation().equals("linear") && !name.equals("softmax")) {
            Data d = (Data) activate(attrs, new Data(List.of(new Batch(), s.output())), name, parts);
            return new Value.SqueezedOutput((Outputs) d.axes().get(1));
        }
        if (!(v instanceof Data d) || !isOutput(d, "linear")) throw Ops.cannot(attrs, "applies " + name + " to " + v + "; only the Dense layer's output may have one activation");
        requireBias(attrs.node(), (Outputs) d.axes().get(1), parts);
        parts.dense.activation = name;
        return new Data(List.of(new Batch(), new Outputs(parts.dense.units, name, true)));
    }

    /** The last check: the Dense reads exactly the last recurrent layer's final states, forward first. */
    static void finish(ModelParts parts) {
        if (parts.recurrent.isEmpty()) throw new ImportException("the graph has no LSTM or GRU node");
        if (parts.dense.bias == null) parts.dense.bias = new float[parts.dense.units];
        requireLastLayerStates(parts, parts.dense.reads);
    }

    private static ModelParts.Dense newDense(Attributes attrs, ModelParts parts, float[] kernel, StateFeatures in, int units) {
        if (parts.dense != null) throw Ops.cannot(attrs, "is a second Dense layer; the importer reads one Dense on top");
        parts.dense = new ModelParts.Dense(kernel, in.size(), units, in.refs());
        return parts.dense;
    }

    private static Value output(ModelParts.Dense dense, boolean biased) {
        return new Data(List.of(new Batch(), new Outputs(dense.units, "linear", biased)));
    }

    /**
     * A Dense output that goes on (to an activation, or out of the graph) without the bias: fine
     * when no node adds one (the layer's bias is zero), refused when one does beside it (a dead
     * Add's bias was folded into the model, which then computed something else than the graph).
     */
    static void requireBias(String where, Outputs o, ModelParts parts) {
        if (o.biased()) return;
        if (parts.dense.bias != null) {
            throw new ImportException(where + ": the Dense layer's output goes on without the bias a node off its way adds: the imported model"
                    + " would not compute the graph's output");
        }
        parts.dense.bias = new float[parts.dense.units];
    }

    private static boolean isOutput(Data d, String activation) {
        return d.rank() == 2 && d.axes().get(0) instanceof Batch && d.axes().get(1) instanceof Outputs o && o.activation().equals(activation);
    }

    /** The Dense input: the final states of the last recurrent layer, all its directions, forward first. */
    private static StateFeatures finalStates(Attributes attrs, Value v) {
        if (!(v instanceof Data d) || d.rank() != 2 || !(d.axes().get(0) instanceof Batch) || !(d.axes().get(1) instanceof StateFeatures s)) {
            throw Ops.cannot(attrs, "multiplies " + v + "; the Dense layer reads the final states [batch, features] of the last LSTM/GRU");
        }
        return s;
    }

    private static void requireLastLayerStates(ModelParts parts, List<StateRef> refs) {
        int last = parts.recurrent.size() - 1;
        ModelParts.Recurrent rec = parts.recurrent.get(last);
        List<StateRef> expected = rec.directions == 1 ? List.of(new StateRef(last, 0)) : List.of(new StateRef(last, 0), new StateRef(last, 1));
        if (!refs.equals(expected)) {
            throw new ImportException("the Dense layer reads the final states " + refs + "; the engine's model gives " + expected
                    + " (the last recurrent layer" + (rec.directions == 2 ? ", forward then backward, as Keras' Bidirectional concatenates them)" : ")"));
        }
    }

    private static NumericTensor constant(Attributes attrs, Value v, String role) {
        if (!(v instanceof Known k) || !k.tensor().isFloat()) throw Ops.cannot(attrs, role + " is not a float32 initializer: " + v);
        return k.tensor();
    }

    private static float[] bias(Attributes attrs, Value v, int units) {
        NumericTensor b = constant(attrs, v, "the bias");
        if (!(b.hasDims(units) || b.hasDims(1, units))) throw new ImportException(attrs.node() + ": bias '" + b.name() + "' has dims " + b.dimsText() + "; expected [" + units + "]");
        return GateLayouts.finiteCopy(b);
    }
}
