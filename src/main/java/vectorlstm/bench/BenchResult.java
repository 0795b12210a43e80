package vectorlstm.bench;

import java.util.Arrays;

/**
 * One benchmark's outcome: its samples in {@code unit}, or why it was skipped.
 *
 * @param higherIsBetter true for throughputs (reviews/s), false for latencies (ms)
 * @param threads        threads the measured call used
 * @param firstCallMs    wall time of the first call on a fresh model or scorer, before any warm-up
 *                       (NaN when skipped or unknown); under {@code ./lstm bench} every benchmark
 *                       has a fresh JVM, so this includes class loading and interpreted kernels
 * @param samples        one value per sample (empty when skipped), finite and positive
 * @param skipped        why the benchmark did not run, or null
 * @param coreRoundTripNs the core-to-core round trip measured just before the samples
 *                       ({@link CoreRoundTrip}), for benchmarks on two threads or more; NaN when
 *                       not measured. A two-thread latency moves with it (where the host put the
 *                       vCPUs), so {@code bench compare} notes when BASE's and NEW's differ.
 */
public record BenchResult(String name, String unit, boolean higherIsBetter, int threads, double firstCallMs,
                          double[] samples, String skipped, double coreRoundTripNs) {
    /** More than any run takes (tens of samples); bounds what {@code bench compare}'s resampling does with a file. */
    public static final int MAX_SAMPLES = 10_000;
    /** Samples are times and rates far inside this range; outside it, medians and ratios would overflow to infinity or zero. */
    static final double SMALLEST = 1e-12, LARGEST = 1e12;

    public BenchResult {
        printable("name", name);
        printable(name + ": unit", unit);
        if (skipped != null) skipped = printableReason(skipped);
        samples = samples.clone();
        if (skipped == null && samples.length == 0) throw new IllegalArgumentException(name + ": no samples");
        if (samples.length > MAX_SAMPLES) throw new IllegalArgumentException(name + ": " + samples.length + " samples, more than " + MAX_SAMPLES);
        for (double s : samples) {
            if (!(s >= SMALLEST && s <= LARGEST)) throw new IllegalArgumentException(name + ": sample " + s + " is not a number between " + SMALLEST + " and " + LARGEST);
        }
        if (!Double.isNaN(coreRoundTripNs) && !(coreRoundTripNs > 0 && Double.isFinite(coreRoundTripNs))) {
            throw new IllegalArgumentException(name + ": core round trip " + coreRoundTripNs + " ns is not a finite positive number");
        }
    }

    /**
     * Why a benchmark was skipped, as printed in a table row: one line, no escape codes (every ISO
     * control, C1's 0x80-0x9F too: \p{Cntrl} left those, such as the 8-bit CSI), at most 200
     * characters (a 20-million-character reason printed a 20 MB line).
     */
    private static String printableReason(String reason) {
        String line = reason.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return line.codePointCount(0, line.length()) <= 200 ? line : line.substring(0, line.offsetByCodePoints(0, 199)) + "…";
    }

    /** Names and units are printed in tables: no control characters (a terminal's escape codes, line breaks), at most 200 characters. */
    private static void printable(String what, String text) {
        if (text == null) throw new IllegalArgumentException(what + " is missing");
        if (text.isEmpty() || text.length() > 200 || text.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " must be 1-200 printable characters, got \"" + text.codePoints().limit(60)
                    .map(c -> Character.isISOControl(c) ? '?' : c).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append) + "\"");
        }
    }

    /** A result without a core round trip. */
    public BenchResult(String name, String unit, boolean higherIsBetter, int threads, double firstCallMs, double[] samples, String skipped) {
        this(name, unit, higherIsBetter, threads, firstCallMs, samples, skipped, Double.NaN);
    }

    /** This result with the round trip measured beside it. */
    BenchResult withCoreRoundTrip(double ns) {
        return new BenchResult(name, unit, higherIsBetter, threads, firstCallMs, samples, skipped, ns);
    }

    static BenchResult measured(String name, String unit, boolean higherIsBetter, int threads, double firstCallMs, double[] samples) {
        return new BenchResult(name, unit, higherIsBetter, threads, firstCallMs, samples, null);
    }

    static BenchResult skipped(String name, String unit, boolean higherIsBetter, int threads, String reason) {
        return new BenchResult(name, unit, higherIsBetter, threads, Double.NaN, new double[0], reason);
    }

    public boolean wasSkipped() { return skipped != null; }

    @Override
    public double[] samples() { return samples.clone(); }

    public double median() { return Samples.median(samples); }

    public double min() { return Arrays.stream(samples).min().orElse(Double.NaN); }

    public double max() { return Arrays.stream(samples).max().orElse(Double.NaN); }
}
