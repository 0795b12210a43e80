package vectorlstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Dropout;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.EarlyStopping;
import vectorlstm.model.FitOptions;
import vectorlstm.model.History;
import vectorlstm.model.ReduceLrOnPlateau;
import vectorlstm.model.Sequential;
import vectorlstm.model.TrainingState;

/** A training state written and read back resumes the fit exactly; a damaged or foreign file is refused with its name. */
class CheckpointFileTest {
    @TempDir Path dir;

    private static final int[][] X = randomIds(80, 8, 15, 2);
    private static final float[] Y = new float[80];
    static {
        for (int n = 0; n < X.length; n++) for (int id : X[n]) if (id == 1) Y[n] = 1;
    }

    private static Sequential model() {
        Sequential m = new Sequential(new Embedding(15, 4, 8), new Lstm(6), new Dropout(0.3f), new Dense(1, "sigmoid")).seed(5).threads(2);
        m.compile("binary_crossentropy", new Adam(0.02f), "accuracy");
        return m;
    }

    private static FitOptions options() {
        return new FitOptions().epochs(3).batchSize(16).validationSplit(0.25).verbose(false)
                .earlyStopping(new EarlyStopping("val_accuracy", 5, 0, true))
                .reduceLrOnPlateau(new ReduceLrOnPlateau("loss", 0.5, 0, 10, 0, 1));
    }

    @Test
    void aSavedStateResumesTheFitExactly() {
        Path file = dir.resolve("run.ckpt");
        List<TrainingState> states = new ArrayList<>();
        List<float[]> whole;
        History wholeHistory;
        try (Sequential m = model()) {
            wholeHistory = m.fit(X, Y, options().checkpoint(s -> {
                states.add(s);
                if (s.epochsDone() == 1) CheckpointFile.save(file, s, Map.of("recipe", "lstm:6"));
            }));
            whole = m.getWeights();
        }
        assertTrue(CheckpointFile.isCheckpoint(file));
        CheckpointFile.Checkpoint read = CheckpointFile.load(file);
        assertEquals(Map.of("recipe", "lstm:6"), read.context());
        TrainingState s = read.state(), original = states.get(0);
        assertEquals(original.epochsDone(), s.epochsDone());
        assertEquals(original.dataFingerprint(), s.dataFingerprint());
        assertEquals(original.sequence().shufflerState(), s.sequence().shufflerState());
        assertArrayEquals(original.sequence().order(), s.sequence().order());
        assertEquals(original.optimizer().slots().keySet(), s.optimizer().slots().keySet());
        assertEquals(original.history().epochs(), s.history().epochs(), "the history, wall time included");
        try (Sequential m = model()) {
            History h = m.fit(X, Y, options().resume(s));
            assertEquals(wholeHistory.epochs().stream().map(e -> e.loss() + " " + e.valAccuracy()).toList(),
                    h.epochs().stream().map(e -> e.loss() + " " + e.valAccuracy()).toList());
            assertEquals(wholeHistory.restoredEpoch(), h.restoredEpoch());
            List<float[]> resumed = m.getWeights();
            for (int i = 0; i < whole.size(); i++) assertArrayEquals(whole.get(i), resumed.get(i), "weight " + i);
        }
    }

    private Path saved() {
        Path file = dir.resolve("a.ckpt");
        try (Sequential m = model()) {
            m.fit(X, Y, options().epochs(1).checkpoint(s -> CheckpointFile.save(file, s, Map.of())));
        }
        return file;
    }

    @Test
    void damagedForeignAndMissingFilesAreRefusedWithTheirName() throws IOException {
        Path good = saved();
        byte[] bytes = Files.readAllBytes(good);

        Path flipped = dir.resolve("flipped.ckpt");
        byte[] f = bytes.clone();
        f[f.length - 3] ^= 0x40;
        Files.write(flipped, f);
        assertRefused(flipped, "corrupt (checksum mismatch)");

        Path truncated = dir.resolve("truncated.ckpt");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));
        assertRefused(truncated, "truncated or forged");

        Path headerOnly = dir.resolve("cut.ckpt");
        Files.write(headerOnly, Arrays.copyOf(bytes, 200));
        assertRefused(headerOnly, "truncated");

        Path empty = dir.resolve("empty.ckpt");
        Files.write(empty, new byte[0]);
        assertRefused(empty, "only 0 bytes");

        Path text = dir.resolve("notes.ckpt");
        Files.writeString(text, "epoch 3 was the best one, keep it\n");
        assertRefused(text, "not a vector-lstm checkpoint");

        Path huge = dir.resolve("huge.ckpt");
        byte[] h = bytes.clone();
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
        Files.write(huge, h);
        assertRefused(huge, "not a vector-lstm checkpoint");

        Path model = dir.resolve("model.vlstm");
        try (Sequential m = model()) {
            ModelFile.save(model, new SavedModel(m, null, vectorlstm.text.TextPreprocessing.NONE, List.of(), 8));
        }
        assertRefused(model, "(it is a model file)");
        assertFalse(CheckpointFile.isCheckpoint(model));

        assertRefused(dir.resolve("nowhere.ckpt"), "checkpoint not found");
        assertRefused(dir, "cannot read checkpoint");
        assertFalse(CheckpointFile.isCheckpoint(dir));
    }

    @Test
    void aForgedHeaderIsRefusedNotBelieved() throws IOException {
        Path good = saved();
        byte[] bytes = Files.readAllBytes(good);
        int n = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(bytes, 8, n, StandardCharsets.UTF_8);
        // Renaming a tensor keeps every offset and the checksum (which covers the data, not the tensor table).
        assertRefused(forged(bytes, n, header.replace("\"optimizer/m/lstm/kernel\"", "\"optimizer/q/lstm/kernel\"")), "tensor 'optimizer/m/lstm/kernel' is missing");
        assertRefused(forged(bytes, n, header.replace("\"dtype\":\"I32\"", "\"dtype\":\"F64\"")), "is not an aligned F32 or I32 vector");
        assertRefused(forged(bytes, n, header.replace("\"format\":\"vector-lstm-checkpoint\"", "\"format\":\"vector-lstm-checkpoinX\"")), "not a vector-lstm checkpoint");
    }

    /** A (sparse) file whose one tensor is larger than the heap is refused before it is read, not after a long read and an OutOfMemoryError. */
    @Test
    void aTensorLargerThanTheHeapIsRefusedUpFront() throws IOException {
        Path file = OversizedCheckpoint.write(dir.resolve("huge.ckpt"));
        assertRefused(file, "MB of tensors, more than this JVM's free heap");  // checked before the checksum, which would read it all
    }

    /**
     * A forged file (sparse: no disk taken) declaring 768 MB of tensors under a wrong checksum is
     * refused before memory for its data is taken: the data was copied first and checked after,
     * 4.2 GB of peak memory for a 2 GB claim. Measured in a JVM of its own, whose peak memory is
     * this load's alone.
     */
    @Test
    void aForgedFileIsRefusedByItsChecksumBeforeItsDataIsCopied() throws Exception {
        Path file = OversizedCheckpoint.write(dir.resolve("forged.ckpt"), 768L << 20);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx1g", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ForgedCheckpointLoad.class.getName(), file.toString()).redirectErrorStream(true).start();
        List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("WARNING")).toList();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(2, out.size(), out.toString());
        assertEquals(file + " is corrupt (checksum mismatch): it was damaged after it was saved", out.get(0));
        long peakKb = Long.parseLong(out.get(1));
        assertTrue(peakKb < 400_000, "peak memory " + (peakKb >> 10) + " MB for a refused 768 MB claim");
    }

    /** Padding entries are written with their keys in one order: Map.of's changed from one JVM to the next, and with it the file's bytes. */
    @Test
    void paddingEntriesAreWrittenInOneOrder() throws IOException {
        byte[] bytes = Files.readAllBytes(saved());
        int n = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(bytes, 8, n, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"__padding_0__\":{\"dtype\":\"U8\",\"shape\":["), header);
    }

    /** Padding that claims more than alignment needs is refused before the data is read, as in model files (a sparse file could claim gigabytes). */
    @Test
    void paddingLargerThanAlignmentNeedsIsRefusedUpFront() throws IOException {
        assertRefused(OversizedCheckpoint.writeWithPadding(dir.resolve("padded.ckpt"), 16L << 20), "'__padding_0' is not the U8 [16777216] filler the writer puts there (16777216 bytes, more than alignment needs)");
    }

    /**
     * A checkpoint cut short while it is read (another run rewriting it in place): its data was
     * read through a mapping of the file, whose fault past the new end ended the JVM (SIGBUS) or
     * was an "internal error (java.lang.InternalError ...)".
     */
    @Test
    void aCheckpointThatShrankWhileItWasReadIsRefusedAsSuch() throws IOException {
        Path file = saved();
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file)) {
            try (FileChannel writer = FileChannel.open(file, StandardOpenOption.WRITE)) {
                writer.truncate(size - 64);  // after the size was read, before the data is
            }
            ModelFileException e = assertThrows(ModelFileException.class, () -> CheckpointReader.load(file, ch, size));
            assertTrue(e.getMessage().startsWith(file + " shrank while it was being loaded"), e.getMessage());
        }
    }

    /** The file with its header replaced by one of the same length (so the data stays where it was). */
    private Path forged(byte[] bytes, int n, String header) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        assertEquals(n, h.length, "a same-length forgery");
        byte[] out = bytes.clone();
        System.arraycopy(h, 0, out, 8, n);
        Path file = Files.createTempFile(dir, "forged", ".ckpt");
        Files.write(file, out);
        return file;
    }

    @Test
    void aFailedSaveLeavesThePreviousCheckpointWhole() throws IOException {
        Path good = saved();
        byte[] before = Files.readAllBytes(good);
        Path blocked = dir.resolve("not-a-folder");
        Files.writeString(blocked, "x");
        try (Sequential m = model()) {
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> m.fit(X, Y, options().epochs(1).checkpoint(s -> CheckpointFile.save(blocked.resolve("run.ckpt"), s, Map.of()))));
            assertTrue(e.getMessage().contains("cannot write checkpoint"), e.getMessage());
            m.fit(X, Y, options().epochs(1).checkpoint(s -> CheckpointFile.save(good, s, Map.of())));
        }
        assertTrue(CheckpointFile.isCheckpoint(good), "replaced by a whole new checkpoint");
        assertFalse(Arrays.equals(before, Files.readAllBytes(good)));
    }

    private static void assertRefused(Path file, String expected) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> CheckpointFile.load(file));
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
    }

    private static int[][] randomIds(int n, int steps, int vocab, long seed) {
        Random r = new Random(seed);
        int[][] x = new int[n][steps];
        for (int[] row : x) for (int t = 0; t < steps; t++) row[t] = r.nextInt(vocab);
        return x;
    }
}
