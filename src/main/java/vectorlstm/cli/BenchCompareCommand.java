package vectorlstm.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vectorlstm.bench.BenchReport;
import vectorlstm.bench.BenchTables;
import vectorlstm.bench.Comparison;
import vectorlstm.bench.ReportFile;

/**
 * {@code ./lstm bench compare BASE NEW [--threshold 5%] [--allow-missing]}: the regression check for
 * CI. Exit code 1 when a benchmark got slower beyond the threshold with p < 0.01, or when BASE
 * measured a benchmark that NEW did not (a gate must not pass a benchmark that crashed or was renamed).
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Per benchmark of two result files: ratio, confidence interval, Mann-Whitney p and a verdict.",
                "Exit code 1 when one got slower beyond the threshold with p < 0.01,",
                "or when BASE measured a benchmark that NEW did not (unless --allow-missing)."})
final class BenchCompareCommand implements Callable<Integer> {
    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)%?");
    private final Streams io;

    @Parameters(index = "0", paramLabel = "BASE.json", description = "results of the baseline (bench --out)")
    Path base;

    @Parameters(index = "1", paramLabel = "NEW.json", description = "results to judge")
    Path next;

    @Option(names = "--threshold", defaultValue = "5%", paramLabel = "P%", description = "a slowdown beyond this fails, as a percentage: 5%% or 5 (default: ${DEFAULT-VALUE})")
    String threshold;

    @Option(names = "--allow-missing", description = "pass when a benchmark of BASE is missing or skipped in NEW (a subset run with --only); "
            + "by default that fails like a slowdown")
    boolean allowMissing;

    BenchCompareCommand(Streams io) { this.io = io; }

    @Override
    public Integer call() {
        double t = threshold(threshold);
        BenchReport a = ReportFile.read(base), b = ReportFile.read(next);
        Comparison c = Comparison.of(a, b, t);
        io.out().line("BASE " + base + ": " + a.machine().describe());
        io.out().line("NEW  " + next + ": " + b.machine().describe());
        io.out().print(BenchTables.comparison(c));
        List<String> lost = c.notMeasuredInNew();
        if (!lost.isEmpty() && !allowMissing) {
            io.out().line("fails: BASE measured " + String.join(", ", lost) + " and NEW did not (--allow-missing accepts that)");
        }
        return c.anySlower() || (!lost.isEmpty() && !allowMissing) ? Main.FAILED : Main.OK;
    }

    /**
     * {@code 5%} or {@code 5} → 0.05. A bare number under 1 is refused: {@code 0.05} reads as a
     * fraction (5 %) to some and as 0.05 % to others, and taken as the latter it failed CI runs on
     * changes of a twentieth of a percent.
     */
    static double threshold(String text) {
        Matcher m = PERCENT.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("--threshold must be a percentage such as 5% or 2.5%, got '" + text + "'");
        double percent = Double.parseDouble(m.group(1));
        if (!text.trim().endsWith("%") && percent > 0 && percent < 1) {
            String given = text.trim();
            String asFraction = new java.math.BigDecimal(given).movePointRight(2).stripTrailingZeros().toPlainString();
            throw new IllegalArgumentException("--threshold " + given + " is ambiguous: write " + asFraction + "% if you mean the fraction "
                    + given + ", or " + given + "% if you mean " + given + " percent");
        }
        return percent / 100;
    }
}
