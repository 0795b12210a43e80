package vectorlstm.io;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * while saving leaves the previous checkpoint whole. Loading ({@link CheckpointReader}) checks
 * every size against the file before it reads, copies the data once (as a model file's,
 * {@link TensorData#copyOfData}), then checks the checksum over the copy.
 */
public final class CheckpointFile {
    static final String FORMAT = "vector-lstm-checkpoint", VERSION = "1";

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
            long pad = TensorData.padding(bytes());
            if (pad > 0) sink.accept(ByteBuffer.allocate((int) pad));
        }
    }

    private interface ChunkSink {
        void accept(ByteBuffer bytes) throws IOException;
    }

    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * Writes {@code state} with {@code context} (e.g. the training's settings, which a resume
     * compares) to {@code file}, replacing it whole.
     *
     * @throws UncheckedIOException the file could not be written (the file that was there is intact)
     */
    public static void save(Path file, TrainingState state, Map<String, String> context) {
        if (file == null) throw new IllegalArgumentException("no checkpoint file given (null)");
        if (state == null) throw new IllegalArgumentException("no training state given (null)");
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
        if (file == null) throw new IllegalArgumentException("no checkpoint file given (null)");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return CheckpointReader.load(file, ch, ch.size());
        } catch (NoSuchFileException e) {
            throw new ModelFileException("checkpoint not found: " + file);
        } catch (IOException e) {
            throw new ModelFileException("cannot read checkpoint " + file + ": " + DataException.reason(e), e);
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
        HeaderJson.TensorTable tensors = new HeaderJson.TensorTable(h);
        for (Entry e : entries) {
            if (!tensors.add(e.name(), e.floats() != null ? "F32" : "I32", List.of(e.bytes() / 4), e.bytes())) {
                throw new ModelFileException("cannot save a checkpoint: two tensors are named '" + e.name() + "' (a layer name with '/' meets another layer's weight): rename a layer");
            }
        }
        return HeaderJson.padded(h);
    }
}
