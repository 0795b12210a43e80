package vectorlstm.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import vectorlstm.layers.Embedding;
import vectorlstm.model.FitOptions;
import vectorlstm.model.Scorer;
import vectorlstm.model.Sequential;

/**
 * Measures the user-facing benchmarks, one at a time, on an Embedding → ... model with random
 * token ids:
 * <pre>
 *   score_latency_t{T}_b1           ms         Scorer.score, T random non-zero ids, 1 thread
 *   score_latency_t{T}_b1_2threads  ms         the same through newScorer(2); skipped while unsupported
 *   score_latency_typical_b1        ms         54 % padding then ids (270 + 230 at T = 500), as a median IMDB review
 *   score_latency_real{N}_b1        ms         T - N zero pads then N random ids, 1 thread (only for the real lengths asked for)
 *   score_latency_real{N}_b1_2threads  ms      the same through newScorer(2)
 *   score_throughput_b{B}           reviews/s  predict(x, B) on config.predictReviews() reviews
 *   train_throughput_b{B}           samples/s  one fit epoch of config.trainBatchesPerSample() batches of B
 * </pre>
 * A benchmark gets a fresh model from the factory, times its first call, warms up, then takes its
 * samples as {@link BenchConfig} describes. Run each in a JVM of its own ({@link ForkedBench}):
 * in a shared JVM the JIT's profile from one benchmark slows the next (batch-1 scoring first made
 * predict take 12 calls instead of 2 to reach speed), so the numbers would depend on the order.
 */
public final class BenchRunner {
    /** The core round trip beside a two-thread benchmark: 7 samples of 5,000 round trips (after a warm-up). */
    private static final int ROUND_TRIP_SAMPLES = 7, ROUND_TRIP_TRIPS = 5_000;
    /** Share of padding in the typical review: 270 of 500 steps (the median IMDB review has ~230 words). */
    private static final double TYPICAL_PADDING = 270.0 / 500;
    /** Distinct reviews the latency benchmarks cycle through, so no branch predictor learns one input. */
    private static final int LATENCY_REVIEWS = 64;

    private final BenchConfig config;
    private final Supplier<Sequential> newModel;
    private final int steps;
    private final int vocabulary;
    private final SequencedMap<String, Plan> plans = new LinkedHashMap<>();

    /** One benchmark's set-up: what a call is and what a sample is, and what to close afterwards. */
    private interface Trial extends AutoCloseable {
        void call();

        /** One sample's value in the benchmark's unit. */
        double sample();

        @Override
        void close();
    }

    private record Plan(String unit, boolean higherIsBetter, int threads, int samples, Supplier<Trial> setUp) {}

    /** @param newModel builds a fresh compiled model (an Embedding with an input length first) each time it is called */
    public BenchRunner(BenchConfig config, Supplier<Sequential> newModel) {
        this(config, newModel, List.of());
    }

    /**
     * As {@link #BenchRunner(BenchConfig, Supplier)}, plus the latency of reviews with {@code N}
     * real ids after {@code T - N} zero pads, at 1 and 2 threads, for each {@code N} in
     * {@code realLengths} (latency against length: the scorer skips the padding, others run all T steps).
     */
    public BenchRunner(BenchConfig config, Supplier<Sequential> newModel, List<Integer> realLengths) {
        this.config = config;
        this.newModel = newModel;
        try (Sequential probe = newModel.get()) {
            if (!(probe.layers().get(0) instanceof Embedding e)) throw new IllegalArgumentException("bench needs a model that starts with an Embedding");
            steps = probe.inputShape().dim(0);
            vocabulary = e.inputDim();
        }
        String latency = "score_latency_t" + steps + "_b1";
        int typicalPads = (int) Math.round(steps * TYPICAL_PADDING);
        plans.put(latency, new Plan("ms", false, 1, config.latencySamples(), () -> latency(1, 0)));
        plans.put(latency + "_2threads", new Plan("ms", false, 2, config.latencySamples(), () -> latency(2, 0)));
        plans.put("score_latency_typical_b1", new Plan("ms", false, 1, config.latencySamples(), () -> latency(1, typicalPads)));
        plans.put("score_throughput_b" + config.predictBatch(),
                new Plan("reviews/s", true, config.threads(), config.throughputSamples(), this::predict));
        plans.put("train_throughput_b" + config.trainBatch(),
                new Plan("samples/s", true, config.threads(), config.throughputSamples(), this::train));
        for (int real : realLengths) {
            if (real < 0 || real > steps) throw new IllegalArgumentException("a real length must be between 0 and " + steps + " (the input length), got " + real);
            int pads = steps - real;
            for (int threads = 1; threads <= 2; threads++) {
                int t = threads;
                Plan plan = new Plan("ms", false, t, config.latencySamples(), () -> latency(t, pads));
                if (plans.putIfAbsent(realLengthName(real, t), plan) != null) throw new IllegalArgumentException("real length " + real + " given twice");
            }
        }
    }

    /** {@code score_latency_real{N}_b1}, with {@code _2threads} for the two-core scorer. */
    public static String realLengthName(int real, int threads) {
        return REAL_LENGTH_PREFIX + real + "_b1" + (threads == 2 ? "_2threads" : "");
    }

    /** What the names of the {@code --lengths} benchmarks start with. */
    public static final String REAL_LENGTH_PREFIX = "score_latency_real";

    /** Every benchmark's name with its number of progress steps (first call and warm-up, then one per sample), in run order. */
    public SequencedMap<String, Integer> steps() {
        SequencedMap<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, Plan> e : plans.entrySet()) out.put(e.getKey(), 1 + e.getValue().samples());
        return out;
    }

    /** {@code name} recorded as skipped, with its unit and direction, for {@code reason} (a JVM that failed while it ran). */
    public BenchResult skipped(String name, String reason) {
        Plan plan = plans.get(name);
        if (plan == null) throw new IllegalArgumentException("no benchmark " + name);
        return BenchResult.skipped(name, plan.unit(), plan.higherIsBetter(), plan.threads(), reason);
    }

    /** Runs one benchmark in this JVM; an operation the model does not support yet makes it skipped. */
    public BenchResult run(String name, BenchProgress progress) {
        Plan plan = plans.get(name);
        if (plan == null) throw new IllegalArgumentException("no benchmark " + name + " (there are " + String.join(", ", plans.keySet()) + ")");
        progress.update(0, name + ": first call and warm-up");
        try (Trial trial = plan.setUp().get()) {
            long start = System.nanoTime();
            trial.call();
            long firstCallEnd = System.nanoTime();
            double firstCallMs = (firstCallEnd - start) / 1e6;
            // The clock starts after the first call: a slow first call (interpreted kernels) is not warm-up enough.
            long warmEnd = firstCallEnd + config.warmup().toNanos();
            while (System.nanoTime() < warmEnd) trial.call();
            // Where the host placed the vCPUs now (about 50 ms): a two-thread figure moves with it.
            double roundTrip = plan.threads() >= 2 ? CoreRoundTrip.medianNanos(ROUND_TRIP_SAMPLES, ROUND_TRIP_TRIPS) : Double.NaN;
            double[] samples = new double[plan.samples()];
            for (int i = 0; i < samples.length; i++) {
                progress.update(1 + i, name + ": sample " + (i + 1) + "/" + samples.length);
                samples[i] = trial.sample();
            }
            return BenchResult.measured(name, plan.unit(), plan.higherIsBetter(), plan.threads(), firstCallMs, samples).withCoreRoundTrip(roundTrip);
        } catch (UnsupportedOperationException e) {
            return BenchResult.skipped(name, plan.unit(), plan.higherIsBetter(), plan.threads(), e.getMessage());
        }
    }

    /** Latency of single reviews; a sample is the median of a few calls, in ms. */
    private Trial latency(int threads, int pads) {
        int[][] reviews = reviews(LATENCY_REVIEWS, pads, 1);
        Sequential model = newModel.get();
        Scorer scorer;
        try {
            scorer = model.newScorer(threads);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return new Trial() {
            private int next;

            @Override
            public void call() { scorer.score(reviews[next++ % reviews.length]); }

            @Override
            public double sample() {
                double[] ms = new double[config.callsPerLatencySample()];
                for (int i = 0; i < ms.length; i++) {
                    long start = System.nanoTime();
                    call();
                    ms[i] = (System.nanoTime() - start) / 1e6;
                }
                return Samples.median(ms);
            }

            @Override
            public void close() {
                scorer.close();
                model.close();
            }
        };
    }

    private Trial predict() {
        int[][] x = reviews(config.predictReviews(), 0, 2);
        Sequential model = newModel.get().threads(config.threads());
        return throughput(model, x.length, () -> model.predict(x, config.predictBatch()));
    }

    private Trial train() {
        int n = config.trainBatch() * config.trainBatchesPerSample();
        int[][] x = reviews(n, 0, 3);
        SplittableRandom rng = random(4);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = rng.nextInt(2);
        Sequential model = newModel.get().threads(config.threads());
        FitOptions epoch = new FitOptions().epochs(1).batchSize(config.trainBatch()).verbose(false);
        return throughput(model, n, () -> model.fit(x, y, epoch));
    }

    /** A sample is one call over {@code items} reviews, in reviews per second. */
    private static Trial throughput(Sequential model, int items, Runnable call) {
        return new Trial() {
            @Override
            public void call() { call.run(); }

            @Override
            public double sample() {
                long start = System.nanoTime();
                call.run();
                return items / ((System.nanoTime() - start) / 1e9);
            }

            @Override
            public void close() { model.close(); }
        };
    }

    /** {@code n} reviews: {@code pads} zeros, then random ids in [1, vocabulary). */
    private int[][] reviews(int n, int pads, int stream) {
        SplittableRandom rng = random(stream);
        int[][] x = new int[n][steps];
        for (int[] review : x) for (int t = pads; t < steps; t++) review[t] = 1 + rng.nextInt(vocabulary - 1);
        return x;
    }

    /** Each input set has its own stream of the seed, so it does not depend on which benchmark runs. */
    private SplittableRandom random(int stream) {
        return new SplittableRandom(config.seed() * 31 + stream);
    }
}
