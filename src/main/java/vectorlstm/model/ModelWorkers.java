package vectorlstm.model;

import java.util.List;
import vectorlstm.layers.Layer;

/**
 * A {@link Sequential}'s workers: the pool of the last fit, evaluate or layer-by-layer predict
 * (per-thread activations, gradients when training), and the streaming predictor of the packed
 * path. Kept while large enough, replaced when a call needs more; the model calls these under its
 * lock (the test accessor aside) and closes them when a setting they were built for changes.
 */
final class ModelWorkers implements AutoCloseable {
    /**
     * Inference batches of float sequences (and of token ids for a model of any length) are cut to
     * keep their activations within this (rows x the longest's steps x the layers' widths).
     */
    static final long INFERENCE_BATCH_BYTES = 1L << 30;

    private WorkerPool pool;
    private PackedPredictor predictor;
    /** Runs before the workers are closed or replaced; throws where that must not happen (inside the model's own fit). */
    private final Runnable beforeClose;

    ModelWorkers(Runnable beforeClose) {
        this.beforeClose = beforeClose;
    }

    /**
     * Workers for batches of {@code batchSize} out of {@code samples} (a batch is never larger than
     * the data, as in Keras: batch size 10^9 on 4 samples holds 4 rows) and sequences up to
     * {@code steps}; the pool is kept while it is large enough. A pool made for evaluation and
     * prediction holds no gradients; {@code training} replaces it with one that does (a training
     * pool serves evaluation too, so fit's validation does not rebuild it). Once a model has a
     * training pool, a larger one replaces it in training mode: a caller alternating fit with a
     * larger evaluate would otherwise rebuild the pool at every switch.
     */
    WorkerPool pool(List<Layer> layers, int batchSize, int samples, int steps, boolean training,
                    int threads, boolean skipSharedPadding, boolean perTokenInput) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        // Rounded up to a power of two: calls with a growing number of samples rebuild the pool
        // (an arena of activations) log2 times, not each time.
        int rows = (int) Math.min(batchSize, Long.highestOneBit(Math.max(1L, samples) * 2 - 1));
        if (pool == null || pool.maxBatch < rows || pool.maxSteps < steps || (training && !pool.training)) {
            int keepSteps = pool == null ? steps : Math.max(steps, pool.maxSteps);
            boolean keepTraining = training || (pool != null && pool.training);
            close();
            pool = new WorkerPool(layers, keepSteps, rows, threads, skipSharedPadding, perTokenInput, keepTraining);
        }
        return pool;
    }

    /**
     * The rows an inference batch of sequences up to {@code longest} steps may hold:
     * {@code batchSize}, or fewer when that many rows would need more than
     * {@link #INFERENCE_BATCH_BYTES} (27 rows with one sequence of 20,000 steps took 3.7 GB; at
     * the 100,000-step limit it would have been 16 GB). Measured as {@link #pool} would build the
     * pool: one rebuilt for more rows keeps the steps and training buffers of the one it replaces.
     */
    int rowsWithinBound(List<Layer> layers, int batchSize, int longest) {
        int steps = pool == null ? longest : Math.max(longest, pool.maxSteps);
        long perRow = WorkerPool.bytesPerRow(layers, steps, pool != null && pool.training);
        return (int) Math.max(1, Math.min(batchSize, INFERENCE_BATCH_BYTES / Math.max(1, perRow)));
    }

    /**
     * The streaming predictor of the packed path for {@code rows} sequences: a worker per row at
     * most (a run shares rows out to no more), up to {@code threads}. Each worker holds its own step
     * memory (about 230 KB at the seed model's size), so 1,024 threads asked of a model that
     * predicts 4 rows cut 230 MB and started 1,024 threads for them. Rebuilt when a call has more
     * rows than the one it keeps has workers (counted up to a power of two, so log2 times at most);
     * a row's outputs do not depend on how the rows are shared out.
     */
    PackedPredictor predictor(PackedLstm packed, int threads, int rows) {
        int wanted = (int) Math.max(1, Math.min(threads, Long.highestOneBit(Math.max(1L, rows) * 2 - 1)));
        if (predictor != null && predictor.workers() < wanted) {
            predictor.close();
            predictor = null;
        }
        if (predictor == null) predictor = new PackedPredictor(packed, wanted);
        return predictor;
    }

    /** The pool of the last fit, evaluate or layer-by-layer predict (null before, or after a close). */
    WorkerPool currentPool() { return pool; }

    @Override
    public void close() {
        beforeClose.run();
        if (pool != null) {
            pool.close();
            pool = null;
        }
        if (predictor != null) {
            predictor.close();
            predictor = null;
        }
    }
}
