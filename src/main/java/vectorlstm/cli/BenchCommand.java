package vectorlstm.cli;

import java.io.Console;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedMap;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vectorlstm.bench.BenchConfig;
import vectorlstm.bench.BenchReport;
import vectorlstm.bench.BenchRunner;
import vectorlstm.bench.BenchTables;
import vectorlstm.bench.Comparison;
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
final class BenchCommand {
    /** Internal: run one benchmark and report to the parent on stdout (see {@link ForkedBench}). */
    private static final String CHILD = "fork-child";
    static final Set<String> FLAGS = Set.of("threads", "out", "lengths", "only", CHILD);
    static final Set<String> SWITCHES = Set.of("quick");
    static final Set<String> COMPARE_FLAGS = Set.of("threshold");
    static final double DEFAULT_THRESHOLD = 0.05;
    /** The seed model of the Keras IMDB program; fixed weights seed so every run does the same work. */
    private static final int NUM_WORDS = 5000, MAXLEN = 500;
    private static final long SEED = 7;
    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)%?");

    private BenchCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 1 && args[1].equals("compare")) return compare(args, out);
        Flags f = Flags.parse(args, 1, FLAGS, SWITCHES);
        int threads = f.boundedInt("threads", Runtime.getRuntime().availableProcessors(), 1024);
        boolean quick = f.isSet("quick");
        BenchConfig config = quick ? BenchConfig.quick(threads, SEED) : BenchConfig.standard(threads, SEED);
        Path target = f.string("out") == null ? null : Path.of(f.string("out"));
        if (target != null) ReportFile.checkCanWrite(target);  // before minutes of measuring, not after
        List<Integer> lengths = f.string("lengths") == null ? List.of() : lengths(f.string("lengths"), MAXLEN);
        BenchRunner runner = new BenchRunner(config, () -> SeedModel.build(NUM_WORDS, MAXLEN, SEED), lengths);
        if (f.string(CHILD) != null) {
            ForkedBench.child(runner, f.string(CHILD), out);
            return 0;
        }
        SequencedMap<String, Integer> steps = only(runner.steps(), f.string("only"));
        ProgressLine progress = new ProgressLine(err, steps.values().stream().mapToInt(Integer::intValue).sum(), redrawInPlace());
        BenchReport report = new ForkedBench(childCommand(threads, quick, f.string("lengths"))).run(steps, progress);
        out.print(BenchTables.results(report));
        if (target != null) {
            ReportFile.write(target, report);
            out.println("wrote " + target);
        }
        return 0;
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
        command.add("--" + CHILD);  // ForkedBench appends the benchmark's name
        return command;
    }

    private static int compare(String[] args, PrintStream out) {
        if (args.length < 4 || args[2].startsWith("--") || args[3].startsWith("--")) {
            throw new UsageException("bench compare needs two results files: ./lstm bench compare BASE.json NEW.json [--threshold 5%]");
        }
        Flags f = Flags.parse(args, 4, COMPARE_FLAGS);
        double threshold = f.string("threshold") == null ? DEFAULT_THRESHOLD : threshold(f.string("threshold"));
        Path basePath = Path.of(args[2]), newPath = Path.of(args[3]);
        BenchReport base = ReportFile.read(basePath), next = ReportFile.read(newPath);
        Comparison c = Comparison.of(base, next, threshold);
        out.println("BASE " + basePath + ": " + base.machine().describe());
        out.println("NEW  " + newPath + ": " + next.machine().describe());
        out.print(BenchTables.comparison(c));
        return c.anySlower() ? 1 : 0;
    }

    /** {@code --lengths 0,50,100}: distinct numbers of real ids, each between 0 and {@code maxlen}, in the order given. */
    static List<Integer> lengths(String text, int maxlen) {
        LinkedHashSet<Integer> out = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            int n;
            try {
                n = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--lengths must be numbers of real ids separated by commas, such as 50,100,200; got '" + text + "'");
            }
            if (n < 0 || n > maxlen) throw new UsageException("--lengths: " + n + " is not between 0 and " + maxlen + " (the input length)");
            if (!out.add(n)) throw new UsageException("--lengths: " + n + " given twice");
        }
        return List.copyOf(out);
    }

    /** {@code --only a,b}: those benchmarks, in run order; null keeps them all. */
    static SequencedMap<String, Integer> only(SequencedMap<String, Integer> steps, String names) {
        if (names == null) return steps;
        LinkedHashSet<String> wanted = new LinkedHashSet<>();
        for (String name : names.split(",")) {
            String n = name.trim();
            if (!steps.containsKey(n)) throw new UsageException("--only: no benchmark '" + n + "' (there are " + String.join(", ", steps.keySet()) + ")");
            wanted.add(n);
        }
        SequencedMap<String, Integer> out = new LinkedHashMap<>();
        steps.forEach((name, n) -> { if (wanted.contains(name)) out.put(name, n); });
        return out;
    }

    /** {@code 5%} or {@code 5} → 0.05. */
    static double threshold(String text) {
        Matcher m = PERCENT.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("--threshold must be a percentage such as 5% or 2.5%, got '" + text + "'");
        return Double.parseDouble(m.group(1)) / 100;
    }

    /** Redraw the progress line with \r only on a terminal (as fit does); logs get a line per tenth. */
    private static boolean redrawInPlace() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }
}
