package vectorlstm.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vectorlstm.importer.onnx.OnnxEdits.assertMentions;
import static vectorlstm.importer.onnx.OnnxEdits.initializer;
import static vectorlstm.importer.onnx.OnnxEdits.intAttr;
import static vectorlstm.importer.onnx.OnnxEdits.node;
import static vectorlstm.importer.onnx.OnnxEdits.setAttribute;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.importer.ImportException;

/**
 * Files the importer must refuse, each with a message that names what is wrong: other kinds of
 * file, truncated protobufs, ops and attributes with no Keras equivalent, forged shapes and sizes,
 * weights that are not finite. The graphs are the committed fixtures with one thing changed
 * through the classes generated from onnx.proto.
 */
class OnnxRefusalTest {
    @TempDir Path dir;

    private String refusal(Path file) {
        return OnnxEdits.refusal(file);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return OnnxEdits.write(dir, name, bytes);
    }

    /** The fixture with one change made to its protobuf. */
    private String refusalOf(String fixture, Consumer<GraphProto.Builder> change) throws IOException {
        return OnnxEdits.refusalOf(dir, fixture, change);
    }

    /**
     * The Softmax reads the MatMul's product, and an Add of the bias hangs beside it, its result
     * unused: ONNX Runtime's outputs have no bias in them, but the bias was folded into the
     * imported Dense all the same (0.3382 against ONNX Runtime's 0.3803).
     */
    @Test
    void aBiasAddedOffTheWayToTheOutputIsRefused() throws IOException {
        String m = refusalOf("gru_stacked_matmul.onnx", g -> {
            NodeProto add = node(g, "Add").build();
            String product = add.getInput(0).isEmpty() || isInitializer(g, add.getInput(0)) ? add.getInput(1) : add.getInput(0);
            for (NodeProto.Builder n : g.getNodeBuilderList()) {
                if (n.getOpType().equals("Add")) continue;
                for (int k = 0; k < n.getInputCount(); k++) if (n.getInput(k).equals(add.getOutput(0))) n.setInput(k, product);
            }
        });
        assertMentions(m, "without the bias a node off its way adds", "would not compute the graph's output");
    }

    private static boolean isInitializer(GraphProto.Builder g, String name) {
        return g.getInitializerList().stream().anyMatch(t -> t.getName().equals(name));
    }

    @Test
    void truncatedFilesAreRefusedAsSuch() throws IOException {
        byte[] whole = Files.readAllBytes(OnnxParityTest.DIR.resolve("lstm.onnx"));
        for (int cut : new int[] {1, 2, 10, 100, whole.length / 3, whole.length / 2, whole.length - 40, whole.length - 1}) {
            String m = refusal(write("cut" + cut + ".onnx", Arrays.copyOf(whole, cut)));
            assertTrue(m.contains("truncated"), "cut at " + cut + " of " + whole.length + ": " + m);
        }
    }

    @Test
    void filesOfOtherKindsAreNamed() throws IOException {
        assertMentions(refusal(write("empty.onnx", new byte[0])), "is empty");
        assertMentions(refusal(write("image.onnx", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13})), "a PNG image");
        assertMentions(refusal(write("weights.onnx", new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0})), "an HDF5 file");
        Path zip = dir.resolve("model.onnx");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(new byte[] {1, 2, 3});
        }
        assertMentions(refusal(zip), "a zip archive");
        assertMentions(refusal(write("config.onnx", "{\"class_name\": \"Sequential\"}".getBytes())), "a JSON text");
        assertMentions(refusal(write("pickle.onnx", new byte[] {(byte) 0x80, 2, ']', 'q', 0})), "a Python pickle");
        assertMentions(refusal(Path.of("src/test/resources/models/v1-small.vlstm")), "a vector-lstm model file");
        // A pipe reports a size of 0: it was called empty, whatever it held. Folders and missing files say so too.
        assertMentions(refusal(Path.of("/dev/null")), "/dev/null is not a regular file (a pipe or a device)");
        assertMentions(refusal(dir), "is a folder, not a model file");
        assertMentions(refusal(dir.resolve("missing.onnx")), "missing.onnx: no such file");
        // A link loop was reported as "no such file" too.
        Path a = dir.resolve("loop-a.onnx"), b = dir.resolve("loop-b.onnx");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        assertMentions(refusal(a), "loop-a.onnx is a symbolic link that leads nowhere");
        assertMentions(refusal(Files.createSymbolicLink(dir.resolve("dangling.onnx"), dir.resolve("gone.onnx"))), "dangling.onnx is a symbolic link that leads nowhere");
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);
        noise[0] = 0x0a;  // not one of the recognised headers
        assertMentions(refusal(write("noise.onnx", noise)), "not", "ONNX");
    }

    @Test
    void unsupportedOpsAreRefusedByName() throws IOException {
        String conv = refusalOf("lstm.onnx", g -> node(g, "Sigmoid").setOpType("Conv"));
        assertMentions(conv, "unsupported op Conv node", "LSTM", "Gemm");
        String attention = refusalOf("lstm.onnx", g -> node(g, "Gemm").setOpType("Attention").setDomain("com.microsoft"));
        assertMentions(attention, "Attention node", "domain 'com.microsoft'");
        String mul = refusalOf("lstm.onnx", g -> node(g, "Sigmoid").setOpType("Mul"));
        assertMentions(mul, "unsupported op Mul");
    }

    @Test
    void fieldsOnnxProtoDoesNotKnowAreDroppedAsTheyAreRead() throws IOException {
        // Kept, five million of them (25 MB) took more than a gigabyte of heap; dropped, the model imports as without them.
        byte[] model = Files.readAllBytes(OnnxParityTest.DIR.resolve("lstm.onnx"));
        java.io.ByteArrayOutputStream extra = new java.io.ByteArrayOutputStream();
        extra.writeBytes(model);
        for (int i = 0; i < 100_000; i++) extra.writeBytes(new byte[] {(byte) 0xC0, 0x3E, 0x01});  // field 1000, varint 1: unknown to ModelProto
        Path withExtra = write("unknown-fields.onnx", extra.toByteArray());
        assertTrue(OnnxFile.read(withExtra).model().getUnknownFields().asMap().isEmpty(), "the unknown fields were kept");
        try (var plain = OnnxImporter.importOnnx(OnnxParityTest.DIR.resolve("lstm.onnx")); var imported = OnnxImporter.importOnnx(withExtra)) {
            var a = plain.saved().model().getWeights();
            var b = imported.saved().model().getWeights();
            for (int i = 0; i < a.size(); i++) assertTrue(Arrays.equals(a.get(i), b.get(i)), "weight " + i);
        }
    }

    @Test
    void wrongWeightShapesNameTheTensorAndTheExpectedDims() throws IOException {
        // R for hidden size 10 where W and hidden_size say 12.
        String r = refusalOf("lstm.onnx", g -> initializer(g, 1, 48, 12).clearDims().addAllDims(java.util.List.of(1L, 40L, 12L))
                .setRawData(ByteString.copyFrom(new byte[40 * 12 * 4])));
        assertMentions(r, "LSTM node", "R [1, 40, 12]".replace("R ", ""), "expected W [1, 48, 8] and R [1, 48, 12]");
        String hidden = refusalOf("lstm.onnx", g -> setAttribute(node(g, "LSTM"), intAttr("hidden_size", 13)));
        assertMentions(hidden, "hidden_size 13");
        // A huge hidden_size printed its products overflowed ("expected W [1, -4, 8]").
        String huge = refusalOf("lstm.onnx", g -> setAttribute(node(g, "LSTM"), intAttr("hidden_size", Long.MAX_VALUE / 2)));
        assertMentions(huge, "LSTM node", "hidden_size " + Long.MAX_VALUE / 2, "above the limit of " + vectorlstm.layers.RecurrentLayer.MAX_UNITS + " units");
        String negative = refusalOf("lstm.onnx", g -> setAttribute(node(g, "LSTM"), intAttr("hidden_size", -1)));
        assertMentions(negative, "hidden_size -1 must be at least 1");
        // Without the attribute (it is optional) an R of another rank is named, not a hidden_size the file does not have.
        String rank2 = refusalOf("lstm.onnx", g -> {
            onnx.Onnx.NodeProto.Builder lstm = node(g, "LSTM");
            for (int i = 0; i < lstm.getAttributeCount(); i++) if (lstm.getAttribute(i).getName().equals("hidden_size")) lstm.removeAttribute(i--);
            initializer(g, 1, 48, 12).clearDims().addAllDims(java.util.List.of(48L, 12L));
        });
        assertMentions(rank2, "R [48, 12]", "expected W [1, 4·hidden_size, 8]");
        String dense = refusalOf("lstm.onnx", g -> initializer(g, 1, 12).clearDims().addAllDims(java.util.List.of(2L, 6L)));
        assertMentions(dense, "Gemm node", "has dims [2, 6]", "expected [units, 12]");
        String bias = refusalOf("gru.onnx", g -> initializer(g, 1, 72).clearDims().addAllDims(java.util.List.of(2L, 36L)));
        assertMentions(bias, "GRU node", "B has dims [2, 36]");
    }

    @Test
    void dataThatDoesNotFitItsDimsIsRefusedBeforeAllocating() throws IOException {
        String huge = refusalOf("lstm.onnx", g -> initializer(g, 50, 8).clearDims().addAllDims(java.util.List.of(50L, 1L << 40)));
        assertMentions(huge, "embedding.weight", "out of range");
        String many = refusalOf("lstm.onnx", g -> initializer(g, 50, 8).clearDims().addAllDims(java.util.List.of(1L << 20, 1L << 20)));
        assertMentions(many, "embedding.weight", "more than");
        String short_ = refusalOf("lstm.onnx", g -> initializer(g, 50, 8).clearDims().addAllDims(java.util.List.of(60000L, 8L)));
        assertMentions(short_, "embedding.weight", "declares 480000 elements but holds 1600 raw_data bytes");
        String negative = refusalOf("lstm.onnx", g -> initializer(g, 50, 8).setDims(0, -5));
        assertMentions(negative, "declares dim 0 = -5");
        String steps = refusalOf("lstm.onnx", g -> g.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(1).setDimValue(1L << 40));
        assertMentions(steps, "input_ids", "declares " + (1L << 40) + " steps");
    }

    @Test
    void nonFiniteAndNonFloatWeightsAreRefused() throws IOException {
        String nan = refusalOf("lstm.onnx", g -> {
            TensorProto.Builder t = initializer(g, 1, 48, 8);
            ByteBuffer b = ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            b.putFloat(4 * 7, Float.NaN);
            t.setRawData(ByteString.copyFrom(b.array()));
        });
        assertMentions(nan, "holds NaN at flat index 7", "must be finite");
        String inf = refusalOf("lstm.onnx", g -> {
            TensorProto.Builder t = initializer(g, 1, 12);
            t.clearRawData().addAllFloatData(java.util.Collections.nCopies(12, Float.POSITIVE_INFINITY));
        });
        assertMentions(inf, "'weight' holds Infinity");
        // Each half of the bias finite, their sum not: was refused in the engine's names ('lstm/bias[0]'), without the file.
        String sum = refusalOf("lstm.onnx", g -> {
            TensorProto.Builder t = initializer(g, 1, 96);
            ByteBuffer b = ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            b.putFloat(0, 3e38f).putFloat(4 * 48, 3e38f);
            t.setRawData(ByteString.copyFrom(b.array()));
        });
        assertMentions(sum, "changed-lstm.onnx", "holds 3.0E38 and 3.0E38 at flat indexes 0 and 48", "overflows float32");
        String doubles = refusalOf("lstm.onnx", g -> initializer(g, 50, 8).setDataType(TensorProto.DataType.DOUBLE_VALUE)
                .setRawData(ByteString.copyFrom(new byte[50 * 8 * 8])));
        assertMentions(doubles, "embedding.weight", "data type DOUBLE");
        String external = refusalOf("lstm.onnx", g -> initializer(g, 50, 8).setDataLocation(TensorProto.DataLocation.EXTERNAL));
        assertMentions(external, "external file");
        // Values in raw_data and in float_data at once: raw_data used to win silently.
        String twice = refusalOf("lstm.onnx", g -> initializer(g, 1, 12).addAllFloatData(java.util.Collections.nCopies(12, 100f)));
        assertMentions(twice, "holds its values twice (raw_data and float_data)");
    }

    @Test
    void opsetsBelowNineAreRefusedNamingTheOpset() throws IOException {
        // torch 1.13's exports at opset 7 and 8 were refused for a float64 Constant, which did not say to export again.
        ModelProto.Builder m = ModelProto.parseFrom(Files.readAllBytes(OnnxParityTest.DIR.resolve("lstm.onnx"))).toBuilder();
        for (int i = 0; i < m.getOpsetImportCount(); i++) {
            if (m.getOpsetImport(i).getDomain().isEmpty()) m.setOpsetImport(i, m.getOpsetImport(i).toBuilder().setVersion(8));
        }
        assertMentions(refusal(write("opset8.onnx", m.build().toByteArray())), "opset8.onnx", "opset 8 is not supported (supported: 9 to 23)",
                "opset_version=14");
    }

    @Test
    void inputsPastWhatAnOpTakesAreRefused() throws IOException {
        // Each would otherwise be read without its extra input: a bias beside a Sigmoid, a ninth
        // LSTM input, a fourth Gemm input, a seventh GRU input, and axes given as an input to an
        // Unsqueeze of an opset that still takes them as an attribute (the file says opset 12).
        assertMentions(refusalOf("lstm.onnx", g -> node(g, "Sigmoid").addInput(node(g, "Gemm").getInput(1))),
                "Sigmoid node", "has 2 inputs; Sigmoid takes at most 1", "not valid ONNX");
        assertMentions(refusalOf("lstm.onnx", g -> {
            NodeProto.Builder lstm = node(g, "LSTM");
            while (lstm.getInputCount() < 9) lstm.addInput("");
        }), "has 9 inputs; LSTM takes at most 8");
        assertMentions(refusalOf("lstm.onnx", g -> node(g, "Gemm").addInput(node(g, "Gemm").getInput(1))), "has 4 inputs; Gemm takes at most 3");
        assertMentions(refusalOf("gru.onnx", g -> {
            NodeProto.Builder gru = node(g, "GRU");
            while (gru.getInputCount() < 7) gru.addInput("");
        }), "has 7 inputs; GRU takes at most 6");
        ModelProto.Builder m = ModelProto.parseFrom(Files.readAllBytes(OnnxParityTest.DIR.resolve("lstm_squeezed_sigmoid.onnx"))).toBuilder();
        assertEquals(2, node(m.getGraphBuilder(), "Unsqueeze").getInputCount(), "the fixture's Unsqueeze takes its axes as an input (opset 13 and later)");
        for (int i = 0; i < m.getOpsetImportCount(); i++) {
            if (m.getOpsetImport(i).getDomain().isEmpty()) m.setOpsetImport(i, m.getOpsetImport(i).toBuilder().setVersion(12));
        }
        assertMentions(refusal(write("opset12.onnx", m.build().toByteArray())), "Unsqueeze node", "has 2 inputs; Unsqueeze takes at most 1 (ONNX opset 12)");
    }

    @Test
    void recurrentOptionsKerasHasNotAreRefused() throws IOException {
        assertMentions(refusalOf("lstm.onnx", g -> setAttribute(node(g, "LSTM"), AttributeProto.newBuilder().setName("clip")
                .setType(AttributeProto.AttributeType.FLOAT).setF(3f).build())), "clip is set");
        assertMentions(refusalOf("lstm.onnx", g -> setAttribute(node(g, "LSTM"), intAttr("layout", 1))), "layout=1");
        assertMentions(refusalOf("lstm.onnx", g -> setAttribute(node(g, "LSTM"), intAttr("input_forget", 1))), "input_forget=1");
        assertMentions(refusalOf("lstm.onnx", g -> setAttribute(node(g, "LSTM"), AttributeProto.newBuilder().setName("direction")
                .setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8("reverse")).build())), "direction 'reverse'");
        assertMentions(refusalOf("gru.onnx", g -> setAttribute(node(g, "GRU"), AttributeProto.newBuilder().setName("activations")
                .setType(AttributeProto.AttributeType.STRINGS).addStrings(ByteString.copyFromUtf8("HardSigmoid")).addStrings(ByteString.copyFromUtf8("Tanh")).build())),
                "activations [HardSigmoid, Tanh]");
        assertMentions(refusalOf("lstm.onnx", g -> node(g, "LSTM").setInput(4, "input_ids")), "sequence_lens");
        // torch's zero initial state becomes 0.5.
        assertMentions(refusalOf("lstm.onnx", g -> setAttribute(node(g, "ConstantOfShape"), AttributeProto.newBuilder().setName("value")
                .setType(AttributeProto.AttributeType.TENSOR).setT(TensorProto.newBuilder().setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(1).addFloatData(0.5f)).build())),
                "initial_h is not zero");
        // A zero state of another shape than [num_directions, batch, hidden_size]: ONNX Runtime refuses to run such a file.
        assertMentions(refusalOf("lstm.onnx", g -> {
            g.addInitializer(TensorProto.newBuilder().setName("bad_shape").setDataType(TensorProto.DataType.INT64_VALUE).addDims(3).addInt64Data(1).addInt64Data(1).addInt64Data(43));
            node(g, "ConstantOfShape").setInput(0, "bad_shape");
        }), "initial_h has the shape [1, 1, 43]", "ONNX gives it [1, batch, 12]");
        assertMentions(refusalOf("lstm.onnx", g -> {
            g.addInitializer(TensorProto.newBuilder().setName("h0").setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(1).addDims(1).addDims(7)
                    .addAllFloatData(java.util.Collections.nCopies(7, 0f)));
            node(g, "LSTM").setInput(5, "h0");
        }), "initial_h has the shape [1, 1, 7]");
        // The head reading the cell state Y_c instead of Y_h.
        assertMentions(refusalOf("lstm.onnx", g -> g.getNodeBuilderList().stream().filter(n -> n.getInputList().contains("/rnn/LSTM_output_1"))
                .findFirst().orElseThrow().setInput(0, "/rnn/LSTM_output_2")), "the LSTM cell state Y_c");
        assertMentions(refusalOf("lstm.onnx", g -> g.addOutput(g.getOutput(0).toBuilder().setName("/rnn/LSTM_output_2"))), "2 outputs", "has one");
    }

    @Test
    void aFutureIrVersionOrTheDefaultDomainTwiceIsRefused() throws IOException {
        ModelProto fixture = ModelProto.parseFrom(Files.readAllBytes(OnnxParityTest.DIR.resolve("lstm.onnx")));
        assertMentions(refusal(write("future-ir.onnx", fixture.toBuilder().setIrVersion(999).build().toByteArray())),
                "ir_version 999 is newer than the onnx.proto this build reads");
        ModelProto twice = fixture.toBuilder().clearOpsetImport()
                .addOpsetImport(onnx.Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(999))
                .addOpsetImport(onnx.Onnx.OperatorSetIdProto.newBuilder().setDomain("ai.onnx").setVersion(14)).build();
        assertMentions(refusal(write("opset-twice.onnx", twice.toByteArray())), "names the default ONNX domain twice (versions 999 and 14)");
    }

    @Test
    void graphsWithoutAKerasEquivalentAreRefusedWithTheReason() throws IOException {
        assertMentions(refusal(OnnxParityTest.DIR.resolve("bidir_lstm_last_step.onnx")), "out[:, -1, :]", "backward", "h_n[-2]");
        assertMentions(refusal(OnnxParityTest.DIR.resolve("bidir_lstm_stacked_all_states.onnx")),
                "reads the final states [rnn0 forward, rnn0 backward, rnn1 forward, rnn1 backward]", "gives [rnn1 forward, rnn1 backward]");
        // h_n.view(-1, hidden) of two layers: each sequence's two states become two rows of the batch.
        assertMentions(refusal(OnnxParityTest.DIR.resolve("lstm_stacked_h_n_view.onnx")),
                "views states[rnn0 forward, rnn1 forward] as [-1, 4]", "2 rows per sequence", "h_n[-1]");
        // A computed index other than out.size(1) - 1 is refused, naming what is known.
        assertMentions(refusalOf("lstm_last_step_size_minus_1_dynamic_length.onnx", g -> {
            g.addNode(0, scalarConstant("two", TensorProto.DataType.INT64_VALUE, 2));
            node(g, "Sub").setInput(1, "two");
        }), "subtracts 2 from the steps size (only out.size(1) - 1, the last step, is known here)");
        // An int32 1: ONNX's Sub takes two tensors of one type, and ONNX Runtime refuses the file; it was read as int64.
        assertMentions(refusalOf("lstm_last_step_size_minus_1_dynamic_length.onnx", g -> {
            g.addNode(0, scalarConstant("one_int32", TensorProto.DataType.INT32_VALUE, 1));
            node(g, "Sub").setInput(1, "one_int32");
        }), "subtracts an int32 constant from a size (only a constant int64 scalar, as the size is)");
        // The zero state's batch taken from the steps ([1, steps, 5]): ONNX Runtime refuses to run it; it imported.
        assertMentions(refusalOf("lstm_last_step_size_minus_1_dynamic_length.onnx", g -> {
            g.addNode(0, scalarConstant("steps_axis", TensorProto.DataType.INT64_VALUE, 1));
            for (NodeProto.Builder n : g.getNodeBuilderList()) if (n.getName().equals("/rnn/Gather")) n.setInput(1, "steps_axis");
        }), "initial_h has the shape [1, steps, 5]", "[1, batch, 5]");
        // ... and of one bidirectional layer: its two directions' states become two rows.
        assertMentions(refusal(OnnxParityTest.DIR.resolve("bilstm_h_n_view.onnx")),
                "views states[rnn0 forward, rnn0 backward] as [-1, 4]", "2 rows per sequence", "torch.cat([h_n[-2], h_n[-1]], 1)");
        // h_n reshaped to [0, -1]: the 0 copies h_n's first size (1, the states), so it is [1, batch·6], not h_n[0]
        // (ONNX Runtime runs it at batch 1 only); it was imported as h_n[0], for any batch.
        assertMentions(refusalOf("lstm_h_n_view.onnx", g -> {
            g.addNode(0, NodeProto.newBuilder().setOpType("Constant").addOutput("zero_rest").addAttribute(AttributeProto.newBuilder().setName("value")
                    .setType(AttributeProto.AttributeType.TENSOR).setT(TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64_VALUE).addDims(2)
                            .addInt64Data(0).addInt64Data(-1))));
            node(g, "Reshape").setInput(1, "zero_rest");
        }), "reshapes [states[rnn0 forward], batch, state units(6)] to [0, -1]");
        assertMentions(assertThrows(ImportException.class, () -> OnnxImporter.importOnnx(OnnxParityTest.DIR.resolve("lstm.onnx"), 10).saved()).getMessage(),
                "fixed length of 9 steps; 10 were asked for");
        // The Dense reading the backward state first: Keras concatenates forward first.
        assertMentions(refusalOf("bidir_lstm.onnx", g -> {
            NodeProto.Builder concat = g.getNodeBuilderList().stream().filter(n -> n.getOpType().equals("Concat") && n.getAttributeList().stream()
                    .anyMatch(a -> a.getName().equals("axis") && a.getI() == 1)).findFirst().orElseThrow();
            String a = concat.getInput(0), b = concat.getInput(1);
            concat.setInput(0, b).setInput(1, a);
        }), "rnn0 backward, rnn0 forward", "forward then backward");
        // The graph's output moved to the logits before the Sigmoid, which stays in the graph: the
        // import used to apply that sigmoid anyway (a model computing something else than the graph).
        assertMentions(refusalOf("lstm.onnx", g -> {
            String logits = node(g, "Sigmoid").getInput(0);
            g.getOutputBuilder(0).setName(logits);
        }), "is the Dense layer's output without an activation", "applies sigmoid");
        // Refusal messages that name what is wrong: the Gemm attribute and its value, a shapeless input.
        assertMentions(refusalOf("lstm.onnx", g -> setAttribute(node(g, "Gemm"), AttributeProto.newBuilder().setName("alpha")
                .setType(AttributeProto.AttributeType.FLOAT).setF(2f).build())), "has alpha=2.0; the importer reads alpha=1, beta=1, transA=0");
        assertMentions(refusalOf("lstm.onnx", g -> setAttribute(node(g, "Gemm"), intAttr("transA", 1))), "has transA=1");
        assertMentions(refusalOf("lstm.onnx", g -> g.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().clearShape()), "declares no shape");
        // An export with do_constant_folding=False keeps shape arithmetic on constants (an Unsqueeze of a Constant):
        // the refusal says how to export the same model so that it imports.
        assertMentions(refusalOf("lstm.onnx", g -> {
            TensorProto five = TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64_VALUE).addInt64Data(5).build();
            TensorProto axes = TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64_VALUE).addDims(1).addInt64Data(0).build();
            g.addNode(0, NodeProto.newBuilder().setOpType("Unsqueeze").setName("unfolded").addInput("five").addInput("axes").addOutput("five_1d"));
            g.addNode(0, NodeProto.newBuilder().setOpType("Constant").addOutput("axes").addAttribute(AttributeProto.newBuilder().setName("value")
                    .setType(AttributeProto.AttributeType.TENSOR).setT(axes)));
            g.addNode(0, NodeProto.newBuilder().setOpType("Constant").addOutput("five").addAttribute(AttributeProto.newBuilder().setName("value")
                    .setType(AttributeProto.AttributeType.TENSOR).setT(five)));
        }), "Unsqueeze node 'unfolded'", "do_constant_folding=False: export again with the default");
        // The embedding reaches the LSTM untransposed, as from a model whose ids are [time, batch]: the refusal says both causes.
        assertMentions(refusalOf("lstm.onnx", g -> {
            NodeProto.Builder lstm = node(g, "LSTM");
            NodeProto.Builder transpose = g.getNodeBuilderList().stream().filter(n -> n.getOutputList().contains(lstm.getInput(0))).findFirst().orElseThrow();
            assertEquals("Transpose", transpose.getOpType());
            lstm.setInput(0, transpose.getInput(0));
        }), "expected a time-major sequence", "ids are [time, batch] (batch_first=False)");
    }

    /** Random byte damage anywhere in the file: it imports (a weight changed) or gives an ImportException, never another exception. */
    @Test
    void damagedBytesNeverCrashTheImporter() throws IOException {
        Random rng = new Random(11);
        int refused = 0;
        for (String fixture : new String[] {"lstm.onnx", "bidir_lstm_stacked.onnx", "gru_stacked_matmul.onnx"}) {
            byte[] whole = Files.readAllBytes(OnnxParityTest.DIR.resolve(fixture));
            for (int trial = 0; trial < 150; trial++) {
                byte[] damaged = whole.clone();
                for (int k = 1 + rng.nextInt(3); k > 0; k--) damaged[rng.nextInt(damaged.length)] = (byte) rng.nextInt(256);
                Path file = write("damaged.onnx", damaged);
                try {
                    OnnxImporter.importOnnx(file).close();
                } catch (ImportException e) {
                    refused++;
                    assertTrue(e.getMessage() != null && e.getMessage().length() > 20, e.getMessage());
                }
            }
        }
        assertTrue(refused > 50, "most damage should be noticed, was " + refused + " of 450");
    }

    @Test
    void theSameFixtureUnchangedImports() throws IOException {
        // The changes above are what the importer refuses: without them the file is fine.
        try (var m = OnnxImporter.importOnnx(OnnxParityTest.DIR.resolve("lstm.onnx")).saved()) {
            assertEquals(9, m.maxlen());
            assertEquals(java.util.List.of("0", "1"), m.labels());
        }
    }

    /** A Constant node of one integer. */
    private static NodeProto scalarConstant(String output, int dataType, long value) {
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(dataType);
        if (dataType == TensorProto.DataType.INT32_VALUE) t.addInt32Data((int) value);
        else t.addInt64Data(value);
        return NodeProto.newBuilder().setOpType("Constant").addOutput(output)
                .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(t)).build();
    }
}
