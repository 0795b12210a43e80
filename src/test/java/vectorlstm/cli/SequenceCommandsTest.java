package vectorlstm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.TestEnvironment;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;

/**
 * {@code ./lstm demo vowels} and {@code ./lstm train --format japanese-vowels} on the real UCI
 * data (found like the demo finds it: ../shared/data, the cache, or a download), and their errors.
 */
class SequenceCommandsTest {
    @TempDir Path dir;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The must-show of the breadth issue, on the default seed: MATLAB's example reports about 0.95. */
    @Test
    void vowelsDemoReachesMatlabsAccuracy() {
        findData();  // the demo's own lookup then finds the same copy
        Result r = run("demo", "vowels");
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("test accuracy: (0\\.\\d{4})").matcher(r.out());
        assertTrue(m.find(), r.out());
        double accuracy = Double.parseDouble(m.group(1));
        assertTrue(accuracy >= 0.96, "Japanese Vowels test accuracy " + accuracy);
        assertTrue(r.out().contains("270 train, 370 test sequences"), r.out());
    }

    @Test
    void aVowelsDemoWhoseOutputIsClosedStopsInsteadOfTrainingOn() {
        // Its log went to a PrintStream that hid the closed pipe: every epoch and the evaluation ran on unread.
        findData();
        PipeClosedAfter head = new PipeClosedAfter("Japanese Vowels from");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),  // 100,000 epochs take days
                () -> Main.run(new String[] {"demo", "vowels", "--epochs", "100000"}, new java.io.ByteArrayInputStream(new byte[0]), head,
                        new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals(Main.OUTPUT_CLOSED, code, err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8), "quiet, as a shell pipeline expects");
        assertEquals(1, head.read().lines().count(), head.read());
    }

    /** --checkpoint on numeric sequences: written after each epoch, removed at the end, the same model as without it. */
    @Test
    void vowelsTrainingWithACheckpointSavesTheSameModel() throws java.io.IOException {
        Path with = dir.resolve("with.vlstm"), without = dir.resolve("without.vlstm"), checkpoint = dir.resolve("vowels.ckpt");
        List<String> common = List.of("train", "--format", "japanese-vowels", "--data", findData().toString(), "--layers", "lstm:8", "--epochs", "2");
        List<String> a = new ArrayList<>(common);
        a.addAll(List.of("--save", with.toString(), "--checkpoint", checkpoint.toString()));
        Result r = run(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("removed checkpoint " + checkpoint), r.out());
        List<String> b = new ArrayList<>(common);
        b.addAll(List.of("--save", without.toString()));
        assertEquals(0, run(b.toArray(String[]::new)).code());
        assertArrayEquals(Files.readAllBytes(without), Files.readAllBytes(with));
        assertFalse(Files.exists(checkpoint));
    }

    @Test
    void trainReadsJapaneseVowelsAndSavesAModel() {
        Path model = dir.resolve("vowels.vlstm");
        Result r = run("train", "--format", "japanese-vowels", "--data", findData().toString(), "--layers", "lstm:16", "--epochs", "3",
                "--learning-rate", "0.002", "--clipnorm", "2", "--save", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("test accuracy"), r.out());
        assertTrue(r.out().contains("Adam, learning rate 0.002, clipnorm 2.0"), "the flags replace MATLAB's values: " + r.out());
        try (SavedModel saved = ModelFile.load(model)) {
            assertEquals(9, saved.labels().size());
            assertEquals("speaker 1", saved.labels().get(0));
            assertEquals(0, saved.maxlen(), "any length");
            assertEquals(3, saved.history().epochs().size(), "saved with its history (it had none)");
        }
        // plot read it as a text classifier and refused it ("reads numeric sequences, not texts").
        Result curves = run("plot", "--model", model.toString(), "--out", dir.resolve("vowels.svg").toString());
        assertEquals(0, curves.code(), curves.err());
        assertTrue(curves.out().contains("(3 epochs)"), curves.out());
        Result text = run("predict", "--model", model.toString(), "--text", "hello");
        assertEquals(2, text.code(), text.out());
        assertTrue(text.err().contains("reads numeric sequences, not texts"), text.err());
        // The vowels folder without --format was read as class folders: "holds 0 class folder(s)".
        Result noFormat = run("train", "--data", findData().toString(), "--save", dir.resolve("y.vlstm").toString());
        assertEquals(2, noFormat.code(), noFormat.out());
        assertTrue(noFormat.err().contains("holds ae.train and ae.test, the Japanese Vowels data: ./lstm train reads it with --format japanese-vowels"), noFormat.err());
    }

    @Test
    void textOnlyFlagsAndBadSpecsAreRefusedBeforeTraining() {
        Path model = dir.resolve("x.vlstm");
        Result r = run("train", "--format", "japanese-vowels", "--data", "whatever", "--maxlen", "9", "--save", model.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--maxlen does not apply to --format japanese-vowels"), r.err());
        // Flags of the text recipe's optimizer, schedule and stopping: refused, never silently ignored.
        for (String[] flag : new String[][] {{"--optimizer", "sgd"}, {"--nesterov"}, {"--lr-schedule", "constant"}, {"--clipvalue", "5"},
                {"--early-stopping", "true"}, {"--embedding-dim", "7"}, {"--monitor", "val_loss"}}) {
            List<String> args = new ArrayList<>(List.of("train", "--format", "japanese-vowels", "--data", "whatever", "--save", model.toString()));
            args.addAll(List.of(flag));
            r = run(args.toArray(String[]::new));
            assertEquals(2, r.code(), String.join(" ", flag) + ": " + r.out());
            assertTrue(r.err().contains(flag[0] + " does not apply to --format japanese-vowels"), r.err());
        }
        r = run("train", "--format", "japanese-vowels", "--data", "whatever", "--learning-rate", "-1.5", "--save", model.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--learning-rate must be above 0"), r.err());
        r = run("train", "--format", "japanese-vowels", "--data", "whatever", "--layers", "lstm:8:seq", "--save", model.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("ends with a sequence"), r.err());
        r = run("train", "--data", "whatever.csv", "--layers", "lstm:8", "--units", "9", "--save", model.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--units and --layers"), r.err());
        r = run("eval", "--format", "japanese-vowels", "--data", "whatever", "--model", model.toString());
        assertTrue(r.code() != 0, r.out());
        assertTrue(Files.notExists(model));
    }

    /** The data as the demo finds it; skipped off CI only when no copy is anywhere and the download fails (offline). */
    private static Path findData() {
        try {
            return vectorlstm.data.vowels.VowelsLocator.locate(null, System.getenv(), Path.of(""), vectorlstm.data.imdb.ImdbLocator.defaultCacheDir(),
                    new vectorlstm.data.imdb.HttpDownloader(), null);
        } catch (vectorlstm.data.DataException e) {
            TestEnvironment.require(false, "the Japanese Vowels data (no copy found, and the download failed: " + e.getMessage() + ")");
            throw new AssertionError("unreachable");
        }
    }
}
