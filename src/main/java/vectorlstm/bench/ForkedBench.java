package vectorlstm.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.function.BiFunction;
import vectorlstm.io.CleanupOnExit;
import vectorlstm.model.ProgressLine;

/**
 * Runs every benchmark in a fresh JVM of its own, as JMH forks do, so that no benchmark inherits
 * another's JIT profile or heap and adding a benchmark cannot change the others' numbers.
 *
 * <p>The parent starts {@code childCommand + name} per benchmark; the child ({@link #child}) runs
 * it with {@link BenchRunner} and speaks a line protocol on its stdout:
 * {@code progress <done> <status>} while it runs, then {@code result <report JSON>} with the one
 * benchmark. The parent turns the progress lines into its single progress line and collects the
 * results. A child's stderr (the JVM's incubator warning, a stack trace) is kept aside and shown
 * only if it fails.
 */
public final class ForkedBench {
    private static final String PROGRESS = "progress ", RESULT = "result ";

    private final List<String> childCommand;

    /** @param childCommand the command line that runs one benchmark when given its name as one more argument */
    public ForkedBench(List<String> childCommand) {
        this.childCommand = List.copyOf(childCommand);
    }

    /**
     * A child whose JVM failed (killed by the OOM killer, crashed) is recorded as skipped with
     * why, and the others run on: one lost child cost the whole run's measurements, and no
     * report was written.
     *
     * @param steps   every benchmark's name and progress steps, in run order ({@link BenchRunner#steps()})
     * @param skipped the skipped result for a benchmark's name and the reason ({@link BenchRunner#skipped})
     */
    public BenchReport run(SequencedMap<String, Integer> steps, ProgressLine progress, BiFunction<String, String, BenchResult> skipped) {
        Machine machine = Machine.current();  // first: its kernel choice prints the one start-up line
        List<BenchResult> results = new ArrayList<>();
        int done = 0;
        for (Map.Entry<String, Integer> e : steps.entrySet()) {
            int offset = done;
            try {
                results.add(runChild(e.getKey(), (d, status) -> progress.update(offset + d, " - " + status)));
            } catch (ChildFailed failed) {
                results.add(skipped.apply(e.getKey(), failed.getMessage()));
            }
            done += e.getValue();
        }
        progress.finish(" - done");
        return new BenchReport(machine, results);
    }

    /**
     * One child, its stderr in a temporary file. Both go with this process, stopped by a signal or
     * not: the file was left in java.io.tmpdir, and the child ran on under PID 1 to its end.
     */
    private BenchResult runChild(String name, BenchProgress progress) {
        try {
            Path stderr = Files.createTempFile("vlstm-bench-", ".err");
            try (CleanupOnExit deleteStderr = CleanupOnExit.deleting(stderr)) {
                List<String> command = new ArrayList<>(childCommand);
                command.add(name);
                Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
                try (CleanupOnExit stopChild = CleanupOnExit.register(child::destroyForcibly)) {  // a no-op once it has ended
                    BenchResult result = readReport(child, progress);
                    int code = child.waitFor();
                    if (code != 0 || result == null) throw new ChildFailed(FAILED + " (exit code " + code + ")" + errorOf(stderr));
                    return result;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run benchmark " + name + " in a new JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while benchmark " + name + " ran");
        }
    }

    /** How the skip reason of a benchmark whose JVM failed begins. */
    public static final String FAILED = "failed in its JVM";

    /** A benchmark's JVM that ended without its result; the message says how (exit code, its error line). */
    private static final class ChildFailed extends RuntimeException {
        ChildFailed(String how) {
            super(how);
        }
    }

    /** Follows the child's protocol lines to its end: progress passed on, the result (null if none came). */
    private static BenchResult readReport(Process child, BenchProgress progress) throws IOException {
        BenchResult result = null;
        try (BufferedReader out = child.inputReader(StandardCharsets.UTF_8)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(PROGRESS)) {
                    String[] parts = line.substring(PROGRESS.length()).split(" ", 2);
                    progress.update(Integer.parseInt(parts[0]), parts.length > 1 ? parts[1] : "");
                } else if (line.startsWith(RESULT)) {
                    result = ReportJson.read(line.substring(RESULT.length())).benchmarks().get(0);
                }
            }
        }
        return result;
    }

    /** The child's error message from its stderr: our one-line "lstm: ..." or an uncaught exception's first line. */
    private static String errorOf(Path stderr) throws IOException {
        List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("WARNING:")).toList();
        return lines.stream().filter(l -> l.startsWith("lstm: ") || l.startsWith("Exception in thread")).findFirst()
                .or(() -> lines.stream().reduce((a, b) -> b))
                .map(l -> ": " + l.strip())
                .orElse("");
    }

    /** The child's side: runs {@code name} and reports on {@code out} in the protocol above. */
    public static void child(BenchRunner runner, String name, PrintStream out) {
        BenchResult result = runner.run(name, (done, status) -> {
            out.println(PROGRESS + done + " " + status);
            out.flush();
        });
        out.println(RESULT + ReportJson.write(new BenchReport(Machine.current(), List.of(result))).strip());
        out.flush();
    }
}
