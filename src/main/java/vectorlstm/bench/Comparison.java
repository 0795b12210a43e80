package vectorlstm.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * BASE against NEW, benchmark by benchmark (matched by name). For each benchmark measured in both:
 * the ratio of medians NEW/BASE, its bootstrap confidence interval ({@link RatioInterval}), the
 * two-sided Mann-Whitney U p-value (commons-math3: normal approximation, no continuity correction,
 * conservative with ties), and a verdict.
 *
 * <p>The verdict works on the time factor: how many times longer the work takes in NEW (NEW/BASE
 * for ms, BASE/NEW for throughputs). SLOWER when it exceeds {@code 1 + threshold} and p &lt;
 * {@value #ALPHA}; FASTER when it is below {@code 1 / (1 + threshold)} and p &lt; {@value #ALPHA};
 * otherwise SAME. Both conditions matter: a tiny but consistent change is SAME (below the
 * threshold), and so is a large change in noisy, overlapping samples (not significant). A verdict
 * also needs the ranks to lean the medians' way (more than half of the (BASE, NEW) pairs ordered
 * as the verdict says): in two-humped samples the medians can point one way and the significant
 * rank difference the other, and that is SAME, not a slowdown.
 */
public final class Comparison {
    public static final double ALPHA = 0.01;
    public static final double CONFIDENCE = 0.95;

    /** A row of the comparison. */
    public sealed interface Row permits Compared, Unmatched {
        String name();
    }

    /**
     * @param ratio       median(NEW) / median(BASE), in the benchmark's unit
     * @param ciLow       lower end of the {@link #CONFIDENCE} interval of {@code ratio}; NaN (and so
     *                    {@code ciHigh}) when BASE or NEW has fewer than {@value RatioInterval#MIN_SAMPLES} samples: no interval
     * @param timeFactor  how many times longer the work takes in NEW (&gt; 1: slower)
     */
    public record Compared(String name, String unit, double baseMedian, double newMedian, double ratio, double ciLow,
                           double ciHigh, double timeFactor, double p, Verdict verdict) implements Row {
        /** Whether an interval was computed: each side had {@value RatioInterval#MIN_SAMPLES} samples or more. */
        public boolean hasInterval() { return !Double.isNaN(ciLow); }
    }

    /**
     * A benchmark present in one file only, or skipped in one of them.
     *
     * @param lostInNew BASE measured it and NEW did not (missing from NEW or skipped there): a
     *                  regression gate must not pass that silently (a benchmark that crashed and was
     *                  skipped, or a renamed one, would otherwise look like no slowdown)
     */
    public record Unmatched(String name, String note, boolean lostInNew) implements Row {}

    /** Round trips further apart than this factor are two placements, not noise (near and far differ 3-10x). */
    static final double PLACEMENT_FACTOR = 2;

    private final List<Row> rows;
    private final List<String> notes;
    private final double threshold;

    private Comparison(List<Row> rows, List<String> notes, double threshold) {
        this.rows = List.copyOf(rows);
        this.notes = List.copyOf(notes);
        this.threshold = threshold;
    }

    /**
     * @param threshold relative change that counts, e.g. 0.05 for 5 %
     * @throws IllegalArgumentException when no benchmark was measured in both, or one name has two units
     */
    public static Comparison of(BenchReport base, BenchReport next, double threshold) {
        if (!(threshold >= 0 && Double.isFinite(threshold))) throw new IllegalArgumentException("the threshold must be a finite percentage >= 0, got " + threshold);
        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        machineNote(base.machine(), next.machine()).ifPresent(notes::add);
        for (BenchResult b : base.benchmarks()) {
            BenchResult n = next.find(b.name()).orElse(null);
            if (n == null) rows.add(new Unmatched(b.name(), "only in BASE", !b.wasSkipped()));
            else if (b.wasSkipped()) rows.add(new Unmatched(b.name(), "skipped in BASE: " + b.skipped(), false));
            else if (n.wasSkipped()) rows.add(new Unmatched(b.name(), "skipped in NEW: " + n.skipped(), true));
            else {
                checkSameKind(b, n);
                if (b.threads() > 0 && n.threads() > 0 && b.threads() != n.threads()) {  // 0: not given in a hand-written file
                    notes.add(b.name() + ": BASE used " + threads(b.threads()) + ", NEW " + threads(n.threads()));
                }
                placementNote(b, n).ifPresent(notes::add);
                rows.add(compare(b, n, threshold));
            }
        }
        for (BenchResult n : next.benchmarks()) {
            if (base.find(n.name()).isEmpty()) rows.add(new Unmatched(n.name(), "only in NEW", false));
        }
        // BASE's benchmarks skipped or missing in NEW are a result (exit 1, or 0 with --allow-missing),
        // also when they are all there is, as after `bench --only X` that skipped X; two files with
        // no benchmark name in common are not (two different benchmark files?).
        boolean shareAName = base.benchmarks().stream().anyMatch(b -> next.find(b.name()).isPresent());
        boolean lostSome = rows.stream().anyMatch(r -> r instanceof Unmatched u && u.lostInNew());
        if (!shareAName) throw new IllegalArgumentException("the two files have no benchmark in common: nothing to compare");
        if (rows.stream().noneMatch(r -> r instanceof Compared) && !lostSome) {
            throw new IllegalArgumentException("no benchmark was measured in both files: nothing to compare");
        }
        return new Comparison(rows, notes, threshold);
    }

    private static Compared compare(BenchResult b, BenchResult n, double threshold) {
        double[] base = b.samples(), next = n.samples();
        double ratio = n.median() / b.median();
        double[] ci = RatioInterval.bootstrap(base, next, CONFIDENCE);
        double p = new MannWhitneyUTest().mannWhitneyUTest(base, next);
        double timeFactor = b.higherIsBetter() ? 1 / ratio : ratio;
        // The test is two-sided and the medians give the direction; with two-humped samples they can
        // disagree (NEW mostly below BASE, its median above), and then neither verdict holds.
        double newAbove = shareOfPairsNewAbove(base, next);
        boolean ranksSaySlower = b.higherIsBetter() ? newAbove < 0.5 : newAbove > 0.5;
        Verdict verdict = Verdict.SAME;
        if (p < ALPHA && timeFactor > 1 + threshold && ranksSaySlower) verdict = Verdict.SLOWER;
        else if (p < ALPHA && timeFactor < 1 / (1 + threshold) && !ranksSaySlower && newAbove != 0.5) verdict = Verdict.FASTER;
        return new Compared(b.name(), b.unit(), b.median(), n.median(), ratio, ci[0], ci[1], timeFactor, p, verdict);
    }

    /**
     * The share of (BASE, NEW) pairs in which the NEW sample is the larger, ties counting half:
     * Mann-Whitney's U for NEW over n·m, so above 1/2 the ranks put NEW higher. From the average
     * ranks of the pooled samples, so 10,000 samples a side take a sort, not 10^8 comparisons.
     */
    static double shareOfPairsNewAbove(double[] base, double[] next) {
        double[] pooled = new double[base.length + next.length];
        System.arraycopy(base, 0, pooled, 0, base.length);
        System.arraycopy(next, 0, pooled, base.length, next.length);
        double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(pooled);
        double newRankSum = 0;
        for (int i = base.length; i < pooled.length; i++) newRankSum += ranks[i];
        double m = next.length, u = newRankSum - m * (m + 1) / 2;
        return u / ((double) base.length * next.length);
    }

    private static void checkSameKind(BenchResult b, BenchResult n) {
        if (!b.unit().equals(n.unit()) || b.higherIsBetter() != n.higherIsBetter()) {
            throw new IllegalArgumentException("benchmark " + b.name() + " is in " + b.unit() + (b.higherIsBetter() ? " (higher is better)" : "")
                    + " in BASE but in " + n.unit() + (n.higherIsBetter() ? " (higher is better)" : "") + " in NEW: not comparable");
        }
    }

    /**
     * When the cores' round trip differs between BASE and NEW by more than {@link #PLACEMENT_FACTOR}:
     * the host placed the threads differently (on the Zen 5: 55-141 ns near, 396-620 ns far), and
     * a two-thread latency moves by up to 1.5x with that alone.
     */
    private static Optional<String> placementNote(BenchResult b, BenchResult n) {
        double rb = b.coreRoundTripNs(), rn = n.coreRoundTripNs();
        // One side measured, the other not (its probe timed out on a busy machine): the placement is unknown, and a
        // two-thread figure judged "slower" there had nothing beside it to say so.
        if (Double.isFinite(rb) != Double.isFinite(rn)) {
            return Optional.of(String.format(Locale.ROOT, "%s: the cores' round trip was %s in BASE and %s in NEW (a file older than the probe, or a machine too busy to time it):"
                    + " how the host placed the threads, which moves a two-thread figure by itself, is unknown (docs/performance.md)",
                    b.name(), Double.isFinite(rb) ? String.format(Locale.ROOT, "%.0f ns", rb) : "not measured",
                    Double.isFinite(rn) ? String.format(Locale.ROOT, "%.0f ns", rn) : "not measured"));
        }
        if (!Double.isFinite(rb) || !Double.isFinite(rn) || Math.max(rb, rn) <= PLACEMENT_FACTOR * Math.min(rb, rn)) return Optional.empty();
        return Optional.of(String.format(Locale.ROOT, "%s: the cores' round trip was %.0f ns in BASE and %.0f ns in NEW: the host placed the "
                + "threads differently, which moves a two-thread figure by itself (docs/performance.md)", b.name(), rb, rn));
    }

    private static Optional<String> machineNote(Machine b, Machine n) {
        List<String> diffs = new ArrayList<>();
        if (!b.cpu().equals(n.cpu())) diffs.add("cpu " + b.cpu() + " / " + n.cpu());
        if (b.cores() != n.cores()) diffs.add("cores " + b.cores() + " / " + n.cores());
        if (b.vectorBits() != n.vectorBits()) diffs.add("vector bits " + b.vectorBits() + " / " + n.vectorBits());
        if (!b.jdk().equals(n.jdk())) diffs.add("JDK " + b.jdk() + " / " + n.jdk());
        if (b.kernels() != null && n.kernels() != null && !Objects.equals(b.kernels(), n.kernels())) {
            diffs.add("kernels " + b.kernels() + " / " + n.kernels());
        }
        if (diffs.isEmpty()) return Optional.empty();
        return Optional.of("BASE / NEW differ in " + String.join(", ", diffs) + ": the ratios compare the set-ups, not only the code");
    }

    public List<Row> rows() { return rows; }

    /** Differences in set-up that make ratios less meaningful (machine, JDK, thread counts). */
    public List<String> notes() { return notes; }

    public double threshold() { return threshold; }

    /** Benchmarks BASE measured and NEW did not (missing from NEW or skipped there). */
    public List<String> notMeasuredInNew() {
        return rows.stream().filter(r -> r instanceof Unmatched u && u.lostInNew()).map(Row::name).toList();
    }

    public boolean anySlower() {
        return rows.stream().anyMatch(r -> r instanceof Compared c && c.verdict() == Verdict.SLOWER);
    }

    /** {@code 1.23x slower}, {@code 1.10x faster} or {@code unchanged}, from the time factor. */
    public static String change(double timeFactor) {
        if (timeFactor == 1) return "unchanged";
        return timeFactor > 1 ? String.format(Locale.ROOT, "%.2fx slower", timeFactor) : String.format(Locale.ROOT, "%.2fx faster", 1 / timeFactor);
    }

    private static String threads(int n) { return n == 1 ? "1 thread" : n + " threads"; }
}
