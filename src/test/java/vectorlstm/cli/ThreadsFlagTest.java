package vectorlstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --threads of train, demo and bench: all cores by default, more than the cores runs but says it gains nothing. */
class ThreadsFlagTest {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static String errOf(Integer given, int[] threads) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        threads[0] = Checks.threads(given, new PrintStream(err, true, StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void allCoresByDefaultAndNoNoteUpToThem() {
        int[] threads = new int[1];
        assertEquals("", errOf(null, threads));
        assertEquals(CORES, threads[0]);
        assertEquals("", errOf(CORES, threads));
        assertEquals(CORES, threads[0]);
        assertEquals("", errOf(1, threads));
        assertEquals(1, threads[0]);
    }

    @Test
    void moreThreadsThanCoresRunWithANote() {
        int[] threads = new int[1];
        String err = errOf(CORES + 3, threads);
        assertEquals(CORES + 3, threads[0], "what was asked for");
        assertTrue(err.startsWith("lstm: note: --threads " + (CORES + 3) + " on " + CORES + " core"), err);
        assertTrue(err.contains("gains nothing"), err);
    }

    @Test
    void outOfRangeIsRefusedByName() {
        int[] threads = new int[1];
        assertTrue(assertThrows(IllegalArgumentException.class, () -> errOf(0, threads)).getMessage().contains("--threads must be a positive integer"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> errOf(1025, threads)).getMessage().contains("at most 1024, got 1025"));
    }

    @Test
    void trainWithMoreThreadsThanCoresSavesItsModelAndSaysSo(@TempDir Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("review,sentiment\n");
        for (int i = 0; i < 40; i++) csv.append(i % 2 == 0 ? "great film loved it" : "dull film hated it").append(',').append(i % 2 == 0 ? "pos" : "neg").append('\n');
        Path data = Files.writeString(dir.resolve("r.csv"), csv);
        Path model = dir.resolve("m.vlstm");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"train", "--data", data.toString(), "--text-column", "review", "--label-column", "sentiment",
                "--epochs", "1", "--batch", "8", "--units", "4", "--embedding-dim", "4", "--maxlen", "5", "--threads", String.valueOf(CORES + 1),
                "--save", model.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String messages = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, messages);
        assertTrue(Files.size(model) > 0);
        assertTrue(messages.contains("lstm: note: --threads " + (CORES + 1) + " on " + CORES), messages);
        assertFalse(messages.contains("Exception"), messages);
    }
}
