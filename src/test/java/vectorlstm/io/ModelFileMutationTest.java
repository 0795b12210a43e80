package vectorlstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.Sequential;
import vectorlstm.text.TextPreprocessing;

/**
 * Damaged model files, 300 fixed-seed mutations of each version: every one is refused with a
 * {@link ModelFileException} that names the file, or loads a model that scores exactly as the
 * undamaged one. Version 2's CRC-32C covers the model description and every data byte; the rest of
 * the safetensors header (the length, format and version, the tensor entries, padding) is checked
 * against the description, so damage there is refused or changes nothing (spaces, a padding
 * entry's dtype). Version 1's CRC-32 covers the whole file before it.
 */
class ModelFileMutationTest {
    private static final int CASES = 300;
    private static final int[][] INPUTS = {{0, 0, 1, 2, 3, 4, 5}, {6, 5, 4, 3, 2, 1, 1}, {0, 0, 0, 0, 0, 0, 0}};

    @TempDir Path dir;

    @Test
    void damagedVersionTwoFilesAreRefusedByNameOrScoreAsBefore() throws IOException {
        Path good = dir.resolve("good.vlstm");
        try (Sequential m = new Sequential(new Embedding(12, 5, 7), new Lstm(6), new Dense(3, "softmax")).seed(3)) {
            m.compile("sparse_categorical_crossentropy", new Adam(0.01f), "accuracy");
            ModelFile.save(good, new SavedModel(m, null, TextPreprocessing.HTML_LINE_BREAKS, List.of("a", "b", "c"), 7));
        }
        assertDamageIsRefusedOrHarmless(good, 1);
    }

    @Test
    void damagedVersionOneFilesAreRefusedByNameOrScoreAsBefore() throws Exception {
        Path v1 = dir.resolve("v1.vlstm");
        Files.copy(Path.of(getClass().getResource("/models/v1-small.vlstm").toURI()), v1);
        assertDamageIsRefusedOrHarmless(v1, 2);
    }

    private void assertDamageIsRefusedOrHarmless(Path good, long seed) throws IOException {
        byte[] bytes = Files.readAllBytes(good);
        float[] expected;
        try (SavedModel loaded = ModelFile.load(good)) {
            expected = loaded.model().predict(INPUTS, INPUTS.length);
        }
        Random random = new Random(seed);
        Path damaged = dir.resolve("damaged.vlstm");
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            String what = mutate(bytes, random, i, damaged);
            float[] scores;
            try (SavedModel loaded = ModelFile.load(damaged)) {
                scores = loaded.model().predict(INPUTS, INPUTS.length);
            } catch (ModelFileException e) {
                assertTrue(e.getMessage().contains(damaged.toString()), () -> what + ": the message does not name the file: " + e.getMessage());
                refused++;
                continue;
            } catch (RuntimeException | Error e) {
                throw new AssertionError(what + ": " + e, e);
            }
            assertArrayEquals(expected, scores, 0f, () -> what + ": loaded, but scores differently");
        }
        assertTrue(refused > CASES * 9 / 10, "most damage is refused, " + refused + " of " + CASES);
    }

    /** Writes the i-th damaged copy of {@code bytes} to {@code to}; returns what was done, for messages. */
    private static String mutate(byte[] bytes, Random random, int i, Path to) throws IOException {
        byte[] out = bytes.clone();
        String what;
        int at = random.nextInt(bytes.length);
        switch (i < 60 ? -1 : random.nextInt(5)) {
            case -1 -> {  // cut at 60 offsets spread over the file
                out = Arrays.copyOf(bytes, (int) ((long) bytes.length * i / 60));
                what = "truncated to " + out.length + " bytes";
            }
            case 0 -> {
                int bit = random.nextInt(8);
                out[at] ^= (byte) (1 << bit);
                what = "bit " + bit + " of byte " + at + " flipped";
            }
            case 1 -> {
                int length = Math.min(1 + random.nextInt(32), out.length - at);
                for (int k = 0; k < length; k++) out[at + k] = (byte) random.nextInt(256);
                what = length + " random bytes at " + at;
            }
            case 2 -> {  // a huge or negative number where a length or a count may sit
                long value = new long[] {Integer.MAX_VALUE, 1L << 31, -1L, 1L << 40, Long.MAX_VALUE}[random.nextInt(5)];
                byte[] le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
                int length = random.nextBoolean() ? 4 : 8;
                for (int k = 0; k < length && at + k < out.length; k++) out[at + k] = le[k];
                what = length + "-byte " + value + " at " + at;
            }
            case 3 -> {
                int length = Math.min(1 + random.nextInt(64), bytes.length - at);
                out = new byte[bytes.length - length];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(bytes, at + length, out, at, bytes.length - at - length);
                what = length + " bytes cut out at " + at;
            }
            default -> {
                out = new byte[bytes.length + 3];
                System.arraycopy(bytes, 0, out, 0, at);
                out[at] = 0;
                out[at + 1] = (byte) 0xFF;
                out[at + 2] = '"';
                System.arraycopy(bytes, at, out, at + 3, bytes.length - at);
                what = "NUL, 0xFF and a quote inserted at " + at;
            }
        }
        Files.write(to, out);
        return "case " + i + ", " + what;
    }
}
