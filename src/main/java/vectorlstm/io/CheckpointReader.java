package vectorlstm.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import vectorlstm.model.History;
import vectorlstm.model.TrainingState;

/**
 * Reads a {@link CheckpointFile} back from an open channel: the header and every tensor's range
 * checked against the file's size, the checksum over the data as it streams past (a forged file is
 * refused before memory for its data is taken), the data copied once ({@link TensorData#copyOfData})
 * and the checksum again over the copy (the file may have changed in between), and only then the
 * training state and context built from their JSON, every tensor taken by exactly one part of the
 * state.
 */
final class CheckpointReader {
    private CheckpointReader() {}

    /** {@link CheckpointFile#load(Path)} from {@code ch}, whose file was {@code size} bytes long when it was opened (it may have changed since). */
    static CheckpointFile.Checkpoint load(Path file, FileChannel ch, long size) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            long headerBytes = headerLength(ch);  // read once: the file may change while it is loaded
            Map<String, Object> header = readHeader(file, ch, size, headerBytes);
            Map<String, Object> meta = header.get("__metadata__") instanceof Map<?, ?> m ? LayerSpecs.map(m) : Map.of();
            if (!CheckpointFile.FORMAT.equals(meta.get("format"))) {
                throw new ModelFileException(file + " is not a vector-lstm checkpoint" + ("vector-lstm".equals(meta.get("format")) ? " (it is a model file)" : ""));
            }
            if (!CheckpointFile.VERSION.equals(meta.get("version"))) throw new ModelFileException(file + ": checkpoint version " + meta.get("version") + " is not one this build reads (" + CheckpointFile.VERSION + ")");
            if (!(meta.get("vlstm.training") instanceof String training) || !(meta.get("vlstm.context") instanceof String context)
                    || !(meta.get("vlstm.crc32c") instanceof String storedCrc)) {
                throw new ModelFileException(file + ": the checkpoint's header lacks its training state, context or checksum");
            }
            long dataStart = 8L + headerBytes, dataBytes = size - dataStart;
            if (dataStart % ModelFile.ALIGN != 0) throw new ModelFileException(file + ": the data does not start on a 64-byte boundary (truncated or forged header)");
            Map<String, long[]> ranges = ranges(header, dataBytes, file);
            // The tensors are read onto the heap: a file larger than the heap could hold (forged, or
            // from a machine with more memory) is refused now, not after a long read and an OutOfMemoryError.
            Runtime rt = Runtime.getRuntime();
            long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            if (dataBytes > free) {
                throw new CheckpointFile.TooLarge(file + " holds " + (dataBytes >> 20) + " MB of tensors, more than this JVM's free heap (" + (free >> 20)
                        + " MB) can read: give the JVM more (VLSTM_JAVA_OPTS=-Xmx...)");
            }
            // The checksum first, streamed through a small buffer: a forged file (a sparse one
            // declaring gigabytes of tensors) is refused before memory for its data is taken.
            checkCrc(file, storedCrc, crcOfHeaderTexts(training, context), crc -> streamCrc(crc, ch, dataStart, dataBytes, file));
            // Then read once into memory of the load's own, never through a mapping: a file cut
            // short meanwhile (another run writing it in place) faulted the mapping's reads
            // (SIGBUS). The copy's checksum is taken again: the file may have changed in between.
            MemorySegment data = TensorData.copyOfData(ch, dataStart, dataBytes, arena, file, "weights and optimizer state");
            checkCrc(file, storedCrc, crcOfHeaderTexts(training, context), crc -> TensorData.updateCrc(crc, data, dataBytes));
            Map<String, Object> trainingJson = HeaderJson.parseJson(training, file, "training state"), contextJson = HeaderJson.parseJson(context, file, "context");
            try {
                TrainingState state = state(trainingJson, ranges, data, header);
                Map<String, String> contextMap = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : contextJson.entrySet()) {
                    if (!(e.getValue() instanceof String v)) throw new IllegalArgumentException("context value '" + e.getKey() + "' is not a string");
                    contextMap.put(e.getKey(), v);
                }
                if (!ranges.isEmpty()) throw new IllegalArgumentException("tensor '" + ranges.keySet().iterator().next() + "' belongs to nothing in the training state");
                return new CheckpointFile.Checkpoint(state, contextMap);
            } catch (IllegalArgumentException | ClassCastException | NullPointerException | ModelFileException e) {
                throw new ModelFileException(file + ": unreadable checkpoint (" + e.getMessage() + ")", e);
            }
        }
    }

    /** A CRC-32C of the two JSON texts the checksum covers before the data. */
    private static CRC32C crcOfHeaderTexts(String training, String context) {
        CRC32C crc = new CRC32C();
        crc.update(training.getBytes(StandardCharsets.UTF_8));
        crc.update(context.getBytes(StandardCharsets.UTF_8));
        return crc;
    }

    private interface DataCrc {
        void update(CRC32C crc) throws IOException;
    }

    /** {@code crc}, brought over the data by {@code data}, against the stored checksum. */
    private static void checkCrc(Path file, String storedCrc, CRC32C crc, DataCrc data) throws IOException {
        data.update(crc);
        if (!storedCrc.equals(HexFormat.of().toHexDigits((int) crc.getValue()))) {
            throw new ModelFileException(file + " is corrupt (checksum mismatch): it was damaged after it was saved");
        }
    }

    /** The data's bytes as stored, read through a 1 MiB buffer; a file that ends before them shrank while it was loaded. */
    private static void streamCrc(CRC32C crc, FileChannel ch, long start, long bytes, Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        for (long at = start, end = start + bytes; at < end; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
            int n = ch.read(buffer, at);
            if (n < 0) throw new ModelFile.Shrank(file, null);
            at += n;
            crc.update(buffer.flip());
        }
    }

    private static long headerLength(FileChannel ch) throws IOException {
        ByteBuffer first = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        while (first.hasRemaining() && ch.read(first, first.position()) > 0) { /* fill */ }
        return first.getLong(0);
    }

    /** The header of {@code n} bytes (as the file's first 8 bytes said), checked against the file's {@code size}. */
    private static Map<String, Object> readHeader(Path file, FileChannel ch, long size, long n) throws IOException {
        if (size < 9) throw new ModelFileException(file + " is not a vector-lstm checkpoint (only " + size + " bytes)");
        if (n < 2 || n > size - 8) throw new ModelFileException(file + " is not a vector-lstm checkpoint (or it is truncated)");
        if (n > ModelFile.MAX_HEADER_BYTES) throw new ModelFileException(file + ": header of " + n + " bytes is larger than any checkpoint needs");
        ByteBuffer header = ByteBuffer.allocate((int) n);
        while (header.hasRemaining() && ch.read(header, 8 + header.position()) > 0) { /* fill */ }
        return HeaderJson.parseJson(HeaderJson.decodeUtf8(header.flip(), file), file, "header");
    }

    /** Each tensor's [begin, end) in the data and its dtype (0 F32, 1 I32), checked: contiguous, aligned, inside the file. */
    private static Map<String, long[]> ranges(Map<String, Object> header, long dataBytes, Path file) {
        Map<String, long[]> out = new LinkedHashMap<>();
        long expected = 0;
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) continue;
            long[] at = HeaderJson.offsets(file, e.getKey(), e.getValue(), expected, dataBytes);
            long begin = at[0], end = at[1];
            Map<?, ?> t = (Map<?, ?>) e.getValue();
            expected = end;
            if (HeaderJson.isPadding(file, e.getKey(), t, begin, end)) continue;
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
            MemorySegment.copy(data, CheckpointFile.LE_INT, r[0], order, 0, order.length);
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
