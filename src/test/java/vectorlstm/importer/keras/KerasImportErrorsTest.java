package vectorlstm.importer.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Enumeration;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vectorlstm.importer.ImportException;
import vectorlstm.importer.Imported;
import vectorlstm.importer.SharedKerasModels;

/**
 * Files that are not Keras models, are cut short, or hold what the engine cannot reproduce: each
 * gives an ImportException whose message says what is wrong, never another exception or a model
 * with made-up parts. Most start from a real file of the shared folder and break one thing.
 */
class KerasImportErrorsTest {
    private static final String KERAS3 = KerasTestFiles.KERAS3, LEGACY = KerasTestFiles.LEGACY;
    private static final ObjectMapper JSON = KerasTestFiles.JSON;

    @TempDir
    Path dir;

    @Test
    void emptyFileIsNeitherKind() throws IOException {
        Path f = Files.write(dir.resolve("empty.h5"), new byte[0]);
        KerasTestFiles.assertRefused(f, "neither a Keras .h5 (HDF5) file nor a .keras (zip) archive", "the file is empty");
    }

    @Test
    void otherKindsOfFileAreNamedByTheirFirstBytes() throws IOException {
        Path png = Files.write(dir.resolve("model.h5"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0});
        KerasTestFiles.assertRefused(png, "neither", "starts with 89 50 4e 47");
        Path onnx = Files.write(dir.resolve("model.keras"), new byte[] {0x08, 0x07, 0x12, 0x07, 'p', 'y', 't', 'o'});
        KerasTestFiles.assertRefused(onnx, "neither", "starts with 08 07");
        KerasTestFiles.assertRefused(dir, "is a folder, not a model file");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.001, 0.01, 0.2, 0.5, 0.9, 0.999})
    void truncatedLegacyH5(double keep) throws IOException {
        Path cut = cut(SharedKerasModels.file(LEGACY), keep);
        ImportException e = assertThrows(ImportException.class, () -> KerasImporter.importKeras(cut).close());
        assertTrue(e.getMessage().contains("is cut short: " + Files.size(cut) + " bytes, its HDF5 superblock says " + Files.size(SharedKerasModels.file(LEGACY))), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.001, 0.05, 0.5, 0.95, 0.9999})
    void truncatedKerasArchive(double keep) throws IOException {
        Path cut = cut(SharedKerasModels.file(KERAS3), keep);
        ImportException e = assertThrows(ImportException.class, () -> KerasImporter.importKeras(cut).close());
        // A zip's directory sits at its end, so any cut loses it: the archive cannot even be listed.
        assertTrue(e.getMessage().contains("not a readable .keras (zip) archive"), e.getMessage());
    }

    /**
     * A zip whose directory points an entry past the file's end: ZipFile lists it, then reading it
     * throws an EOFException without a message, and the refusal ended in ": null".
     */
    @Test
    void anEntryPointingPastTheEndIsNamedNotNull() throws IOException {
        Path f = dir.resolve("past-the-end.keras");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f))) {
            for (String name : List.of("metadata.json", "config.json", "model.weights.h5")) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write("{}".getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        byte[] bytes = Files.readAllBytes(f);
        int lastDirectoryEntry = -1;
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 1 && bytes[i + 3] == 2) lastDirectoryEntry = i;
        }
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(lastDirectoryEntry + 42, bytes.length - 10);  // its local header's offset
        Files.write(f, bytes);
        ImportException e = assertThrows(ImportException.class, () -> KerasImporter.importKeras(f).close());
        assertTrue(e.getMessage().endsWith("is not a readable .keras (zip) archive: an entry ends past the end of the file (truncated or corrupt)"), e.getMessage());
    }

    /**
     * Bytes overwritten inside the HDF5 structures (object headers, B-trees, heaps: the first
     * 64 KiB of this file) must end in an ImportException or a clean import, never another
     * exception escaping the importer. (Overwritten weight values cannot be told from real ones:
     * HDF5 v0 files carry no checksums.)
     */
    @Test
    void corruptStructuresGiveImportErrors() throws IOException {
        byte[] original = Files.readAllBytes(SharedKerasModels.file(LEGACY));
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        int refused = 0;
        for (int trial = 0; trial < 40; trial++) {
            byte[] bytes = original.clone();
            int at = 64 + random.nextInt(64 * 1024);
            for (int i = 0; i < 8; i++) bytes[at + i] = (byte) random.nextInt(256);
            Path f = Files.write(dir.resolve("corrupt-" + trial + ".h5"), bytes);
            try (Imported ignored = KerasImporter.importKeras(f)) {
                // the damage hit bytes the import does not read
            } catch (ImportException e) {
                refused++;
            }
        }
        assertTrue(refused > 0, "no corruption was noticed at all: the test corrupts nothing that matters");
    }

    /**
     * Keras stores model.weights.h5 uncompressed, so a flipped byte in a weight value opens and
     * parses as a different weight; the archive's CRC-32 is what tells. Every flipped position
     * must be refused by name.
     */
    @Test
    void flippedWeightBytesFailTheArchiveChecksum() throws IOException {
        byte[] archive = Files.readAllBytes(SharedKerasModels.file(KERAS3));
        byte[] weights;
        try (ZipFile zip = new ZipFile(SharedKerasModels.file(KERAS3).toFile())) {
            weights = zip.getInputStream(zip.getEntry("model.weights.h5")).readAllBytes();
        }
        int start = indexOf(archive, Arrays.copyOf(weights, 64), 0);
        assertTrue(start > 0, "model.weights.h5 is not stored verbatim in the archive");
        for (double at : new double[] {0.3, 0.6, 0.95}) {
            byte[] bytes = archive.clone();
            bytes[start + (int) (weights.length * at)] ^= 0x10;
            Path f = Files.write(dir.resolve("flipped-" + at + ".keras"), bytes);
            KerasTestFiles.assertRefused(f, "model.weights.h5 fails the archive's CRC-32 check", "damaged");
        }
    }

    /**
     * A small archive whose weights inflate to far more than any HDF5 file says: refused from
     * the entry's first bytes (zeros: no HDF5 signature) instead of after reading
     * it all, and real weights followed by bytes past their recorded end are refused too.
     */
    @Test
    void weightsAreReadNoFurtherThanTheirSuperblockSays() throws IOException {
        Path zeros = rewriteEntry("zeros.keras", "model.weights.h5", new byte[64 << 20], java.util.zip.ZipEntry.DEFLATED);
        assertTrue(Files.size(zeros) < 1 << 20, "the test archive should be small: " + Files.size(zeros));
        KerasTestFiles.assertRefused(zeros, "model.weights.h5 is not an HDF5 file: it does not start with HDF5's signature");
        byte[] weights;
        try (ZipFile zip = new ZipFile(SharedKerasModels.file(KERAS3).toFile())) {
            weights = zip.getInputStream(zip.getEntry("model.weights.h5")).readAllBytes();
        }
        Path trailing = rewriteEntry("trailing.keras", "model.weights.h5", Arrays.copyOf(weights, weights.length + 4096), java.util.zip.ZipEntry.DEFLATED);
        KerasTestFiles.assertRefused(trailing, "model.weights.h5 is " + (weights.length + 4096) + " bytes, its HDF5 superblock says " + weights.length + ": corrupt");
        Path cut = rewriteEntry("cut.keras", "model.weights.h5", Arrays.copyOf(weights, weights.length - 1000), java.util.zip.ZipEntry.DEFLATED);
        KerasTestFiles.assertRefused(cut, "model.weights.h5 is " + (weights.length - 1000) + " bytes, its HDF5 superblock says " + weights.length + ": cut short");
        Path same = rewriteEntry("same-weights.keras", "model.weights.h5", weights, java.util.zip.ZipEntry.DEFLATED);
        try (Imported imported = KerasImporter.importKeras(same)) {
            assertEquals(344_897, imported.saved().model().getWeights().stream().mapToLong(w -> w.length).sum());
        }
        // The real weights, zeros after them and a superblock that says so: every check above passes, but the
        // entry inflates 40-odd times (a 1 GiB one cost 3.5 GB of heap and imported).
        byte[] padded = Arrays.copyOf(weights, 64 << 20);
        ByteBuffer.wrap(padded).order(ByteOrder.LITTLE_ENDIAN).putLong(40, padded.length);  // superblock v0: the end-of-file address
        Path bomb = rewriteEntry("padded.keras", "model.weights.h5", padded, java.util.zip.ZipEntry.DEFLATED);
        KerasTestFiles.assertRefused(bomb, "model.weights.h5 is stored in", "says it inflates to " + padded.length, "weights do not compress like that");
    }

    /** A copy of the real .keras archive with one entry's bytes replaced, written with the given zip method. */
    private Path rewriteEntry(String name, String entryName, byte[] content, int method) throws IOException {
        return KerasTestFiles.rewrittenArchive(Files.newInputStream(SharedKerasModels.file(KERAS3)), dir.resolve(name), entryName, old -> content, method);
    }

    @Test
    void archiveWithoutItsParts() throws IOException {
        KerasTestFiles.assertRefused(rewrite("no-config.keras", name -> name.equals("config.json") ? null : name, null), "has no config.json");
        KerasTestFiles.assertRefused(rewrite("no-weights.keras", name -> name.equals("model.weights.h5") ? null : name, null), "has no model.weights.h5");
    }

    @Test
    void configThatIsNotJson() throws IOException {
        Path f = rewriteConfig("broken.keras", "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [");
        KerasTestFiles.assertRefused(f, "config.json", "not valid JSON");
    }

    @Test
    void hostileNestingIsRefusedNotRecursed() throws IOException {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        Path f = rewriteConfig("deep.keras", "{\"class_name\": \"Sequential\", \"config\": {\"layers\": " + deep + "}}");
        KerasTestFiles.assertRefused(f, "not valid JSON");
    }

    @Test
    void unsupportedLayerIsNamedWithWhatIsSupported() throws IOException {
        Path f = editLayer("conv.keras", 2, layer -> layer.put("class_name", "Conv1D"));
        KerasTestFiles.assertRefused(f, "Conv1D 'lstm'", "not supported", "supported: InputLayer, Embedding, LSTM, GRU, Bidirectional");
    }

    @Test
    void anUnsupportedFirstLayerIsNamedNotAskedForAnInputShape() throws IOException {
        // Before, a Flatten (or a nested model, a Lambda) first was refused for want of a (None, timesteps, features) input shape.
        Path f = editLayer("flatten-first.keras", 1, layer -> layer.put("class_name", "Flatten"));
        KerasTestFiles.assertRefused(f, "Flatten 'embedding'", "this layer class is not supported; supported: InputLayer");
    }

    @Test
    void optionsTheEngineLacksAreRefusedNotIgnored() throws IOException {
        KerasTestFiles.assertRefused(editLayer("state.keras", 2, l -> config(l).put("return_state", true)), "LSTM 'lstm'", "return_state=True is not supported");
        KerasTestFiles.assertRefused(editLayer("relu.keras", 2, l -> config(l).put("activation", "relu")), "activation 'relu' is not supported (tanh only)");
        KerasTestFiles.assertRefused(editLayer("hard.keras", 2, l -> config(l).put("recurrent_activation", "swish")), "recurrent_activation 'swish'");
    }

    @Test
    void gruWithoutResetAfterIsAmbiguous() throws IOException {
        Path f = editLayer("movies-gru32-keras3.13.keras", "gru.keras", 2, l -> config(l).remove("reset_after"));
        KerasTestFiles.assertRefused(f, "GRU 'gru'", "reset_after is not recorded");
    }

    @Test
    void hostileSizesAreRefusedBeforeAllocating() throws IOException {
        KerasTestFiles.assertRefused(editLayer("units.keras", 2, l -> config(l).put("units", 1_000_000_000)), "units 1000000000 is outside [1, 16384]");
        KerasTestFiles.assertRefused(editLayer("vocab.keras", 1, l -> config(l).put("input_dim", -5)), "input_dim -5 is outside");
    }

    @Test
    void weightTotalsBeyondTheLimitAreRefusedBeforeAllocating() throws IOException {
        // Each size within its own bound, their product 2^29 floats (2 GiB): refused from the shapes
        // alone (the importer used to allocate and initialise it, then find the file's [5000, 32]).
        Path f = editLayer("wide.keras", 1, l -> config(l).put("input_dim", 1 << 24));
        KerasTestFiles.assertRefused(f, "the config makes 536,", "more than the importer's limit of 268,435,456");
    }

    @Test
    void anExplicitNullActivationIsKerasLinearNotTheDefault() throws IOException {
        KerasTestFiles.assertRefused(editLayer("null-act.keras", 2, l -> config(l).putNull("activation")), "activation 'linear' is not supported (tanh only)");
        KerasTestFiles.assertRefused(editLayer("null-ract.keras", 2, l -> config(l).putNull("recurrent_activation")), "recurrent_activation 'linear' is not supported");
    }

    @Test
    void zeroOutputForMaskOutsideABidirectionalIsRefused() throws IOException {
        // Under a mask (mask_zero on the Embedding), it changes the outputs: refused.
        ObjectNode root;
        try (ZipFile zip = new ZipFile(SharedKerasModels.file(KERAS3).toFile())) {
            root = (ObjectNode) JSON.readTree(zip.getInputStream(zip.getEntry("config.json")));
        }
        ArrayNode layers = (ArrayNode) root.get("config").get("layers");
        config((ObjectNode) layers.get(1)).put("mask_zero", true);
        config((ObjectNode) layers.get(2)).put("zero_output_for_mask", true);
        KerasTestFiles.assertRefused(rewriteConfig("zofm.keras", JSON.writeValueAsString(root)), "LSTM 'lstm'",
                "zero_output_for_mask=True under a mask is not supported outside a Bidirectional");
        // Without a mask it changes nothing: imports.
        try (Imported imported = KerasImporter.importKeras(editLayer("zofm-unmasked.keras", 2, l -> config(l).put("zero_output_for_mask", true)))) {
            assertEquals(344_897, imported.saved().model().getWeights().stream().mapToLong(w -> w.length).sum());
        }
        // False (what Keras 3 writes into every RNN's config) imports.
        try (Imported imported = KerasImporter.importKeras(editLayer("zofm-false.keras", 2, l -> config(l).put("zero_output_for_mask", false)))) {
            assertEquals(344_897, imported.saved().model().getWeights().stream().mapToLong(w -> w.length).sum());
        }
    }

    @Test
    void aBackwardsSequenceUnderAMaskOutsideABidirectionalIsRefused() throws IOException {
        // Keras passes the mask on unreversed beside the reversed outputs, the engine reversed: a stacked
        // LSTM after it scored 0.32820535 against Keras' 0.32586290 (tools/parity/keras_reference.py).
        ObjectNode root = KerasTestFiles.config(KERAS3);
        ArrayNode layers = (ArrayNode) root.get("config").get("layers");
        config((ObjectNode) layers.get(1)).put("mask_zero", true);
        config((ObjectNode) layers.get(2)).put("go_backwards", true).put("return_sequences", true);
        KerasTestFiles.assertRefused(rewriteConfig("backwards-masked.keras", JSON.writeValueAsString(root)), "LSTM 'lstm'",
                "go_backwards=True with return_sequences=True under a mask is not supported outside a Bidirectional");
    }

    @Test
    void aCustomClassUnderABuiltInNameIsRefused() throws IOException {
        KerasTestFiles.assertRefused(editLayer("custom.keras", 2, l -> l.put("module", "my_layers").put("registered_name", "MyPkg>LSTM")),
                "layer LSTM 'lstm': a custom class (module \"my_layers\", registered_name \"MyPkg>LSTM\")");
        KerasTestFiles.assertRefused(editLayer("custom-name.keras", 2, l -> l.put("registered_name", "MyPkg>LSTM")), "a custom class");
        KerasTestFiles.assertRefused(editLayer("keras-hub.keras", 2, l -> l.put("module", "keras_hub.layers")), "a custom class (module \"keras_hub.layers\"");
    }

    @Test
    void weightsThatDoNotFitTheConfigNameBoth() throws IOException {
        Path f = editLayer("units65.keras", 2, l -> config(l).put("units", 65));
        KerasTestFiles.assertRefused(f, "layers/lstm/cell/vars/0 has shape [32, 256], the config makes kernel [32, 260]");
    }

    @Test
    void headThatIsNotAClassifierScoresButIsNotSaved() throws IOException {
        Path f = editLayer("linear.keras", 3, l -> config(l).put("activation", "linear"));
        try (Imported imported = KerasImporter.importKeras(f)) {
            assertTrue(imported.notes().stream().anyMatch(n -> n.contains("ends in Dense(1, linear), not a classifier's")), imported.notes().toString());
            assertEquals(1, imported.saved().model().predict(new int[][] {new int[200]}, 1).length);
            assertThrows(vectorlstm.io.ModelFileException.class, () -> vectorlstm.io.ModelFile.save(dir.resolve("linear.vlstm"), imported.saved()));
        }
    }

    @Test
    void branchingFunctionalModelIsRefused() throws IOException {
        String functional = """
                {"class_name": "Functional", "config": {"layers": [
                  {"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_shape": [null, 10]}, "inbound_nodes": []},
                  {"class_name": "Embedding", "name": "e", "config": {"name": "e", "input_dim": 5, "output_dim": 2}, "inbound_nodes": [[["in", 0, 0, {}]]]},
                  {"class_name": "LSTM", "name": "a", "config": {"name": "a", "units": 2}, "inbound_nodes": [[["e", 0, 0, {}]]]},
                  {"class_name": "LSTM", "name": "b", "config": {"name": "b", "units": 2}, "inbound_nodes": [[["e", 0, 0, {}]]]}]}}""";
        KerasTestFiles.assertRefused(rewriteConfig("branch.keras", functional), "LSTM 'b' reads [e], not [a]", "one chain");
    }

    @Test
    void functionalModelWhoseOutputIsNotTheChainsEndIsRefused() throws IOException {
        String layers = """
                [{"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_shape": [null, 10]}, "inbound_nodes": []},
                 {"class_name": "Embedding", "name": "e", "config": {"name": "e", "input_dim": 5, "output_dim": 2}, "inbound_nodes": [[["in", 0, 0, {}]]]},
                 {"class_name": "LSTM", "name": "a", "config": {"name": "a", "units": 2}, "inbound_nodes": [[["e", 0, 0, {}]]]},
                 {"class_name": "Dense", "name": "d1", "config": {"name": "d1", "units": 2}, "inbound_nodes": [[["a", 0, 0, {}]]]},
                 {"class_name": "Dense", "name": "d2", "config": {"name": "d2", "units": 1}, "inbound_nodes": [[["d1", 0, 0, {}]]]}]""";
        String early = "{\"class_name\": \"Functional\", \"config\": {\"layers\": " + layers
                + ", \"input_layers\": [[\"in\", 0, 0]], \"output_layers\": [[\"d1\", 0, 0]]}}";
        KerasTestFiles.assertRefused(rewriteConfig("early-output.keras", early), "output_layers name [d1], not its chain's last layer Dense 'd2'");
        String lateInput = "{\"class_name\": \"Functional\", \"config\": {\"layers\": " + layers
                + ", \"input_layers\": [\"e\", 0, 0], \"output_layers\": [\"d2\", 0, 0]}}";
        KerasTestFiles.assertRefused(rewriteConfig("late-input.keras", lateInput), "input_layers name [e], not its chain's first layer InputLayer 'in'");
        String unnamed = "{\"class_name\": \"Functional\", \"config\": {\"layers\": " + layers + "}}";
        KerasTestFiles.assertRefused(rewriteConfig("no-ends.keras", unnamed), "input_layers name no layer");
    }

    @Test
    void nanWeightIsRefused() throws IOException {
        Path original = SharedKerasModels.file(LEGACY);
        float bias;
        try (HdfFile h5 = new HdfFile(original)) {
            bias = ((float[]) h5.getDatasetByPath("model_weights/dense/dense/bias:0").getDataFlat())[0];
        }
        byte[] bytes = Files.readAllBytes(original);
        byte[] pattern = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(bias).array();
        int at = indexOf(bytes, pattern, 0);
        assertTrue(at >= 0 && indexOf(bytes, pattern, at + 1) < 0, "the dense bias value must occur exactly once in the file");
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(at, Float.NaN);
        Path f = Files.write(dir.resolve("nan.h5"), bytes);
        KerasTestFiles.assertRefused(f, "model_weights/dense/dense/bias:0 holds NaN", "weights must be finite");
    }

    @Test
    void unchangedRewriteStillImports() throws IOException {
        // The control for the tests above: the rewriting itself keeps a good file good.
        Path f = rewrite("same.keras", name -> name, null);
        try (Imported imported = KerasImporter.importKeras(f)) {
            assertEquals(344_897, imported.saved().model().getWeights().stream().mapToLong(w -> w.length).sum());
        }
    }

    @Test
    void aKeyEveryKerasWritesThatIsMissingIsRefusedNotReadAsItsDefault() throws IOException {
        // One flipped bit in a real file turned recurrent_activation into recurzent_activation: the layer imported with
        // sigmoid instead of hard_sigmoid, and scored other numbers without a word.
        String[][] layerAndKeys = {{"2", "LSTM 'lstm'", "activation", "recurrent_activation", "return_sequences", "go_backwards"},
                {"3", "Dense 'output'", "activation"}, {"1", "Embedding 'embedding'", "mask_zero"}};
        for (String[] entry : layerAndKeys) {
            for (int k = 2; k < entry.length; k++) {
                String key = entry[k];
                Path f = editLayer("no-" + entry[0] + "-" + key + ".keras", Integer.parseInt(entry[0]), layer -> {
                    ObjectNode config = config(layer);
                    config.set('x' + key.substring(1), config.remove(key));  // the key renamed as by a damaged byte, its value kept
                });
                KerasTestFiles.assertRefused(f, entry[1], key + " is missing: every Keras version writes it");
            }
        }
        // "batch_shape" with one byte damaged made the fixed-length model one of any length.
        Path noShape = editLayer("no-batch-shape.keras", 0, layer -> config(layer).set("batch_s ape", config(layer).remove("batch_shape")));
        KerasTestFiles.assertRefused(noShape, "InputLayer 'input_layer'", "batch_shape is missing");
    }

    @Test
    void aLegacyH5OverTwoGibibytesIsRefusedByItsSize() throws IOException {
        // Above 2 GiB the importer fell back to jhdf's file reader, which allocates forged region sizes on the heap.
        long size = 3L << 30;
        byte[] bytes = Files.readAllBytes(SharedKerasModels.file(LEGACY));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(40, size);  // superblock v0: the end-of-file address
        Path big = Files.write(dir.resolve("big.h5"), bytes);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(size);  // sparse: no disk taken
        }
        KerasTestFiles.assertRefused(big, "big.h5 is " + size + " bytes: a Keras .h5 file over 2 GiB is more than this importer reads");
    }

    @Test
    void mixedPrecisionImportsItsFloat32WeightsWithANoteThatOutputsDifferFromKeras() throws IOException {
        ObjectNode root = KerasTestFiles.config(KERAS3);
        for (var layer : root.get("config").get("layers")) {
            if (layer.get("config").get("dtype") instanceof ObjectNode policy) ((ObjectNode) policy.get("config")).put("name", "mixed_float16");
        }
        Path mixed = rewrite("mixed.keras", name -> name, JSON.writeValueAsString(root));
        String note = "the file's layers compute in mixed_float16 in Keras; the engine computes in float32, so outputs are close to Keras' own, not equal";
        try (Imported plain = KerasImporter.importKeras(SharedKerasModels.file(KERAS3)); Imported imported = KerasImporter.importKeras(mixed)) {
            assertTrue(imported.notes().contains(note), imported.notes().toString());
            assertTrue(plain.notes().stream().noneMatch(n -> n.contains("compute in")), plain.notes().toString());
            List<float[]> a = plain.saved().model().getWeights(), b = imported.saved().model().getWeights();
            for (int i = 0; i < a.size(); i++) assertTrue(Arrays.equals(a.get(i), b.get(i)), "weight " + i);
        }
        // Ids read as int32 (keras.Input(dtype="int32"), common for token ids) compute nothing in 16 bits: no note.
        ObjectNode ints = KerasTestFiles.config(KERAS3);
        for (var layer : ints.get("config").get("layers")) {
            if (layer.get("class_name").asText().equals("InputLayer")) ((ObjectNode) layer.get("config")).put("dtype", "int32");
        }
        try (Imported imported = KerasImporter.importKeras(rewrite("int-ids.keras", name -> name, JSON.writeValueAsString(ints)))) {
            assertTrue(imported.notes().stream().noneMatch(n -> n.contains("compute in")), imported.notes().toString());
        }
    }

    private static ObjectNode config(ObjectNode layer) { return (ObjectNode) layer.get("config"); }

    private Path editLayer(String name, int index, Consumer<ObjectNode> edit) throws IOException {
        return editLayer(KERAS3, name, index, edit);
    }

    private Path editLayer(String source, String name, int index, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root = KerasTestFiles.config(source);
        ArrayNode layers = (ArrayNode) root.get("config").get("layers");
        edit.accept((ObjectNode) layers.get(index));
        return rewrite(source, name, n -> n, JSON.writeValueAsString(root));
    }

    private Path rewriteConfig(String name, String config) throws IOException {
        return rewrite(name, n -> n, config);
    }

    /** A copy of the real .keras archive with entries renamed/dropped ({@code keep} returns null) and config.json replaced if given. */
    private Path rewrite(String name, java.util.function.UnaryOperator<String> keep, String config) throws IOException {
        return rewrite(KERAS3, name, keep, config);
    }

    private Path rewrite(String source, String name, java.util.function.UnaryOperator<String> keep, String config) throws IOException {
        Path out = dir.resolve(name);
        try (ZipFile zip = new ZipFile(SharedKerasModels.file(source).toFile());
             ZipOutputStream zout = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                String kept = keep.apply(entry.getName());
                if (kept == null) continue;
                zout.putNextEntry(new ZipEntry(kept));
                if (config != null && kept.equals("config.json")) zout.write(config.getBytes(StandardCharsets.UTF_8));
                else zip.getInputStream(entry).transferTo(zout);
                zout.closeEntry();
            }
        }
        return out;
    }

    private Path cut(Path original, double keep) throws IOException {
        byte[] bytes = Files.readAllBytes(original);
        int n = Math.max(1, (int) (bytes.length * keep));
        return Files.write(dir.resolve("cut-" + n + "-" + original.getFileName()), Arrays.copyOf(bytes, n));
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }


}
