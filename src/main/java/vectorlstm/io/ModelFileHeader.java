package vectorlstm.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a version-2 {@link ModelFile} says before its data: the model description and its
 * checksum (kept as text: nothing in them is believed until the checksum over them and the data
 * holds), and each weight's bytes, name and safetensors shape, checked against the file's own
 * length. Reading it allocates nothing the file's length does not bound, so a server can check a
 * file this way before it copies it ({@link ModelFile#checkHeader}).
 *
 * @param description the "vlstm.model" JSON text, unread
 * @param storedCrc   the "vlstm.crc32c" hex digits
 * @param ranges      [begin, end) of each weight in the data, in file order
 * @param names       each weight's tensor name
 * @param shapes      each weight's safetensors "shape", as read (other readers go by it)
 */
record ModelFileHeader(String description, String storedCrc, long dataStart, long dataBytes, List<long[]> ranges, List<String> names, List<Object> shapes) {
    /** Reads the header of {@code headerLength} bytes (checked against the file's {@code size} by the caller). */
    static ModelFileHeader read(Path file, FileChannel ch, long size, int headerLength) throws IOException {
        ByteBuffer headerBytes = ByteBuffer.allocate(headerLength);
        while (headerBytes.hasRemaining() && ch.read(headerBytes, 8 + headerBytes.position()) > 0) { /* fill */ }
        Map<String, Object> header = HeaderJson.parseJson(HeaderJson.decodeUtf8(headerBytes.flip(), file), file, "header");
        Map<String, Object> meta = header.get("__metadata__") instanceof Map<?, ?> m ? LayerSpecs.map(m) : Map.of();
        if ("vector-lstm-checkpoint".equals(meta.get("format"))) {
            throw new ModelFileException(file + " is a training checkpoint, not a model: training goes on from it (train --checkpoint);"
                    + " the model is the file the training saves");
        }
        if (!ModelFile.FORMAT.equals(meta.get("format"))) throw new ModelFileException(file + " is a safetensors file but not a vector-lstm model");
        if (!ModelFile.VERSION.equals(meta.get("version"))) {
            throw new ModelFileException(file + ": model file version " + meta.get("version")
                    + (isNewerVersion(meta.get("version")) ? " is newer than this build reads (" + ModelFile.VERSION + ")" : " is not one this build reads (" + ModelFile.VERSION + ")"));
        }
        if (!(meta.get("vlstm.model") instanceof String description) || !(meta.get("vlstm.crc32c") instanceof String storedCrc)) {
            throw new ModelFileException(file + ": header lacks the model description or its checksum");
        }
        long dataStart = 8L + headerLength, dataBytes = size - dataStart;
        if (dataStart % ModelFile.ALIGN != 0) throw new ModelFileException(file + ": the data does not start on a 64-byte boundary (truncated or forged header)");
        List<long[]> ranges = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Object> shapes = new ArrayList<>();
        long expectedBegin = 0;
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) continue;
            // The tensor entries lie outside the checksum: damage there must still name the file.
            long[] at = HeaderJson.offsets(file, e.getKey(), e.getValue(), expectedBegin, dataBytes);
            long begin = at[0], end = at[1];
            Map<?, ?> t = (Map<?, ?>) e.getValue();
            expectedBegin = end;
            if (HeaderJson.isPadding(file, e.getKey(), t, begin, end)) continue;
            if (begin % ModelFile.ALIGN != 0) throw new ModelFileException(file + ": tensor '" + e.getKey() + "' is not 64-byte aligned (forged or not written by vector-lstm)");
            if (!"F32".equals(t.get("dtype"))) throw new ModelFileException(file + ": tensor '" + e.getKey() + "' is " + t.get("dtype") + ", this build reads F32");
            ranges.add(new long[] {begin, end});
            names.add(e.getKey());
            shapes.add(t.get("shape"));
        }
        if (expectedBegin != dataBytes) throw new ModelFileException(file + " has " + (dataBytes - expectedBegin) + " bytes after its last tensor");
        return new ModelFileHeader(description, storedCrc, dataStart, dataBytes, ranges, names, shapes);
    }

    /** A version written as a whole number above ours (a newer build's file), not some other value. */
    private static boolean isNewerVersion(Object version) {
        return version instanceof String v && v.matches("[1-9][0-9]{0,8}") && Integer.parseInt(v) > Integer.parseInt(ModelFile.VERSION);
    }

    /** The tensors must be the description's weights: the same count, names, shapes and sizes, in order. */
    void checkListed(List<ModelDescription.WeightEntry> weights, Path file) {
        if (ranges.size() != weights.size()) {
            throw new ModelFileException(file + ": " + ranges.size() + " tensors, but the description lists " + weights.size() + " weights");
        }
        for (int i = 0; i < ranges.size(); i++) {
            long[] r = ranges.get(i);
            if (!names.get(i).equals(weights.get(i).name())) {
                throw new ModelFileException(file + ": tensor " + i + " is '" + names.get(i) + "', the description expects '" + weights.get(i).name() + "'");
            }
            // Other safetensors readers go by this shape, not by our description: both must agree.
            List<Long> expected = Arrays.stream(weights.get(i).shape()).mapToObj(d -> (long) d).toList();
            if (!expected.equals(shapes.get(i))) {
                throw new ModelFileException(file + ": tensor '" + names.get(i) + "' has shape " + shapes.get(i) + ", the description gives " + expected + " (forged or not written by vector-lstm)");
            }
            if (r[1] - r[0] != weights.get(i).bytes()) {
                throw new ModelFileException(file + ": weight " + weights.get(i).name() + " has " + (r[1] - r[0]) + " bytes, its shape needs " + weights.get(i).bytes());
            }
        }
    }
}
