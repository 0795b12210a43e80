package vectorlstm.importer.onnx;

import static vectorlstm.importer.onnx.Ops.cannot;
import static vectorlstm.importer.onnx.Ops.one;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import vectorlstm.importer.onnx.Value.Axis;
import vectorlstm.importer.onnx.Value.Batch;
import vectorlstm.importer.onnx.Value.Data;
import vectorlstm.importer.onnx.Value.Directions;
import vectorlstm.importer.onnx.Value.Features;
import vectorlstm.importer.onnx.Value.Hidden;
import vectorlstm.importer.onnx.Value.Known;
import vectorlstm.importer.onnx.Value.Sizes;
import vectorlstm.importer.onnx.Value.StateFeatures;
import vectorlstm.importer.onnx.Value.States;

/**
 * ONNX Reshape on {@link Value}s: only the reshapes whose meaning a Keras layer stack has (the
 * others are refused with what they would have done). One of {@link Ops}' layout ops, in a file
 * of its own for its many cases.
 */
final class Reshape {
    private Reshape() {}

    /**
     * Two merges that keep the meaning: Y [time, batch, directions, hidden] → [time, batch,
     * directions·hidden] (forward features first, as Keras' Bidirectional concatenates them), and
     * final states [batch, states, units] → [batch, states·units] (torch's
     * {@code h_n.transpose(0, 1).reshape(batch, -1)}); and two views that drop a size-one axis:
     * {@code h_n.view(-1, hidden)} of a single final state, {@code sigmoid(...).view(-1)} of a
     * one-unit output. The target shape may be a constant or computed from the batch size (Shape,
     * Gather, Concat).
     */
    static Value apply(Attributes attrs, List<Value> in, long opset, long fixedBatch) {
        attrs.allowOnly(opset >= 14 ? Set.of("allowzero") : Set.of());  // allowzero came with opset 14
        one(attrs, in, 2);
        if (!(in.get(0) instanceof Data d)) throw cannot(attrs, "reshapes " + in.get(0));
        List<Object> shape = switch (in.get(1)) {
            case Known k -> Arrays.stream(k.tensor().ints("shape")).boxed().map(x -> (Object) x).toList();
            case Sizes s -> s.entries();
            default -> throw cannot(attrs, "takes its shape from " + in.get(1));
        };
        if (d.rank() == 4 && shape.size() == 3 && d.axes().get(2) instanceof Directions dir && d.axes().get(3) instanceof Hidden h && dir.layer() == h.layer()
                && keeps(d.axes().get(0), shape.get(0), attrs, fixedBatch) && keeps(d.axes().get(1), shape.get(1), attrs, fixedBatch)
                && isWidth(shape.get(2), (long) dir.count() * h.width())) {
            return new Data(List.of(d.axes().get(0), d.axes().get(1), new Features(h.layer(), dir.count() * h.width())));
        }
        if (d.rank() == 3 && shape.size() == 2 && d.axes().get(0) instanceof Batch && d.axes().get(1) instanceof States st && d.axes().get(2) instanceof Value.PerState
                && (keeps(d.axes().get(0), shape.get(0), attrs, fixedBatch) || (Long.valueOf(-1).equals(shape.get(0)) && shape.get(1).equals((long) st.size() * st.width())))
                && isWidth(shape.get(1), (long) st.size() * st.width())) {
            return new Data(List.of(new Batch(), new StateFeatures(st.refs(), st.width())));
        }
        // PyTorch tutorials' h_n.view(-1, hidden) of one layer and direction (h_n[0]), and
        // sigmoid(...).view(-1) of a one-unit head (its squeeze): neither mixes states into the batch.
        if (d.rank() == 3 && shape.size() == 2 && d.axes().get(0) instanceof States st && st.refs().size() == 1 && d.axes().get(2) instanceof Value.PerState
                && keepsBatch(d.axes().get(1), shape.get(0), attrs, fixedBatch, false) && isWidth(shape.get(1), st.width())) {
            return Ops.pickStates(attrs, d, 0, st.refs());
        }
        if (d.rank() == 3 && shape.size() == 2 && d.axes().get(0) instanceof States st && d.axes().get(1) instanceof Batch && Long.valueOf(-1).equals(shape.get(0))
                && isWidth(shape.get(1), st.width())) {
            List<Value.StateRef> refs = st.refs();
            boolean bidirectional = refs.stream().anyMatch(r -> r.direction() == 1);
            throw cannot(attrs, "views " + st + " as [-1, " + st.width() + "]: that stacks their " + refs.size() + " states in the batch, " + refs.size()
                    + " rows per sequence (" + (bidirectional ? "the last layer's two directions side by side are torch.cat([h_n[-2], h_n[-1]], 1)"
                    : "the last layer's state alone is h_n[-1]") + ")");
        }
        if (d.rank() == 2 && shape.size() == 1 && d.axes().get(1) instanceof Value.Outputs o && o.units() == 1 && keepsBatch(d.axes().get(0), shape.get(0), attrs, fixedBatch, true)) {
            return new Value.SqueezedOutput(o);
        }
        throw cannot(attrs, "reshapes " + d + " to " + shape + " (only a bidirectional output's [directions, hidden], or stacked final states [states, units], can be merged into features;"
                + " a single final state [1, batch, units] viewed as [batch, units], or a one-unit output [batch, 1] as [batch])");
    }

    /**
     * Whether a target-shape entry keeps axis {@code a}: 0 (copy, unless allowzero), its symbol, its
     * fixed size, or for the batch the size the graph's input fixes it at (torch's export without
     * dynamic axes folds {@code x.size(0)} into that constant).
     */
    private static boolean keeps(Axis a, Object target, Attributes attrs, long fixedBatch) {
        if (target instanceof String symbol) return a.size() < 0 && symbol.equals(a instanceof Batch ? "batch" : "steps");
        long t = (Long) target;
        if (a instanceof Batch && fixedBatch > 0 && t == fixedBatch) return true;
        return (t == 0 && attrs.integer("allowzero", 0) == 0) || (a.size() > 0 && t == a.size());
    }

    /**
     * Whether a target-shape entry is the batch axis {@code a} as it is: -1 (the rest, when every
     * other entry keeps its axis) or {@link #keeps}. A 0 copies the input's size at the entry's own
     * place, so it is the batch only when the batch is there ({@code samePlace}): h_n's [0, -1] is
     * its [1, batch·units], not h_n[0], unless the graph fixes the batch at 1 (then it is, as
     * [1, -1] is).
     */
    private static boolean keepsBatch(Axis a, Object target, Attributes attrs, long fixedBatch, boolean samePlace) {
        if (!samePlace && Long.valueOf(0).equals(target)) return a instanceof Batch && fixedBatch == 1 && attrs.integer("allowzero", 0) == 0;
        return a instanceof Batch && (Long.valueOf(-1).equals(target) || keeps(a, target, attrs, fixedBatch));
    }

    private static boolean isWidth(Object target, long width) {
        return target instanceof Long t && (t == -1 || t == width);
    }
}
