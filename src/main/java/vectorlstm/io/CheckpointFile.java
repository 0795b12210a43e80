package vectorlstm.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import vectorlstm.data.DataException;
import vectorlstm.model.History;
import vectorlstm.model.TrainingState;
import vectorlstm.text.Json;

/**
 * A {@link TrainingState} in one file, to resume an interrupted {@code fit}
 * ({@code ./lstm train --checkpoint}). Laid out like a {@link ModelFile} (safetensors: a JSON
 * header, then 64-byte aligned little-endian tensors), but its own kind ({@code "format":
 * "vector-lstm-checkpoint"}): it holds the trainable weights and the optimizer's state, not what
 * scoring needs (the tokenizer, frozen weights), so no command takes it for a model.
 *
 * <pre>
 *   "__metadata__": {"format": "vector-lstm-checkpoint", "version": "1",
 *                    "vlstm.training": JSON of the counters, history and names below,
 *                    "vlstm.context": JSON object of strings the caller keys the training by,
 *                    "vlstm.crc32c": CRC-32C of both JSON texts and of all data bytes}
 *   "weights/embedding/embeddings"         F32 [n]   each trainable weight, flat
 *   "optimizer/m/embedding/embeddings"     F32 [n]   each optimizer slot, per weight
 *   "early_stopping/embedding/embeddings"  F32 [n]   the best epoch's weights (when kept)
 *   "sequence/order"                       I32 [n]   the sample order the shuffling left (when any)
 * </pre>
 *
 * Saving writes a temporary file and renames it over the target ({@link AtomicFile}): a crash
 * while saving leaves the previous checkpoint whole. Loading checks every size against the file
 * before it reads, copies the data once (as a model file's, {@link ModelFile#copyOfData}), then
 * checks the checksum over the copy.
 */
public final class CheckpointFile {
    private static final String FORMAT = "vector-lstm-checkpoint", VERSION = "1";

    /** A checkpoint read back: the state, and the strings the caller saved with it. */
    public record Checkpoint(TrainingState state, Map<String, String> context) {}

    private CheckpointFile() {}

    /** A checkpoint whose tensors the JVM's heap cannot hold: the file may be whole, the heap is short. */
    public static final class TooLarge extends ModelFileException {
        TooLarge(String message) { super(message); }
    }

    /** One tensor of the file: its name, and either floats or ints. */
    private record Entry(String name, float[] floats, int[] ints) {
        long bytes() { return 4L * (floats != null ? floats.length : ints.length); }

        /** The values as stored (little-endian), a megabyte at a time, each chunk then the padding's zeros. */
        void forEachChunk(ChunkSink sink) throws IOException {
            MemorySegment values = floats != null ? MemorySegment.ofArray(floats) : MemorySegment.ofArray(ints);
            byte[] chunk = new byte[1 << 20];
            MemorySegment target = MemorySegment.ofArray(chunk);
            for (long off = 0; off < bytes(); off += chunk.length) {
                int n = (int) Math.min(chunk.length, bytes() - off);
                MemorySegment.copy(values, ValueLayout.JAVA_INT, off, target, LE_INT, 0, n / 4);
                sink.accept(ByteBuffer.wrap(chunk, 0, n));
            }
            long pad = ModelFile.padding(bytes());
            if (pad > 0) sink.accept(ByteBuffer.allocate((int) pad));
        }
    }

    private interface ChunkSink {
        void accept(ByteBuffer bytes) throws IOException;
    }

    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * Writes {@code state} with {@code context} (e.g. the training's settings, which a resume
     * compares) to {@code file}, replacing it whole.
     *
     * @throws UncheckedIOException the file could not be written (the file that was there is intact)
     */
    public static void save(Path file, TrainingState state, Map<String, String> context) {
        List<Entry> entries = entries(state);
        byte[] training = Json.write(describe(state)).getBytes(StandardCharsets.UTF_8);
        byte[] contextJson = Json.write(new LinkedHashMap<>(context)).getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(training);
        crc.update(contextJson);
        try {
            for (Entry e : entries) e.forEachChunk(crc::update);
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // a checksum does not do I/O
        }
        byte[] header = header(training, contextJson, crc, entries);
        try {
            AtomicFile.write(file, ch -> {
                AtomicFile.writeFully(ch, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
                AtomicFile.writeFully(ch, ByteBuffer.wrap(header));
                for (Entry e : entries) e.forEachChunk(bytes -> AtomicFile.writeFully(ch, bytes));
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + DataException.reason(e), e);
        }
    }

    /** How every checkpoint's header begins: {@link #header} writes "__metadata__" first, its "format" first. */
    private static final byte[] HEADER_START = ("{\"__metadata__\":{\"format\":\"" + FORMAT + "\"").getBytes(StandardCharsets.UTF_8);

    /**
     * True when {@code file} is a regular file that begins as every checkpoint does (after the
     * header's 8-byte length, the header's first bytes name the format), whole or damaged
     * elsewhere: what {@code --checkpoint} may resume from or replace. A damaged one is for
     * {@link #load} to name; any other file is not a checkpoint at all.
     */
    public static boolean isCheckpoint(Path file) {
        if (!Files.isRegularFile(file)) return false;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer start = ByteBuffer.allocate(HEADER_START.length);
            while (start.hasRemaining() && ch.read(start, 8 + start.position()) > 0) { /* fill */ }
            return !start.hasRemaining() && java.util.Arrays.equals(start.array(), HEADER_START);
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads a checkpoint; anything damaged, forged or of another kind is a {@link ModelFileException} naming the file. */
    public static Checkpoint load(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return load(file, ch, ch.size());
        } catch (NoSuchFileException e) {
            throw new ModelFileException("checkpoint not found: " + file);
        } catch (IOException e) {
            throw new ModelFileException("cannot read checkpoint " + file + ": " + DataException.reason(e), e);
        }
    }

    /** {@link #load(Path)} from {@code ch}, whose file was {@code size} bytes long when it was opened (it may have changed since). */
    static Checkpoint load(Path file, FileChannel ch, long size) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Map<String, Object> header = readHeader(file, ch, size);
            Map<String, Object> meta = header.get("__metadata__") instanceof Map<?, ?> m ? LayerSpecs.map(m) : Map.of();
            if (!FORMAT.equals(meta.get("format"))) {
                throw new ModelFileException(file + " is not a vector-lstm checkpoint" + ("vector-lstm".equals(meta.get("format")) ? " (it is a model file)" : ""));
            }
            if (!VERSION.equals(meta.get("version"))) throw new ModelFileException(file + ": checkpoint version " + meta.get("version") + " is not one this build reads (" + VERSION + ")");
            if (!(meta.get("vlstm.training") instanceof String training) || !(meta.get("vlstm.context") instanceof String context)
                    || !(meta.get("vlstm.crc32c") instanceof String storedCrc)) {
                throw new ModelFileException(file + ": the checkpoint's header lacks its training state, context or checksum");
            }
            long dataStart = 8L + headerLength(ch), dataBytes = size - dataStart;
            if (dataStart % ModelFile.ALIGN != 0) throw new ModelFileException(file + ": the data does not start on a 64-byte boundary (truncated or forged header)");
            Map<String, long[]> ranges = ranges(header, dataBytes, file);
            // The tensors are read onto the heap: a file larger than the heap could hold (forged, or
            // from a machine with more memory) is refused now, not after a long read and an OutOfMemoryError.
            Runtime rt = Runtime.getRuntime();
            long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            if (dataBytes > free) {
                throw new TooLarge(file + " holds " + (dataBytes >> 20) + " MB of tensors, more than this JVM's free heap (" + (free >> 20)
                        + " MB) can read: give the JVM more (VLSTM_JAVA_OPTS=-Xmx...)");
            }
            // Read once into memory of the load's own, never through a mapping: a file cut short
            // meanwhile (another run writing it in place) faulted the mapping's reads (SIGBUS).
            MemorySegment data = ModelFile.copyOfData(ch, dataStart, dataBytes, arena, file, "weights and optimizer state");
            CRC32C crc = new CRC32C();
            crc.update(training.getBytes(StandardCharsets.UTF_8));
            crc.update(context.getBytes(StandardCharsets.UTF_8));
            ModelFile.updateCrc(crc, data, dataBytes);
            if (!storedCrc.equals(HexFormat.of().toHexDigits((int) crc.getValue()))) {
                throw new ModelFileException(file + " is corrupt (checksum mismatch): it was damaged after it was saved");
            }
            Map<String, Object> trainingJson = ModelFile.parseJson(training, file, "training state"), contextJson = ModelFile.parseJson(context, file, "context");
            try {
                TrainingState state = state(trainingJson, ranges, data, header);
                Map<String, String> contextMap = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : contextJson.entrySet()) {
                    if (!(e.getValue() instanceof String v)) throw new IllegalArgumentException("context value '" + e.getKey() + "' is not a string");
                    contextMap.put(e.getKey(), v);
                }
                if (!ranges.isEmpty()) throw new IllegalArgumentException("tensor '" + ranges.keySet().iterator().next() + "' belongs to nothing in the training state");
                return new Checkpoint(state, contextMap);
            } catch (IllegalArgumentException | ClassCastException | NullPointerException | ModelFileException e) {
                throw new ModelFileException(file + ": unreadable checkpoint (" + e.getMessage() + ")", e);
            }
        }
    }

    // ---- writing

    private static List<Entry> entries(TrainingState s) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < s.weights().size(); i++) out.add(new Entry("weights/" + s.weightNames().get(i), s.weights().get(i), null));
        s.optimizer().slots().forEach((slot, values) -> {
            for (int i = 0; i < values.size(); i++) out.add(new Entry("optimizer/" + slot + "/" + s.weightNames().get(i), values.get(i), null));
        });
        if (s.earlyStopping() != null && s.earlyStopping().bestWeights() != null) {
            for (int i = 0; i < s.weights().size(); i++) out.add(new Entry("early_stopping/" + s.weightNames().get(i), s.earlyStopping().bestWeights().get(i), null));
        }
        if (s.sequence().order() != null) out.add(new Entry("sequence/order", null, s.sequence().order()));
        return out;
    }

    private static Map<String, Object> describe(TrainingState s) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("epochs_done", s.epochsDone());
        t.put("stopped", s.stopped());
        t.put("data_fingerprint", s.dataFingerprint());
        t.put("frozen_fingerprint", s.frozenFingerprint());
        t.put("batch_size", s.batchSize());
        t.put("threads", s.threads());
        List<Object> epochs = new ArrayList<>();
        for (History.Epoch e : s.history().epochs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("loss", finiteOrNull(e.loss()));
            m.put("accuracy", finiteOrNull(e.accuracy()));
            m.put("val_loss", finiteOrNull(e.valLoss()));
            m.put("val_accuracy", finiteOrNull(e.valAccuracy()));
            m.put("seconds", finiteOrNull(e.seconds()));
            epochs.add(m);
        }
        t.put("history", epochs);
        t.put("shuffler_state", s.sequence().shufflerState());
        t.put("epochs_started", s.sequence().epochsStarted());
        t.put("optimizer", s.optimizer().name());
        t.put("iterations", s.optimizer().iterations());
        t.put("learning_rate", (double) s.optimizer().learningRate());  // exact: every float is a double
        t.put("optimizer_slots", List.copyOf(s.optimizer().slots().keySet()));
        t.put("weights", s.weightNames());
        t.put("early_stopping", watch(s.earlyStopping()));
        t.put("plateau", watch(s.plateau()));
        return t;
    }

    private static Map<String, Object> watch(TrainingState.Watch w) {
        if (w == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("best", finiteOrNull(w.best()));
        m.put("best_epoch", w.bestEpoch());
        m.put("epochs_waited", w.epochsWaited());
        m.put("cooldown_left", w.cooldownLeft());
        m.put("best_weights", w.bestWeights() != null);
        return m;
    }

    private static Double finiteOrNull(double v) { return Double.isFinite(v) ? v : null; }

    private static byte[] header(byte[] training, byte[] context, CRC32C crc, List<Entry> entries) {
        Map<String, Object> h = new LinkedHashMap<>();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.put("vlstm.training", new String(training, StandardCharsets.UTF_8));
        meta.put("vlstm.context", new String(context, StandardCharsets.UTF_8));
        meta.put("vlstm.crc32c", HexFormat.of().toHexDigits((int) crc.getValue()));
        h.put("__metadata__", meta);
        long offset = 0;
        int pads = 0;
        for (Entry e : entries) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("dtype", e.floats() != null ? "F32" : "I32");
            t.put("shape", List.of(e.bytes() / 4));
            t.put("data_offsets", List.of(offset, offset + e.bytes()));
            if (h.put(e.name(), t) != null) throw new ModelFileException("cannot save a checkpoint: two tensors are named '" + e.name() + "' (a layer name with '/' meets another layer's weight): rename a layer");
            offset += e.bytes();
            long pad = ModelFile.padding(e.bytes());
            if (pad > 0) {
                h.put("__padding_" + pads++ + "__", Map.of("dtype", "U8", "shape", List.of(pad), "data_offsets", List.of(offset, offset + pad)));
                offset += pad;
            }
        }
        byte[] json = Json.write(h).getBytes(StandardCharsets.UTF_8);
        int padded = (int) ((8 + json.length + ModelFile.ALIGN - 1) / ModelFile.ALIGN * ModelFile.ALIGN - 8);
        byte[] out = java.util.Arrays.copyOf(json, padded);
        java.util.Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    // ---- reading

    private static long headerLength(FileChannel ch) throws IOException {
        ByteBuffer first = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        while (first.hasRemaining() && ch.read(first, first.position()) > 0) { /* fill */ }
        return first.getLong(0);
    }

    private static Map<String, Object> readHeader(Path file, FileChannel ch, long size) throws IOException {
        if (size < 9) throw new ModelFileException(file + " is not a vector-lstm checkpoint (only " + size + " bytes)");
        long n = headerLength(ch);
        if (n < 2 || n > size - 8) throw new ModelFileException(file + " is not a vector-lstm checkpoint (or it is truncated)");
        if (n > ModelFile.MAX_HEADER_BYTES) throw new ModelFileException(file + ": header of " + n + " bytes is larger than any checkpoint needs");
        ByteBuffer header = ByteBuffer.allocate((int) n);
        while (header.hasRemaining() && ch.read(header, 8 + header.position()) > 0) { /* fill */ }
        return ModelFile.parseJson(ModelFile.decodeUtf8(header.flip(), file), file, "header");
    }

    /** Each tensor's [begin, end) in the data and its dtype (0 F32, 1 I32), checked: contiguous, aligned, inside the file. */
    private static Map<String, long[]> ranges(Map<String, Object> header, long dataBytes, Path file) {
        Map<String, long[]> out = new LinkedHashMap<>();
        long expected = 0;
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) continue;
            if (!(e.getValue() instanceof Map<?, ?> t) || !(t.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2
                    || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end) || begin != expected || end < begin || end > dataBytes) {
                throw new ModelFileException(file + ": tensor '" + e.getKey() + "' lies outside the file's " + dataBytes + " data bytes (truncated or forged)");
            }
            expected = end;
            if (e.getKey().startsWith("__padding_")) continue;
            long dtype = "F32".equals(t.get("dtype")) ? 0 : "I32".equals(t.get("dtype")) ? 1 : -1;
            if (dtype < 0 || begin % ModelFile.ALIGN != 0 || (end - begin) % 4 != 0 || (end - begin) / 4 > Integer.MAX_VALUE - 8
                    || !List.of((end - begin) / 4).equals(t.get("shape"))) {
                throw new ModelFileException(file + ": tensor '" + e.getKey() + "' is not an aligned F32 or I32 vector of its stated shape (forged or not written by vector-lstm)");
            }
            out.put(e.getKey(), new long[] {begin, end, dtype});
        }
        if (expected != dataBytes) throw new ModelFileException(file + " has " + (dataBytes - expected) + " bytes after its last tensor");
        return out;
    }

    private static TrainingState state(Map<String, Object> t, Map<String, long[]> ranges, MemorySegment data, Map<String, Object> header) {
        List<String> names = strings(t, "weights");
        List<float[]> weights = new ArrayList<>();
        for (String n : names) weights.add(floats(ranges, data, "weights/" + n));
        Map<String, List<float[]>> slots = new LinkedHashMap<>();
        for (String slot : strings(t, "optimizer_slots")) {
            List<float[]> values = new ArrayList<>();
            for (String n : names) values.add(floats(ranges, data, "optimizer/" + slot + "/" + n));
            slots.put(slot, values);
        }
        TrainingState.Watch stopping = watch(t.get("early_stopping"), names, ranges, data);
        int[] order = null;
        if (ranges.containsKey("sequence/order")) {
            long[] r = ranges.remove("sequence/order");
            if (r[2] != 1) throw new IllegalArgumentException("sequence/order is not I32");
            order = new int[(int) ((r[1] - r[0]) / 4)];
            MemorySegment.copy(data, LE_INT, r[0], order, 0, order.length);
        }
        List<History.Epoch> epochs = new ArrayList<>();
        for (Object o : list(t, "history")) {
            Map<String, Object> m = LayerSpecs.map(o);
            epochs.add(new History.Epoch(integer(m, "epoch"), number(m, "loss"), number(m, "accuracy"), number(m, "val_loss"), number(m, "val_accuracy"), number(m, "seconds")));
        }
        double lr = number(t, "learning_rate");
        if ((float) lr != lr) throw new IllegalArgumentException("learning_rate " + lr + " is not a float");
        return new TrainingState(integer(t, "epochs_done"), bool(t, "stopped"), along(t, "data_fingerprint"), along(t, "frozen_fingerprint"), integer(t, "batch_size"), integer(t, "threads"),
                History.of(epochs, -1), new TrainingState.Sequence(along(t, "shuffler_state"), integer(t, "epochs_started"), order),
                new TrainingState.OptimizerState(string(t, "optimizer"), along(t, "iterations"), (float) lr, slots), names, weights,
                stopping, watch(t.get("plateau"), names, null, null));
    }

    private static TrainingState.Watch watch(Object o, List<String> names, Map<String, long[]> ranges, MemorySegment data) {
        if (o == null) return null;
        Map<String, Object> m = LayerSpecs.map(o);
        List<float[]> best = null;
        if (bool(m, "best_weights")) {
            if (ranges == null) throw new IllegalArgumentException("the plateau keeps no weights");
            best = new ArrayList<>();
            for (String n : names) best.add(floats(ranges, data, "early_stopping/" + n));
        }
        return new TrainingState.Watch(number(m, "best"), integer(m, "best_epoch"), integer(m, "epochs_waited"), integer(m, "cooldown_left"), best);
    }

    /** The named F32 tensor's values, taken out of {@code ranges} (what is left at the end belongs to nothing). */
    private static float[] floats(Map<String, long[]> ranges, MemorySegment data, String name) {
        long[] r = ranges.remove(name);
        if (r == null) throw new IllegalArgumentException("tensor '" + name + "' is missing");
        if (r[2] != 0) throw new IllegalArgumentException("tensor '" + name + "' is not F32");
        float[] out = new float[(int) ((r[1] - r[0]) / 4)];
        MemorySegment.copy(data, ModelFile.LE_FLOAT, r[0], out, 0, out.length);
        return out;
    }

    private static List<Object> list(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof List<?> l)) throw new IllegalArgumentException("'" + key + "' is not a list");
        return new ArrayList<>(l);
    }

    private static List<String> strings(Map<String, Object> m, String key) {
        List<String> out = new ArrayList<>();
        for (Object o : list(m, key)) {
            if (!(o instanceof String s)) throw new IllegalArgumentException("'" + key + "' holds a non-string");
            out.add(s);
        }
        return out;
    }

    private static String string(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof String s)) throw new IllegalArgumentException("'" + key + "' is not a string");
        return s;
    }

    private static boolean bool(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Boolean b)) throw new IllegalArgumentException("'" + key + "' is not true or false");
        return b;
    }

    private static long along(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Long l)) throw new IllegalArgumentException("'" + key + "' is not a whole number");
        return l;
    }

    private static int integer(Map<String, Object> m, String key) {
        long l = along(m, key);
        if (l != (int) l) throw new IllegalArgumentException("'" + key + "' " + l + " is out of range");
        return (int) l;
    }

    /** A finite number, or NaN for null. */
    private static double number(Map<String, Object> m, String key) {
        return switch (m.get(key)) {
            case null -> Double.NaN;
            case Number n when Double.isFinite(n.doubleValue()) -> n.doubleValue();
            default -> throw new IllegalArgumentException("'" + key + "' is not a finite number");
        };
    }
}
