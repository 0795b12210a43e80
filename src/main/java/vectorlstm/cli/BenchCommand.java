package vectorlstm.cli;

import java.io.Console;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vectorlstm.bench.BenchConfig;
import vectorlstm.bench.BenchReport;
import vectorlstm.bench.BenchRunner;
import vectorlstm.bench.BenchTables;
import vectorlstm.bench.Comparison;
import vectorlstm.bench.ReportFile;

/**
 * {@code ./lstm bench [--quick] [--threads N] [--out FILE]}: the user-facing benchmarks on the seed
 * model, as a table and optionally a JSON file; {@code ./lstm bench compare BASE NEW [--threshold 5%]}:
 * the regression check for CI (exit code 1 when something got slower).
 */
final class BenchCommand {
    static final Set<String> FLAGS = Set.of("threads", "out");
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
        Path target = f.string("out") == null ? null : Path.of(f.string("out"));
        if (target != null) ReportFile.checkCanWrite(target);  // before minutes of measuring, not after
        BenchConfig config = f.isSet("quick") ? BenchConfig.quick(threads, SEED) : BenchConfig.standard(threads, SEED);
        BenchReport report = new BenchRunner(config, err, redrawInPlace()).run(() -> SeedModel.build(NUM_WORDS, MAXLEN, SEED));
        out.print(BenchTables.results(report));
        if (target != null) {
            ReportFile.write(target, report);
            out.println("wrote " + target);
        }
        return 0;
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
