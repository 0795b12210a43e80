package vectorlstm.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import vectorlstm.data.DataException;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Parameter;
import vectorlstm.layers.Shape;
import vectorlstm.model.Adam;
import vectorlstm.model.Sequential;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;
import vectorlstm.text.Json;
import vectorlstm.text.StrictUtf8;

/**
 * One model in one file (format version 2), laid out as a
 * <a href="https://github.com/huggingface/safetensors">safetensors</a> file so that Python reads
 * the weights with {@code safetensors.numpy.load_file} or twenty lines of numpy:
 *
 * <pre>
 *   8 bytes   header length n, unsigned little-endian
 *   n bytes   header, UTF-8 JSON, padded with spaces so the data starts at a multiple of 64:
 *               "__metadata__": {"format": "vector-lstm", "version": "2",
 *                                "vlstm.model": JSON text of layers, loss, labels, maxlen,
 *                                               text preprocessing, tokenizer, weight list,
 *                                "vlstm.crc32c": CRC-32C of that JSON text and of all data bytes}
 *               "embedding/embeddings": {"dtype": "F32", "shape": [5000, 32], "data_offsets": [0, 640000]},
 *               ... one entry per weight, in file order; "__padding_N__" (U8) entries fill the gaps
 *               that keep every weight 64-byte aligned (safetensors allows no holes)
 *   data      float32 little-endian, row-major, Keras layouts
 * </pre>
 *
 * <p>Loading maps the file ({@link FileChannel#map}) and copies its data once into memory of the
 * model's own, then unmaps it: no initialiser, no optimizer state, any size. Every size in the
 * header is checked against the file before anything is built; the checksum and a NaN scan run
 * over the copy. A loaded model never reads its file again, so the file may be replaced in any
 * way ({@code mv}, {@code cp}, an editor) while it is loaded: the model goes on with the weights
 * it loaded until it is loaded again. Saving writes a temporary file, forces it to disk and
 * renames it over the target ({@link AtomicFile}). Version 1 files (our earlier format) still
 * load ({@link LegacyModelFile}).
 */
public final class ModelFile {
    static final long ALIGN = 64;
    /**
     * Far above any real header (a 100,000-word tokenizer is about 3 MB), and below memory trouble:
     * parsing a 250 MB header took 6.6 GB of heap.
     */
    static final long MAX_HEADER_BYTES = 64L << 20;
    /**
     * Longest input sequence a model file may declare. No weight's size depends on it, so the
     * file size cannot bound it; without a cap a forged description could make scoring allocate
     * gigabytes. The same cap as {@code --maxlen}.
     */
    public static final int MAX_SEQUENCE_LENGTH = Shape.MAX_STEPS;
    static final String FORMAT = "vector-lstm", VERSION = "2";
    static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ModelFile() {}

    /**
     * Saves a compiled model with what it needs to score text again. {@code labels} may be empty
     * (the class ids are stored then); {@code maxlen} must be the model's input length.
     *
     * @throws ModelFileException           the model cannot be saved as it is (not compiled, broken weights)
     * @throws java.io.UncheckedIOException the file could not be written (the file that was there is intact)
     */
    public static void save(Path file, SavedModel saved) {
        Sequential model = saved.model();
        if (model.isClosed()) throw new IllegalStateException("the model is closed: nothing to save");
        if (model.loss() == null) throw new ModelFileException("compile the model before saving it (the file records its loss)");
        String tooLarge = workingMemoryProblem(model);
        if (tooLarge != null) throw new ModelFileException("cannot save: " + tooLarge + ", so the file could not be loaded again");
        List<Tensor> tensors = new ArrayList<>();
        for (Layer l : model.layers()) {
            for (Parameter p : l.parameters()) {
                checkFinite(p.value(), l.name() + "/" + p.name(), "cannot save: the weights are broken (training diverged?)");
                tensors.add(p.value());
            }
        }
        byte[] description = Json.write(ModelDescription.describe(saved)).getBytes(StandardCharsets.UTF_8);
        List<ModelDescription.WeightEntry> entries = ModelDescription.weights(model);
        CRC32C crc = new CRC32C();
        crc.update(description);
        for (Tensor t : tensors) {
            updateCrc(crc, t.segment(), t.size() * Float.BYTES);
            crc.update(new byte[(int) padding(t.size() * Float.BYTES)]);  // the zeros written after it
        }
        byte[] header = header(description, entries, crc);
        if (header.length > MAX_HEADER_BYTES) throw new ModelFileException("cannot save: " + headerProblem(header.length));
        try {
            AtomicFile.write(file, ch -> {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
                AtomicFile.writeFully(ch, length);
                AtomicFile.writeFully(ch, ByteBuffer.wrap(header));
                for (Tensor t : tensors) {
                    writeLittleEndian(ch, t.segment(), t.size() * Float.BYTES);
                    long pad = padding(t.size() * Float.BYTES);
                    if (pad > 0) AtomicFile.writeFully(ch, ByteBuffer.allocate((int) pad));
                }
            });
        } catch (IOException e) {  // the file system's failure (a full disk, a folder in the way), not the model's: the old file is intact
            throw new UncheckedIOException("cannot write model file " + file + ": " + DataException.reason(e), e);
        }
    }

    /** The safetensors JSON header, padded with spaces to end at a multiple of 64 (counting the 8 length bytes). */
    private static byte[] header(byte[] description, List<ModelDescription.WeightEntry> entries, CRC32C crc) {
        Map<String, Object> h = new LinkedHashMap<>();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.put("vlstm.model", new String(description, StandardCharsets.UTF_8));
        meta.put("vlstm.crc32c", HexFormat.of().toHexDigits((int) crc.getValue()));
        h.put("__metadata__", meta);
        long offset = 0;
        int pads = 0;
        for (ModelDescription.WeightEntry e : entries) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("dtype", "F32");
            t.put("shape", java.util.Arrays.stream(e.shape()).boxed().toList());
            t.put("data_offsets", List.of(offset, offset + e.bytes()));
            if (h.put(e.name(), t) != null) {
                // A '/' in a layer name can meet another layer's weight ("bi/forward_lstm" + "/kernel"):
                // the file would hold one tensor for two weights and not load again.
                throw new ModelFileException("cannot save: two weights are named '" + e.name() + "' (a layer name with '/' meets another layer's weight): rename a layer");
            }
            offset += e.bytes();
            long pad = padding(e.bytes());
            if (pad > 0) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("dtype", "U8");
                p.put("shape", List.of(pad));
                p.put("data_offsets", List.of(offset, offset + pad));
                h.put("__padding_" + pads++ + "__", p);
                offset += pad;
            }
        }
        byte[] json = Json.write(h).getBytes(StandardCharsets.UTF_8);
        int padded = (int) ((8 + json.length + ALIGN - 1) / ALIGN * ALIGN - 8);
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        java.util.Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    static long padding(long bytes) {
        return (ALIGN - bytes % ALIGN) % ALIGN;
    }

    /**
     * True when {@code file} is a regular file that starts like a model file of either version
     * (what {@code train --save} may replace without {@code --force}). Reads only the header.
     */
    public static boolean isModelFile(Path file) {
        if (!Files.isRegularFile(file)) return false;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer first = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
            while (first.hasRemaining() && ch.read(first, first.position()) > 0) { /* fill */ }
            if (first.position() < 9) return false;
            if (LegacyModelFile.hasMagic(first.array())) return true;
            long n = first.getLong(0);
            if (first.get(8) != '{' || n < 2 || n > Math.min(ch.size() - 8, MAX_HEADER_BYTES)) return false;
            ByteBuffer header = ByteBuffer.allocate((int) n);
            while (header.hasRemaining() && ch.read(header, 8 + header.position()) > 0) { /* fill */ }
            return Json.parse(decodeUtf8(header.flip(), file)) instanceof Map<?, ?> h
                    && h.get("__metadata__") instanceof Map<?, ?> meta && FORMAT.equals(meta.get("format"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Loads a model file of either version; see the class comment. */
    public static SavedModel load(Path file) {
        return read(file, (ch, size, headerLength) -> headerLength < 0 ? LegacyModelFile.load(file, ch, size) : loadVersion2(file, ch, size, (int) headerLength));
    }

    /**
     * The checks {@link #load} makes before it reads the data (the header, each tensor's bytes
     * inside the file and against the description), without copying or allocating the data: a server runs them before it
     * copies the file, so a small file whose header claims a terabyte is refused as such. A
     * version-1 file is checked by its load alone.
     *
     * @throws ModelFileException what load would say of the header
     */
    public static void checkHeader(Path file) {
        read(file, (ch, size, headerLength) -> headerLength < 0 ? null : checkedHeader(file, ch, size, (int) headerLength));
    }

    /** What is done with an open model file: {@code headerLength} is -1 for a version-1 file. */
    private interface Reading<T> {
        T read(FileChannel ch, long size, long headerLength) throws IOException;
    }

    /** Opens {@code file}, checks its first bytes and the header's length against its size, and hands it to {@code reading}. */
    private static <T> T read(Path file, Reading<T> reading) {
        try {
            if (!Files.exists(file)) {
                if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw new ModelFileException(file + " is a symbolic link that leads to no file (broken, or a loop)");
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
                    throw new ModelFileException(file + " is not a vector-lstm model file (or it is truncated)");
                }
                if (headerLength > MAX_HEADER_BYTES) throw new ModelFileException(file + ": header of " + headerLength + " bytes is larger than any model needs");
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
            MemorySegment data = copyOfData(ch, header.dataStart(), header.dataBytes(), arena, file);
            CRC32C crc = new CRC32C();
            crc.update(header.description().getBytes(StandardCharsets.UTF_8));
            updateCrc(crc, data, header.dataBytes());
            if (!header.storedCrc().equals(HexFormat.of().toHexDigits((int) crc.getValue()))) {
                throw new ModelFileException(file + " is corrupt (checksum mismatch): it was damaged after it was saved");
            }
            Map<String, Object> described = parseJson(header.description(), file, "model description");
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
                MemorySegment w = nativeOrder(data.asSlice(r[0], r[1] - r[0]), arena);
                checkFinite(w, read.weights().get(i).name(), file + " holds NaN or infinite weights");
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
                long described = tentative.weights().stream().mapToLong(w -> w.bytes() + ALIGN).sum();
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
            return ModelDescription.read(parseJson(description, Path.of("description"), "model description"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The file's data bytes in memory of the model's own, which it computes on for as long as it
     * lives. Computing on a mapping of the file itself made the model's weights the file's current
     * bytes: {@code cp} over a loaded model changed its answers, and once the file had shrunk, a
     * read past its end in compiled vector code ended the process (SIGBUS, which the JVM turns
     * into an exception only in its own copy routines). The file is mapped for the copy alone and
     * unmapped right after. A file that shrank since its size was read is refused as such: before
     * the mapping (the JDK then tries to extend the file: an {@link IOException} on a file opened
     * for reading) or during the copy (the copy routine's fault, an {@link InternalError}). The
     * checksum is then taken over the copy, the bytes the model will use. A checkpoint's data is
     * read the same way ({@link CheckpointFile}), for the same reasons.
     *
     * <p>The copy is native memory, which {@code -Xmx} does not bound: a size this machine cannot
     * allocate is refused naming the file and the size (a sparse 30 GB file said "not enough
     * memory ... give the JVM more (VLSTM_JAVA_OPTS=-Xmx...)").
     *
     * @param contents what the data is, for that message ("weights")
     */
    static MemorySegment copyOfData(FileChannel ch, long start, long bytes, Arena owner, Path file, String contents) {
        MemorySegment copy;
        try {
            copy = owner.allocate(bytes, ALIGN);
        } catch (OutOfMemoryError e) {
            throw new ModelFileException(file + " needs " + (bytes >> 20) + " MB of memory for its " + contents + "; this machine could not give it", e);
        }
        try (Arena mapping = Arena.ofConfined()) {
            if (ch.size() < start + bytes) throw new Shrank(file, null);
            copy.copyFrom(ch.map(FileChannel.MapMode.READ_ONLY, start, bytes, mapping));
        } catch (InternalError | IOException e) {
            // Said as shrunk only when it did: a mapping refused for want of address space is not the file's fault.
            if (shrankBelow(ch, start + bytes)) throw new Shrank(file, e);
            throw new ModelFileException("cannot read " + file + " (" + e.getMessage() + "): not enough memory to map and copy its "
                    + (bytes >> 20) + " MB? Give the process more (VLSTM_JAVA_OPTS, ulimit -v)", e);
        }
        return copy;
    }

    /** {@link #copyOfData(FileChannel, long, long, Arena, Path, String)} of a model's weights. */
    static MemorySegment copyOfData(FileChannel ch, long start, long bytes, Arena owner, Path file) {
        return copyOfData(ch, start, bytes, owner, file, "weights");
    }

    private static boolean shrankBelow(FileChannel ch, long size) {
        try {
            return ch.size() < size;
        } catch (IOException e) {
            return false;
        }
    }

    /** The file was cut short while it was read (rewritten in place): it may be whole again soon, so it is not called damaged. */
    public static final class Shrank extends ModelFileException {
        Shrank(Path file, Throwable cause) {
            super(file + " shrank while it was being loaded (rewritten in place?): try again once it is whole", cause);
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

    /** Builds the described model on the given weights (owned by {@code arena}, which the model closes). */
    static SavedModel assemble(ModelDescription.Read read, List<MemorySegment> weights, Arena arena, Path file) {
        Sequential model = read.model();
        try {
            model.buildOn(weights, arena);
            checkWeightsFitLayers(read.weights(), ModelDescription.weights(model), file);
            String tooLarge = workingMemoryProblem(model);
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
     * The most working memory scoring one sequence may need beside the weights (every layer's
     * batch-1 state at the model's length). The seed model needs 2.8 MiB, a 2,000-step
     * BiLSTM(256) → LSTM(128) on 300-d vectors 94 MB; a forged file of 65 KB (a 1,000-wide
     * Embedding at 100,000 steps under a Dropout) asked for 2.4 GB a prediction, and the batch path
     * multiplies that by its rows. Training needs the batch size times as much.
     */
    public static final long MAX_SEQUENCE_WORKING_BYTES = 1L << 30;

    /**
     * Refuses what {@link #save} would refuse for a model this build could not load again (the
     * working memory {@link #MAX_SEQUENCE_WORKING_BYTES}, the header {@link #MAX_HEADER_BYTES}):
     * training calls it before the first epoch, so no one trains for hours a model that cannot be
     * saved. The model must be built (compiled); the header is sized as save writes it, apart
     * from the training history that save adds (about a hundred bytes an epoch).
     *
     * @throws ModelFileException saying which limit and by how much
     */
    public static void checkLoadable(SavedModel saved) {
        String problem = workingMemoryProblem(saved.model());
        if (problem != null) throw new ModelFileException(problem);
        byte[] description = Json.write(ModelDescription.describe(saved)).getBytes(StandardCharsets.UTF_8);
        int headerLength = header(description, ModelDescription.weights(saved.model()), new CRC32C()).length;
        if (headerLength > MAX_HEADER_BYTES) throw new ModelFileException(headerProblem(headerLength));
    }

    private static String headerProblem(int headerLength) {
        return "the model's description (its tokenizer, mostly) takes " + (headerLength >> 20) + " MB, more than the "
                + (MAX_HEADER_BYTES >> 20) + " MB a model file's header may hold";
    }

    private static String workingMemoryProblem(Sequential model) {
        model.inferShapes();
        if (model.inputShape().variableLength()) return null;  // sized by each input's own length: see maxSteps
        int steps = model.inputShape().dim(0);
        long bytes = workingBytes(model, steps);
        if (bytes >= 0 && bytes <= MAX_SEQUENCE_WORKING_BYTES) return null;
        return "scoring one sequence would need " + (bytes < 0 ? "more than 8 GB" : (bytes >> 20) + " MB")
                + " of working memory (its " + steps + " steps times its layers' widths), more than the " + (MAX_SEQUENCE_WORKING_BYTES >> 20)
                + " MB a model file may ask for";
    }

    /** Bytes of working memory scoring one sequence of {@code steps} takes; -1 beyond what a layer's state can hold. */
    private static long workingBytes(Sequential model, int steps) {
        Slab counting = Slab.counting();
        try {
            for (Layer l : model.layers()) l.newState(counting, 1, steps, false);
        } catch (ArithmeticException e) {  // a layer's state beyond 2^31 floats
            return -1;
        }
        return counting.used();
    }

    /**
     * The most steps one sequence may have on this model: its input length when fixed; for a model
     * of any length, the most whose working memory stays within the {@link #MAX_SEQUENCE_WORKING_BYTES}
     * a fixed-length model file may ask for (at most {@link #MAX_SEQUENCE_LENGTH}). A model of any
     * length is sized by each input, so the limit is applied to each input (a 197 KB file with a
     * 16,384-wide embedding took 6.5 GB for one line of 100,000 ids), not to the file: a wide
     * model stays usable on the lengths it was made for.
     */
    public static int maxSteps(Sequential model) {
        model.inferShapes();
        if (!model.inputShape().variableLength()) return model.inputShape().dim(0);
        int lo = 1, hi = MAX_SEQUENCE_LENGTH;  // the working memory grows with the steps
        if (fits(model, hi)) return hi;
        if (!fits(model, 1)) return 0;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (fits(model, mid)) lo = mid; else hi = mid - 1;
        }
        return lo;
    }

    /** Why a model reads no more than {@code maxSteps} (from {@link #maxSteps}): empty at the usual limit. */
    public static String stepsLimitReason(int maxSteps) {
        return maxSteps < MAX_SEQUENCE_LENGTH ? " (scoring more would take over " + (MAX_SEQUENCE_WORKING_BYTES >> 20) + " MB of working memory)" : "";
    }

    private static boolean fits(Sequential model, int steps) {
        long bytes = workingBytes(model, steps);
        return bytes >= 0 && bytes <= MAX_SEQUENCE_WORKING_BYTES;
    }

    /** The weights as the engine reads them (native order): the mapping itself on little-endian machines. */
    private static MemorySegment nativeOrder(MemorySegment littleEndian, Arena arena) {
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) return littleEndian;
        MemorySegment copy = arena.allocate(littleEndian.byteSize(), ALIGN);
        for (long i = 0; i < littleEndian.byteSize() / Float.BYTES; i++) copy.setAtIndex(ValueLayout.JAVA_FLOAT, i, littleEndian.getAtIndex(LE_FLOAT, i));
        return copy;
    }

    private static void writeLittleEndian(FileChannel ch, MemorySegment segment, long bytes) throws IOException {
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            for (long off = 0; off < bytes; off += 1 << 30) AtomicFile.writeFully(ch, segment.asSlice(off, Math.min(1 << 30, bytes - off)).asByteBuffer());
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < bytes / Float.BYTES; i++) {
            buf.putFloat(segment.getAtIndex(ValueLayout.JAVA_FLOAT, i));
            if (!buf.hasRemaining()) { AtomicFile.writeFully(ch, buf.flip()); buf.clear(); }
        }
        AtomicFile.writeFully(ch, buf.flip());
    }

    /** CRC over the bytes as stored (little-endian), 1 GiB at a time (a ByteBuffer's limit is 2 GiB). */
    static void updateCrc(CRC32C crc, MemorySegment segment, long bytes) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            ByteBuffer four = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < bytes / Float.BYTES; i++) crc.update(four.putFloat(0, segment.getAtIndex(ValueLayout.JAVA_FLOAT, i)).array());
        } else {
            for (long off = 0; off < bytes; off += 1 << 30) crc.update(segment.asSlice(off, Math.min(1 << 30, bytes - off)).asByteBuffer());
        }
    }

    private static void checkFinite(Tensor t, String name, String problem) {
        checkFinite(t.segment().asSlice(0, t.size() * Float.BYTES), name, problem);
    }

    private static void checkFinite(MemorySegment floats, String name, String problem) {
        long n = floats.byteSize() / Float.BYTES;
        for (long i = 0; i < n; i++) {
            if (!Float.isFinite(floats.getAtIndex(ValueLayout.JAVA_FLOAT, i))) throw new ModelFileException(problem + ": " + name + "[" + i + "] is " + floats.getAtIndex(ValueLayout.JAVA_FLOAT, i));
        }
    }

    static String decodeUtf8(ByteBuffer bytes, Path file) {
        try {
            return StrictUtf8.decoder().decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFileException(file + ": the header is not UTF-8 text (corrupt file?)");
        }
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
