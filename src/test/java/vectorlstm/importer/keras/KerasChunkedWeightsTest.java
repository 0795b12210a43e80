package vectorlstm.importer.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.filter.Filter;
import io.jhdf.filter.PipelineFilterWithData;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.importer.ImportException;
import vectorlstm.importer.Imported;

/**
 * Weights stored as chunked datasets (h5py writes them so when a file is re-saved with
 * compression; Keras itself never does). A chunked, gzip-compressed file scoring like its
 * reference is {@code k2-chunked-gzip-lstm} in {@link KerasSyntheticImportTest}; here, what must be
 * refused: a weight with a chunk never written (HDF5 readers fill it with zeros), and chunk grids
 * that are corrupt or hostile.
 */
class KerasChunkedWeightsTest {
    @TempDir
    Path dir;

    @Test
    void aWeightWithAChunkNeverWrittenIsRefusedNotFilledWithZeros() throws Exception {
        // tools/parity/make_synthetic_keras.py: k2-chunked-gzip-lstm's model, each 2-D weight's last chunk row left unwritten
        Path file = dir.resolve("k2-missing-chunk-lstm.h5");
        try (InputStream in = getClass().getResourceAsStream("/keras-synthetic/k2-missing-chunk-lstm.h5")) {
            Files.copy(in, file);
        }
        KerasTestFiles.assertRefused(file, "model_weights/embedding/embedding/embeddings:0", "its chunk at [28, 0] is not in the file",
                "written in part");
    }

    private Path resource(String name) throws Exception {
        Path file = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/keras-synthetic/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void aSoftLinkToItselfIsRefusedNotAStackOverflow() throws Exception {
        // tools/parity/make_synthetic_keras.py: k2-chunked-gzip-lstm's model with the recurrent kernel a soft link to itself.
        // jhdf follows it by recursion: the import ended in "internal error (java.lang.StackOverflowError)".
        KerasTestFiles.assertRefused(resource("k2-self-link-lstm.h5"), "k2-self-link-lstm.h5", "HDF5 links loop or nest too deeply");
    }

    @Test
    void aMaskingUnderAMaskZeroEmbeddingIsRefused() throws Exception {
        // Keras' Masking drops the Embedding's mask and reads the id-0 steps; the engine's kept it and skipped them
        // (a review's scores off by up to 0.185, with no note).
        KerasTestFiles.assertRefused(resource("k3-maskzero-masking-lstm.keras"), "Masking 'masking'", "a Masking under a mask already set");
    }

    /**
     * jhdf skips a fletcher32 checksum unchecked: a flipped byte imported as another weight (and
     * scored 0.0), where h5py, so Keras, refuses to read it. The same model with intact checksums
     * (and shuffle and gzip) reads as the file without them.
     */
    @Test
    void fletcher32ChecksumsAreChecked() throws Exception {
        KerasTestFiles.assertRefused(resource("k2-fletcher32-flipped-lstm.h5"), "model_weights/dense/dense/kernel:0", "its chunk at [0, 0] fails its fletcher32 checksum");
        int[][] ids = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 9, 27, 1, 39}};
        try (Imported checked = KerasImporter.importKeras(resource("k2-fletcher32-lstm.h5"));
             Imported plain = KerasImporter.importKeras(resource("k2-chunked-gzip-lstm.h5"))) {
            assertArrayEquals(plain.saved().model().predict(ids, 2), checked.saved().model().predict(ids, 2));
        }
    }

    /**
     * A chunk record off the weight's grid (at row 1 of chunks of 2 rows): HDF5 lays it over the
     * weight, and jhdf decoded it too, in parallel with the grid's chunks (another answer from one
     * run to the next; 46 such records on one gzip bomb took 5.6 GB). The grid's chunks were checked, that one was not.
     */
    @Test
    void aChunkRecordOffTheGridIsRefused() throws Exception {
        // In a file the index's walk finds it first (one record more than the grid's 3 chunks); the sum of stored bytes is the check behind it.
        KerasTestFiles.assertRefused(resource("k2-off-grid-chunk-lstm.h5"), "model_weights/lstm/lstm/lstm_cell/kernel:0", "its chunk index has a node of 4 entries, more than the 3 chunks of the grid");
        KerasWeight weight = new KerasWeight("w", chunked(new int[] {5, 7}, new int[] {2, 3}, new float[35], List.of(), at -> ByteBuffer.allocate(24), 24));
        ImportException e = assertThrows(ImportException.class, weight::values);
        assertTrue(e.getMessage().contains("its chunk index holds 240 bytes of chunks, the 9 chunks of its grid 216"), e.getMessage());
    }

    /**
     * A 105 KB file whose chunk index lists one node a thousand times at each of two levels: jhdf
     * builds the whole index before reading a chunk (three levels: 91 s, then out of memory at 2
     * GB). The index is walked first, and refused at its first node that lists more records than
     * the grid has chunks.
     */
    @Test
    void aChunkIndexListingOneNodeOverAndOverIsRefusedBeforeJhdfBuildsIt() throws Exception {
        KerasTestFiles.assertRefused(resource("k2-repeated-index-node-lstm.h5"), "model_weights/lstm/lstm/lstm_cell/kernel:0",
                "its chunk index has a node of 1024 entries, more than the 1 chunks of the grid");
    }

    /**
     * h5py with libver="latest" stores chunked weights under HDF5 1.10's chunk indexes, which Keras
     * never writes. jhdf read them, and an extensible array whose unlimited dimension is the second
     * one it placed wrong: that file's LSTM kernel imported as other values, without an error (the
     * model scored 0.7363 where the same weights stored otherwise score 0.7341). Each kind is
     * refused by name before jhdf reads its index.
     */
    @Test
    void hdf5ChunkIndexesOfLibverLatestAreRefusedByName() throws Exception {
        String weight = "model_weights/lstm/lstm/lstm_cell/kernel:0";
        KerasTestFiles.assertRefused(resource("k2-latest-extensible-array-lstm.h5"), weight, "HDF5 1.10 chunk index (extensible array)", "libver=\"latest\"");
        KerasTestFiles.assertRefused(resource("k2-latest-fixed-array-lstm.h5"), weight, "HDF5 1.10 chunk index (fixed array)");
        KerasTestFiles.assertRefused(resource("k2-latest-btree2-lstm.h5"), weight, "HDF5 1.10 chunk index (version 2 B-tree)");
    }

    /** A weight that is there but whose header cannot be read was reported as "not a dataset in the file". */
    @Test
    void aWeightWhoseHeaderCannotBeReadIsNotCalledMissing() throws Exception {
        ImportException e = assertThrows(ImportException.class, () -> KerasImporter.importKeras(resource("k2-unreadable-weight-header-lstm.h5")).close());
        assertTrue(e.getMessage().contains("weight_names lists lstm/lstm_cell/kernel:0, which the HDF5 reader cannot open (")
                && e.getMessage().contains("): a corrupt file"), e.getMessage());
    }

    /**
     * A weight (a weights group) that is not in the file is said to be missing: jhdf's "no such path"
     * needs the file's name, which a file read from memory has not, and it threw "No backing file.
     * In-memory", reported as a corrupt or unreadable file.
     */
    @Test
    void aWeightMissingFromTheFileIsSaidToBeMissingNotCorrupt() throws Exception {
        ImportException legacy = assertThrows(ImportException.class, () -> KerasImporter.importKeras(resource("k2-missing-weight-lstm.h5")).close());
        assertTrue(legacy.getMessage().contains("weight_names lists lstm/lstm_cell/bias:0, which is not a dataset in the file"), legacy.getMessage());
        ImportException keras3 = assertThrows(ImportException.class, () -> KerasImporter.importKeras(resource("k3-missing-cell-vars-lstm.keras")).close());
        assertTrue(keras3.getMessage().contains("layers/lstm/cell/vars is missing"), keras3.getMessage());
        for (ImportException e : new ImportException[] {legacy, keras3}) assertTrue(!e.getMessage().contains("In-memory"), e.getMessage());
    }

    /** A Bidirectional whose backward_layer has use_bias False beside a forward layer with it was imported with both biases (Keras refuses to load it). */
    @Test
    void aBackwardLayerThatDiffersInItsBiasIsRefused() throws Exception {
        Path edited;
        try (InputStream in = getClass().getResourceAsStream("/keras-synthetic/k3-bilstm-mul-gru-hardsigmoid.keras")) {
            edited = KerasTestFiles.rewrittenArchive(in, dir.resolve("backward-nobias.keras"), "config.json", bytes -> edit(bytes, root -> {
                for (com.fasterxml.jackson.databind.JsonNode l : root.get("config").get("layers")) {
                    if (l.get("class_name").asText().equals("Bidirectional")) {
                        ((com.fasterxml.jackson.databind.node.ObjectNode) l.get("config").get("backward_layer").get("config")).put("use_bias", false);
                    }
                }
            }), java.util.zip.ZipEntry.DEFLATED);
        }
        KerasTestFiles.assertRefused(edited, "its backward_layer is not the forward layer reading backwards");
    }

    /** The model entry itself of a user's class (module and registered_name its own) was read as Keras' Sequential. */
    @Test
    void aCustomModelClassIsRefusedAsACustomLayerIs() throws Exception {
        Path edited;
        try (InputStream in = getClass().getResourceAsStream("/keras-synthetic/k3-bilstm-mul-gru-hardsigmoid.keras")) {
            edited = KerasTestFiles.rewrittenArchive(in, dir.resolve("custom-model.keras"), "config.json", bytes -> edit(bytes, root -> {
                root.put("module", "my_pkg.models");
                root.put("registered_name", "MyPkg>Sequential");
            }), java.util.zip.ZipEntry.DEFLATED);
        }
        KerasTestFiles.assertRefused(edited, "model config, the model: a custom class (module \"my_pkg.models\"");
    }

    private static byte[] edit(byte[] json, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> change) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) KerasTestFiles.JSON.readTree(json);
            change.accept(root);
            return KerasTestFiles.JSON.writeValueAsBytes(root);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** jhdf has no decoder for scale-offset (lossy) and threw while listing the filters: the file was called "not a readable HDF5 file (truncated or corrupt?)". */
    @Test
    void aFilterJhdfCannotDecodeIsNamedNotCalledCorruption() throws Exception {
        KerasTestFiles.assertRefused(resource("k2-scaleoffset-lstm.h5"), "is stored through an HDF5 filter the importer does not read", "scaleoffset");
    }

    @Test
    void everyChunkOfTheGridIsLookedFor() {
        List<String> asked = new ArrayList<>();
        float[] values = new float[5 * 7];
        KerasWeight weight = new KerasWeight("w", chunked(new int[] {5, 7}, new int[] {2, 3}, values, at -> {
            asked.add(Arrays.toString(at));
            return true;
        }));
        assertArrayEquals(values, weight.values());
        assertEquals(List.of("[0, 0]", "[0, 3]", "[0, 6]", "[2, 0]", "[2, 3]", "[2, 6]", "[4, 0]", "[4, 3]", "[4, 6]"), asked);
    }

    @Test
    void theLastChunkMissingIsFound() {
        KerasWeight weight = new KerasWeight("w", chunked(new int[] {5, 7}, new int[] {2, 3}, new float[35], at -> !Arrays.equals(at, new int[] {4, 6})));
        ImportException e = assertThrows(ImportException.class, weight::values);
        assertTrue(e.getMessage().contains("its chunk at [4, 6] is not in the file"), e.getMessage());
    }

    @Test
    void aChunkMustDecodeToExactlyAChunksBytesBeforeItsFilterRuns() {
        // 2 x 3 floats a chunk: 24 bytes. jhdf's gzip decoder grows its output for as long as the stream
        // goes on (1.5 GB from a 4 MB file), and a chunk stored without its filter was read as floats.
        List<PipelineFilterWithData> gzip = List.of(filter(1, "deflate")), gzipChecked = List.of(filter(1, "deflate"), filter(3, "fletcher32"));
        assertArrayEquals(new float[35], new KerasWeight("w", chunked(new int[] {5, 7}, new int[] {2, 3}, new float[35], gzip, at -> deflated(24))).values());
        assertArrayEquals(patterned(), new KerasWeight("w", chunked(new int[] {5, 7}, new int[] {2, 3}, null, gzipChecked, at -> encode(new int[] {1, 3}, 24))).values());
        assertRefused(chunked(new int[] {5, 7}, new int[] {2, 3}, null, gzipChecked, at -> {
            ByteBuffer b = encode(new int[] {1, 3}, 24);
            b.put(b.limit() - 1, (byte) (b.get(b.limit() - 1) ^ 1));
            return b;
        }), "its chunk at [0, 0] fails its fletcher32 checksum");
        assertRefused(chunked(new int[] {5, 7}, new int[] {2, 3}, null, gzip, at -> deflated(10_000_000)), "its chunk at [0, 0] inflates to more than its 24 bytes");
        assertRefused(chunked(new int[] {5, 7}, new int[] {2, 3}, null, gzip, at -> deflated(20)), "its chunk at [0, 0] decodes to 20 bytes, but a chunk of this weight holds 24");
        ByteBuffer cut = deflated(24);
        assertRefused(chunked(new int[] {5, 7}, new int[] {2, 3}, null, gzip, at -> ByteBuffer.wrap(Arrays.copyOf(cut.array(), cut.remaining() - 3))), "is a gzip stream cut short");
        assertRefused(chunked(new int[] {5, 7}, new int[] {2, 3}, null, gzip, at -> ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6})), "is not a readable gzip stream");
        assertRefused(chunked(new int[] {5, 7}, new int[] {2, 3}, null, List.of(), at -> deflated(24)), "(stored unfiltered)");
        assertRefused(chunked(new int[] {5, 7}, new int[] {2, 3}, null, List.of(filter(32004, "lz4")), at -> deflated(24)),
                "is stored through the HDF5 filter lz4 (id 32004), which the importer does not read");
        assertRefused(chunked(new int[] {5, 7}, new int[] {2, 3}, null, gzipChecked, at -> ByteBuffer.wrap(new byte[] {1, 2})), "is shorter than its fletcher32 checksum");
    }

    @Test
    void everyOrderOfTheThreeFiltersIsUndoneLastFirst() {
        // h5py wrote fletcher32 first until 2018 (and PyTables until 2024), h5py 3 writes it last; a shuffle after gzip
        // must be undone before the gzip stream is read. The first order failed with "newLimit > capacity".
        int[][] orders = {{3, 2, 1}, {2, 1, 3}, {1, 3, 2}, {1, 2}, {2, 1}, {3}, {2}};
        for (int[] order : orders) {
            List<PipelineFilterWithData> filters = Arrays.stream(order).mapToObj(id -> filter(id, "filter " + id)).toList();
            ChunkedDataset d = chunked(new int[] {5, 7}, new int[] {2, 3}, new float[35], filters, at -> encode(order, 24));
            assertArrayEquals(patterned(), new KerasWeight("w", d).values(), Arrays.toString(order));
        }
        assertRefused(chunked(new int[] {5, 7}, new int[] {2, 3}, null, List.of(filter(1, "deflate"), filter(2, "shuffle")),
                at -> encode(new int[] {1}, 24)), "is not a readable gzip stream");  // a shuffle the bytes never went through
    }

    /**
     * The 5 x 7 weight whose 2 x 3 chunks each decode to encode's 24 bytes (i * 7 + 1): element
     * (r, c) is float k = (r % 2) * 3 + c % 3 of a chunk, little-endian. The edge chunks' parts past
     * the weight are left out.
     */
    private static float[] patterned() {
        float[] out = new float[35];
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 7; c++) {
                int k = (r % 2) * 3 + c % 3, bits = 0;
                for (int b = 3; b >= 0; b--) bits = (bits << 8) | ((k * 4 + b) * 7 + 1) & 0xff;
                out[r * 7 + c] = Float.intBitsToFloat(bits);
            }
        }
        return out;
    }

    /** A chunk of {@code bytes} distinct bytes through the filters in pipeline order (3: a checksum appended, 2: shuffled by 4, 1: deflated). */
    private static ByteBuffer encode(int[] order, int bytes) {
        byte[] data = new byte[bytes];
        for (int i = 0; i < bytes; i++) data[i] = (byte) (i * 7 + 1);
        for (int id : order) {
            switch (id) {
                case 3 -> {  // the checksum HDF5 appends, little-endian
                    int sum = KerasWeight.fletcher32(ByteBuffer.wrap(data), data.length);
                    data = Arrays.copyOf(data, data.length + 4);
                    ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(data.length - 4, sum);
                }
                case 2 -> {
                    byte[] out = new byte[data.length];
                    int count = data.length / 4;
                    for (int b = 0; b < 4; b++) for (int i = 0; i < count; i++) out[b * count + i] = data[i * 4 + b];
                    for (int k = count * 4; k < data.length; k++) out[k] = data[k];
                    data = out;
                }
                default -> {
                    Deflater deflater = new Deflater();
                    deflater.setInput(data);
                    deflater.finish();
                    byte[] out = new byte[data.length + 64];
                    int n = deflater.deflate(out);
                    deflater.end();
                    data = Arrays.copyOf(out, n);
                }
            }
        }
        return ByteBuffer.wrap(data);
    }

    private static void assertRefused(ChunkedDataset dataset, String part) {
        ImportException e = assertThrows(ImportException.class, () -> new KerasWeight("w", dataset).values());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    /** {@code bytes} zero bytes, zlib-deflated as HDF5's gzip filter stores them. */
    private static ByteBuffer deflated(int bytes) {
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[bytes]);
        deflater.finish();
        byte[] out = new byte[bytes / 100 + 64];
        int n = deflater.deflate(out);
        deflater.end();
        return ByteBuffer.wrap(out, 0, n).slice();
    }

    /** jhdf's filter entry (its constructor is package-private): an id and a name are all the importer reads. */
    private static PipelineFilterWithData filter(int id, String name) {
        Filter filter = new Filter() {
            @Override public int getId() { return id; }
            @Override public String getName() { return name; }
            @Override public byte[] decode(byte[] data, int[] filterData) { throw new AssertionError("the test's data is never decoded by jhdf"); }
        };
        try {
            Constructor<PipelineFilterWithData> c = PipelineFilterWithData.class.getDeclaredConstructor(Filter.class, int[].class);
            c.setAccessible(true);
            return c.newInstance(filter, new int[0]);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void corruptAndHostileChunkGridsAreRefusedBeforeAnyChunkIsRead() {
        for (int[][] dimsAndChunks : new int[][][] {{{5, 7}, {2, 0}}, {{5, 7}, {2, -3}}, {{5, 7}, {2}}, {{1 << 21}, {1}}, {{5, 7}, {2, 8}}, {{5, 7}, {1 << 30, 3}}}) {
            KerasWeight weight = new KerasWeight("w", chunked(dimsAndChunks[0], dimsAndChunks[1], null, at -> {
                throw new AssertionError("a chunk was read: " + Arrays.toString(at));
            }));
            ImportException e = assertThrows(ImportException.class, weight::values);
            assertTrue(e.getMessage().contains("corrupt") || e.getMessage().contains("more than the limit of " + KerasWeight.MAX_CHUNKS), e.getMessage());
        }
    }

    /** The stored bytes of the grid's chunks (those the file holds), as jhdf sums its chunk index. */
    private static long gridBytes(int[] dims, int[] chunk, Function<int[], ByteBuffer> raw) {
        long total = 0;
        int[] at = new int[dims.length];
        while (true) {
            try {
                total += raw.apply(at.clone()).remaining();
            } catch (HdfException missing) {
                // not stored: not in the index either
            }
            int d = dims.length - 1;
            for (; d >= 0; d--) {
                at[d] += chunk[d];
                if (at[d] < dims[d]) break;
                at[d] = 0;
            }
            if (d < 0) return total;
        }
    }

    private interface ChunkStored {
        boolean at(int[] offset);
    }

    /** A chunked float dataset in memory, stored unfiltered: its shape, its chunk shape, its values, and which chunks the file holds. */
    private static ChunkedDataset chunked(int[] dims, int[] chunk, float[] values, ChunkStored stored) {
        int chunkBytes = Arrays.stream(chunk).reduce(Float.BYTES, (a, b) -> a * b);
        return chunked(dims, chunk, values, List.of(), at -> {
            if (!stored.at(at)) throw new HdfException("No chunk with offset " + Arrays.toString(at));
            return ByteBuffer.allocate(chunkBytes);
        }, () -> {  // what the index sums when every chunk is there (a missing one is refused before); asked only of a sound grid
            long grid = 1;
            for (int d = 0; d < dims.length; d++) grid *= (dims[d] + chunk[d] - 1) / chunk[d];
            return grid * chunkBytes;
        });
    }

    /** The same through {@code filters}, each chunk's stored bytes given by {@code raw}. */
    private static ChunkedDataset chunked(int[] dims, int[] chunk, float[] values, List<PipelineFilterWithData> filters, Function<int[], ByteBuffer> raw) {
        return chunked(dims, chunk, values, filters, raw, 0);
    }

    /** ... with {@code offGrid} bytes of chunk records off the grid in its chunk index. */
    private static ChunkedDataset chunked(int[] dims, int[] chunk, float[] values, List<PipelineFilterWithData> filters, Function<int[], ByteBuffer> raw,
                                          long offGrid) {
        return chunked(dims, chunk, values, filters, raw, () -> gridBytes(dims, chunk, raw) + offGrid);
    }

    /** ... whose chunk index sums to {@code storage} bytes. */
    private static ChunkedDataset chunked(int[] dims, int[] chunk, float[] values, List<PipelineFilterWithData> filters, Function<int[], ByteBuffer> raw,
                                          java.util.function.LongSupplier storage) {
        long size = Arrays.stream(dims).asLongStream().reduce(1, (a, b) -> a * b);
        return (ChunkedDataset) Proxy.newProxyInstance(KerasChunkedWeightsTest.class.getClassLoader(), new Class<?>[] {ChunkedDataset.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSize" -> size;
                    case "getSizeInBytes" -> size * Float.BYTES;
                    case "isScalar", "isEmpty" -> false;
                    case "getDimensions" -> dims.clone();
                    case "getChunkDimensions" -> chunk.clone();
                    case "getRawChunkBuffer" -> raw.apply((int[]) args[0]);
                    case "getFilters" -> filters;
                    case "getDataFlat", "getData" -> values;
                    case "getDataType" -> io.jhdf.object.datatype.FloatingPoint.FLOAT;
                    case "getStorageInBytes" -> storage.getAsLong();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "chunked " + Arrays.toString(dims);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
