package vectorlstm.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Reads model files of format version 1 (written before version 2 existed; never written now):
 *
 * <pre>
 *   8 bytes   magic "VLSTM\0\1\n"
 *   4 bytes   header length n, little-endian
 *   n bytes   header, UTF-8 JSON: layers, loss, "parameters" (name, shape, size), tokenizer (a JSON string), labels, maxlen
 *   ...       every parameter's float32 values, little-endian, in header order
 *   8 bytes   CRC-32 of everything before, little-endian
 * </pre>
 * The weights are copied into memory of the model's own (version 1 is not aligned for mapping).
 * The header's sizes are checked against the file size before anything is allocated.
 */
final class LegacyModelFile {
    private static final byte[] MAGIC = {'V', 'L', 'S', 'T', 'M', 0, 1, '\n'};

    private LegacyModelFile() {}

    /** True when the file starts like a version-1 file ("VLSTM\0"), whatever version byte follows. */
    static boolean hasMagic(byte[] start) {
        return start.length >= 6 && Arrays.equals(start, 0, 6, MAGIC, 0, 6);
    }

    static SavedModel load(Path file, FileChannel ch, long size) throws IOException {
        if (size < MAGIC.length + 4 + 8) throw new ModelFileException(file + " is truncated");
        ByteBuffer start = ByteBuffer.allocate(MAGIC.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        while (start.hasRemaining() && ch.read(start, start.position()) > 0) { /* fill */ }
        if (!Arrays.equals(start.array(), 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ModelFileException(file + ": unsupported model file version (this build reads versions 1 and 2)");
        }
        long body = size - 8;
        int headerLength = start.getInt(MAGIC.length);
        if (headerLength <= 0 || MAGIC.length + 4L + headerLength > body || headerLength > ModelFile.MAX_HEADER_BYTES) {
            throw new ModelFileException(file + ": bad header length (truncated or corrupt file)");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate(headerLength);
        while (headerBytes.hasRemaining() && ch.read(headerBytes, MAGIC.length + 4 + headerBytes.position()) > 0) { /* fill */ }
        Map<String, Object> header = HeaderJson.parseJson(HeaderJson.decodeUtf8(headerBytes.flip(), file), file, "header");
        ModelDescription.Read read;
        List<Long> sizes = new ArrayList<>();
        long weightBytes = 0;
        try {
            read = ModelDescription.read(header);
            for (Object o : LayerSpecs.list(header, "parameters")) {
                long n = LayerSpecs.integer(LayerSpecs.map(o), "size");
                sizes.add(n);
                weightBytes += n * Float.BYTES;
            }
        } catch (IllegalArgumentException | ModelFileException e) {  // the description's own errors do not know the file
            throw new ModelFileException(file + ": " + e.getMessage(), e);
        }
        long weightsStart = MAGIC.length + 4L + headerLength;
        if (weightsStart + weightBytes != body) {
            throw new ModelFileException(file + ": the header lists " + weightBytes + " bytes of weights, the file holds " + (body - weightsStart) + " (truncated or forged)");
        }
        // Read whole through one ByteBuffer (at most 2 GiB); the builds that wrote version 1 saved
        // models of a few MB, so a larger one is forged, not a model to find a way to read.
        if (size > Integer.MAX_VALUE - 8) throw new ModelFileException(file + ": a version-1 model file of " + size + " bytes; this build reads those up to 2 GiB (forged?)");
        Arena arena = Arena.ofShared();
        try {
            MemorySegment all = arena.allocate(size, ModelFile.ALIGN);
            ByteBuffer buf = all.asByteBuffer();
            while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) { /* fill */ }
            CRC32 crc = new CRC32();
            crc.update(all.asSlice(0, body).asByteBuffer());
            if (all.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), body) != crc.getValue()) {
                throw new ModelFileException(file + " is corrupt or truncated (checksum mismatch)");
            }
            List<MemorySegment> weights = new ArrayList<>();
            long pos = weightsStart;
            for (long n : sizes) {
                MemorySegment w = arena.allocate(n * Float.BYTES, ModelFile.ALIGN);
                for (long i = 0; i < n; i++) {
                    float v = all.get(ModelFile.LE_FLOAT, pos + i * Float.BYTES);
                    if (!Float.isFinite(v)) throw new ModelFileException(file + ": a weight holds a NaN or infinite value");
                    w.setAtIndex(ValueLayout.JAVA_FLOAT, i, v);
                }
                weights.add(w);
                pos += n * Float.BYTES;
            }
            return ModelFileReader.assemble(read, weights, arena, file);
        } catch (RuntimeException e) {
            if (arena.scope().isAlive()) arena.close();  // a model built on it has closed it already
            throw e;
        }
    }
}
