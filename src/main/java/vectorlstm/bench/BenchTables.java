package vectorlstm.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** The terminal tables of {@code ./lstm bench} and {@code ./lstm bench compare}. */
public final class BenchTables {
    private BenchTables() {}

    public static String results(BenchReport report) {
        TextTable t = new TextTable("benchmark", "unit", "median", "min", "max", "samples", "threads", "first call");
        for (BenchResult b : report.benchmarks()) {
            if (b.wasSkipped()) {
                t.note(b.name(), "skipped: " + b.skipped());
            } else {
                t.row(b.name(), b.unit(), number(b.median()), number(b.min()), number(b.max()), Integer.toString(b.samples().length),
                        Integer.toString(b.threads()), number(b.firstCallMs()) + " ms");
            }
        }
        StringBuilder out = new StringBuilder(t.render()).append("machine: ").append(report.machine().describe()).append(System.lineSeparator());
        String trips = roundTrips(report);
        if (!trips.isEmpty()) {
            out.append("core-to-core round trip: ").append(trips)
                    .append(" (two-thread latency moves with it: docs/performance.md)").append(System.lineSeparator());
        }
        return out.toString();
    }

    /** {@code 452 ns (score_latency_t500_b1_2threads), 468 ns (...)}, or empty when none was measured. */
    private static String roundTrips(BenchReport report) {
        StringBuilder out = new StringBuilder();
        for (BenchResult b : report.benchmarks()) {
            if (!Double.isFinite(b.coreRoundTripNs())) continue;
            if (!out.isEmpty()) out.append(", ");
            out.append(String.format(Locale.ROOT, "%.0f ns (%s)", b.coreRoundTripNs(), b.name()));
        }
        return out.toString();
    }

    public static String comparison(Comparison c) {
        TextTable t = new TextTable("benchmark", "unit", "BASE", "NEW", "NEW/BASE", (int) Math.round(Comparison.CONFIDENCE * 100) + "% CI",
                "change", "p", "verdict");
        int slower = 0, faster = 0, same = 0;
        for (Comparison.Row row : c.rows()) {
            switch (row) {
                case Comparison.Compared r -> {
                    t.row(r.name(), r.unit(), number(r.baseMedian()), number(r.newMedian()), ratio(r.ratio()),
                            r.hasInterval() ? "[" + ratio(r.ciLow()) + ", " + ratio(r.ciHigh()) + "]" : "n/a", Comparison.change(r.timeFactor()), p(r.p()),
                            r.verdict().name().toLowerCase(Locale.ROOT));
                    switch (r.verdict()) {
                        case SLOWER -> slower++;
                        case FASTER -> faster++;
                        case SAME -> same++;
                    }
                }
                case Comparison.Unmatched u -> t.note(u.name(), u.note());
            }
        }
        StringBuilder out = new StringBuilder(t.render());
        String nl = System.lineSeparator();
        out.append(String.format(Locale.ROOT, "BASE and NEW are medians; slower/faster = a change beyond %s with p < %s "
                + "(two-sided Mann-Whitney U) and the ranks leaning the same way; CI: bootstrap of the ratio of medians%n", percent(c.threshold()), Comparison.ALPHA));
        if (c.rows().stream().anyMatch(r -> r instanceof Comparison.Compared k && !k.hasInterval())) {
            out.append(String.format(Locale.ROOT, "CI n/a: fewer than %d samples in BASE or NEW (with as many on each side, %d is also "
                    + "the least that can reach p < %s: docs/performance.md, \"The statistics of compare\")%n", RatioInterval.MIN_SAMPLES,
                    RatioInterval.MIN_SAMPLES, Comparison.ALPHA));
        }
        for (String note : c.notes()) out.append("note: ").append(note).append(nl);
        int lost = c.notMeasuredInNew().size();
        out.append(String.format(Locale.ROOT, "%d slower, %d faster, %d same%s%n", slower, faster, same,
                lost == 0 ? "" : ", " + lost + " not measured in NEW"));
        return out.toString();
    }

    /**
     * Four significant digits or so: 0.6123, 1.284, 81.23, 812.3, 3,691; below 1 four significant
     * digits (0.01234, 0.00002100) and below 1e-4 with an exponent (2.100e-07): %.4f printed a
     * 20 ns median in ms as 0.0000.
     */
    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1 || a == 0 || !Double.isFinite(a)) {
            String format = a >= 1000 ? "%,.0f" : a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : a >= 1 ? "%.3f" : "%.4f";
            return String.format(Locale.ROOT, format, v);
        }
        if (a < 1e-4) return String.format(Locale.ROOT, "%.3e", v);
        return new BigDecimal(v).round(new MathContext(4)).toPlainString();
    }

    private static String ratio(double v) { return String.format(Locale.ROOT, "%.3f", v); }

    private static String p(double p) { return p < 1e-4 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", p); }

    /** 0.05 → {@code 5%}, 0.025 → {@code 2.5%}, 0.00001 → {@code 0.001%}: six significant digits at most, no trailing zeros. */
    static String percent(double fraction) {
        return new BigDecimal(fraction * 100).round(new MathContext(6)).stripTrailingZeros().toPlainString() + "%";
    }
}
