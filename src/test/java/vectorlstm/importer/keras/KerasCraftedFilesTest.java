package vectorlstm.importer.keras;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ContiguousDataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.importer.ImportException;
import vectorlstm.importer.Imported;
import vectorlstm.importer.SharedKerasModels;
import vectorlstm.layers.Embedding;
import vectorlstm.model.Sequential;

/**
 * Files crafted from the real ones the way a fuzzer found them to get past the importer: each was
 * imported as a different model, refused under a wrong reason or without naming the file, or made
 * the importer allocate a gigabyte. The last test replays a fixed set of structure mutations of
 * one archive's weights, past the archive's CRC, as a guard for what the fuzzer covered.
 */
class KerasCraftedFilesTest {
    private static final String KERAS3 = KerasTestFiles.KERAS3, LEGACY = KerasTestFiles.LEGACY;
    private static final ObjectMapper JSON = KerasTestFiles.JSON;

    @TempDir
    Path dir;

    /** The layer and weight checks know only their part of the file; the message the user reads names the file. */
    @Test
    void everyRefusalNamesTheFile() throws IOException {
        Path units = archive("units.keras", Map.of("config.json", config(layers -> config(layers, 2).put("units", 0))));
        KerasTestFiles.assertRefused(units, units + ": model config, layer LSTM 'lstm': units 0 is outside");
        Path head = archive("head.keras", Map.of("config.json", config(layers -> config(layers, 3).put("units", 2))));
        KerasTestFiles.assertRefused(head, head + ": weights of layer Dense 'output': layers/dense/vars/0 has shape [64, 1]");
    }

    /** A model that does not end in Dense is a config the engine cannot build, not an unreadable HDF5 file. */
    @Test
    void aModelNotEndingInDenseIsRefusedForThat() throws IOException {
        Path noHead = archive("no-head.keras", Map.of("config.json", config(layers -> layers.remove(3))));
        ImportException e = assertThrows(ImportException.class, () -> KerasImporter.importKeras(noHead).close());
        assertTrue(e.getMessage().contains("the layers do not fit together: the last layer must be Dense"), e.getMessage());
        assertFalse(e.getMessage().contains("HDF5"), e.getMessage());
    }

    /**
     * Two entries named model.weights.h5 (both real weights here, so any choice would import):
     * ZipFile reads one, another zip tool shows the other, and Keras never writes such an archive.
     */
    @Test
    void twoEntriesOfOneNameAreRefused() throws IOException {
        String alias = "model.weights.hX";  // ZipOutputStream refuses a second entry of one name: renamed in the bytes after
        byte[] zip = zip(Map.of(), List.of(Map.entry(alias, weights())));
        byte[] from = alias.getBytes(StandardCharsets.US_ASCII), to = "model.weights.h5".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + from.length <= zip.length; i++) {
            if (Arrays.equals(zip, i, i + from.length, from, 0, from.length)) System.arraycopy(to, 0, zip, i, to.length);
        }
        Path twice = Files.write(dir.resolve("twice.keras"), zip);
        KerasTestFiles.assertRefused(twice, twice + ": the .keras archive holds two entries named model.weights.h5");
    }

    /** A folder entry "config.json/" holding bytes is not config.json: ZipFile's lookup by name falls back to it. */
    @Test
    void aFolderNamedLikeAnEntryIsNotThatEntry() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(original());
        entries.put("config.json/", entries.remove("config.json"));
        Path folder = Files.write(dir.resolve("folder.keras"), zip(entries));
        KerasTestFiles.assertRefused(folder, folder + ": the .keras archive has no config.json");
    }

    /**
     * The embedding's shape grown by one row in both the weights' dataspace and config.json, its
     * storage left as it was: jhdf read the row from the bytes after the table (the next weight's),
     * and the archive imported with a made-up row. A row fewer would drop one.
     */
    @Test
    void aShapeThatDisagreesWithItsStorageIsRefused() throws IOException {
        for (int vocab : new int[] {10_001, 9_999}) {
            byte[] weights = weights();
            byte[] dims = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(10_000).putLong(32).array();
            int patched = 0;
            for (int i = 0; i + dims.length <= weights.length; i++) {
                if (Arrays.equals(weights, i, i + dims.length, dims, 0, dims.length)) {
                    ByteBuffer.wrap(weights).order(ByteOrder.LITTLE_ENDIAN).putLong(i, vocab);
                    patched++;
                }
            }
            assertTrue(patched > 0, "the embedding's dims (10000, 32) are not in model.weights.h5");
            Path grown = archive("vocab-" + vocab + ".keras", Map.of("model.weights.h5", weights,
                    "config.json", config(layers -> config(layers, 1).put("input_dim", vocab))));
            KerasTestFiles.assertRefused(grown, "weight layers/embedding/vars/0 has shape [" + vocab + ", 32] (" + vocab * 32 * 4 + " bytes) but stores 1280000 bytes: corrupt");
        }
    }

    /** input_length 300 under an InputLayer of 200: Keras 2 refuses it, Keras 3 ignores it; the import made a 300-step model. */
    @Test
    void twoSequenceLengthsAreRefused() throws IOException {
        Path lengths = archive("lengths.keras", Map.of("config.json", config(layers -> config(layers, 1).put("input_length", 300))));
        KerasTestFiles.assertRefused(lengths, "layer Embedding 'embedding': its input length 300 differs from the length 200 of InputLayer 'input_layer'");
        Path same = archive("same-length.keras", Map.of("config.json", config(layers -> config(layers, 1).put("input_length", 200))));
        try (Imported imported = KerasImporter.importKeras(same)) {
            assertTrue(imported.saved().maxlen() == 200, "maxlen " + imported.saved().maxlen());
        }
    }

    /**
     * A local heap whose header claims a gigabyte: jhdf's file reader, once the region failed to map
     * beyond the file's end, allocated it on the heap (and every region after it). Read through a
     * buffer over the file it is an error that costs nothing.
     */
    @Test
    void aForgedHeapSizeIsRefusedWithoutAllocatingIt() throws IOException {
        byte[] bytes = Files.readAllBytes(SharedKerasModels.file(LEGACY));
        int forged = 0;
        byte[] heap = "HEAP".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + 16 <= bytes.length; i++) {
            // "HEAP", version 0, three reserved zero bytes, then the data segment's size (8 bytes)
            if (Arrays.equals(bytes, i, i + 4, heap, 0, 4) && bytes[i + 4] == 0 && bytes[i + 5] == 0 && bytes[i + 6] == 0 && bytes[i + 7] == 0) {
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(i + 8, 1L << 30);
                forged++;
            }
        }
        assertTrue(forged > 0, "no local heap found");
        Path f = Files.write(dir.resolve("forged-heap.h5"), bytes);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        KerasTestFiles.assertRefused(f, f.toString());
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64L << 20, "the refusal allocated " + (allocated >> 20) + " MB for a " + (bytes.length >> 10) + " KB file");
    }

    /**
     * 200 fixed mutations of the HDF5 structures in one archive's model.weights.h5 (its CRC
     * recomputed, so they reach the HDF5 reader): hostile values in the fields after each structure's
     * signature, random bytes outside the weight data, cut or duplicated chunks. Each import is refused
     * with an ImportException or gives a model whose outputs are finite.
     */
    @Test
    void mutatedWeightStructuresAreRefusedOrImportFinite() throws IOException {
        byte[] original = weights();
        List<long[]> data = dataRanges(original);
        List<Integer> structures = structures(original);
        long[] hostile = {0, 1, 0xff, 0xffff, 0x7fffffffL, 0xffffffffL, 1L << 31, 1L << 40, -1, Long.MAX_VALUE};
        SplittableRandom random = new SplittableRandom(2026);
        int refused = 0, imported = 0;
        for (int trial = 0; trial < 200; trial++) {
            byte[] w = original.clone();
            String what;
            switch (trial % 3) {
                case 0 -> {
                    int at = structures.get(random.nextInt(structures.size())) + 4 + random.nextInt(28);
                    long v = hostile[random.nextInt(hostile.length)];
                    int width = 1 << random.nextInt(4);
                    for (int k = 0; k < width && at + k < w.length; k++) w[at + k] = (byte) (v >>> (8 * k));
                    what = "value " + Long.toHexString(v) + " (" + width + " bytes) at " + at;
                }
                case 1 -> {
                    int at = outside(data, w.length, random);
                    for (int k = 0; k < 8 && at + k < w.length; k++) w[at + k] = (byte) random.nextInt(256);
                    what = "8 random bytes at " + at;
                }
                default -> {
                    int at = outside(data, w.length, random), n = Math.min(1 + random.nextInt(512), w.length - at);
                    byte[] moved = new byte[w.length];  // a chunk removed, the length kept (zeros at the end)
                    System.arraycopy(w, 0, moved, 0, at);
                    System.arraycopy(w, at + n, moved, at, w.length - at - n);
                    w = moved;
                    what = n + " bytes removed at " + at;
                }
            }
            Path f = Files.write(dir.resolve("mutated.keras"), zip(Map.of("model.weights.h5", w), List.of()));
            try (Imported m = KerasImporter.importKeras(f)) {
                imported++;
                Sequential model = m.saved().model();
                int[][] ids = new int[2][200];
                for (int[] row : ids) for (int t = 0; t < row.length; t++) row[t] = random.nextInt(((Embedding) model.layers().get(0)).inputDim());
                for (float p : model.predict(ids, 2)) assertTrue(Float.isFinite(p), "trial " + trial + " (" + what + ") imported with output " + p);
            } catch (ImportException e) {
                refused++;
                assertTrue(e.getMessage().contains("mutated.keras"), "trial " + trial + " (" + what + "): " + e.getMessage());
                // The reader's own words, not its Java class names (java.lang.ArithmeticException: integer overflow).
                assertTrue(!e.getMessage().matches("(?s).*\\b(java|io\\.jhdf)\\.[a-z]+\\.[A-Za-z.]*(Exception|Error)\\b.*"),
                        "trial " + trial + " (" + what + "): " + e.getMessage());
            }
        }
        assertTrue(refused > 50 && imported > 0, refused + " refused, " + imported + " imported: the mutations should hit both");
    }

    /** Byte ranges holding dataset values: damage there is a different weight, not a different structure. */
    private static List<long[]> dataRanges(byte[] h5) {
        List<long[]> out = new ArrayList<>();
        try (HdfFile f = HdfFile.fromBytes(h5)) {
            collect(f, out);
        }
        return out;
    }

    private static void collect(Group g, List<long[]> out) {
        for (Node n : g.getChildren().values()) {
            if (n instanceof Group child) collect(child, out);
            else if (n instanceof ContiguousDataset d) out.add(new long[] {d.getDataAddress(), d.getDataAddress() + d.getSizeInBytes()});
        }
    }

    /** Where HDF5 structures start (local and global heaps, B-tree and symbol table nodes). */
    private static List<Integer> structures(byte[] h5) {
        List<Integer> out = new ArrayList<>();
        String text = new String(h5, StandardCharsets.ISO_8859_1);
        for (String signature : new String[] {"HEAP", "GCOL", "TREE", "SNOD"}) {
            for (int i = text.indexOf(signature); i >= 0; i = text.indexOf(signature, i + 1)) out.add(i);
        }
        return out;
    }

    private static int outside(List<long[]> data, int length, SplittableRandom random) {
        while (true) {
            int at = random.nextInt(length);
            if (data.stream().noneMatch(d -> at >= d[0] && at < d[1])) return at;
        }
    }

    private static ObjectNode config(ArrayNode layers, int index) {
        return (ObjectNode) layers.get(index).get("config");
    }

    private ObjectNode config(Consumer<ArrayNode> edit) throws IOException {
        ObjectNode root = KerasTestFiles.config(KERAS3);
        edit.accept((ArrayNode) root.get("config").get("layers"));
        return root;
    }

    private Path archive(String name, Map<String, Object> replaced) throws IOException {
        return Files.write(dir.resolve(name), zip(replaced, List.of()));
    }

    /** The real archive's entries (some replaced: byte[] or a JSON tree), after extra entries as given; stored, as Keras writes them. */
    private static byte[] zip(Map<String, Object> replaced, List<Map.Entry<String, byte[]>> extra) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : extra) entries.put(e.getKey(), e.getValue());
        for (Map.Entry<String, byte[]> e : original().entrySet()) {
            Object r = replaced.get(e.getKey());
            entries.put(e.getKey(), r == null ? e.getValue() : r instanceof byte[] b ? b : JSON.writeValueAsBytes(r));
        }
        return zip(entries);
    }

    /** These entries in this order, stored. */
    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zout = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                entry.setCrc(crc.getValue());
                zout.putNextEntry(entry);
                zout.write(e.getValue());
                zout.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static Map<String, byte[]> originalEntries;

    private static synchronized Map<String, byte[]> original() throws IOException {
        if (originalEntries == null) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            try (ZipFile zip = new ZipFile(SharedKerasModels.file(KERAS3).toFile())) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    entries.put(entry.getName(), zip.getInputStream(entry).readAllBytes());
                }
            }
            originalEntries = entries;
        }
        return originalEntries;
    }

    private static byte[] weights() throws IOException {
        return original().get("model.weights.h5").clone();
    }

}
