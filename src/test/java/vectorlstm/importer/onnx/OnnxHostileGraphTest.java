package vectorlstm.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static vectorlstm.importer.onnx.OnnxEdits.assertMentions;
import static vectorlstm.importer.onnx.OnnxEdits.initializer;
import static vectorlstm.importer.onnx.OnnxEdits.intAttr;
import static vectorlstm.importer.onnx.OnnxEdits.node;
import static vectorlstm.importer.onnx.OnnxEdits.refusal;
import static vectorlstm.importer.onnx.OnnxEdits.setAttribute;

import java.io.IOException;
import java.nio.file.Path;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.importer.Imported;
import vectorlstm.io.ModelFile;

/**
 * Graphs made to mislead or exhaust the importer, and files it took for something else: each is
 * refused with a message that names the node and what is wrong, or imported when it is valid.
 */
class OnnxHostileGraphTest {
    @TempDir Path dir;

    private String refusalOf(String fixture, java.util.function.Consumer<GraphProto.Builder> change) throws IOException {
        return OnnxEdits.refusalOf(dir, fixture, change);
    }

    /** ONNX Runtime refuses these ("appeared multiple times"); reading the first imported a forward LSTM from a file that also said reverse. */
    @Test
    void anAttributeGivenTwiceIsRefused() throws IOException {
        String m = refusalOf("lstm.onnx", g -> node(g, "LSTM").addAttribute(direction("forward")).addAttribute(direction("reverse")));
        assertMentions(m, "LSTM node", "attribute 'direction' twice", "not valid ONNX");
        String gemm = refusalOf("lstm.onnx", g -> node(g, "Gemm").addAttribute(intAttr("transB", 0)));
        assertMentions(gemm, "Gemm node", "attribute 'transB' twice");
    }

    private static AttributeProto direction(String value) {
        return AttributeProto.newBuilder().setName("direction").setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    /**
     * Each Concat of a value with itself doubles it: 20 such nodes after the LSTM ask for a million
     * final states (40 nodes in a 10 KB file, 2^40), which filled the heap before the walk ended.
     */
    @Test
    void aValueConcatenatedWithItselfAgainAndAgainIsRefusedBeforeItFillsTheHeap() throws IOException {
        String states = refusalOf("lstm.onnx", g -> doubleAfter(g, "LSTM", node(g, "LSTM").getOutput(1), 20));
        assertMentions(states, "Concat node 'double", "a list of more than 64 final states", "exhaust memory");
        String sizes = refusalOf("lstm.onnx", g -> {
            NodeProto.Builder shape = node(g, "Shape");
            doubleAfter(g, "Shape", shape.getOutput(0), 20);
        });
        assertMentions(sizes, "Concat node 'double", "a size list of more than 64 entries");
        String big = refusalOf("lstm.onnx", g -> {
            TensorProto.Builder list = TensorProto.newBuilder().setName("many").setDataType(TensorProto.DataType.INT64_VALUE).addDims(1000);
            for (int i = 0; i < 1000; i++) list.addInt64Data(1);
            g.addInitializer(list);
            String shape = node(g, "Shape").getOutput(0);
            g.addNode(indexOf(g, "Shape") + 1, NodeProto.newBuilder().setOpType("Concat").setName("long_shape").addInput(shape).addInput("many")
                    .addOutput("long_shape_out").addAttribute(intAttr("axis", 0)));
        });
        assertMentions(big, "Concat node 'long_shape' builds a size list of 1000 entries");
    }

    private static void doubleAfter(GraphProto.Builder g, String opType, String value, int times) {
        int at = indexOf(g, opType) + 1;
        String previous = value;
        for (int i = 0; i < times; i++) {
            String out = "double" + i;
            g.addNode(at + i, NodeProto.newBuilder().setOpType("Concat").setName(out).addInput(previous).addInput(previous).addOutput(out)
                    .addAttribute(intAttr("axis", 0)));
            previous = out;
        }
    }

    private static int indexOf(GraphProto.Builder g, String opType) {
        for (int i = 0; i < g.getNodeCount(); i++) if (g.getNode(i).getOpType().equals(opType)) return i;
        throw new AssertionError("no " + opType + " node");
    }

    @Test
    void malformedNodesAndOutputsAreNamed() throws IOException {
        // A ConstantOfShape whose value is a FLOAT, not a tensor, was reported as "data type UNDEFINED".
        String value = refusalOf("lstm.onnx", g -> setAttribute(node(g, "ConstantOfShape"),
                AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.FLOAT).setF(0f).build()));
        assertMentions(value, "ConstantOfShape node", "attribute 'value' must be a TENSOR, is FLOAT");
        String unnamed = refusalOf("lstm.onnx", g -> g.getOutputBuilder(0).setName(""));
        assertMentions(unnamed, "the graph's output has no name");
    }

    /** At opsets 9-10 out[:, -1, :] is a Slice of the time axis: any other slice of it is no final state. */
    @Test
    void aSliceOfTheTimeAxisOtherThanItsLastStepIsRefused() throws IOException {
        String m = refusalOf("gru_last_step_opset9.onnx", g -> setAttribute(node(g, "Slice"), AttributeProto.newBuilder().setName("starts")
                .setType(AttributeProto.AttributeType.INTS).addInts(0).build()));
        assertMentions(m, "Slice node", "slices steps 0 to", "of the time axis; only the last step");
    }

    /** Attributes ONNX Runtime's checker refuses, which changed nothing here but let an invalid file pass. */
    @Test
    void attributesTheSchemaDoesNotHaveOrRequiresAreChecked() throws IOException {
        String concat = refusalOf("lstm.onnx", g -> {
            int at = indexOf(g, "Shape") + 1;
            String shape = g.getNode(at - 1).getOutput(0);
            g.addNode(at, NodeProto.newBuilder().setOpType("Concat").setName("no_axis").addInput(shape).addInput(shape).addOutput("no_axis_out"));
        });
        assertMentions(concat, "Concat node 'no_axis' has no 'axis', which Concat requires");
        String identity = refusalOf("lstm.onnx", g -> {
            int at = indexOf(g, "Gemm");
            String input = g.getNode(at).getInput(0);
            g.addNode(at, NodeProto.newBuilder().setOpType("Identity").setName("odd_identity").addInput(input).addOutput("identity_out")
                    .addAttribute(intAttr("axis", 1)));
        });
        assertMentions(identity, "Identity node 'odd_identity' has attribute 'axis'");
    }

    /**
     * What ONNX Runtime runs was refused: an initializer no node reads, of a type the importer does
     * not read (every initializer was decoded up front), and external_data entries on a tensor whose
     * data_location is DEFAULT (onnx.proto reads them only for EXTERNAL).
     */
    @Test
    void anUnusedInitializerAndExternalDataEntriesOnInlineDataImport() throws Exception {
        Path unused = OnnxEdits.changedModel(dir, "lstm.onnx", m -> m.getGraphBuilder().addInitializer(TensorProto.newBuilder().setName("left_behind")
                .setDataType(TensorProto.DataType.DOUBLE_VALUE).addDims(2).addDoubleData(1.0).addDoubleData(2.0)));
        OnnxImporter.importOnnx(unused).close();
        Path entries = OnnxEdits.changedModel(dir, "lstm.onnx", m -> initializer(m.getGraphBuilder(), 50, 8)
                .addExternalData(onnx.Onnx.StringStringEntryProto.newBuilder().setKey("location").setValue("/etc/passwd")));
        OnnxImporter.importOnnx(entries).close();
    }

    /**
     * Thousands of Expand nodes that read one large constant (and lead nowhere): each scanned the
     * whole constant again for one value everywhere, and a 16 MB file took 78 s to import. The
     * scan is done once per constant now; the time limit is a guard against that hang (the import
     * takes under a second here; the old code ran out of it), not a speed figure.
     */
    @Test
    void manyNodesReadingOneLargeConstantDoNotScanItAgainAndAgain() throws Exception {
        int floats = 4 << 20, nodes = 20_000;
        Path file = OnnxEdits.changedModel(dir, "lstm.onnx", m -> {
            GraphProto.Builder g = m.getGraphBuilder();
            g.addInitializer(TensorProto.newBuilder().setName("big_zeros").setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(floats)
                    .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[floats * Float.BYTES])));
            g.addInitializer(TensorProto.newBuilder().setName("big_shape").setDataType(TensorProto.DataType.INT64_VALUE).addDims(1).addInt64Data(floats));
            for (int i = 0; i < nodes; i++) {
                g.addNode(NodeProto.newBuilder().setOpType("Expand").setName("pad" + i).addInput("big_zeros").addInput("big_shape").addOutput("pad_out" + i));
            }
        });
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> OnnxImporter.importOnnx(file).close());
    }

    /** A zero initial state as a constant of the shape ONNX gives it imports (only another shape is refused). */
    @Test
    void aZeroInitialStateConstantOfItsShapeImports() throws Exception {
        Path file = OnnxEdits.changedModel(dir, "lstm.onnx", m -> {
            GraphProto.Builder g = m.getGraphBuilder();
            g.addInitializer(TensorProto.newBuilder().setName("h0").setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(1).addDims(3).addDims(12)
                    .addAllFloatData(java.util.Collections.nCopies(36, 0f)));
            node(g, "LSTM").setInput(5, "h0");
        });
        OnnxImporter.importOnnx(file).close();
    }

    /** A weight a Constant node holds has no name of its own: the error named it ''. */
    @Test
    void aNonFiniteWeightInAConstantNodeIsNamedByTheTensorItDefines() throws IOException {
        String m = refusalOf("lstm.onnx", g -> {
            TensorProto.Builder kernel = initializer(g, 1, 12);
            String name = kernel.getName();
            java.nio.FloatBuffer raw = kernel.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            TensorProto.Builder value = kernel.clone().setName("").clearRawData();
            for (int i = 0; raw.hasRemaining(); i++) {
                float v = raw.get();
                value.addFloatData(i == 3 ? Float.NaN : v);
            }
            g.removeInitializer(g.getInitializerList().indexOf(kernel.build()));
            g.addNode(0, NodeProto.newBuilder().setOpType("Constant").setName("kernel_constant").addOutput(name)
                    .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(value)));
        });
        assertMentions(m, "holds NaN at flat index 3", "must be finite");
        assertFalse(m.contains("''"), m);
    }

    /** Protobuf's own message advised its programmers to call setRecursionLimit(). */
    @Test
    void messagesNestedPastProtobufsLimitAreRefusedInAUsersWords() throws IOException {
        String m = refusalOf("lstm.onnx", g -> {
            GraphProto inner = GraphProto.getDefaultInstance();
            for (int i = 0; i < 60; i++) {
                inner = GraphProto.newBuilder().addNode(NodeProto.newBuilder().setOpType("If")
                        .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH).setG(inner))).build();
            }
            g.addNode(NodeProto.newBuilder().setOpType("If").addAttribute(AttributeProto.newBuilder().setName("then_branch")
                    .setType(AttributeProto.AttributeType.GRAPH).setG(inner)));
        });
        assertMentions(m, "nests its messages deeper than protobuf's limit");
        assertFalse(m.contains("setRecursionLimit"), m);
    }

    /**
     * The check for our own model files looked for "vector-lstm" anywhere in the first 64 bytes,
     * which hold an ONNX file's producer and doc string: a valid ONNX file was refused.
     */
    @Test
    void anOnnxFileThatNamesVectorLstmImportsAndAModelFileIsNamedByItsHeader() throws Exception {
        Path named = OnnxEdits.changedModel(dir, "lstm.onnx", m -> m.setProducerName("vector-lstm").setDocString("for vector-lstm"));
        try (Imported imported = OnnxImporter.importOnnx(named)) {
            Path saved = dir.resolve("model.vlstm");
            ModelFile.save(saved, imported.saved());
            assertMentions(refusal(saved), "is a vector-lstm model file (load it directly)");
        }
    }
}
