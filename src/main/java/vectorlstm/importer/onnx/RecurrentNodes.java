package vectorlstm.importer.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import onnx.Onnx.NodeProto;
import vectorlstm.importer.ImportException;
import vectorlstm.importer.onnx.Value.Batch;
import vectorlstm.importer.onnx.Value.Data;
import vectorlstm.importer.onnx.Value.Directions;
import vectorlstm.importer.onnx.Value.Features;
import vectorlstm.importer.onnx.Value.Filled;
import vectorlstm.importer.onnx.Value.Hidden;
import vectorlstm.importer.onnx.Value.Known;
import vectorlstm.importer.onnx.Value.PerState;
import vectorlstm.importer.onnx.Value.StateFeatures;
import vectorlstm.importer.onnx.Value.StateRef;
import vectorlstm.importer.onnx.Value.States;
import vectorlstm.importer.onnx.Value.Time;
import vectorlstm.layers.RecurrentLayer;

/**
 * ONNX LSTM and GRU nodes as Keras LSTM / GRU layers (Bidirectional for direction=bidirectional).
 * Only what Keras computes is accepted: default activations, no clip, no coupled input-forget
 * gate, no peepholes, no sequence_lens, zero initial states, time-major layout, and an input that
 * is the whole output of the layer below (or the embedding).
 */
final class RecurrentNodes {
    private static final Set<String> LSTM_ATTRS = Set.of("hidden_size", "direction", "activations", "activation_alpha", "activation_beta", "clip", "input_forget", "layout");
    private static final Set<String> GRU_ATTRS = Set.of("hidden_size", "direction", "activations", "activation_alpha", "activation_beta", "clip", "linear_before_reset", "layout");

    private RecurrentNodes() {}

    static List<Value> apply(NodeProto node, Attributes attrs, List<Value> in, ModelParts parts) {
        boolean lstm = node.getOpType().equals("LSTM");
        int gates = lstm ? 4 : 3;
        attrs.allowOnly(lstm ? LSTM_ATTRS : GRU_ATTRS);
        String where = attrs.node();
        parts.requireEmbedding(where);
        if (attrs.integer("layout", 0) != 0) throw new ImportException(where + ": layout=1 (batch-first inside the node) is not supported; export with the default layout 0");
        if (attrs.get("clip") != null) throw new ImportException(where + ": clip is set; Keras' layers do not clip the cell input");
        if (attrs.get("activation_alpha") != null || attrs.get("activation_beta") != null) {
            throw new ImportException(where + ": activation_alpha/beta are set; only the default activations are supported");
        }
        if (lstm && attrs.integer("input_forget", 0) != 0) throw new ImportException(where + ": input_forget=1 (coupled input and forget gates) has no Keras equivalent");
        String direction = attrs.string("direction", "forward");
        int dirs = switch (direction) {
            case "forward" -> 1;
            case "bidirectional" -> 2;
            default -> throw new ImportException(where + ": direction '" + direction + "' is not supported (forward, bidirectional)");
        };
        requireDefaultActivations(attrs, lstm, dirs);
        if (in.size() < 3 || in.get(0) == null || in.get(1) == null || in.get(2) == null) throw new ImportException(where + " needs inputs X, W and R");
        if (in.size() > 4 && in.get(4) != null) throw new ImportException(where + ": sequence_lens is given; the engine runs every sequence over all steps (pad instead)");
        if (lstm && in.size() > 7 && in.get(7) != null) throw new ImportException(where + ": peephole weights P are given; Keras' LSTM has no peepholes");

        if (!(in.get(0) instanceof Data x) || x.rank() != 3 || !(x.axes().get(0) instanceof Time time) || !(x.axes().get(1) instanceof Batch)
                || !(x.axes().get(2) instanceof Features f)) {
            // [batch, time, ...] straight into the node: either the Transpose is missing, or the model reads its ids time-major
            // ([time, batch], batch_first=False), while the importer reads the graph's input as [batch, steps].
            throw new ImportException(where + ": input X is " + in.get(0) + "; expected a time-major sequence [time, batch, features] (a Transpose of the batch-first embedding or the layer below)"
                    + (x0IsBatchTime(in.get(0)) ? "; if the model's input ids are [time, batch] (batch_first=False), export it taking [batch, steps] ids and transposing them inside" : ""));
        }
        if (f.source() != parts.top()) {
            throw new ImportException(where + ": input X is the output of " + (f.source() < 0 ? "the embedding" : "recurrent layer " + f.source())
                    + ", not of the layer right below; only a plain stack of layers is supported");
        }
        if (f.source() >= 0) {
            ModelParts.Recurrent below = parts.recurrent.get(f.source());
            if (below.returnSequences) throw new ImportException(where + ": the output of recurrent layer " + f.source() + " feeds two layers");
            below.returnSequences = true;
        }
        NumericTensor w = weight(where, "W", in.get(1)), r = weight(where, "R", in.get(2));
        NumericTensor b = in.size() > 3 && in.get(3) != null ? weight(where, "B", in.get(3)) : null;
        long units = r.rank() == 3 ? r.dims()[2] : -1;
        long hiddenSize = attrs.integer("hidden_size", units);
        int width = f.width();
        if (units > RecurrentLayer.MAX_UNITS || hiddenSize > RecurrentLayer.MAX_UNITS) {  // before any product of it can overflow
            throw new ImportException(where + ": hidden_size " + (hiddenSize > RecurrentLayer.MAX_UNITS ? hiddenSize : units) + " (R " + r.dimsText()
                    + ") is above the limit of " + RecurrentLayer.MAX_UNITS + " units");
        }
        if (attrs.get("hidden_size") != null && hiddenSize < 1) throw new ImportException(where + ": hidden_size " + hiddenSize + " must be at least 1 (R " + r.dimsText() + ")");
        if (units < 1 || hiddenSize != units || !w.hasDims(dirs, gates * units, width) || !r.hasDims(dirs, gates * units, units)) {
            long h = hiddenSize > 0 ? hiddenSize : units;
            String gateRows = h > 0 ? Long.toString(gates * h) : gates + "·hidden_size", hs = h > 0 ? Long.toString(h) : "hidden_size";
            throw new ImportException(where + ": W has dims " + w.dimsText() + " and R " + r.dimsText() + " (hidden_size " + hiddenSize + "); expected W ["
                    + dirs + ", " + gateRows + ", " + width + "] and R [" + dirs + ", " + gateRows + ", " + hs + "] for " + width + " input features");
        }
        if (b != null && !b.hasDims(dirs, 2 * gates * units)) {
            throw new ImportException(where + ": B has dims " + b.dimsText() + "; expected [" + dirs + ", " + 2 * gates * units + "] (Wb ‖ Rb)");
        }
        int h = (int) units;
        requireZeroState(where, "initial_h", in, 5, dirs, h);
        if (lstm) requireZeroState(where, "initial_c", in, 6, dirs, h);
        boolean resetAfter = lstm || linearBeforeReset(attrs);
        int layer = parts.recurrent.size();
        ModelParts.Recurrent rec = new ModelParts.Recurrent(node.getOpType(), dirs, h, width, !lstm && resetAfter);
        int[] order = lstm ? GateLayouts.LSTM_FROM_ONNX : GateLayouts.GRU_FROM_ONNX;
        for (int d = 0; d < dirs; d++) {
            rec.weights.add(GateLayouts.kernel(w, d, h, width, order));
            rec.weights.add(GateLayouts.kernel(r, d, h, h, order));
            rec.weights.add(GateLayouts.bias(b, d, h, order, !lstm && resetAfter));
        }
        parts.recurrent.add(rec);

        List<StateRef> refs = new ArrayList<>();
        for (int d = 0; d < dirs; d++) refs.add(new StateRef(layer, d));
        List<Value> out = new ArrayList<>();
        out.add(new Data(List.of(time, new Directions(layer, dirs), new Batch(), new Hidden(layer, h))));
        out.add(new Data(List.of(new States(refs, h), new Batch(), new PerState(h))));
        if (lstm) out.add(new Value.Unusable("the LSTM cell state Y_c of " + where));
        return out.subList(0, Math.min(out.size(), node.getOutputCount()));
    }

    /** Gather of one time step of a layer's output sequence: the final state for a forward layer's last step, else refused. */
    static Value lastStep(Attributes attrs, Data d, int axis, long index, Time time, ModelParts parts) {
        boolean last = index == -1 || (time.steps() > 0 && index == time.steps() - 1);
        Data rest = d.without(axis);
        int fi = rest.indexOf(Features.class);
        if (rest.rank() != 2 || rest.indexOf(Batch.class) < 0 || fi < 0 || ((Features) rest.axes().get(fi)).source() < 0) {
            throw Ops.cannot(attrs, "gathers step " + index + " of " + d);
        }
        Features f = (Features) rest.axes().get(fi);
        ModelParts.Recurrent rec = parts.recurrent.get(f.source());
        if (!last) {
            throw Ops.cannot(attrs, "takes step " + index + " of recurrent layer " + f.source() + "'s output; only the last step is a final state"
                    + (time.steps() <= 0 && index >= 0 ? " (the graph's time axis is dynamic, so only step -1 is known to be the last)" : ""));
        }
        if (rec.directions != 1) {
            throw Ops.cannot(attrs, "takes the last step of bidirectional layer " + f.source() + "'s output (out[:, -1, :]), whose backward half is the backward"
                    + " direction's FIRST step; Keras' Bidirectional gives both final states: export torch.cat([h_n[-2], h_n[-1]], dim=1)");
        }
        return rest.with(fi, new StateFeatures(List.of(new StateRef(f.source(), 0)), rec.units));
    }

    private static boolean linearBeforeReset(Attributes attrs) {
        long v = attrs.integer("linear_before_reset", 0);
        if (v != 0 && v != 1) throw new ImportException(attrs.node() + ": linear_before_reset must be 0 or 1, is " + v);
        return v == 1;
    }

    private static void requireDefaultActivations(Attributes attrs, boolean lstm, int dirs) {
        List<String> acts = attrs.strings("activations");
        if (acts == null) return;
        List<String> expected = new ArrayList<>();
        for (int d = 0; d < dirs; d++) expected.addAll(lstm ? List.of("sigmoid", "tanh", "tanh") : List.of("sigmoid", "tanh"));
        List<String> given = acts.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        if (!given.equals(expected)) throw new ImportException(attrs.node() + ": activations " + acts + " are not the defaults " + expected);
    }

    /**
     * An initial state, if given, must be zero, as Keras' layers start, and of the shape ONNX gives
     * it, [num_directions, batch, hidden_size] where the file states it, its batch a number or the
     * input's batch (not the steps, say): ONNX Runtime refuses to run a model whose zero state has
     * another shape, so it was a damaged file, not one to import. (A number runs at that batch in
     * ONNX Runtime and at any here: the states are zero either way.)
     */
    private static void requireZeroState(String where, String name, List<Value> in, int index, int dirs, int units) {
        if (in.size() <= index || in.get(index) == null) return;
        Value v = in.get(index);
        List<Object> shape;
        if (v instanceof Filled f && f.value() == 0f) {
            shape = f.shape();
        } else if (v instanceof Known k && k.tensor().isFloat() && allZero(k.tensor().floats())) {
            shape = new ArrayList<>();
            for (long d : k.tensor().dims()) shape.add(d);
        } else {
            throw new ImportException(where + ": " + name + " is not zero (" + v + "); Keras' layers start from zero states");
        }
        if (shape != null && (shape.size() != 3 || !Long.valueOf(dirs).equals(shape.get(0)) || !Long.valueOf(units).equals(shape.get(2))
                || shape.get(1) instanceof String symbol && !symbol.equals("batch"))) {
            throw new ImportException(where + ": " + name + " has the shape " + shape + "; ONNX gives it [" + dirs + ", batch, " + units
                    + "] (num_directions, batch, hidden_size): the file is damaged");
        }
    }

    private static boolean allZero(float[] values) {
        for (float x : values) if (x != 0f) return false;
        return true;
    }

    private static NumericTensor weight(String where, String role, Value v) {
        if (!(v instanceof Known k)) throw new ImportException(where + ": " + role + " is computed in the graph (" + v + "); only initializer weights are supported");
        if (!k.tensor().isFloat()) throw new ImportException(where + ": " + role + " '" + k.tensor().name() + "' is not float32");
        return k.tensor();
    }

    /** Whether a recurrent node's input is [batch, time, features]: the graph's ids read as [batch, steps] reach it untransposed. */
    private static boolean x0IsBatchTime(Value v) {
        return v instanceof Data d && d.rank() == 3 && d.axes().get(0) instanceof Batch && d.axes().get(1) instanceof Time;
    }
}
