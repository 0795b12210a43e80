package vectorlstm.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import vectorlstm.layers.Embedding;
import vectorlstm.model.FitOptions;
import vectorlstm.model.ProgressLine;
import vectorlstm.model.Scorer;
import vectorlstm.model.Sequential;

/**
 * Runs the user-facing benchmarks on an Embedding → ... model with random token ids:
 * <pre>
 *   score_latency_t{T}_b1           ms         Scorer.score, T random non-zero ids, 1 thread
 *   score_latency_t{T}_b1_2threads  ms         the same through newScorer(2); skipped while unsupported
 *   score_latency_typical_b1        ms         54 % padding then ids (270 + 230 at T = 500), as a median IMDB review
 *   score_throughput_b{B}           reviews/s  predict(x, B) on config.predictReviews() reviews
 *   train_throughput_b{B}           samples/s  one fit epoch of config.trainBatchesPerSample() batches of B
 * </pre>
 * Every benchmark gets a fresh model from the factory (so one's training, worker pool or cached
 * padding states cannot change another's numbers), times its first call, warms up, then takes
 * its samples as {@link BenchConfig} describes. One progress line on the given stream says what runs.
 */
public final class BenchRunner {
    /** Share of padding in the typical review: 270 of 500 steps (the median IMDB review has ~230 words). */
    private static final double TYPICAL_PADDING = 270.0 / 500;
    /** Distinct reviews the latency benchmarks cycle through, so no branch predictor learns one input. */
    private static final int LATENCY_REVIEWS = 64;

    private final BenchConfig config;
    private final PrintStream progressOut;
    private final boolean interactive;

    /** @param interactive redraw the progress line in place (a terminal) rather than print a line per tenth */
    public BenchRunner(BenchConfig config, PrintStream progress, boolean interactive) {
        this.config = config;
        this.progressOut = progress;
        this.interactive = interactive;
    }

    /** One benchmark's set-up: what a call is and what a sample is, and what to close afterwards. */
    private interface Trial extends AutoCloseable {
        void call();

        /** One sample's value in the benchmark's unit. */
        double sample();

        @Override
        void close();
    }

    private record Plan(String name, String unit, boolean higherIsBetter, int threads, int samples, Supplier<Trial> setUp) {}

    /** @param newModel builds a fresh compiled model (an Embedding with an input length first) each time it is called */
    public BenchReport run(Supplier<Sequential> newModel) {
        List<Plan> plans = plans(newModel);
        int steps = plans.stream().mapToInt(p -> 1 + p.samples()).sum();  // warm-up + samples each
        ProgressLine progress = new ProgressLine(progressOut, steps, interactive);
        List<BenchResult> results = new ArrayList<>();
        int done = 0;
        for (Plan plan : plans) {
            results.add(measure(plan, progress, done));
            done += 1 + plan.samples();
        }
        progress.finish(" - done");
        return new BenchReport(Machine.current(), results);
    }

    private BenchResult measure(Plan plan, ProgressLine progress, int done) {
        progress.update(done, " - " + plan.name() + ": first call and warm-up");
        try (Trial trial = plan.setUp().get()) {
            long start = System.nanoTime();
            trial.call();
            long firstCallEnd = System.nanoTime();
            double firstCallMs = (firstCallEnd - start) / 1e6;
            // The clock starts after the first call: a slow first call (interpreted kernels) is not warm-up enough.
            long warmEnd = firstCallEnd + config.warmup().toNanos();
            while (System.nanoTime() < warmEnd) trial.call();
            double[] samples = new double[plan.samples()];
            for (int i = 0; i < samples.length; i++) {
                progress.update(done + 1 + i, " - " + plan.name() + ": sample " + (i + 1) + "/" + samples.length);
                samples[i] = trial.sample();
            }
            return BenchResult.measured(plan.name(), plan.unit(), plan.higherIsBetter(), plan.threads(), firstCallMs, samples);
        } catch (UnsupportedOperationException e) {
            return BenchResult.skipped(plan.name(), plan.unit(), plan.higherIsBetter(), plan.threads(), e.getMessage());
        }
    }

    private List<Plan> plans(Supplier<Sequential> newModel) {
        int steps, vocabulary;
        try (Sequential probe = newModel.get()) {
            if (!(probe.layers().get(0) instanceof Embedding e)) throw new IllegalArgumentException("bench needs a model that starts with an Embedding");
            steps = probe.inputShape().dim(0);
            vocabulary = e.inputDim();
        }
        int typicalPads = (int) Math.round(steps * TYPICAL_PADDING);
        int[][] full = reviews(LATENCY_REVIEWS, steps, 0, vocabulary, 1);
        int[][] typical = reviews(LATENCY_REVIEWS, steps, typicalPads, vocabulary, 2);
        int[][] predictX = reviews(config.predictReviews(), steps, 0, vocabulary, 3);
        int trainN = config.trainBatch() * config.trainBatchesPerSample();
        int[][] trainX = reviews(trainN, steps, 0, vocabulary, 4);
        float[] trainY = labels(trainN, 5);
        String latency = "score_latency_t" + steps + "_b1";
        return List.of(
                new Plan(latency, "ms", false, 1, config.latencySamples(), () -> latency(newModel, 1, full)),
                new Plan(latency + "_2threads", "ms", false, 2, config.latencySamples(), () -> latency(newModel, 2, full)),
                new Plan("score_latency_typical_b1", "ms", false, 1, config.latencySamples(), () -> latency(newModel, 1, typical)),
                new Plan("score_throughput_b" + config.predictBatch(), "reviews/s", true, config.threads(), config.throughputSamples(),
                        () -> predict(newModel, predictX)),
                new Plan("train_throughput_b" + config.trainBatch(), "samples/s", true, config.threads(), config.throughputSamples(),
                        () -> train(newModel, trainX, trainY)));
    }

    /** Latency of single reviews; a sample is the median of a few calls, in ms. */
    private Trial latency(Supplier<Sequential> newModel, int threads, int[][] reviews) {
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

    private Trial predict(Supplier<Sequential> newModel, int[][] x) {
        Sequential model = newModel.get().threads(config.threads());
        return throughput(model, x.length, () -> model.predict(x, config.predictBatch()));
    }

    private Trial train(Supplier<Sequential> newModel, int[][] x, float[] y) {
        Sequential model = newModel.get().threads(config.threads());
        FitOptions epoch = new FitOptions().epochs(1).batchSize(config.trainBatch()).verbose(false);
        return throughput(model, x.length, () -> model.fit(x, y, epoch));
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

    /** {@code n} reviews of {@code steps} ids: {@code pads} zeros, then random ids in [1, vocabulary). */
    private int[][] reviews(int n, int steps, int pads, int vocabulary, int stream) {
        SplittableRandom rng = new SplittableRandom(config.seed() * 31 + stream);
        int[][] x = new int[n][steps];
        for (int[] review : x) for (int t = pads; t < steps; t++) review[t] = 1 + rng.nextInt(vocabulary - 1);
        return x;
    }

    private float[] labels(int n, int stream) {
        SplittableRandom rng = new SplittableRandom(config.seed() * 31 + stream);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = rng.nextInt(2);
        return y;
    }
}
