package vectorlstm.model;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import vectorlstm.layers.Layer;
import vectorlstm.memory.Slab;

/**
 * The training/evaluation threads and their memory: one shared arena holding every worker's
 * activations, sized once for {@code maxBatch} (split across workers) and freed on close.
 *
 * <p>A batch of b samples is split into contiguous, fixed shares (worker w gets rows
 * [w·b/W, (w+1)·b/W)), and gradients are summed in worker order, so a run is bit-identical for
 * the same seed and thread count.
 */
final class WorkerPool implements AutoCloseable {
    /** What one worker does with its share: rows [from, from + count) of the batch. */
    interface Task { void run(Worker worker, int from, int count) throws Exception; }

    private final Arena arena = Arena.ofShared();
    final Worker[] workers;
    final int maxBatch;
    private final long bytes;
    private final ExecutorService pool;

    WorkerPool(List<Layer> layers, int timesteps, int maxBatch, int threads) {
        this.maxBatch = maxBatch;
        int n = Math.max(1, Math.min(threads, maxBatch));
        int share = (maxBatch + n - 1) / n;
        Slab counting = Slab.counting();
        for (int w = 0; w < n; w++) new Worker(layers, counting, share, timesteps);
        bytes = counting.used();
        Slab slab = Slab.allocate(arena, bytes);
        workers = new Worker[n];
        for (int w = 0; w < n; w++) workers[w] = new Worker(layers, slab, share, timesteps);
        pool = n > 1 ? Executors.newFixedThreadPool(n - 1, r -> {
            Thread t = new Thread(r, "vector-lstm-worker");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** Off-heap bytes held for activations, gradients and staging. */
    long bytes() { return bytes; }

    /** Runs the task on every worker's share of a batch of b samples; worker 0 runs on the caller. */
    int run(int b, Task task) {
        int used = Math.min(workers.length, b);
        List<Future<?>> futures = new ArrayList<>(used);
        for (int w = 1; w < used; w++) {
            final int ww = w;
            futures.add(pool.submit(() -> { task.run(workers[ww], share(b, used, ww), share(b, used, ww + 1) - share(b, used, ww)); return null; }));
        }
        Throwable failure = null;
        try {
            task.run(workers[0], 0, share(b, used, 1));
        } catch (Throwable t) {
            failure = t;
        }
        // Always wait for every share, even after a failure or an interrupt: they write into
        // shared memory that the caller may free right after.
        boolean interrupted = false;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (ExecutionException e) {
                    if (failure == null) failure = e.getCause();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure != null) throw unwrap(failure);
        return used;
    }

    private static int share(int b, int n, int w) { return (int) ((long) b * w / n); }

    private static RuntimeException unwrap(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** Stops the threads (they are idle between runs) and frees the workers' memory. */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
            try {
                while (!pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) { /* a share is still running */ }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        arena.close();
    }
}
