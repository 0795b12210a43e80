package vectorlstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.bench.BenchReport;
import vectorlstm.bench.BenchResult;
import vectorlstm.bench.Machine;
import vectorlstm.bench.ReportFile;

/** {@code ./lstm bench compare}: exit codes 0 / 1 / 2 and one-line messages, as a CI job sees them. */
class BenchCommandTest {
    private static final double[] STEADY = {1.30, 1.31, 1.29, 1.32, 1.30, 1.28, 1.31, 1.30, 1.33, 1.29};

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path results(String file, double latencyFactor) {
        double[] samples = STEADY.clone();
        for (int i = 0; i < samples.length; i++) samples[i] *= latencyFactor;
        Path path = dir.resolve(file);
        ReportFile.write(path, new BenchReport(new Machine(2, 256, "25", "Test CPU", null),
                List.of(new BenchResult("score_latency_t500_b1", "ms", false, 1, 300, samples, null))));
        return path;
    }

    private static void assertOneLineError(Result r, String fragment) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("lstm: ") && r.err().contains(fragment), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void slowerExitsWithOne() {
        Result r = run("bench", "compare", results("base.json", 1).toString(), results("new.json", 1.3).toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("1.30x slower") && r.out().contains("slower") && r.out().contains("1 slower, 0 faster, 0 same"), r.out());
    }

    @Test
    void sameOrFasterExitsWithZero() {
        Path base = results("base.json", 1);
        Result same = run("bench", "compare", base.toString(), results("same.json", 1).toString());
        assertEquals(0, same.code(), same.out() + same.err());
        assertTrue(same.out().contains("0 slower, 0 faster, 1 same"), same.out());
        Result faster = run("bench", "compare", base.toString(), results("faster.json", 0.7).toString());
        assertEquals(0, faster.code());
        assertTrue(faster.out().contains("1.43x faster"), faster.out());
        // 30 % slower passes a 50 % threshold
        assertEquals(0, run("bench", "compare", base.toString(), results("new.json", 1.3).toString(), "--threshold", "50%").code());
        assertEquals(1, run("bench", "compare", base.toString(), results("new.json", 1.3).toString(), "--threshold=20").code());
    }

    @Test
    void aBenchmarkBaseMeasuredAndNewDidNotFailsUnlessAllowed() {
        Path base = dir.resolve("two.json");
        ReportFile.write(base, new BenchReport(new Machine(2, 256, "25", "Test CPU", null),
                List.of(new BenchResult("score_latency_t500_b1", "ms", false, 1, 300, STEADY, null),
                        new BenchResult("score_latency_typical_b1", "ms", false, 1, 300, STEADY, null))));
        String next = results("new.json", 1).toString();
        Result r = run("bench", "compare", base.toString(), next);
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("score_latency_typical_b1") && r.out().contains("only in BASE")
                && r.out().contains("fails: BASE measured score_latency_typical_b1 and NEW did not (--allow-missing accepts that)"), r.out());
        Result allowed = run("bench", "compare", base.toString(), next, "--allow-missing");
        assertEquals(0, allowed.code(), allowed.out() + allowed.err());
        assertFalse(allowed.out().contains("fails:"), allowed.out());
        // The other way round (NEW measured more) is not a failure.
        assertEquals(0, run("bench", "compare", next, base.toString()).code());
    }

    @Test
    void badInputExitsWithTwoAndOneLine() throws IOException {
        String base = results("base.json", 1).toString();
        assertOneLineError(run("bench", "compare", base, dir.resolve("missing.json").toString()), "missing.json: no such file");
        Path malformed = Files.writeString(dir.resolve("malformed.json"), "{\"machine\": {\"cores\": 2,");
        assertOneLineError(run("bench", "compare", malformed.toString(), base), "malformed.json is not a bench results file: invalid JSON");
        Path noSamples = Files.writeString(dir.resolve("fields.json"),
                "{\"machine\":{\"cores\":2,\"vectorBits\":0,\"jdk\":\"25\",\"cpu\":\"x\"},\"benchmarks\":[{\"name\":\"a\",\"unit\":\"ms\",\"higherIsBetter\":false,\"threads\":1}]}");
        assertOneLineError(run("bench", "compare", base, noSamples.toString()), "benchmark a: missing \"samples\"");
        Path other = dir.resolve("other.json");
        ReportFile.write(other, new BenchReport(new Machine(2, 256, "25", "Test CPU", null),
                List.of(new BenchResult("train_throughput_b64", "samples/s", true, 2, 300, STEADY, null))));
        assertOneLineError(run("bench", "compare", base, other.toString()), "the two files have no benchmark in common");
        // NEW skipped every benchmark BASE measured (bench --only on a machine without two cores): exit 1, or 0 with --allow-missing.
        BenchReport measured = ReportFile.read(Path.of(base));
        Path allSkipped = dir.resolve("all-skipped.json");
        ReportFile.write(allSkipped, new BenchReport(measured.machine(),
                measured.benchmarks().stream().map(b -> new BenchResult(b.name(), b.unit(), b.higherIsBetter(), b.threads(), Double.NaN, new double[0], "not measured here")).toList()));
        Result lost = run("bench", "compare", base, allSkipped.toString());
        assertEquals(1, lost.code(), lost.out() + lost.err());
        assertTrue(lost.out().contains("and NEW did not (--allow-missing accepts that)"), lost.out());
        assertEquals(0, run("bench", "compare", base, allSkipped.toString(), "--allow-missing").code());
        // A forged machine line (an escape code, a line break) is bad input, not printed.
        Path forged = Files.writeString(dir.resolve("forged.json"), Files.readString(Path.of(base)).replace("Test CPU", "Test\\u001b[2J\\nCPU"));
        assertOneLineError(run("bench", "compare", base, forged.toString()), "forged.json is not a bench results file: machine: \"cpu\" must be");
        for (String garbage : List.of("abc", "-5%", "5%%", "%", "1e3")) {
            assertOneLineError(run("bench", "compare", base, base, "--threshold", garbage), "--threshold must be a percentage");
        }
    }

    @Test
    void aBadCommandLineExitsWithTwo() {
        Result r = run("bench", "compare", "only-one.json");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required parameter: 'NEW.json'"), r.err());
        assertTrue(r.err().contains("hint: ./lstm bench compare --help"), r.err());
        assertEquals(2, run("bench", "--quick=yes").code());
        assertTrue(run("bench", "--iterations", "3").err().contains("Unknown options: '--iterations', '3'"));
        assertTrue(run("bench", "--threads", "0").err().contains("--threads must be a positive integer"));
    }

    @Test
    void benchRefusesToOverwriteAFileThatIsNotResultsBeforeMeasuring() throws IOException {
        Path model = Files.writeString(dir.resolve("reviews.vlstm"), "not results");
        assertOneLineError(run("bench", "--quick", "--out", model.toString()), "refusing to overwrite");
        assertEquals("not results", Files.readString(model));
        assertFalse(Files.exists(dir.resolve("missing").resolve("r.json")));
        assertOneLineError(run("bench", "--quick", "--out", dir.resolve("missing").resolve("r.json").toString()), "does not exist or is not writable");
        Path link = java.nio.file.Files.createSymbolicLink(dir.resolve("link.json"), java.nio.file.Path.of("gone/deeper/r.json"));
        assertOneLineError(run("bench", "--quick", "--out", link.toString()), "does not exist or is not writable");
        assertFalse(java.nio.file.Files.exists(dir.resolve("gone")), "no folder made through the link");
        assertOneLineError(run("bench", "--quick", "--out", dir.toString()), "--out " + dir + " is a folder; give a file name");
    }

    @Test
    void aDeviceIsRefusedAtOnce() throws IOException {
        // /dev/zero used to be read until memory ran out (compare), a FIFO forever. Every system the
        // launcher runs on (bash: Linux, macOS) has /dev/zero, so this runs unconditionally.
        Path results = Files.writeString(dir.resolve("reviews.vlstm"), "not results");
        assertOneLineError(run("bench", "--quick", "--out", "/dev/zero"), "exists and is not a regular file");
        assertOneLineError(run("bench", "compare", "/dev/zero", results.toString()), "is not a regular file");
    }

    @Test
    void anOutThatCannotBeWrittenIsRefusedBeforeMeasuring() throws IOException {
        // A 260-byte name and a link through a file used to be found after the measurements (exit 3), not before them (exit 2).
        Result longName = run("bench", "--quick", "--only", "score_latency_typical_b1", "--out", dir.resolve("a".repeat(255) + ".json").toString());
        assertOneLineError(longName, "the file name is longer than 255 bytes");
        assertEquals("", longName.out(), "nothing measured");
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("out.json"), plain.resolve("results.json"));
        Result throughAFile = run("bench", "--quick", "--only", "score_latency_typical_b1", "--out", link.toString());
        assertOneLineError(throughAFile, "--out " + link + ": cannot write there");
        assertEquals("", throughAFile.out(), "nothing measured");
    }

    @Test
    void anEmptyOutIsRefusedAsAnEmptyName() {
        // It was the current folder: "lstm:  is a folder: give a file name for the results".
        assertOneLineError(run("bench", "--quick", "--out", ""), "--out needs a file name, got an empty one");
        assertOneLineError(run("bench", "--quick", "--out", "  "), "--out needs a file name, got an empty one");
    }

    @Test
    void aFullStandardOutputDoesNotCostTheMeasurements() throws IOException {
        // The table comes before the file; stdout failing there used to stop the command before it wrote the results.
        Path json = dir.resolve("results.json");
        java.io.OutputStream full = new java.io.OutputStream() {
            @Override public void write(int b) throws IOException { throw new IOException("No space left on device"); }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"bench", "--quick", "--only", "score_latency_typical_b1", "--out", json.toString()},
                new java.io.ByteArrayInputStream(new byte[0]), full, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Main.OUTPUT_FAILED, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot write the output: No space left on device"), err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("score_latency_typical_b1"), ReportFile.read(json).benchmarks().stream().map(BenchResult::name).toList());
    }

    @Test
    void lengthsAreDistinctRealIdCountsWithinTheInput() {
        assertEquals(List.of(0, 50, 100, 500), BenchCommand.lengths("0, 50,100 ,500", 500));
        assertEquals(List.of(300, 200), BenchCommand.lengths("300,200", 500), "in the order given");
        for (String bad : List.of("abc", "50,,100", "50;100", "1e2", "-1", "501", "50,50")) {
            var e = assertThrows(IllegalArgumentException.class, () -> BenchCommand.lengths(bad, 500), bad);
            assertTrue(e.getMessage().startsWith("--lengths"), e.getMessage());
        }
        assertOneLineErrorThenUsage(run("bench", "--lengths", "600"), "--lengths: 600 is not between 0 and 500");
    }

    @Test
    void onlyKeepsTheNamedBenchmarksInRunOrder() {
        SequencedMap<String, Integer> steps = new LinkedHashMap<>();
        steps.put("a", 3);
        steps.put("b", 4);
        steps.put("c", 5);
        assertSame(steps, BenchCommand.only(steps, null));
        assertEquals(List.of("a", "c"), List.copyOf(BenchCommand.only(steps, "c, a").keySet()));
        assertEquals(5, BenchCommand.only(steps, "c").get("c"));
        var e = assertThrows(IllegalArgumentException.class, () -> BenchCommand.only(steps, "a,d"));
        assertTrue(e.getMessage().contains("--only: no benchmark 'd' (there are a, b, c)"), e.getMessage());
        // The --lengths benchmarks stay: --lengths asked for them (they were dropped without a word).
        steps.put(vectorlstm.bench.BenchRunner.realLengthName(100, 1), 6);
        assertEquals(List.of("a", "score_latency_real100_b1"), List.copyOf(BenchCommand.only(steps, "a").keySet()));
        // Naming one of them keeps just the ones named (all of --lengths' ran besides, both threads of each length).
        steps.put(vectorlstm.bench.BenchRunner.realLengthName(100, 2), 6);
        assertEquals(List.of("score_latency_real100_b1"), List.copyOf(BenchCommand.only(steps, "score_latency_real100_b1").keySet()));
        assertEquals(List.of("a", "score_latency_real100_b1", "score_latency_real100_b1_2threads"), List.copyOf(BenchCommand.only(steps, "a").keySet()));
    }

    private static void assertOneLineErrorThenUsage(Result r, String fragment) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("lstm: ") && r.err().lines().findFirst().orElseThrow().contains(fragment), r.err());
    }

    @Test
    void thresholdsArePercentages() {
        assertEquals(0.05, BenchCompareCommand.threshold("5%"), 1e-12);
        assertEquals(0.05, BenchCompareCommand.threshold("5"), 1e-12);
        assertEquals(0.025, BenchCompareCommand.threshold(" 2.5% "), 1e-12);
        assertEquals(0.0, BenchCompareCommand.threshold("0%"), 1e-12);
        assertEquals(0.0005, BenchCompareCommand.threshold("0.05%"), 1e-12);
        assertEquals(0.01, BenchCompareCommand.threshold("1"), 1e-12);
    }

    /** {@code --threshold 0.05} was taken as 0.05 %, where its writer may well have meant 5 %: refused, naming both. */
    @Test
    void aBareThresholdUnderOneIsRefusedAsAmbiguous() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchCompareCommand.threshold("0.05"));
        assertEquals("--threshold 0.05 is ambiguous: write 5% if you mean the fraction 0.05, or 0.05% if you mean 0.05 percent", e.getMessage());
    }
}
