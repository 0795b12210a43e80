package vectorlstm.importer.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * What the importer knows about one tensor of the graph while it walks the nodes: not numbers but
 * what the tensor means for the Keras-style model, so that each op's effect can be checked instead
 * of matched by name. A data tensor is a list of named axes; ops that move axes (Transpose,
 * Squeeze, Reshape, Gather, Concat) move the names, and the layers at the end accept only the
 * layouts whose meaning they can prove.
 */
sealed interface Value {
    /** Values the file gives: initializers and Constant nodes. */
    record Known(NumericTensor tensor) implements Value {
        @Override public String toString() {
            return "constant " + (tensor.name().isEmpty() ? "" : "'" + tensor.name() + "' ") + (tensor.isFloat() ? "float32 " : "int ") + tensor.dimsText();
        }
    }

    /** An initializer not read yet: decoded when a node reads it, so one no node reads (a float64 constant an exporter left behind) costs nothing and is not refused. */
    record Unread(onnx.Onnx.TensorProto proto) implements Value {}

    /** A small int64 vector of sizes, some symbolic (the batch): what Shape and the ops on its result make. Entries are Long or String. */
    record Sizes(List<Object> entries, boolean scalar) implements Value {}

    /**
     * A tensor of one value everywhere (ConstantOfShape, Expand, Slice of it): the initial states
     * torch writes. {@code shape} holds its dims (Long, or String for the batch) where the file
     * states them (ConstantOfShape, a constant); null once an op has changed them.
     */
    record Filled(float value, List<Object> shape) implements Value {
        Filled reshaped() { return shape == null ? this : new Filled(value, null); }
    }

    /** A tensor computed from the input, described by its axes. */
    record Data(List<Axis> axes) implements Value {
        public Data { axes = List.copyOf(axes); }

        int rank() { return axes.size(); }

        int indexOf(Class<? extends Axis> kind) {
            for (int i = 0; i < axes.size(); i++) if (kind.isInstance(axes.get(i))) return i;
            return -1;
        }

        Data without(int axis) {
            List<Axis> out = new ArrayList<>(axes);
            out.remove(axis);
            return new Data(out);
        }

        Data with(int axis, Axis replacement) {
            List<Axis> out = new ArrayList<>(axes);
            out.set(axis, replacement);
            return new Data(out);
        }

        @Override public String toString() { return axes.toString(); }
    }

    /**
     * The output of a one-unit Dense with its unit axis squeezed away, [batch]: torch's
     * {@code fc(h).squeeze(-1)}, often unsqueezed again after the sigmoid.
     */
    record SqueezedOutput(Outputs output) implements Value {}

    /** An output the importer cannot give a meaning (e.g. an LSTM's cell state Y_c): an error once something reads it. */
    record Unusable(String why) implements Value {}

    /** Names for the axes of a data tensor. */
    sealed interface Axis {
        int size();
    }

    /** The batch: symbolic. */
    record Batch() implements Axis {
        public int size() { return -1; }
        @Override public String toString() { return "batch"; }
    }

    /** Time steps: {@code steps} fixed, or -1 when the graph leaves them dynamic. */
    record Time(int steps) implements Axis {
        public int size() { return steps; }
        @Override public String toString() { return "time"; }
    }

    /** The time axis sliced to its last step ({@code out[:, -1:]}, opsets 9-10): one step, which a Squeeze or Gather then drops. */
    record LastStep(Time time) implements Axis {
        public int size() { return 1; }
        @Override public String toString() { return "last step"; }
    }

    /** Features of a sequence: the embedding's ({@code source} -1) or recurrent layer {@code source}'s whole output. */
    record Features(int source, int width) implements Axis {
        public int size() { return width; }
        @Override public String toString() { return (source < 0 ? "embedding" : "rnn" + source) + " features(" + width + ")"; }
    }

    /** ONNX's num_directions axis of recurrent layer {@code layer}'s Y. */
    record Directions(int layer, int count) implements Axis {
        public int size() { return count; }
        @Override public String toString() { return "rnn" + layer + " directions(" + count + ")"; }
    }

    /** The hidden units of recurrent layer {@code layer}, per direction. */
    record Hidden(int layer, int width) implements Axis {
        public int size() { return width; }
        @Override public String toString() { return "rnn" + layer + " hidden(" + width + ")"; }
    }

    /** One direction of one recurrent layer: whose final state a slice of Y_h is. */
    record StateRef(int layer, int direction) {
        @Override public String toString() { return "rnn" + layer + (direction == 0 ? " forward" : " backward"); }
    }

    /** The stacked final states: axis 0 of Y_h, and of torch's h_n (Y_h of all layers concatenated). */
    record States(List<StateRef> refs, int width) implements Axis {
        public States { refs = List.copyOf(refs); }
        public int size() { return refs.size(); }
        @Override public String toString() { return "states" + refs; }
    }

    /** The units of each state stacked on a {@link States} axis (Y_h's last axis). */
    record PerState(int width) implements Axis {
        public int size() { return width; }
        @Override public String toString() { return "state units(" + width + ")"; }
    }

    /** Final states laid side by side as features: {@code refs.size() * width} wide. */
    record StateFeatures(List<StateRef> refs, int width) implements Axis {
        public StateFeatures { refs = List.copyOf(refs); }
        public int size() { return refs.size() * width; }
        @Override public String toString() { return "final states" + refs; }
    }

    /**
     * The Dense layer's output units, with the activation applied so far ("linear" until one is),
     * and whether the Dense's bias is in it: a MatMul's product is not until an Add puts it there
     * (Gemm's is). The bias is the layer's, so it must be on the way to the output, not beside it.
     */
    record Outputs(int units, String activation, boolean biased) implements Axis {
        public int size() { return units; }
        @Override public String toString() { return "dense(" + units + ", " + activation + (biased ? "" : ", before its bias") + ")"; }
    }
}
