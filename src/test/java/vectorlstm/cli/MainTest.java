package vectorlstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.data.imdb.RealImdb;

/** The command line: exit codes and messages for good and bad input. */
class MainTest {

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertUsageError(String fragment, String... args) {
        Result r = run(args);
        assertEquals(2, r.code(), "exit code for " + String.join(" ", args));
        assertTrue(r.err().contains(fragment), "stderr should mention '" + fragment + "': " + r.err());
    }

    @Test
    void summaryPrintsTheKerasTable() {
        Result r = run("summary");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("embedding (Embedding)"), r.out());
        assertTrue(r.out().contains("Total params: 213,301"), r.out());
        Result small = run("summary", "--num-words", "100", "--maxlen=20");
        assertTrue(small.out().contains("(None, 20, 32)"), small.out());
        assertTrue(small.out().matches("(?s).*embedding \\(Embedding\\)\\s+\\(None, 20, 32\\)\\s+3200\\s.*"), small.out());
    }

    @Test
    void badCommandLinesExitWithTwo() {
        assertEquals(2, run().code());
        assertUsageError("Unmatched argument at index 0: 'train-everything'", "train-everything");
        assertUsageError("Unknown options: '--bogus', '1'", "demo", "--bogus", "1");
        assertUsageError("Invalid value for option '--epochs': 'abc' is not an int", "demo", "--epochs", "abc");
        assertUsageError("--epochs must be a positive integer", "demo", "--epochs", "0");
        assertUsageError("Missing required parameter for option '--batch'", "demo", "--batch");
        assertUsageError("Invalid value for option '--seed'", "demo", "--seed", "x7");
        // Random keeps 48 bits: 7 + 2^48 and a negative seed trained byte for byte what a small seed trains.
        for (String[] command : new String[][] {{"demo"}, {"demo", "vowels"}, {"train", "--data", "x.csv", "--save", "m.vlstm"}}) {
            for (String seed : new String[] {"281474976710663", "-1"}) {
                String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command), java.util.stream.Stream.of("--seed", seed)).toArray(String[]::new);
                assertUsageError("--seed must be from 0 to 281474976710655", args);
            }
        }
        assertUsageError("should be specified only once", "demo", "--epochs", "1", "--epochs", "2");
        assertUsageError("Unmatched argument", "summary", "extra");
        assertUsageError("--data needs a non-empty value", "demo", "--data=");
        assertUsageError("--maxlen must be a positive integer and at most 100000", "demo", "--maxlen", "99999999");
        assertUsageError("--limit must be at least 2, got 1", "demo", "--limit", "1");
        Result r = run("demo", "--epochs", "abc");
        assertEquals(2, r.err().strip().lines().count(), "one line and a hint, no usage dump: " + r.err());
        assertTrue(r.err().contains("hint: ./lstm demo --help"), r.err());
    }

    @Test
    void anErrorQuotingAFileStaysOnePrintableLine() {
        // A layer name from a forged model file: a newline that forges a second "lstm:" line and a
        // terminal escape that sets the window title.
        String forged = "model config, layer LSTM 'x\nlstm: saved out.vlstm\u001b]0;owned\u0007': not supported";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(2, Main.report(new IllegalArgumentException(forged), new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        String line = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains("'x\\u000alstm: saved out.vlstm\\u001b]0;owned\\u0007'") && line.chars().noneMatch(c -> c == 0x1b), line);
        // A 2,000,000-dims tensor's shape in a message: cut, and says by how much.
        String huge = "x".repeat(3_000_000);
        String cut = Main.oneLine(huge);
        assertEquals(Main.MAX_MESSAGE_CHARS + "... (2998000 more characters)".length(), cut.length());
        assertTrue(cut.endsWith("... (2998000 more characters)"), cut.substring(Main.MAX_MESSAGE_CHARS));
        assertEquals("plain text, unchanged: é 中", Main.oneLine("plain text, unchanged: é 中"));
    }

    @Test
    void helpVersionAndCompletionComeFromTheSameDefinitions() {
        Result help = run("train", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--units=N") && help.out().contains("LSTM units, at most 1024 (default: 100)"), help.out());
        Result version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("vector-lstm ") && version.out().contains("kernels: "), version.out());
        // A subcommand's -V printed nothing and exited 0 without doing its work.
        for (String[] args : new String[][] {{"train", "--data", "d.csv", "--save", "m.vlstm", "-V"}, {"predict", "--model", "m.vlstm", "--version"},
                {"bench", "compare", "a.json", "b.json", "-V"}, {"demo", "vowels", "-V"}}) {
            Result sub = run(args);
            assertEquals(0, sub.code(), String.join(" ", args));
            assertTrue(sub.out().startsWith("vector-lstm ") && sub.out().contains("kernels: "), String.join(" ", args) + ": " + sub.out());
        }
        Result completion = run("generate-completion");
        assertEquals(0, completion.code());
        assertTrue(completion.out().contains("complete -F") && completion.out().contains("--embeddings-trainable"), "bash completion of every flag");
    }

    /** picocli checks required options first: a mistyped flag was reported as the required one missing. */
    @Test
    void aMistypedRequiredFlagIsReportedAsUnknownWithTheFlagMeant() {
        for (String[] args : new String[][] {{"import", "--keras", "m.h5", "--outt", "x"}, {"train", "--data", "d.csv", "--sav", "x"},
                {"explain", "--modl", "m", "--text", "hi"}}) {
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args));
            String typo = java.util.Arrays.stream(args).filter(a -> a.matches("--(outt|sav|modl)")).findFirst().orElseThrow();
            assertTrue(r.err().startsWith("lstm: Unknown options: '" + typo + "'"), r.err());
            assertTrue(r.err().contains("Possible solutions: --" + Map.of("--outt", "out", "--sav", "save", "--modl", "model").get(typo)), r.err());
            assertFalse(r.err().contains("Missing required option"), r.err());
        }
        Result parent = run("--foo", "explain", "--text", "hi");  // a typo before the command: the top command's
        assertEquals(2, parent.code());
        assertTrue(parent.err().startsWith("lstm: Unknown option: '--foo'"), parent.err());
        assertUsageError("Missing required option: '--model=MODEL'", "explain", "--text", "hi");  // nothing mistyped: still the missing one
    }

    @Test
    void anEmptyOutIsRefusedByEveryCommandAsAnEmptySaveIs() {
        // --out "" was the current folder: "--out  is a folder; give a file name" (train said it right for --save).
        assertUsageError("--out needs a file name, got an empty one", "plot", "--model", "m.vlstm", "--out", "");
        assertUsageError("--out needs a file name, got an empty one", "explain", "--model", "m.vlstm", "--text", "hi", "--out", "");
        assertUsageError("--out needs a file name, got an empty one", "import", "--keras", "m.h5", "--out", "");
        assertUsageError("--save needs a file name, got an empty one", "train", "--data", "d.csv", "--save", "");
    }

    @Test
    void missingDataExitsWithTwo(@TempDir Path dir) {
        assertUsageError("does not exist", "demo", "--data", dir.resolve("nope").toString());
        assertUsageError("no IMDB data in", "demo", "--data", dir.toString());  // an empty folder
    }

    @Test
    void aTruncatedArchiveExitsWithTwo(@TempDir Path dir) throws IOException {
        byte[] archive = Files.readAllBytes(RealImdb.archive());
        Path truncated = dir.resolve("aclImdb_v1.tar.gz");
        Files.write(truncated, java.util.Arrays.copyOf(archive, archive.length / 3));
        Result r = run("demo", "--data", truncated.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().toLowerCase().contains("truncated"), r.err());
    }

    @Test
    void quickDemoRunsEndToEnd() {
        Result r = run("demo", "--data", RealImdb.location().toString(), "--limit", "128", "--maxlen", "40", "--epochs", "1", "--batch", "32");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("128 train, 128 test reviews"), r.out());
        assertTrue(r.out().contains("Epoch 1/1"), r.out());
        assertTrue(r.out().matches("(?s).*test accuracy: 0\\.\\d{4}.*"), r.out());
        assertTrue(r.out().contains("median single-review scoring latency"), r.out());
    }

    @Test
    void aDemoWhoseOutputIsClosedStopsInsteadOfTrainingOn() {
        // Its log went to a PrintStream that hid the closed pipe: all the epochs, the evaluation and the latency ran on unread.
        PipeClosedAfter head = new PipeClosedAfter("Epoch 1/");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = {"demo", "--data", RealImdb.location().toString(), "--limit", "16", "--maxlen", "200", "--epochs", "100000"};
        int code = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(120),  // 100,000 epochs take hours
                () -> Main.run(args, new java.io.ByteArrayInputStream(new byte[0]), head, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals(Main.OUTPUT_CLOSED, code, err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8), "quiet, as a shell pipeline expects");
        assertTrue(head.read().strip().endsWith("Epoch 1/100000"), head.read());
    }
}
