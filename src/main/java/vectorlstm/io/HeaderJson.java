package vectorlstm.io;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vectorlstm.text.Json;
import vectorlstm.text.StrictUtf8;

/**
 * The JSON texts in a file's header (a {@link ModelFile} of either version, a
 * {@link CheckpointFile}), read strictly: bytes that are not UTF-8, JSON that does not parse and
 * JSON that is not an object are each refused as such, naming the file. Written here too: the
 * tensor table with its padding entries, and the header's own padding, alike in both kinds of file.
 */
final class HeaderJson {
    private HeaderJson() {}

    static String decodeUtf8(ByteBuffer bytes, Path file) {
        try {
            return StrictUtf8.decoder().decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFileException(file + ": the header is not UTF-8 text (corrupt file?)");
        }
    }

    /**
     * The tensor table of a header, after its metadata: each tensor's entry in the order added,
     * its data right after the one before, and after each tensor whose size is not a multiple of
     * 64 the entry of the zero bytes that align the next. Keys in one order (not Map.of's, which
     * changed from one JVM to the next, and with it the file's bytes).
     */
    static final class TensorTable {
        private final Map<String, Object> header;
        private long offset;
        private int pads;

        TensorTable(Map<String, Object> header) { this.header = header; }

        /** Adds a tensor of {@code bytes}; false (and nothing added) when its name is taken already. */
        boolean add(String name, String dtype, List<?> shape, long bytes) {
            if (header.containsKey(name)) return false;
            header.put(name, entry(dtype, shape, offset, bytes));
            offset += bytes;
            long pad = TensorData.padding(bytes);
            if (pad > 0) {
                header.put("__padding_" + pads++ + "__", entry("U8", List.of(pad), offset, pad));
                offset += pad;
            }
            return true;
        }

        private static Map<String, Object> entry(String dtype, List<?> shape, long offset, long bytes) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("dtype", dtype);
            t.put("shape", shape);
            t.put("data_offsets", List.of(offset, offset + bytes));
            return t;
        }
    }

    /**
     * The tensor entry's data_offsets [begin, end), checked to start where the entry before it
     * ended ({@code expected}) and to end inside the file's {@code dataBytes}; each fault says which
     * (an entry moved back over its neighbour was called "outside the file").
     */
    static long[] offsets(Path file, String name, Object entry, long expected, long dataBytes) {
        if (!(entry instanceof Map<?, ?> t) || !(t.get("data_offsets") instanceof List<?> offsets)) {
            throw new ModelFileException(file + ": tensor '" + name + "' is not an object with data_offsets (damaged or forged header)");
        }
        if (offsets.size() != 2 || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end)) {
            throw new ModelFileException(file + ": tensor '" + name + "' has data_offsets " + offsets + ", not two whole numbers (damaged or forged header)");
        }
        if (end > dataBytes) {
            throw new ModelFileException(file + ": tensor '" + name + "' lies outside the file's " + dataBytes + " data bytes (truncated or forged)");
        }
        if (begin != expected || end < begin) {
            throw new ModelFileException(file + ": tensor '" + name + "' at [" + begin + ", " + end + ") does not start where the one before it ends ("
                    + expected + ") (damaged or forged header)");
        }
        return new long[] {begin, end};
    }

    /**
     * Whether the tensor entry {@code name} at [begin, end) is one of the padding entries the
     * writer puts between tensors, checked to be exactly what it writes: {@code __padding_N__},
     * U8, shape [end - begin], less than the alignment. A damaged one loaded here as if whole but
     * failed Python's safetensors, which the docs name as the way to read the file elsewhere; a
     * larger one made a few KB of sparse file claim gigabytes of data.
     */
    static boolean isPadding(Path file, String name, Map<?, ?> entry, long begin, long end) {
        if (!name.startsWith("__padding_")) return false;
        if (!name.matches("__padding_[0-9]{1,9}__") || !"U8".equals(entry.get("dtype")) || !List.of(end - begin).equals(entry.get("shape"))
                || end - begin >= ModelFile.ALIGN || entry.size() != 3) {
            throw new ModelFileException(file + ": padding entry '" + name + "' is not the U8 [" + (end - begin) + "] filler the writer puts there"
                    + (end - begin >= ModelFile.ALIGN ? " (" + (end - begin) + " bytes, more than alignment needs)" : "") + " (damaged or forged header)");
        }
        return true;
    }

    /** The header as UTF-8 JSON, blank-padded so that the data after it (and its 8-byte length) starts 64-byte aligned. */
    static byte[] padded(Map<String, Object> header) {
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (int) ((8 + json.length + ModelFile.ALIGN - 1) / ModelFile.ALIGN * ModelFile.ALIGN - 8);
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    static Map<String, Object> parseJson(String json, Path file, String what) {
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file + ": unreadable " + what + " (" + e.getMessage() + ")");
        }
        if (!(parsed instanceof Map<?, ?>)) throw new ModelFileException(file + ": the " + what + " is not a JSON object (damaged or forged)");
        return LayerSpecs.map(parsed);
    }
}
