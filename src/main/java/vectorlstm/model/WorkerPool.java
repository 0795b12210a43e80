package vectorlstm.model;

import java.lang.foreign.Arena;
import java.util.List;
import vectorlstm.layers.Layer;
import vectorlstm.layers.TileRunner;
import vectorlstm.memory.Slab;

/**
 * The training/evaluation threads and their memory: one shared arena holding every worker's
 * activations, sized once for {@code maxBatch} (split across workers) and freed on close.
 *
 * <p>A batch of b samples is split into the {@link Crew}'s fixed shares, and gradients are summed
 * in worker order, so a run is bit-identical for the same seed, thread count and vector width; the tiles a
 * worker hands to another ({@link TileBoard}) give the same bits on either thread.
 */
final class WorkerPool implements AutoCloseable {
    /** What one worker does with its share: rows [from, from + count) of the batch. */
    interface Task { void run(Worker worker, int from, int count) throws Exception; }

    private final Arena arena = Arena.ofShared();
    final Worker[] workers;
    final int maxBatch;
    /** Whether the workers hold gradients and backward buffers (fit), or only what a forward needs. */
    final boolean training;
    /** The longest sequence the workers hold. */
    final int maxSteps;
    private final long bytes;
    private final Crew crew;
    private final TileBoard board;

    /** A pool that trains. */
    WorkerPool(List<Layer> layers, int timesteps, int maxBatch, int threads, boolean skipPadding) {
        this(layers, timesteps, maxBatch, threads, skipPadding, true, true);
    }

    /** A pool that trains; {@code tokenInput}: let an LSTM fed by the Embedding run its input side per token (the row path when false; tests compare the two). */
    WorkerPool(List<Layer> layers, int timesteps, int maxBatch, int threads, boolean skipPadding, boolean tokenInput) {
        this(layers, timesteps, maxBatch, threads, skipPadding, tokenInput, true);
    }

    /** {@code training}: false for a pool that only evaluates and predicts (no gradients or backward buffers). */
    WorkerPool(List<Layer> layers, int timesteps, int maxBatch, int threads, boolean skipPadding, boolean tokenInput, boolean training) {
        this.training = training;
        this.maxBatch = maxBatch;
        this.maxSteps = timesteps;
        int n = Math.max(1, Math.min(threads, maxBatch));
        int share = (maxBatch + n - 1) / n;
        Slab counting = Slab.counting();
        try {
            for (int w = 0; w < n; w++) new Worker(layers, counting, share, timesteps, skipPadding, TileRunner.ALONE, tokenInput, training);
        } catch (ArithmeticException e) {  // a layer's buffer past 2^31 floats (its int indexing)
            arena.close();
            throw new IllegalArgumentException("batches of " + maxBatch + " sequences of " + timesteps + " steps need a layer buffer of more than 2^31 floats"
                    + " (" + e.getMessage() + "): use a smaller batch size", e);
        }
        bytes = counting.used();
        Slab slab;
        try {
            slab = Slab.allocate(arena, bytes);
        } catch (OutOfMemoryError e) {
            arena.close();
            throw new IllegalArgumentException("batches of " + maxBatch + " sequences of " + timesteps + " steps need " + (bytes >> 20)
                    + " MB of activations, more than this machine gives the JVM (" + e.getMessage() + "): use a smaller batch size", e);
        }
        board = new TileBoard(n);
        workers = new Worker[n];
        for (int w = 0; w < n; w++) workers[w] = new Worker(layers, slab, share, timesteps, skipPadding, board.runner(w), tokenInput, training);
        crew = new Crew(n, "vector-lstm-worker");
    }

    /** The off-heap bytes a worker holds for one row of {@code steps} steps (activations and staging; with {@code training}, gradients and backward buffers too). */
    static long bytesPerRow(List<Layer> layers, int steps, boolean training) {
        Slab counting = Slab.counting();
        new Worker(layers, counting, 1, steps, false, TileRunner.ALONE, false, training);
        return counting.used();
    }

    /** Off-heap bytes held for activations, gradients and staging. */
    long bytes() { return bytes; }

    /**
     * Runs the task on every worker's share of a batch of b samples; worker 0 runs on the caller.
     * A worker done with its share helps the others with their layers' tiles ({@link TileBoard}).
     */
    int run(int b, Task task) {
        board.start(Math.min(workers.length, b));
        return crew.run(b, (w, from, count) -> {
            try {
                task.run(workers[w], from, count);
            } finally {
                board.finishAndHelp(w);
            }
        });
    }

    /** Stops the threads and frees the workers' memory. */
    @Override
    public void close() {
        crew.close();
        arena.close();
    }
}
