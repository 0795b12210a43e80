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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vectorlstm.importer.Imported;
import vectorlstm.importer.SharedKerasModels;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Layer;
import vectorlstm.model.Sequential;

/**
 * Every real Keras file of the shared folder, imported, scores the fixture inputs to the outputs
 * of the independent numpy reference (tools/parity/keras_reference.py, which never touches our
 * code): probabilities within 1e-5, and the head's logit within 1e-5 relative (file 7's logits
 * reach -114, where a probability says nothing).
 */
class KerasImportParityTest {
    static Stream<String> fixtures() {
        return Stream.of("imdb-lstm100-keras2.15", "imdb-gru16-hardsigmoid-keras2.2.4tf", "imdb-bilstm30-hardsigmoid-keras2.2.4tf",
                "imdb-lstm64-keras3.10", "imdb-lstm64-keras3.10-legacy", "movies-gru32-keras3.13",
                "twitter-bilstm64-maskzero-textvec-keras2.12-hdf5", "url-char-stacked-bilstm-keras3.15");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void importedModelScoresLikeTheReference(String stem) throws Exception {
        JsonNode fixture;
        try (InputStream in = KerasImportParityTest.class.getResourceAsStream("/keras-parity/" + stem + ".json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        Path file = SharedKerasModels.file(fixture.get("file").asText());
        assertEquals(fixture.get("sha256").asText(), sha256(file), "the shared file is not the one the fixture was made from");
        try (Imported imported = KerasImporter.importKeras(file)) {
            Sequential model = imported.saved().model();
            JsonNode inputs = fixture.get("inputs"), outputs = fixture.get("outputs"), logits = fixture.get("pre_activation");
            for (int row = 0; row < inputs.size(); row++) {
                int[] ids = ints(inputs.get(row));
                float[] got = model.predict(new int[][] {ids}, 1);
                JsonNode want = outputs.get(row);
                assertEquals(want.size(), got.length, stem + " row " + row + ": number of outputs");
                for (int j = 0; j < got.length; j++) {
                    assertEquals(want.get(j).asDouble(), got[j], 1e-5, stem + " row " + row + " output " + j);
                }
                if (got.length == 1) assertLogit(model, ids, logits.get(row).get(0).asDouble(), stem + " row " + row);
            }
        }
    }

    /** The one real file with a TextVectorization front end: dropped, its length kept, and the note names the layer once. */
    @Test
    void aTextVectorizationFrontEndIsDroppedWithANote() throws Exception {
        try (Imported imported = KerasImporter.importKeras(SharedKerasModels.file("twitter-bilstm64-maskzero-textvec-keras2.12-hdf5.keras"))) {
            assertTrue(imported.notes().stream().anyMatch(n -> n.startsWith("dropped the front end TextVectorization 'text_vectorization_4': ")
                    && n.contains("it cuts and post-pads every text to 100 ids, so the model reads 100")), imported.notes().toString());
            // Its output_sequence_length is the model's input length: 150 ids were read where Keras reads the first 100.
            assertEquals(100, imported.saved().model().inputShape().dim(0));
            assertEquals(100, imported.saved().maxlen());
        }
    }

    /**
     * The head's logit z, read through the sigmoid where it is steep: with the Dense bias shifted
     * by -z_ref the output is sigmoid(z - z_ref), and z - z_ref = logit(p) is exact to float.
     */
    private static void assertLogit(Sequential model, int[] ids, double reference, String what) {
        List<Layer> layers = model.layers();
        Dense head = (Dense) layers.get(layers.size() - 1);
        List<float[]> weights = model.getWeights();
        int biasIndex = weights.size() - 1;
        float[] bias = weights.get(biasIndex).clone();
        float original = bias[0];
        bias[0] = (float) (original - reference);
        weights.set(biasIndex, bias);
        model.setWeights(weights);
        try {
            double p = model.predict(new int[][] {ids}, 1)[0];
            double difference = Math.log(p / (1 - p));
            assertTrue(Math.abs(difference) <= 1e-5 * Math.max(1, Math.abs(reference)) + 1e-6,
                    what + ": logit differs from the reference's " + reference + " by " + difference + " (head " + head.units() + ")");
        } finally {
            bias[0] = original;
            model.setWeights(weights);
        }
    }

    private static int[] ints(JsonNode row) {
        int[] ids = new int[row.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = row.get(i).asInt();
        return ids;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
