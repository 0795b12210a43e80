package vectorlstm.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vectorlstm.bench.BenchConfig;
import vectorlstm.bench.BenchReport;
import vectorlstm.bench.BenchRunner;
import vectorlstm.bench.BenchTables;
import vectorlstm.bench.ForkedBench;
import vectorlstm.bench.ReportFile;
import vectorlstm.model.ProgressLine;

/**
 * {@code ./lstm bench [--quick] [--threads N] [--out FILE] [--lengths N,N,...] [--only NAME,...]}:
 * the user-facing benchmarks on the seed model, each in a JVM of its own, as a table and optionally
 * a JSON file ({@code --lengths} adds latency against the number of real ids in a padded review,
 * {@code --only} runs a subset);
 * {@code ./lstm bench compare BASE NEW [--threshold 5%]}: the regression check for CI (exit code 1
 * when something got slower).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Speed of the seed model: scoring latency, batch scoring and training throughput.",
                "Each benchmark runs in a JVM of its own (about 2 min in all; --quick under a minute). Compare two result files with: ./lstm bench compare BASE NEW"})
final class BenchCommand implements Callable<Integer> {
    /** Internal: run one benchmark and report to the parent on stdout (see {@link ForkedBench}). */
    private static final String CHILD = "--fork-child";
    /** The seed model of the Keras IMDB program; fixed weights seed so every run does the same work. */
    private static final int NUM_WORDS = 5000, MAXLEN = 500;
    private static final long SEED = 7;
    private final Streams io;

    @Option(names = "--quick", description = "fewer, shorter samples (under a minute)")
    boolean quick;

    @Option(names = "--threads", paramLabel = "N", description = "threads of the batch and training benchmarks, at most 1024 (default: all cores)")
    Integer threads;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the results as JSON (for bench compare)")
    Path out;

    @Option(names = "--lengths", paramLabel = "N,N,...", description = "also latency of N real ids after 500-N pads, 1 and 2 threads (~10 s each)")
    String lengths;

    @Option(names = "--only", paramLabel = "NAME,...", description = "run only these benchmarks")
    String only;

    @Option(names = CHILD, hidden = true)
    String child;

    BenchCommand(Streams io) { this.io = io; }

    @Override
    public Integer call() {
        int threadCount = Checks.threads(threads, io.err());
        BenchConfig config = quick ? BenchConfig.quick(threadCount, SEED) : BenchConfig.standard(threadCount, SEED);
        if (out != null) {  // before minutes of measuring, not after
            OutputFiles.checkWritableTarget(out);
            ReportFile.checkReplaceable(out);
        }
        List<Integer> lengthList = lengths == null ? List.of() : lengths(lengths, MAXLEN);
        BenchRunner runner = new BenchRunner(config, () -> SeedModel.build(NUM_WORDS, MAXLEN, SEED), lengthList);
        if (child != null) {
            ForkedBench.child(runner, child, io.out().stoppingStream());  // a parent gone (killed) stops its child at the next line
            io.out().check();
            return Main.OK;
        }
        SequencedMap<String, Integer> steps = only(runner.steps(), only);
        ProgressLine progress = new ProgressLine(io.err(), steps.values().stream().mapToInt(Integer::intValue).sum(), Output.isTerminal());
        BenchReport report = new ForkedBench(childCommand(threadCount, quick, lengths)).run(steps, progress, runner::skipped);
        // Through the stream, whose failures are checked only after the report is written: stdout
        // full or closed must not cost minutes of measurements (io.out().line or check() then says so).
        io.out().stream().print(BenchTables.results(report));
        if (out != null) {
            OutputFiles.saving(() -> ReportFile.write(out, report));  // a refused write is exit 3, as for every output
            io.out().line("wrote " + out);
        }
        io.out().check();
        // The report keeps what was measured; the run still did not do all it was asked to.
        List<String> failed = report.benchmarks().stream().filter(b -> b.wasSkipped() && b.skipped().startsWith(ForkedBench.FAILED)).map(b -> b.name() + " (" + b.skipped() + ")").toList();
        if (!failed.isEmpty()) {
            io.err().println("lstm: " + String.join("; ", failed) + ": recorded as skipped" + (out != null ? " in " + out : "") + ", the other benchmarks were measured");
            return Main.FAILED;
        }
        return Main.OK;
    }

    /**
     * This JVM again (same java, same flags such as --add-modules or -Dvectorlstm.bits, same class
     * path), running {@code bench --fork-child} for one benchmark; the kernel line is printed once,
     * by this parent.
     */
    private static List<String> childCommand(int threads, boolean quick, String lengths) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-Dvectorlstm.quiet=true");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench", "--threads", Integer.toString(threads)));
        if (quick) command.add("--quick");
        if (lengths != null) command.addAll(List.of("--lengths", lengths));
        command.add(CHILD);  // ForkedBench appends the benchmark's name
        return command;
    }

    /** {@code --lengths 0,50,100}: distinct numbers of real ids, each between 0 and {@code maxlen}, in the order given. */
    static List<Integer> lengths(String text, int maxlen) {
        LinkedHashSet<Integer> out = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            int n;
            try {
                n = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--lengths must be numbers of real ids separated by commas, such as 50,100,200; got '" + text + "'");
            }
            if (n < 0 || n > maxlen) throw new IllegalArgumentException("--lengths: " + n + " is not between 0 and " + maxlen + " (the input length)");
            if (!out.add(n)) throw new IllegalArgumentException("--lengths: " + n + " given twice");
        }
        return List.copyOf(out);
    }

    /** {@code --only a,b}: those benchmarks, in run order; null keeps them all. */
    static SequencedMap<String, Integer> only(SequencedMap<String, Integer> steps, String names) {
        if (names == null) return steps;
        LinkedHashSet<String> wanted = new LinkedHashSet<>();
        for (String name : names.split(",")) {
            String n = name.trim();
            if (!steps.containsKey(n)) throw new IllegalArgumentException("--only: no benchmark '" + n + "' (there are " + String.join(", ", steps.keySet()) + ")");
            wanted.add(n);
        }
        // --lengths asks for its benchmarks already: an --only that names none of them keeps them all (they were dropped
        // without a word); one that names some keeps just those (every length's pair ran, ten seconds each, unasked).
        boolean namesALength = wanted.stream().anyMatch(n -> n.startsWith(BenchRunner.REAL_LENGTH_PREFIX));
        SequencedMap<String, Integer> out = new LinkedHashMap<>();
        steps.forEach((name, n) -> {
            if (wanted.contains(name) || !namesALength && name.startsWith(BenchRunner.REAL_LENGTH_PREFIX)) out.put(name, n);
        });
        return out;
    }

}
