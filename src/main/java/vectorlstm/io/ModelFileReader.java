package vectorlstm.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import vectorlstm.data.DataException;
import vectorlstm.model.Adam;
import vectorlstm.model.Sequential;
import vectorlstm.text.Json;

/**
 * Reads a {@link ModelFile} of either version. One path opens every file and checks its first
 * bytes; a version-1 file goes to {@link LegacyModelFile}, a version-2 one is read here: its
 * header and tensor sizes before anything is allocated ({@link ModelFileHeader}), then its data
 * copied once ({@link TensorData}), the checksum, the description and the weights. Both versions
 * end in {@link #assemble}, which builds the model and checks it against the layers and the limits.
 */
final class ModelFileReader {
    private ModelFileReader() {}

    /** {@link ModelFile#isModelFile}. */
    static boolean isModelFile(Path file) {
        if (!Files.isRegularFile(file)) return false;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer first = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
            while (first.hasRemaining() && ch.read(first, first.position()) > 0) { /* fill */ }
            if (first.position() < 9) return false;
            if (LegacyModelFile.hasMagic(first.array())) return true;
            long n = first.getLong(0);
            if (first.get(8) != '{' || n < 2 || n > Math.min(ch.size() - 8, ModelFile.MAX_HEADER_BYTES)) return false;
            ByteBuffer header = ByteBuffer.allocate((int) n);
            while (header.hasRemaining() && ch.read(header, 8 + header.position()) > 0) { /* fill */ }
            return Json.parse(HeaderJson.decodeUtf8(header.flip(), file)) instanceof Map<?, ?> h
                    && h.get("__metadata__") instanceof Map<?, ?> meta && ModelFile.FORMAT.equals(meta.get("format"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** {@link ModelFile#load}. */
    static SavedModel load(Path file) {
        return read(file, (ch, size, headerLength) -> headerLength < 0 ? LegacyModelFile.load(file, ch, size) : loadVersion2(file, ch, size, (int) headerLength));
    }

    /** {@link ModelFile#checkHeader}. */
    static void checkHeader(Path file) {
        read(file, (ch, size, headerLength) -> headerLength < 0 ? null : checkedHeader(file, ch, size, (int) headerLength));
    }

    /** What is done with an open model file: {@code headerLength} is -1 for a version-1 file. */
    private interface Reading<T> {
        T read(FileChannel ch, long size, long headerLength) throws IOException;
    }

    /** What a model file of another engine is, by its first bytes, with the way to convert it; empty for anything else. */
    private static String otherKind(byte[] start) {
        if (start[0] == (byte) 0x89 && start[1] == 'H' && start[2] == 'D' && start[3] == 'F') {
            return ": it is an HDF5 file, as a Keras .h5 model is (convert one with lstm import --keras)";
        }
        if (start[0] == 'P' && start[1] == 'K' && start[2] == 3 && start[3] == 4) {
            return ": it is a zip archive, as a Keras .keras model is (convert one with lstm import --keras)";
        }
        return "";
    }

    /** Opens {@code file}, checks its first bytes and the header's length against its size, and hands it to {@code reading}. */
    private static <T> T read(Path file, Reading<T> reading) {
        try {
            if (!Files.exists(file)) {
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) throw new ModelFileException(file + " is a symbolic link that leads to no file (broken, or a loop)");
                throw new ModelFileException("model file not found: " + file);
            }
            if (!Files.isRegularFile(file)) throw new ModelFileException(file + " is not a regular file (a folder, pipe or device cannot hold a model)");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                ByteBuffer first = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
                while (first.hasRemaining() && ch.read(first, first.position()) > 0) { /* fill */ }
                if (first.position() < 9) throw new ModelFileException(file + " is not a vector-lstm model file (only " + size + " bytes)");
                if (LegacyModelFile.hasMagic(first.array())) return reading.read(ch, size, -1);
                long headerLength = first.getLong(0);
                if (first.get(8) != '{' || headerLength < 2 || headerLength > size - 8) {
                    throw new ModelFileException(file + " is not a vector-lstm model file (or it is truncated)" + otherKind(first.array()));
                }
                if (headerLength > ModelFile.MAX_HEADER_BYTES) throw new ModelFileException(file + ": header of " + headerLength + " bytes is larger than any model needs");
                return reading.read(ch, size, headerLength);
            }
        } catch (NoSuchFileException e) {
            throw new ModelFileException("model file not found: " + file);
        } catch (IOException e) {  // the reason, not the exception's message (for a denied file that is just its name)
            throw new ModelFileException("cannot read model file " + file + ": " + DataException.reason(e), e);
        }
    }

    /**
     * The header's sizes are checked before anything is allocated, and so are the tensors' sizes
     * against the description when it can be read: a forged entry claiming gigabytes (a sparse
     * file of a few KB) was allocated and copied before the checksum refused it (4 GB of memory,
     * or "this machine could not give it" for a terabyte). A description that cannot be read is
     * judged only once the checksum over it and the data holds, so damage anywhere the checksum
     * covers is called damage (a flipped bit in a layer's type read as "unknown layer type 'LSTO'").
     */
    private static SavedModel loadVersion2(Path file, FileChannel ch, long size, int headerLength) throws IOException {
        ModelFileHeader header = checkedHeader(file, ch, size, headerLength);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment data = TensorData.copyOfData(ch, header.dataStart(), header.dataBytes(), arena, file);
            CRC32C crc = new CRC32C();
            crc.update(header.description().getBytes(StandardCharsets.UTF_8));
            TensorData.updateCrc(crc, data, header.dataBytes());
            if (!header.storedCrc().equals(HexFormat.of().toHexDigits((int) crc.getValue()))) {
                throw new ModelFileException(file + " is corrupt (checksum mismatch): it was damaged after it was saved");
            }
            Map<String, Object> described = HeaderJson.parseJson(header.description(), file, "model description");
            ModelDescription.Read read;
            try {
                read = ModelDescription.read(described);
            } catch (IllegalArgumentException | ModelFileException e) {  // the description's own errors do not know the file
                throw new ModelFileException(file + ": " + e.getMessage(), e);
            }
            header.checkListed(read.weights(), file);
            List<MemorySegment> weights = new ArrayList<>();
            for (int i = 0; i < header.ranges().size(); i++) {
                long[] r = header.ranges().get(i);
                MemorySegment w = TensorData.nativeOrder(data.asSlice(r[0], r[1] - r[0]), arena);
                TensorData.checkFinite(w, read.weights().get(i).name(), file + " holds NaN or infinite weights");
                weights.add(w);
            }
            return assemble(read, weights, arena, file);
        } catch (RuntimeException | Error e) {  // every way out frees the copy (the mapping's IOException leaked it whole)
            if (arena.scope().isAlive()) arena.close();  // a model built on it has closed it already
            throw e;
        }
    }

    /**
     * The header, and its tensors' sizes against the description when the description can be
     * read: all a load checks before it allocates anything for the data.
     */
    private static ModelFileHeader checkedHeader(Path file, FileChannel ch, long size, int headerLength) throws IOException {
        ModelFileHeader header = ModelFileHeader.read(file, ch, size, headerLength);
        ModelDescription.Read tentative = readDescriptionOrNull(header.description());
        if (tentative != null) {
            try {
                header.checkListed(tentative.weights(), file);
            } catch (ModelFileException e) {
                // Data no larger than the description's weights is read once, without a copy, to tell damage from forgery.
                long described = tentative.weights().stream().mapToLong(w -> w.bytes() + ModelFile.ALIGN).sum();
                if (header.dataBytes() <= described && !checksumHolds(ch, header)) {
                    throw new ModelFileException(file + " is corrupt (checksum mismatch): it was damaged after it was saved", e);
                }
                throw new ModelFileException(e.getMessage() + " (damaged or forged: refused before its data is read)", e);
            }
        }
        return header;
    }

    /** Whether the stored checksum holds over the description and the data as read from the file (streamed, nothing allocated per byte). */
    private static boolean checksumHolds(FileChannel ch, ModelFileHeader header) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(header.description().getBytes(StandardCharsets.UTF_8));
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        for (long at = 0; at < header.dataBytes(); ) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), header.dataBytes() - at));
            int n = ch.read(chunk, header.dataStart() + at);
            if (n <= 0) return false;  // shorter than its header says: not what was saved
            crc.update(chunk.flip());
            at += n;
        }
        return header.storedCrc().equals(HexFormat.of().toHexDigits((int) crc.getValue()));
    }

    /** The description as the load will read it, or null when it cannot be read (the checksum will then say whether it is damaged). */
    private static ModelDescription.Read readDescriptionOrNull(String description) {
        try {
            return ModelDescription.read(HeaderJson.parseJson(description, Path.of("description"), "model description"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Builds the described model on the given weights (owned by {@code arena}, which the model closes). */
    static SavedModel assemble(ModelDescription.Read read, List<MemorySegment> weights, Arena arena, Path file) {
        Sequential model = read.model();
        try {
            model.buildOn(weights, arena);
            checkWeightsFitLayers(read.weights(), ModelDescription.weights(model), file);
            String tooLarge = ModelFileLimits.workingMemoryProblem(model);
            if (tooLarge != null) throw new ModelFileException(file + ": " + tooLarge + " (forged, or not a model this engine serves)");
            model.compile(read.loss(), new Adam(), "accuracy");
            return new SavedModel(model, read.tokenizer(), read.preprocessing(), read.labels(), read.maxlen(), read.history());
        } catch (ModelFileException e) {
            model.close();
            throw e;
        } catch (RuntimeException e) {
            model.close();
            throw new ModelFileException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The weights the file lists must be the architecture's own, by name and shape, in order: the
     * engine binds them by position (and sizes alone match for, say, an LSTM's kernel and recurrent
     * kernel when the input is as wide as the units), while other safetensors readers go by the
     * names; a file where the two disagree would be one model to us and another to them.
     */
    private static void checkWeightsFitLayers(List<ModelDescription.WeightEntry> listed, List<ModelDescription.WeightEntry> layers, Path file) {
        for (int i = 0; i < listed.size(); i++) {
            ModelDescription.WeightEntry l = listed.get(i), own = layers.get(i);
            if (!l.name().equals(own.name()) || !Arrays.equals(l.shape(), own.shape())) {
                throw new ModelFileException(file + ": weight " + i + " is listed as '" + l.name() + "' " + Arrays.toString(l.shape())
                        + ", but the layers make it '" + own.name() + "' " + Arrays.toString(own.shape()) + " (forged or not written by vector-lstm)");
            }
        }
    }
}
