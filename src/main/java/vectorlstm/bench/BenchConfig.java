package vectorlstm.bench;

import java.time.Duration;

/**
 * How much {@link BenchRunner} measures. Each benchmark times its first call, then keeps calling
 * for {@code warmup} more (the JIT compiles the kernels: the first Panama calls run interpreted,
 * and on 2 cores the compiler threads compete with the workers for seconds), then takes its samples:
 * <ul>
 *   <li>latency: a sample is the median of {@code callsPerLatencySample} timed {@code score}
 *       calls (the median drops the odd call hit by a GC or the other tenant of the machine);</li>
 *   <li>predict: a sample is one {@code predict} of {@code predictReviews} reviews, in reviews/s;</li>
 *   <li>train: a sample is one epoch of {@code trainBatchesPerSample} batches, in samples/s.</li>
 * </ul>
 * Mann-Whitney needs at least 5 samples a side before any difference can reach p &lt; 0.01.
 *
 * @param threads threads of predict and fit (the latency benchmarks use 1, and 2 for the two-core scorer)
 * @param seed    inputs and weights: the same seed gives the same work
 */
public record BenchConfig(Duration warmup, int latencySamples, int callsPerLatencySample, int throughputSamples,
                          int predictReviews, int predictBatch, int trainBatchesPerSample, int trainBatch,
                          int threads, long seed) {
    public BenchConfig {
        if (warmup.isNegative()) throw new IllegalArgumentException("warm-up must not be negative");
        for (int n : new int[] {latencySamples, callsPerLatencySample, throughputSamples, predictReviews, predictBatch,
                trainBatchesPerSample, trainBatch, threads}) {
            if (n < 1) throw new IllegalArgumentException("every count of a bench configuration must be >= 1: " + this);
        }
    }

    /** The default run: about two minutes on 2 idle cores. */
    public static BenchConfig standard(int threads, long seed) {
        return new BenchConfig(Duration.ofSeconds(8), 30, 20, 12, 512, 256, 4, 64, threads, seed);
    }

    /** {@code --quick}: about 30 s on 2 idle cores, still 8 samples a side for the significance test. */
    public static BenchConfig quick(int threads, long seed) {
        return new BenchConfig(Duration.ofSeconds(2), 15, 10, 8, 256, 256, 2, 64, threads, seed);
    }
}
