package vectorlstm.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import vectorlstm.kernels.GateLayout;

/**
 * The second core of a two-thread {@link Scorer}. The LSTM's unit blocks are split in two: the
 * calling thread computes the first share, this scorer-owned thread the second. Each streams only
 * its own part of U (so each part stays in its own core's L2), writes its units of h_t, and then
 * the two meet: each publishes "step t done" and waits for the other's before reading all of h_t.
 *
 * <p>The meeting is a spin on two counters on separate cache lines, with release/acquire ordering
 * (the writes to h before a counter's release are visible after the other side's acquire). No
 * lock, no allocation. h alternates between two buffers, so a thread never overwrites the h_{t-1}
 * that the other may still be reading. Between calls the helper spins briefly, then parks.
 */
final class StepPartner implements AutoCloseable {
    private static final VarHandle COUNTER = MethodHandles.arrayElementVarHandle(long[].class);
    /** Indexes of the two counters in {@link #counters}, 256 bytes apart (no false sharing). */
    private static final int CALLER = 16, HELPER = 48;
    /** How long the idle helper keeps polling before it parks: back-to-back calls skip the wake-up. */
    private static final long SPIN_NANOS = 200_000;

    private final long[] counters = new long[64];
    private final int split;
    private final int blocks;
    private final int paddedUnits;
    /** Per thread: z, tanh(c), c and the new h of its own units (its kernels work at offset 0 in memory of their own). */
    private final MemorySegment zCaller, tanhCaller, cCaller, hCaller, zHelper, tanhHelper, cHelper, hHelper;
    private final int callerUnits;
    private final int helperUnits;
    private final Thread thread;
    private long callerTicks;
    private volatile long calls;
    private volatile boolean closed;
    private volatile Throwable failure;
    // The job of the current call: written by the caller before its volatile write of `calls`.
    private PackedLstm weights;
    private int[] ids;
    private int start;
    private int end;
    private MemorySegment hStart;
    private long hStartOff;
    private MemorySegment h;

    StepPartner(GateLayout layout, Arena arena) {
        this.blocks = layout.blocks();
        this.split = balancedSplit(layout);
        this.paddedUnits = layout.paddedUnits();
        callerUnits = split * layout.block();
        helperUnits = (blocks - split) * layout.block();
        zCaller = arena.allocate(4L * callerUnits * Float.BYTES, 64);
        tanhCaller = arena.allocate((long) callerUnits * Float.BYTES, 64);
        cCaller = arena.allocate((long) callerUnits * Float.BYTES, 64);
        hCaller = arena.allocate((long) callerUnits * Float.BYTES, 64);
        zHelper = arena.allocate(4L * helperUnits * Float.BYTES, 64);
        tanhHelper = arena.allocate((long) helperUnits * Float.BYTES, 64);
        cHelper = arena.allocate((long) helperUnits * Float.BYTES, 64);
        hHelper = arena.allocate((long) helperUnits * Float.BYTES, 64);
        thread = Thread.ofPlatform().daemon().name("vector-lstm-scorer-helper").start(this::helperLoop);
    }

    /** The first block of the helper's share: the caller takes blocks [0, split), about half of U's bytes. */
    static int balancedSplit(GateLayout layout) {
        int total = layout.vectorsPerK(0, layout.blocks()), split = 1;
        while (split < layout.blocks() - 1 && 2 * layout.vectorsPerK(0, split + 1) <= total) split++;
        return split;
    }

    /**
     * Steps [start, end) of one sequence on both threads, from h_start at {@code hStart} and c_start
     * at {@code cStart}; returns the float offset in {@code h} ([2, Hp]) of h_end. Requires start < end.
     */
    long run(PackedLstm w, int[] tokenIds, int start, int end, MemorySegment hStart, long hStartOff,
             MemorySegment cStart, long cStartOff, MemorySegment h) {
        Throwable failed = failure;
        if (failed != null) throw new IllegalStateException("the scorer's helper thread failed", failed);
        if (closed) throw new IllegalStateException("the scorer is closed");
        MemorySegment.copy(cStart, cStartOff * Float.BYTES, cCaller, 0, (long) callerUnits * Float.BYTES);
        MemorySegment.copy(cStart, (cStartOff + callerUnits) * Float.BYTES, cHelper, 0, (long) helperUnits * Float.BYTES);
        this.weights = w;
        this.ids = tokenIds;
        this.start = start;
        this.end = end;
        this.hStart = hStart;
        this.hStartOff = hStartOff;
        this.h = h;
        calls++;  // volatile write: publishes the job above
        LockSupport.unpark(thread);
        long hOff = steps(w, tokenIds, start, end, hStart, hStartOff, h, 0, split, zCaller, tanhCaller, cCaller, hCaller, CALLER, HELPER, true);
        failed = failure;
        if (failed != null) throw new IllegalStateException("the scorer's helper thread failed", failed);
        return hOff;
    }

    private long steps(PackedLstm w, int[] tokenIds, int start, int end, MemorySegment hStart, long hStartOff,
                       MemorySegment h, int from, int to, MemorySegment z, MemorySegment tanhC, MemorySegment c,
                       MemorySegment hMine, int mine, int theirs, boolean caller) {
        MemorySegment hPrev = hStart;
        long hPrevOff = hStartOff;
        long ticks = caller ? callerTicks : (long) COUNTER.getOpaque(counters, mine);
        long u0 = (long) from * w.layout.block(), bytes = (long) (to - from) * w.layout.block() * Float.BYTES;
        for (int t = start; t < end; t++) {
            long next = (long) (t & 1) * paddedUnits;
            if (from < to) {
                w.step(tokenIds[t], from, to, hPrev, hPrevOff, c, 0, hMine, 0, z, tanhC);
                MemorySegment.copy(hMine, 0, h, (next + u0) * Float.BYTES, bytes);
            }
            ticks++;
            COUNTER.setRelease(counters, mine, ticks);
            while ((long) COUNTER.getAcquire(counters, theirs) < ticks) Thread.onSpinWait();
            hPrev = h;
            hPrevOff = next;
        }
        if (caller) callerTicks = ticks;
        return hPrevOff;
    }

    private void helperLoop() {
        long seen = 0;
        try {
            while (!closed) {
                long now = calls;
                if (now == seen) {
                    idle(seen);
                    continue;
                }
                seen = now;
                steps(weights, ids, start, end, hStart, hStartOff, h, split, blocks, zHelper, tanhHelper, cHelper, hHelper, HELPER, CALLER, false);
            }
        } catch (Throwable t) {
            failure = t;
            COUNTER.setRelease(counters, HELPER, Long.MAX_VALUE);  // never leave the caller spinning
        }
    }

    private void idle(long seen) {
        long until = System.nanoTime() + SPIN_NANOS;
        while (calls == seen && !closed) {
            if (System.nanoTime() < until) Thread.onSpinWait();
            else LockSupport.park(this);
        }
    }

    /** Stops the helper thread and waits for it. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
