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
    public BenchResult {
        samples = samples.clone();
        if (skipped == null && samples.length == 0) throw new IllegalArgumentException(name + ": no samples");
        for (double s : samples) {
            if (!(s > 0 && Double.isFinite(s))) throw new IllegalArgumentException(name + ": sample " + s + " is not a finite positive number");
        }
        if (!Double.isNaN(coreRoundTripNs) && !(coreRoundTripNs > 0 && Double.isFinite(coreRoundTripNs))) {
            throw new IllegalArgumentException(name + ": core round trip " + coreRoundTripNs + " ns is not a finite positive number");
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
