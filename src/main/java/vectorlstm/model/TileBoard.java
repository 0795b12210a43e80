package vectorlstm.model;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import vectorlstm.layers.TileRunner;

/**
 * Where the threads of one batch share their layers' bulk work. Each worker owns a slot, its
 * {@link TileRunner}: backward publishes a layer's tiles there (an LSTM's or GRU's dU, dW, dbias
 * and dx products) and takes them itself, while a worker that has finished its own share of the
 * batch takes tiles from the slots of those still working. So the batch ends when its work does,
 * not when the slower of two equal shares does: the vCPUs' speeds drift apart from moment to
 * moment (and a padded batch's shares differ in real length), and the faster thread used to wait,
 * 2–10 % of the workers' time (docs/performance-history.md).
 *
 * <p>The fixed shares still decide what each worker computes and gradients are still summed in
 * worker order; only the running of a tile moves between threads, and a tile's bits do not depend
 * on its thread ({@code Kernels.TILE_ALIGN}). Runs stay bit-identical.
 *
 * <p>A slot's ticket packs (generation, count, next tile) into one atomic long, so a claim that
 * succeeds is a claim on the tiles published with that generation. Their owner changes the work
 * only after every tile of the last generation is done, so a claimed tile's work is still there.
 */
final class TileBoard {
    private static final int MAX_TILES = 0xFFFF;
    private final Slot[] slots;
    private final AtomicInteger finished = new AtomicInteger();
    private volatile int workers;
    private final AtomicLong tilesHelped = new AtomicLong();

    TileBoard(int size) {
        slots = new Slot[size];
        for (int w = 0; w < size; w++) slots[w] = new Slot();
    }

    /** The runner worker w's layers hand their tiles to. */
    TileRunner runner(int worker) { return slots[worker]; }

    /** Before a run of {@code used} workers (the caller, before it starts them). */
    void start(int used) {
        finished.set(0);
        workers = used;
    }

    /**
     * Called by each worker when its share is done, even after a failure: takes tiles from the
     * others until every worker of the run has finished its share.
     */
    void finishAndHelp(int self) {
        finished.incrementAndGet();
        int idle = 0;
        int used = workers;
        while (finished.get() < used) {
            boolean took = false;
            for (int v = 0; v < used; v++) {
                if (v == self) continue;
                Slot slot = slots[v];
                int tile = slot.claim();
                if (tile >= 0) {
                    slot.run(tile, slot.work);  // read the work after the claim (see the class comment)
                    tilesHelped.incrementAndGet();
                    took = true;
                }
            }
            idle = took ? 0 : pause(idle);
        }
    }

    /** Tiles run by a thread other than their owner's, since the board was made (for tests). */
    long tilesHelped() { return tilesHelped.get(); }

    /**
     * Spins a while (tiles come within microseconds while the others are at work), then yields,
     * then sleeps 20 µs at a time: with more workers than free cores, the thread we wait for needs
     * the core, and a tile takes milliseconds, so a late look costs nothing.
     */
    private static int pause(int idle) {
        if (idle < 4096) Thread.onSpinWait();
        else if (idle < 4096 + 64) Thread.yield();
        else LockSupport.parkNanos(20_000);
        return idle < 1 << 20 ? idle + 1 : idle;
    }

    /** One worker's tiles. */
    private static final class Slot implements TileRunner {
        /** (generation << 32) | (count << 16) | next tile. */
        private final AtomicLong ticket = new AtomicLong();
        private final AtomicInteger done = new AtomicInteger();
        volatile IntConsumer work;
        private volatile Throwable failure;
        private long generation;

        @Override
        public void runAll(int count, IntConsumer work) {
            if (count <= 0) return;
            if (count > MAX_TILES) throw new IllegalArgumentException("at most " + MAX_TILES + " tiles, got " + count);
            this.work = work;
            failure = null;
            done.set(0);
            generation++;
            ticket.set(generation << 32 | (long) count << 16);  // publishes the tiles to the other workers
            for (int tile; (tile = claim()) >= 0; ) run(tile, work);
            int idle = 0;
            while (done.get() < count) idle = pause(idle);  // tiles a helper is still running
            Throwable f = failure;
            if (f instanceof RuntimeException r) throw r;
            if (f instanceof Error e) throw e;
            if (f != null) throw new IllegalStateException(f);
        }

        /** The next tile of the current work, or -1 when all are taken. */
        int claim() {
            while (true) {
                long t = ticket.get();
                int next = (int) (t & 0xFFFF), count = (int) (t >>> 16 & 0xFFFF);
                if (next >= count) return -1;
                if (ticket.compareAndSet(t, t + 1)) return next;
            }
        }

        void run(int tile, IntConsumer work) {
            try {
                work.accept(tile);
            } catch (Throwable e) {
                if (failure == null) failure = e;
            } finally {
                done.incrementAndGet();
            }
        }
    }
}
