package vectorlstm.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile-bootstrap confidence interval for median(next) / median(base): both sample sets are
 * resampled with replacement, independently, {@value #RESAMPLES} times, and the interval is the
 * middle {@code level} of the resampled ratios. Distribution-free, and it fits the ratio of
 * medians the table shows. The seed is fixed, so the same two files always give the same interval.
 * With a handful of samples the interval is coarse (it can only take values of sample ratios), and
 * below {@link #MIN_SAMPLES} a side it is not given at all.
 */
final class RatioInterval {
    static final int RESAMPLES = 4000;
    /**
     * Fewer samples than this on either side give no interval (NaN). Resampled medians of 3 values
     * take a few values only, and the "95 %" interval came out [1.000, 1.000] or as wide as the
     * samples: degenerate, not a confidence. 5 a side is also what the Mann-Whitney test needs
     * before any difference can reach p &lt; 0.01 (docs/performance.md, "The statistics of compare").
     */
    static final int MIN_SAMPLES = 5;
    private static final long SEED = 0x5EED_B007L;

    private RatioInterval() {}

    /** {low, high} of the {@code level} (e.g. 0.95) interval; {NaN, NaN} when a side has fewer than {@link #MIN_SAMPLES}. */
    static double[] bootstrap(double[] base, double[] next, double level) {
        if (base.length < MIN_SAMPLES || next.length < MIN_SAMPLES) return new double[] {Double.NaN, Double.NaN};
        SplittableRandom rng = new SplittableRandom(SEED);
        double[] ratios = new double[RESAMPLES];
        double[] b = new double[base.length], n = new double[next.length];
        for (int r = 0; r < RESAMPLES; r++) {
            resample(base, b, rng);
            resample(next, n, rng);
            ratios[r] = Samples.median(n) / Samples.median(b);
        }
        Arrays.sort(ratios);
        double tail = (1 - level) / 2;
        int lo = (int) Math.floor(tail * (RESAMPLES - 1)), hi = (int) Math.ceil((1 - tail) * (RESAMPLES - 1));
        return new double[] {ratios[lo], ratios[hi]};
    }

    private static void resample(double[] from, double[] into, SplittableRandom rng) {
        for (int i = 0; i < into.length; i++) into[i] = from[rng.nextInt(from.length)];
    }
}
