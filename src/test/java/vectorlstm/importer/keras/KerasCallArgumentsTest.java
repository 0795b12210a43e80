package vectorlstm.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A functional model's config that the engine would compute otherwise than Keras: a layer called
 * with training=True (Monte Carlo dropout, random at predict time in Keras) and two layers of one
 * name (Keras refuses to build it; the weights, read by name, went to both). Both imported silently.
 */
class KerasCallArgumentsTest {
    @TempDir
    Path dir;

    @Test
    void aLayerCalledWithTrainingTrueIsRefused() throws IOException {
        Path file = edited("k3-functional-gru-backwards-softmax.keras", config -> {
            for (JsonNode layer : config.get("config").get("layers")) {
                if (layer.get("class_name").asText().equals("Dropout")) {
                    ((ObjectNode) layer.get("inbound_nodes").get(0).get("kwargs")).put("training", true);
                }
            }
        });
        KerasTestFiles.assertRefused(file, "layer Dropout 'dropout' is called with training=True (Monte Carlo dropout)");
        // A layer without dropout computes the same in training: its training=True changes nothing, and it imports.
        Path gru = edited("k3-functional-gru-backwards-softmax.keras", config -> {
            for (JsonNode layer : config.get("config").get("layers")) {
                if (layer.get("class_name").asText().equals("GRU")) ((ObjectNode) layer.get("inbound_nodes").get(0).get("kwargs")).put("training", true);
            }
        });
        try (vectorlstm.importer.Imported imported = KerasImporter.importKeras(gru)) {
            org.junit.jupiter.api.Assertions.assertNotNull(imported.saved().model());
        }
    }

    @Test
    void twoLayersOfOneNameAreRefused() throws IOException {
        Path file = edited("k3-functional-gru-backwards-softmax.keras", config -> {
            for (JsonNode layer : config.get("config").get("layers")) {
                if (layer.get("config").get("name").asText().equals("dense_1")) {
                    ((ObjectNode) layer.get("config")).put("name", "dense");
                    ((ObjectNode) layer).put("name", "dense");
                }
            }
        });
        KerasTestFiles.assertRefused(file, "two layers are named 'dense', which Keras refuses");
    }

    /** Python's json.dumps writes NaN; Jackson's message advised enabling one of its read features. */
    @Test
    void aConfigHoldingNaNIsRefusedInAUsersWords() throws IOException {
        Path nan = rewritten("k3-functional-gru-backwards-softmax.keras", json -> json.replaceFirst("\"rate\": ?[0-9.e-]+", "\"rate\": NaN"));
        KerasTestFiles.assertRefused(nan, "the model config is not valid JSON: it holds NaN or Infinity");
    }

    /** A length of 12.0 was called "outside [1, 100000]"; a zip in place of the weights, "a superblock with offsets of 0 bytes". */
    @Test
    void aFractionalLengthAndAZipInPlaceOfTheWeightsAreNamed() throws IOException {
        KerasTestFiles.assertRefused(rewritten("k3-functional-gru-backwards-softmax.keras", json -> json.replace("[null, 12]", "[null, 12.0]")),
                "has a sequence length that is not a whole number (12.0)");
        KerasTestFiles.assertRefused(rewritten("k3-functional-gru-backwards-softmax.keras", "model.weights.h5", bytes -> {
            java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
            try (ZipOutputStream inner = new ZipOutputStream(zipped)) {
                inner.putNextEntry(new ZipEntry("model.weights.h5"));
                inner.write(bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return zipped.toByteArray();
        }), "is not an HDF5 file (it is a zip archive)");
    }

    /** The synthetic archive with its config.json changed by {@code edit}, every other entry as it was. */
    private Path edited(String archive, Consumer<ObjectNode> edit) throws IOException {
        return rewritten(archive, json -> {
            try {
                ObjectNode config = (ObjectNode) KerasTestFiles.JSON.readTree(json);
                edit.accept(config);
                return KerasTestFiles.JSON.writeValueAsString(config);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The synthetic archive with its config.json's text changed by {@code edit}, every other entry as it was. */
    private Path rewritten(String archive, java.util.function.UnaryOperator<String> edit) throws IOException {
        return rewritten(archive, "config.json", bytes -> edit.apply(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    }

    /** The synthetic archive with its entry {@code name} changed by {@code edit}, every other entry as it was. */
    private Path rewritten(String archive, String name, java.util.function.UnaryOperator<byte[]> edit) throws IOException {
        return KerasTestFiles.rewrittenArchive(getClass().getResourceAsStream("/keras-synthetic/" + archive), dir.resolve(archive), name, edit, ZipEntry.DEFLATED);
    }
}
