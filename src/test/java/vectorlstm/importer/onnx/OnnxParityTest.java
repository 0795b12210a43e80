package vectorlstm.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import vectorlstm.layers.Gru;
import vectorlstm.io.SavedModel;
import vectorlstm.layers.Embedding;
import vectorlstm.model.Scorer;

/**
 * Every committed fixture (tools/parity/export_onnx_models.py) imported and scored by the engine,
 * against ONNX Runtime on the same file and the same ids: batch 1 and larger batches, through
 * predict and through a Scorer, within 1e-5.
 */
class OnnxParityTest {
    static final Path DIR = Path.of("src/test/resources/onnx");
    static final double TOLERANCE = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"lstm.onnx", "lstm_stacked.onnx", "bidir_lstm.onnx", "bidir_lstm_stacked.onnx", "gru.onnx", "bidir_gru.onnx",
            "gru_stacked_matmul.onnx", "lstm_matmul_linear.onnx", "lstm_last_step.onnx", "lstm_squeezed_sigmoid.onnx",
            "gru_opset11.onnx", "bidir_gru_h_n_reshape.onnx", "gru_last_step_opset9.onnx", "lstm_h_n_view.onnx", "lstm_sigmoid_view.onnx",
            "lstm_last_step_size_minus_1.onnx"})
    void fixedLengthFixturesMatchOnnxRuntime(String file) throws Exception {
        try (SavedModel m = OnnxImporter.importOnnx(DIR.resolve(file)).saved(); OrtReference ort = new OrtReference(DIR.resolve(file))) {
            int steps = m.maxlen();
            assertTrue(steps > 0, "fixed-length fixture");
            compare(m, ort, steps, file);
        }
    }

    @Test
    void dynamicLengthFixtureMatchesAtTheLengthAskedFor() throws Exception {
        Path file = DIR.resolve("lstm_dynamic_length.onnx");
        try (OrtReference ort = new OrtReference(file)) {
            for (int steps : new int[] {1, 5, 13}) {
                try (SavedModel m = OnnxImporter.importOnnx(file, steps).saved()) {
                    assertEquals(steps, m.maxlen());
                    compare(m, ort, steps, file + " at " + steps + " steps");
                }
            }
        }
    }

    /** Without a length asked for, a dynamic time axis imports as a variable-length model: each sequence at its own length. */
    @Test
    void dynamicLengthFixtureImportsAsAnyLength() throws Exception {
        Path file = DIR.resolve("lstm_dynamic_length.onnx");
        try (SavedModel m = OnnxImporter.importOnnx(file).saved(); OrtReference ort = new OrtReference(file)) {
            assertEquals(0, m.maxlen());
            assertTrue(m.model().inputShape().variableLength());
            for (int steps : new int[] {1, 4, 17}) compare(m, ort, steps, file + " (any length) at " + steps + " steps");
        }
    }

    /**
     * {@code out[:, out.size(1) - 1, :]} with a dynamic time axis: the index is computed from the
     * output's shape (Shape, Gather, Sub), so it is the last step at any length, imported as any
     * length and at a length asked for.
     */
    @Test
    void aLastStepIndexComputedFromTheShapeMatchesAtAnyLength() throws Exception {
        Path file = DIR.resolve("lstm_last_step_size_minus_1_dynamic_length.onnx");
        try (OrtReference ort = new OrtReference(file)) {
            try (SavedModel m = OnnxImporter.importOnnx(file).saved()) {
                assertTrue(m.model().inputShape().variableLength());
                for (int steps : new int[] {1, 3, 11}) compare(m, ort, steps, file + " (any length) at " + steps + " steps");
            }
            try (SavedModel m = OnnxImporter.importOnnx(file, 6).saved()) {
                compare(m, ort, 6, file + " at 6 steps");
            }
        }
    }

    /**
     * Exported with the batch fixed: ONNX Runtime takes only that batch, the imported model any.
     * At batch 1 torch folds {@code h_n.transpose(0, 1).reshape(x.size(0), -1)}'s batch into the
     * constant 1, which was refused as a reshape of the batch.
     */
    @ParameterizedTest
    @CsvSource({"bidir_lstm_stacked_batch2.onnx, 2", "bidir_gru_h_n_reshape_batch1.onnx, 1"})
    void fixedBatchFixtureMatchesAtItsBatch(String name, int batch) throws Exception {
        Path file = DIR.resolve(name);
        try (SavedModel m = OnnxImporter.importOnnx(file).saved(); OrtReference ort = new OrtReference(file)) {
            compare(m, ort, m.maxlen(), file.toString(), batch);
        }
    }

    /**
     * h_n reshaped to [0, -1] in a graph whose batch is fixed at 1: the 0 copies h_n's first size, 1,
     * which is the batch there, so the model is h_n[0] as [1, -1] would give it (a dynamic batch's
     * [0, -1] is refused: OnnxRefusalTest). ONNX Runtime on the changed file is the reference.
     */
    @Test
    void aZeroInTheReshapeOfAFixedBatchOfOneIsTheBatch(@TempDir Path dir) throws Exception {
        ModelProto.Builder m = ModelProto.parseFrom(Files.readAllBytes(DIR.resolve("lstm_h_n_view.onnx"))).toBuilder();
        var g = m.getGraphBuilder();
        g.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(0).clearDimParam().setDimValue(1);
        g.getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(0).clearDimParam().setDimValue(1);
        g.addNode(0, NodeProto.newBuilder().setOpType("Constant").addOutput("zero_rest").addAttribute(onnx.Onnx.AttributeProto.newBuilder().setName("value")
                .setType(onnx.Onnx.AttributeProto.AttributeType.TENSOR).setT(onnx.Onnx.TensorProto.newBuilder()
                        .setDataType(onnx.Onnx.TensorProto.DataType.INT64_VALUE).addDims(2).addInt64Data(0).addInt64Data(-1))));
        for (NodeProto.Builder n : g.getNodeBuilderList()) if (n.getOpType().equals("Reshape")) n.setInput(1, "zero_rest");
        Path file = dir.resolve("h_n_zero_batch1.onnx");
        Files.write(file, m.build().toByteArray());
        try (SavedModel imported = OnnxImporter.importOnnx(file).saved(); OrtReference ort = new OrtReference(file)) {
            compare(imported, ort, imported.maxlen(), file.toString(), 1);
        }
    }

    /** Opset 10 with a dynamic time axis: out[:, -1, :] is a Slice from -1 to 2^63 - 1, then a Squeeze; any length. */
    @Test
    void lastStepSlicedAtOpset10MatchesAtAnyLength() throws Exception {
        Path file = DIR.resolve("lstm_last_step_opset10_dynamic_length.onnx");
        try (SavedModel m = OnnxImporter.importOnnx(file).saved(); OrtReference ort = new OrtReference(file)) {
            assertTrue(m.model().inputShape().variableLength());
            for (int steps : new int[] {1, 3, 11}) compare(m, ort, steps, file + " at " + steps + " steps");
        }
    }

    /**
     * PyTorch always writes linear_before_reset=1; a GRU with 0 (Keras' reset_before form, single
     * bias Wb + Rb) is gru.onnx with that attribute changed, so ONNX Runtime computes the other formula.
     */
    @Test
    void gruWithLinearBeforeResetZeroImportsAsResetBefore(@TempDir Path dir) throws Exception {
        ModelProto.Builder m = ModelProto.parseFrom(Files.readAllBytes(DIR.resolve("gru.onnx"))).toBuilder();
        for (NodeProto.Builder n : m.getGraphBuilder().getNodeBuilderList()) {
            if (!n.getOpType().equals("GRU")) continue;
            for (int i = 0; i < n.getAttributeCount(); i++) {
                if (n.getAttribute(i).getName().equals("linear_before_reset")) n.setAttribute(i, n.getAttribute(i).toBuilder().setI(0));
            }
        }
        Path file = dir.resolve("gru_reset_before.onnx");
        Files.write(file, m.build().toByteArray());
        try (SavedModel imported = OnnxImporter.importOnnx(file).saved(); OrtReference ort = new OrtReference(file)) {
            assertFalse(((Gru) imported.model().layers().get(1)).resetAfter());
            compare(imported, ort, imported.maxlen(), file.getFileName().toString());
        }
    }

    /** Batches of random ids (1, 3 and 8 unless given) (id 0 included: torch has no padding index here, it is a token like any other). */
    private static void compare(SavedModel m, OrtReference ort, int steps, String what) throws Exception {
        compare(m, ort, steps, what, 1, 3, 8);
    }

    private static void compare(SavedModel m, OrtReference ort, int steps, String what, int... batches) throws Exception {
        int vocab = ((Embedding) m.model().layers().get(0)).inputDim();
        Random rng = new Random(steps * 31L + what.length());
        for (int batch : batches) {
            int[][] ids = new int[batch][steps];
            for (int[] row : ids) for (int t = 0; t < steps; t++) row[t] = rng.nextInt(vocab);
            float[][] expected = ort.run(ids);
            float[] got = m.model().predict(ids, batch);
            int units = expected[0].length;
            assertEquals(batch * units, got.length, what + ": output size");
            double spread = 0;
            try (Scorer scorer = m.model().newScorer()) {
                for (int i = 0; i < batch; i++) {
                    float[] one = scorer.scoreAll(ids[i]);
                    for (int u = 0; u < units; u++) {
                        assertEquals(expected[i][u], got[i * units + u], TOLERANCE, what + ": predict, batch " + batch + " row " + i + " unit " + u);
                        assertEquals(expected[i][u], one[u], TOLERANCE, what + ": scorer, row " + i + " unit " + u);
                        spread = Math.max(spread, Math.abs(expected[i][u] - expected[0][u]));
                    }
                }
            }
            if (batch > 1) assertTrue(spread > 1e-3, what + ": the outputs hardly depend on the input (" + spread + "), the comparison would prove little");
        }
    }
}
