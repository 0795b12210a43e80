package vectorlstm.importer.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vectorlstm.importer.Imported;
import vectorlstm.model.Sequential;

/**
 * Synthetic Keras files (tools/parity/make_synthetic_keras.py: written the way Keras 3 and Keras
 * 2.15 write them, seeded random weights) cover what the eight real files do not: Masking, the
 * global poolings, SpatialDropout1D, float input, Bidirectional sum/ave/mul, top-level
 * go_backwards, use_bias=False, softmax heads, Keras 3 hard_sigmoid, functional chains and weights
 * stored chunked and gzip-compressed. Each,
 * imported, scores the fixture inputs to the independent numpy reference's outputs
 * (tools/parity/keras_reference.py, reading the same file) within 1e-5, every class of a softmax.
 */
class KerasSyntheticImportTest {
    static final double TOLERANCE = 1e-5;

    static Stream<String> fixtures() {
        return Stream.of("k3-numeric-masking-lstm-gap-softmax", "k3-maskzero-bigru-sum-gmaxpool", "k2-maskzero-spatialdropout-bilstm-ave",
                "k3-lstm-backwards-nobias-softmax", "k3-bilstm-mul-gru-hardsigmoid", "k3-functional-gru-backwards-softmax",
                "k2-functional-numeric-masking-gru-nobias", "k2-numeric-masking-bilstm-sum-gmaxpool", "k2-chunked-gzip-lstm");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void importedModelScoresLikeTheReference(String stem, @TempDir Path dir) throws Exception {
        JsonNode fixture = fixture(stem);
        try (Imported imported = KerasImporter.importKeras(copy(fixture, dir))) {
            Sequential model = imported.saved().model();
            JsonNode outputs = fixture.get("outputs");
            int rows = outputs.size();
            for (int row = 0; row < rows; row++) {
                assertRow(stem, row, outputs.get(row), score(model, fixture, row));
            }
            if (fixture.has("inputs") && !model.inputShape().variableLength()) {
                // the same rows again as one batch: padding and masks must stay per row
                float[] all = model.predict(ids(fixture.get("inputs")), rows);
                int k = outputs.get(0).size();
                for (int row = 0; row < rows; row++) {
                    float[] got = new float[k];
                    System.arraycopy(all, row * k, got, 0, k);
                    assertRow(stem + " (one batch)", row, outputs.get(row), got);
                }
            }
        }
    }

    /** Keras' max pooling over masked steps too is the layer's option, and the model file keeps it. */
    @Test
    void savedImportKeepsKerasMaxPooling(@TempDir Path dir) throws Exception {
        JsonNode fixture = fixture("k3-maskzero-bigru-sum-gmaxpool");
        Path saved = dir.resolve("imported.vlstm");
        try (Imported imported = KerasImporter.importKeras(copy(fixture, dir))) {
            vectorlstm.io.ModelFile.save(saved, imported.saved());
        }
        try (vectorlstm.io.SavedModel loaded = vectorlstm.io.ModelFile.load(saved)) {
            assertTrue(loaded.model().layers().stream().anyMatch(l -> l instanceof vectorlstm.layers.GlobalMaxPooling1D p && p.includeMaskedSteps()));
            for (int row = 0; row < fixture.get("outputs").size(); row++) {
                assertRow("reloaded", row, fixture.get("outputs").get(row), score(loaded.model(), fixture, row));
            }
        }
    }

    @Test
    void keras2FilesNoteTheirVersionAndNoHardSigmoid(@TempDir Path dir) throws Exception {
        JsonNode fixture = fixture("k2-maskzero-spatialdropout-bilstm-ave");
        try (Imported imported = KerasImporter.importKeras(copy(fixture, dir))) {
            assertTrue(imported.notes().stream().anyMatch(n -> n.contains("Keras 2.15.0") && n.contains("legacy .h5")), "notes: " + imported.notes());
            assertTrue(imported.notes().stream().noneMatch(n -> n.contains("hard_sigmoid")), "notes: " + imported.notes());
        }
    }

    private static float[] score(Sequential model, JsonNode fixture, int row) {
        if (fixture.has("sequences")) {
            JsonNode steps = fixture.get("sequences").get(row);
            float[][] x = new float[steps.size()][];
            for (int t = 0; t < x.length; t++) {
                x[t] = new float[steps.get(t).size()];
                for (int j = 0; j < x[t].length; j++) x[t][j] = (float) steps.get(t).get(j).asDouble();
            }
            return model.predict(new float[][][] {x}, 1);
        }
        return model.predict(new int[][] {ints(fixture.get("inputs").get(row))}, 1);
    }

    private static void assertRow(String stem, int row, JsonNode want, float[] got) {
        assertEquals(want.size(), got.length, stem + " row " + row + ": number of outputs");
        for (int j = 0; j < got.length; j++) {
            assertEquals(want.get(j).asDouble(), got[j], TOLERANCE, stem + " row " + row + " output " + j);
        }
    }

    static JsonNode fixture(String stem) throws Exception {
        try (InputStream in = KerasSyntheticImportTest.class.getResourceAsStream("/keras-synthetic/" + stem + ".json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** The model file out of the test resources (a jar or a folder), its hash checked against the fixture's. */
    static Path copy(JsonNode fixture, Path dir) throws Exception {
        String name = fixture.get("file").asText();
        Path file = dir.resolve(name);
        try (InputStream in = KerasSyntheticImportTest.class.getResourceAsStream("/keras-synthetic/" + name)) {
            Files.copy(in, file);
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertEquals(fixture.get("sha256").asText(), sha, name + " is not the file the fixture was made from");
        return file;
    }

    private static int[][] ids(JsonNode rows) {
        int[][] out = new int[rows.size()][];
        for (int i = 0; i < out.length; i++) out[i] = ints(rows.get(i));
        return out;
    }

    private static int[] ints(JsonNode row) {
        int[] ids = new int[row.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = row.get(i).asInt();
        return ids;
    }
}
