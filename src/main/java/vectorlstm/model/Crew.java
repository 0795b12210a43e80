package vectorlstm.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of threads that split work into contiguous, fixed shares: of n items, worker w gets
 * [w·n/W, (w+1)·n/W). Worker 0 is the calling thread. Fixed shares (and sums taken in worker
 * order by the callers) keep runs bit-identical for the same thread count.
 */
final class Crew implements AutoCloseable {
    /** What one worker does with its share: items [from, from + count). */
    interface Task { void run(int worker, int from, int count) throws Exception; }

    private final int size;
    private final ExecutorService pool;

    Crew(int size, String name) {
        this.size = Math.max(1, size);
        this.pool = this.size > 1 ? Executors.newFixedThreadPool(this.size - 1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }) : null;
    }

    int size() { return size; }

    /** Runs the task on every worker's share of n items (fewer workers when n < size); returns the workers used. */
    int run(int n, Task task) {
        int used = Math.min(size, n);
        List<Future<?>> futures = new ArrayList<>(used);
        for (int w = 1; w < used; w++) {
            final int ww = w;
            futures.add(pool.submit(() -> { task.run(ww, share(n, used, ww), share(n, used, ww + 1) - share(n, used, ww)); return null; }));
        }
        Throwable failure = null;
        try {
            task.run(0, 0, share(n, used, 1));
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

    private static int share(int n, int workers, int w) { return (int) ((long) n * w / workers); }

    private static RuntimeException unwrap(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** Stops the threads (they are idle between runs), waiting for a share still running. */
    @Override
    public void close() {
        if (pool == null) return;
        pool.shutdown();
        try {
            while (!pool.awaitTermination(10, TimeUnit.SECONDS)) { /* a share is still running */ }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
