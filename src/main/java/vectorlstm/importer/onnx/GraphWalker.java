package vectorlstm.importer.onnx;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import onnx.Onnx.GraphProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import vectorlstm.importer.ImportException;
import vectorlstm.io.ModelFile;
import vectorlstm.layers.Shape;
import vectorlstm.importer.onnx.Value.Batch;
import vectorlstm.importer.onnx.Value.Data;
import vectorlstm.importer.onnx.Value.Known;
import vectorlstm.importer.onnx.Value.Time;

/**
 * Walks the graph's nodes in order (ONNX requires topological order) and gives each output a
 * {@link Value}: what it means for the model, not its numbers. The layers recognised on the way
 * go into {@link ModelParts}. Any op the importer does not know, and any use of a known op whose
 * meaning it cannot prove equal to a Keras layer, is refused by name.
 */
final class GraphWalker {
    static final Set<String> SUPPORTED_OPS = Set.of("Gather", "LSTM", "GRU", "Gemm", "MatMul", "Add", "Sigmoid", "Softmax",
            "Tanh", "Relu", "Transpose", "Squeeze", "Unsqueeze", "Reshape", "Concat", "Slice", "Shape", "Constant",
            "ConstantOfShape", "Expand", "Identity", "Sub");

    private final GraphProto graph;
    private final long opset;
    private final int requestedSteps;
    /** The batch size the graph's input fixes (an export without dynamic axes), or -1 when it is symbolic. */
    private long fixedBatch = -1;
    private final Map<String, Value> values = new HashMap<>();
    private final ModelParts parts = new ModelParts();
    private String inputName;

    /** {@code requestedSteps}: the sequence length for a graph whose length is dynamic (0: none given). */
    GraphWalker(GraphProto graph, long opset, int requestedSteps) {
        this.graph = graph;
        this.opset = opset;
        this.requestedSteps = requestedSteps;
    }

    ModelParts walk() {
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : graph.getInitializerList()) {
            if (!initializers.add(t.getName())) throw new ImportException("initializer '" + t.getName() + "' appears twice");
            values.put(t.getName(), new Value.Unread(t));
        }
        if (graph.getSparseInitializerCount() > 0) throw new ImportException("the graph has sparse initializers; not supported");
        readInput(initializers);
        Ops ops = new Ops(this, parts, opset);
        for (NodeProto node : graph.getNodeList()) {
            if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
                throw new ImportException(Attributes.describe(node) + " is from domain '" + node.getDomain() + "'; only standard ONNX ops are supported");
            }
            if (!SUPPORTED_OPS.contains(node.getOpType())) {
                throw new ImportException("unsupported op " + Attributes.describe(node) + "; the importer reads " + new TreeSet<>(SUPPORTED_OPS)
                        + " in the patterns PyTorch writes for Embedding, LSTM, GRU, Linear, Sigmoid and Softmax");
            }
            ops.apply(node);
        }
        readOutput();
        return parts;
    }

    private void readInput(Set<String> initializers) {
        List<ValueInfoProto> inputs = graph.getInputList().stream().filter(v -> !initializers.contains(v.getName())).toList();
        if (inputs.size() != 1) {
            throw new ImportException("the graph has " + inputs.size() + " inputs " + inputs.stream().map(ValueInfoProto::getName).toList()
                    + "; the importer reads models with one input, the token ids [batch, steps]");
        }
        ValueInfoProto input = inputs.get(0);
        inputName = input.getName();
        TypeProto.Tensor type = input.getType().getTensorType();
        int elem = type.getElemType();
        if (!input.getType().hasTensorType() || (elem != TensorProto.DataType.INT64_VALUE && elem != TensorProto.DataType.INT32_VALUE)) {
            throw new ImportException("graph input '" + inputName + "' is " + (input.getType().hasTensorType() ? OnnxTensors.typeName(elem) : "not a tensor")
                    + "; the importer reads token-id models whose input is INT64 (or INT32) [batch, steps]");
        }
        if (!type.hasShape()) throw new ImportException("graph input '" + inputName + "' declares no shape; expected 2 dims, [batch, steps]");
        TensorShapeProto shape = type.getShape();
        if (shape.getDimCount() != 2) {
            throw new ImportException("graph input '" + inputName + "' has " + shape.getDimCount() + " dims; expected 2, [batch, steps]");
        }
        if (shape.getDim(0).hasDimValue() && shape.getDim(0).getDimValue() > 0) fixedBatch = shape.getDim(0).getDimValue();
        TensorShapeProto.Dimension time = shape.getDim(1);
        int steps;
        if (time.hasDimValue()) {
            long t = time.getDimValue();
            if (t <= 0 || t > ModelFile.MAX_SEQUENCE_LENGTH) {
                throw new ImportException("graph input '" + inputName + "' declares " + t + " steps; must be 1.." + ModelFile.MAX_SEQUENCE_LENGTH);
            }
            if (requestedSteps > 0 && requestedSteps != t) {
                throw new ImportException("graph input '" + inputName + "' has a fixed length of " + t + " steps; " + requestedSteps + " were asked for");
            }
            steps = (int) t;
        } else {
            steps = -1;  // dynamic: a variable-length model, or the length asked for
        }
        parts.steps = steps > 0 ? steps : requestedSteps > 0 ? requestedSteps : Shape.VARIABLE;
        values.put(inputName, new Data(List.of(new Batch(), new Time(steps))));
    }

    private void readOutput() {
        if (graph.getOutputCount() != 1) {
            throw new ImportException("the graph has " + graph.getOutputCount() + " outputs " + graph.getOutputList().stream().map(ValueInfoProto::getName).toList()
                    + "; the engine's model has one (the Dense layer's)");
        }
        String name = graph.getOutput(0).getName();
        if (name.isEmpty()) throw new ImportException("the graph's output has no name, so no node computes it: the file is not valid ONNX");
        Value v = value(name, "graph output");
        if (v instanceof Value.SqueezedOutput s) v = new Data(List.of(new Batch(), s.output()));  // [batch] is the engine's [batch, 1]
        if (!(v instanceof Data d) || d.rank() != 2 || !(d.axes().get(0) instanceof Batch) || !(d.axes().get(1) instanceof Value.Outputs)) {
            throw new ImportException("graph output '" + name + "' is " + v + "; expected the Dense layer's output [batch, units]");
        }
        // The engine's Dense applies the activation some node applied; it must be the one on the
        // way to the output (a Sigmoid beside a logits output would turn logits into probabilities).
        Value.Outputs out = (Value.Outputs) d.axes().get(1);
        String output = out.activation();
        if (parts.dense != null) Heads.requireBias("graph output '" + name + "'", out, parts);
        if (parts.dense != null && !output.equals(parts.dense.activation)) {
            throw new ImportException("graph output '" + name + "' is the Dense layer's output " + (output.equals("linear") ? "without an activation" : "after " + output)
                    + ", but a node off the way to the output applies " + parts.dense.activation + " to it: the imported model would not compute the graph's output");
        }
        Heads.finish(parts);
    }

    boolean isGraphInput(String name) { return name.equals(inputName); }

    String inputName() { return inputName; }

    long fixedBatch() { return fixedBatch; }

    /** The value a node input names; "" (an omitted optional input) gives null. */
    Value value(String name, String role) {
        if (name.isEmpty()) return null;
        Value v = values.get(name);
        if (v == null) throw new ImportException(role + " '" + name + "' is neither an initializer nor an earlier node's output (nodes out of order?)");
        if (v instanceof Value.Unread u) {
            v = new Known(OnnxTensors.read(u.proto(), "initializer"));
            values.put(name, v);
        }
        if (v instanceof Value.Unusable u) throw new ImportException(role + " '" + name + "' reads " + u.why() + ", which the engine's layers do not expose");
        return v;
    }

    void define(String name, Value v) {
        if (name.isEmpty()) return;
        if (values.containsKey(name)) throw new ImportException("tensor '" + name + "' is produced twice");
        values.put(name, v);
    }
}
