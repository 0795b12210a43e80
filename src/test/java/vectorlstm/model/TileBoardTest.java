package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import vectorlstm.layers.TileRunner;

/** The board's protocol: every tile runs once, helpers take tiles, failures reach the owner. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TileBoardTest {

    /** Worker 1 publishes tiles that each wait until two threads have run tiles: only a helping worker 0 lets them finish. */
    @Test
    void aWorkerDoneWithItsShareRunsTheOthersTiles() throws Exception {
        TileBoard board = new TileBoard(2);
        int tiles = 40;
        AtomicIntegerArray runs = new AtomicIntegerArray(tiles);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        board.start(2);
        CompletableFuture<Void> owner = CompletableFuture.runAsync(() -> {
            try {
                board.runner(1).runAll(tiles, i -> {
                    threads.add(Thread.currentThread());
                    runs.incrementAndGet(i);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (threads.size() < 2 && System.nanoTime() < deadline) Thread.onSpinWait();
                });
            } finally {
                board.finishAndHelp(1);
            }
        });
        board.finishAndHelp(0);  // worker 0 has nothing of its own: it helps until worker 1 is done
        owner.get(30, TimeUnit.SECONDS);
        assertEquals(2, threads.size(), "tiles ran on both threads");
        for (int i = 0; i < tiles; i++) assertEquals(1, runs.get(i), "tile " + i + " ran once");
        assertTrue(board.tilesHelped() >= 1 && board.tilesHelped() < tiles, "helped " + board.tilesHelped());
    }

    @Test
    void aTileThatFailsOnTheHelperFailsTheOwnersCallAndTheBoardGoesOn() throws Exception {
        TileBoard board = new TileBoard(2);
        IllegalStateException boom = new IllegalStateException("tile 3 failed");
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        board.start(2);
        Thread main = Thread.currentThread();
        CompletableFuture<Throwable> owner = CompletableFuture.supplyAsync(() -> {
            try {
                board.runner(1).runAll(8, i -> {
                    threads.add(Thread.currentThread());
                    runs.incrementAndGet(i);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (threads.size() < 2 && System.nanoTime() < deadline) Thread.onSpinWait();
                    if (Thread.currentThread() == main) throw boom;  // every tile the helper takes fails
                });
                return null;
            } catch (Throwable t) {
                return t;
            } finally {
                board.finishAndHelp(1);
            }
        });
        board.finishAndHelp(0);
        assertSame(boom, owner.get(30, TimeUnit.SECONDS), "the helper's failure reaches the owner");
        for (int i = 0; i < 8; i++) assertEquals(1, runs.get(i), "tile " + i + " ran once, failures included");

        // The next run on the same board works.
        board.start(1);
        int[] sum = {0};
        board.runner(0).runAll(5, i -> sum[0] += i);
        board.finishAndHelp(0);
        assertEquals(10, sum[0]);
    }

    @Test
    void countsAreChecked() {
        TileBoard board = new TileBoard(1);
        board.start(1);
        TileRunner runner = board.runner(0);
        int[] ran = {0};
        runner.runAll(0, i -> ran[0]++);
        assertEquals(0, ran[0]);
        assertThrows(IllegalArgumentException.class, () -> runner.runAll(1 << 16, i -> ran[0]++));
        assertEquals(0, ran[0]);
    }
}
