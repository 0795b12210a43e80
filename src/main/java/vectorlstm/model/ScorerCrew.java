package vectorlstm.model;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * predict for a variable-length token model off the packed path (a GRU, a BiLSTM, a stack): each
 * sequence at its own length through a scorer (no padding, which such a model would read as
 * steps), on the model's threads, each with a scorer of its own, taking rows a chunk at a time.
 * Each row gets exactly a scorer's bits. Tried instead: the rows grouped by length, each group in
 * batches through the layers; 1.5x faster once warm on an imported BiLSTM(30), but its workers,
 * rebuilt as the lengths grew, took 1.6 GB and made a first call (an eval's only one) 2x slower
 * (docs/performance-history.md).
 */
final class ScorerCrew {
    /** Rows a thread takes at a time: few enough that the threads end together. */
    private static final int CHUNK = 16;

    private ScorerCrew() {}

    /** The outputs {@code [n, units]} of rows {@code x} (checked by the caller), on up to {@code threads} threads. */
    static float[] predict(Sequential model, int[][] x, int threads) {
        // First: a helper's scorer would wait for this thread's write while this thread waits for the helper.
        model.weightWrites().refuseInsideAWrite();
        int units = model.layers().get(model.layers().size() - 1).outputShape().last();
        float[] out = new float[Math.multiplyExact(x.length, units)];
        int crew = (int) Math.max(1, Math.min(threads, ((long) x.length + CHUNK - 1) / CHUNK));
        Scorer[] scorers = new Scorer[crew];
        try {
            for (int i = 0; i < crew; i++) scorers[i] = model.newScorer();
            AtomicInteger next = new AtomicInteger();
            IntConsumer work = i -> {
                float[] row = new float[units];
                for (int from; (from = next.getAndAdd(CHUNK)) < x.length; ) {
                    for (int n = from, end = Math.min(x.length, from + CHUNK); n < end; n++) {
                        scorers[i].scoreAll(x[n], row);
                        System.arraycopy(row, 0, out, n * units, units);
                    }
                }
            };
            Thread[] helpers = new Thread[crew - 1];
            Throwable[] failed = new Throwable[crew];
            try {
                for (int i = 1; i < crew; i++) {
                    int id = i;
                    helpers[i - 1] = Thread.ofPlatform().daemon().name("vector-lstm-predict-" + i).start(() -> {
                        try {
                            work.accept(id);
                        } catch (Throwable t) {
                            failed[id] = t;
                            next.set(x.length);  // the others stop at their next chunk
                        }
                    });
                }
                work.accept(0);
            } catch (RuntimeException | Error e) {  // this thread's rows, or a helper that could not start
                next.set(x.length);
                throw e;
            } finally {
                joinUninterruptibly(helpers);  // they write into out and use the scorers: done before either goes
            }
            for (Throwable t : failed) {
                if (t instanceof RuntimeException e) throw e;
                if (t instanceof Error e) throw e;
            }
            return out;
        } finally {
            for (Scorer s : scorers) if (s != null) s.close();
        }
    }

    /** Waits for every thread to end; an interrupt is kept for the caller. */
    private static void joinUninterruptibly(Thread[] threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t != null && t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
