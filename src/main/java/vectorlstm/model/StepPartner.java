package vectorlstm.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The second core of a two-thread {@link Scorer}. The LSTM's units are split in two halves
 * ({@link PackedLstm#callerShare}, {@link PackedLstm#helperShare}): the calling thread computes the
 * first, this scorer-owned thread the second. Each streams only its own part of U (so each part
 * stays in its own core's L2), writes its units of h_t and
 * publishes "step t done"; a thread reads the other's units of h_t only after it has seen that. The
 * caller multiplies by its own units of h_t before it looks (see {@link #callerSteps}).
 *
 * <p>A step's input row (from the folded table, which a review reads at random, so from L3 or
 * memory) does not depend on h, so each thread copies it just before it waits: the caller the
 * next step's, into the other half of its z, the helper its coming step's. The copy's misses
 * then overlap the wait instead of the step (two threads 1.05-1.09x faster in one JVM; within the
 * noise in separate processes).
 *
 * <p>The meeting is a spin on two counters on separate cache lines, with release/acquire ordering
 * (the writes to h before a counter's release are visible after the other side's acquire). No
 * lock, no allocation. h alternates between two buffers, so a thread never overwrites the h_{t-1}
 * that the other may still be reading. Between calls the helper spins briefly, then parks; after
 * {@link #IDLE_EXIT_NANOS} without a call it ends, and the next call starts a new one (a thread
 * start, the only allocation of a call, once per idle spell). So a scorer its owner forgot to
 * close holds no thread for longer than that, whenever the garbage collector gets to it.
 *
 * <p>Two threads help only while both run. With more runnable threads than cores (several
 * two-thread scorers, or other work, on a small machine) the helper is often not running when a
 * call comes, and every step would wait for it a whole time slice. So each call is claimed: the
 * helper claims it when it picks it up; if it has not within {@link #CLAIM_NANOS}, the caller
 * claims it and {@link #run} returns {@link #NOT_TAKEN}: the caller then steps alone (the same bits:
 * every unit's arithmetic is the same in either split). A helper preempted in the middle of a
 * call is waited for with yields, not a bare spin; when more than one meeting in eight of a call
 * had to wait that long, the next calls go alone without asking it (16 calls, doubling while it
 * keeps being late, up to 4,096): on a machine that busy, sharing costs more than it gives.
 *
 * <p>Sharing also costs more than it gives when the host has put the two vCPUs far apart, where
 * each meeting takes several hundred nanoseconds. {@link ShareChoice} times both ways and sends
 * the calls the faster one.
 */
final class StepPartner implements AutoCloseable {
    private static final VarHandle COUNTER = MethodHandles.arrayElementVarHandle(long[].class);
    /** Indexes of the two step counters and the claim in {@link #counters}, on separate cache lines. */
    private static final int CALLER = 16, CLAIM = 32, HELPER = 48;
    /** What {@link #run} returns when the caller must step alone: the helper did not come, or going alone is faster. */
    static final long NOT_TAKEN = -1;
    /**
     * How long a call waits for the helper to claim it. Enough for a parked helper to wake
     * (tens of microseconds), small next to the call (about a millisecond for 500 steps).
     */
    private static final long CLAIM_NANOS = 100_000;
    /**
     * How long a call waits for the claim when it shares after calls that went alone by choice
     * ({@link ShareChoice}) or by a back-off. By then the helper has parked, and waking a parked
     * vCPU can take longer than {@link #CLAIM_NANOS} on our VMs: with that bound many such calls
     * went alone (in some runs all), and the choice got no news of sharing. Not after a missed
     * claim: a helper that never comes would then cost this on every call.
     */
    private static final long RESUME_CLAIM_NANOS = 2_000_000;
    /** Calls that go alone after a late helper: the first back-off and the longest. */
    private static final int FIRST_BACKOFF = 16, LONGEST_BACKOFF = 4096;
    /** How long the idle helper keeps polling before it parks: back-to-back calls skip the wake-up. */
    private static final long SPIN_NANOS = 200_000;
    /**
     * Polls of the other thread's counter before each further poll yields the core: many times a
     * step's length of {@link Thread#onSpinWait()} (its pause differs between CPUs, from about ten
     * to over a hundred cycles).
     */
    private static final int SPINS_BEFORE_YIELD = 1 << 12;
    /**
     * How long the helper waits for a call before it ends. Long next to the gaps of a server's
     * traffic (a restart costs a thread start, about 0.1 ms, and the call it comes for may go
     * alone), short next to how long a dropped, unclosed scorer can wait for a collection.
     */
    static final long IDLE_EXIT_NANOS = 10_000_000_000L;

    private final long[] counters = new long[64];
    private final int paddedUnits;
    /** Per thread: z, tanh(c), c (c_{t-1} and c_t, alternating) and the new h of its own units (its kernels work at offset 0 in memory of their own). */
    private final MemorySegment zCaller, tanhCaller, cCaller, hCaller, zHelper, tanhHelper, cHelper, hHelper;
    private final int callerUnits;
    private final int helperUnits;
    private volatile Thread thread;
    /** Set by a helper as its last act before it ends for idleness; the next call starts another. */
    private volatile boolean helperGone;
    private volatile long idleExitNanos = IDLE_EXIT_NANOS;
    private long callerTicks;
    private long callsAlone;
    private int backoff = FIRST_BACKOFF;
    private int callsToSkip;
    private boolean backedOff;  // the last call went alone by a back-off: the helper has likely parked
    private boolean sharesAlways;  // for tests: every call offered to the helper, whatever the timing says
    private int lateMeetings;
    private final ShareChoice choice = new ShareChoice();
    private boolean choiceAsked;  // whether the current call's way came from the choice (not from a back-off)
    private volatile boolean helperHeld;
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

    StepPartner(PackedLstm w, Arena arena) {
        this.paddedUnits = w.paddedUnits;
        callerUnits = w.callerShare.units();
        helperUnits = w.helperShare == null ? 0 : w.helperShare.units();
        zCaller = arena.allocate(2L * w.callerShare.panels().paddedWidth() * Float.BYTES, 64);  // this step's and the next's
        tanhCaller = arena.allocate((long) callerUnits * Float.BYTES, 64);
        cCaller = arena.allocate(2L * callerUnits * Float.BYTES, 64);  // c_{t-1} and c_t alternate
        hCaller = arena.allocate((long) callerUnits * Float.BYTES, 64);
        zHelper = arena.allocate((long) Math.max(1, w.helperShare == null ? 0 : w.helperShare.panels().paddedWidth()) * Float.BYTES, 64);
        tanhHelper = arena.allocate((long) helperUnits * Float.BYTES, 64);
        cHelper = arena.allocate(Math.max(1, 2L * helperUnits) * Float.BYTES, 64);
        hHelper = arena.allocate((long) helperUnits * Float.BYTES, 64);
        thread = startHelper(0);
    }

    /** A helper that takes the calls after the first {@code seen}. */
    private Thread startHelper(long seen) {
        return Thread.ofPlatform().daemon().name("vector-lstm-scorer-helper").start(() -> helperLoop(seen));
    }

    /**
     * Steps [start, end) of one sequence on both threads, from h_start at {@code hStart} and c_start
     * at {@code cStart}; returns the float offset in {@code h} ([2, Hp]) of h_end, or
     * {@link #NOT_TAKEN} when the caller must step alone (nothing was computed): the helper did not
     * come, or going alone is faster ({@link ShareChoice}); the caller then reports its time to
     * {@link #aloneTook}. Requires start < end.
     */
    long run(PackedLstm w, int[] tokenIds, int start, int end, MemorySegment hStart, long hStartOff,
             MemorySegment cStart, long cStartOff, MemorySegment h) {
        Throwable failed = failure;
        if (failed != null) throw new IllegalStateException("the two-thread scorer failed earlier (its helper or a call)", failed);
        if (closed) throw new IllegalStateException("the scorer is closed");
        choiceAsked = false;
        if (callsToSkip > 0 && !sharesAlways) {
            callsToSkip--;
            callsAlone++;
            backedOff = true;
            return NOT_TAKEN;
        }
        choiceAsked = true;
        if (!choice.shareNext() && !sharesAlways) {
            callsAlone++;
            return NOT_TAKEN;
        }
        boolean restarted = helperGone;
        if (restarted) {
            // The last helper ended for idleness (nothing else sets this), after its last look at
            // `calls`. The new one takes the calls after those counted so far, this one included:
            // had it read the count itself, after this call's, it would have let this call go alone.
            helperGone = false;
            thread = startHelper(calls);
        }
        long claimNanos = choice.resumesSharing() || backedOff || restarted ? RESUME_CLAIM_NANOS : CLAIM_NANOS;
        backedOff = false;
        // Timed from here: a helper that parked between calls (requests more than SPIN_NANOS apart)
        // costs its wake-up on every shared call, and the choice must see it. The wake-ups of a
        // probe's first calls are left out by ShareChoice itself (untimed).
        long began = System.nanoTime();
        MemorySegment.copy(cStart, cStartOff * Float.BYTES, cCaller, 0, (long) callerUnits * Float.BYTES);
        MemorySegment.copy(cStart, (cStartOff + callerUnits) * Float.BYTES, cHelper, 0, (long) helperUnits * Float.BYTES);
        this.weights = w;
        this.ids = tokenIds;
        this.start = start;
        this.end = end;
        this.hStart = hStart;
        this.hStartOff = hStartOff;
        this.h = h;
        long call = calls + 1;
        calls = call;  // volatile write: publishes the job above
        LockSupport.unpark(thread);
        if (!helperClaimed(call, claimNanos)) {
            callsAlone++;
            return NOT_TAKEN;
        }
        lateMeetings = 0;
        long hOff;
        try {
            hOff = callerSteps(w, tokenIds, start, end, hStart, hStartOff, h);
        } catch (RuntimeException | Error e) {
            // Never leave the helper waiting for a step that will not come (close() joins it).
            failure = e;
            COUNTER.setRelease(counters, CALLER, Long.MAX_VALUE);
            throw e;
        }
        choice.sharedTook(end - start, System.nanoTime() - began);
        failed = failure;
        if (failed != null) throw new IllegalStateException("the two-thread scorer failed earlier (its helper or a call)", failed);
        // A host that stops a vCPU for a moment makes a meeting or two late on any machine; a
        // helper without a core makes most of them late.
        if (8L * lateMeetings > end - start) {
            callsToSkip = backoff;
            backoff = Math.min(2 * backoff, LONGEST_BACKOFF);
        } else {
            backoff = FIRST_BACKOFF;
        }
        return hOff;
    }

    /**
     * The caller's steps. Its units come first in h, so each step starts with the product over the
     * units it computed itself and only then waits for the helper's: the meeting's latency (the
     * helper's counter and its half of h crossing between the cores) is spent multiplying. The
     * helper's units come last, so it cannot do the same without changing the order of its sums
     * (and the bits against a one-thread scorer); it waits, then steps, as before, and finds the
     * caller's units already there unless the caller is the slower of the two.
     */
    private long callerSteps(PackedLstm w, int[] tokenIds, int start, int end, MemorySegment hStart, long hStartOff, MemorySegment h) {
        MemorySegment hPrev = hStart;
        long hPrevOff = hStartOff;
        long ticks = callerTicks;
        long bytes = (long) callerUnits * Float.BYTES;
        long width = w.callerShare.panels().paddedWidth();
        w.stageInputs(tokenIds, start, start + 1, w.callerShare, zCaller, 0);
        for (int t = start; t < end; t++) {
            long next = (long) (t & 1) * paddedUnits;
            long z = (long) ((t - start) & 1) * width;  // this step's input, staged during the last wait
            w.stepFirstPart(t, w.callerShare, zCaller, z, hPrev, hPrevOff, callerUnits);
            if (t + 1 < end) w.stageInputs(tokenIds, t + 1, t + 2, w.callerShare, zCaller, width - z);
            if (!awaitPartner(HELPER, ticks)) lateMeetings++;  // the helper's units of h_{t-1}
            long cPrev = (long) ((t - start) & 1) * callerUnits, cNext = (long) ((t - start + 1) & 1) * callerUnits;
            w.stepSecondPart(t, w.callerShare, callerUnits, zCaller, z, hPrev, hPrevOff, cCaller, cPrev, cCaller, cNext, hCaller, 0, tanhCaller);
            MemorySegment.copy(hCaller, 0, h, next * Float.BYTES, bytes);
            ticks++;
            COUNTER.setRelease(counters, CALLER, ticks);
            hPrev = h;
            hPrevOff = next;
        }
        if (!awaitPartner(HELPER, ticks)) lateMeetings++;  // the helper's units of h_end
        callerTicks = ticks;
        return hPrevOff;
    }

    /** The helper's steps: waits for all of h_{t-1}, then steps its share. */
    private void helperSteps(PackedLstm w, int[] tokenIds, int start, int end, MemorySegment hStart, long hStartOff, MemorySegment h) {
        MemorySegment hPrev = hStart;
        long hPrevOff = hStartOff;
        long ticks = (long) COUNTER.getOpaque(counters, HELPER);
        long u0 = callerUnits, bytes = (long) helperUnits * Float.BYTES;
        for (int t = start; t < end; t++) {
            long next = (long) (t & 1) * paddedUnits;
            if (helperUnits > 0) w.stageInputs(tokenIds, t, t + 1, w.helperShare, zHelper, 0);  // its misses overlap the wait
            awaitPartner(CALLER, ticks);  // the caller's units of h_{t-1}
            if (helperUnits > 0) {
                long cPrev = (long) ((t - start) & 1) * helperUnits, cNext = (long) ((t - start + 1) & 1) * helperUnits;
                w.step(t, w.helperShare, zHelper, 0, hPrev, hPrevOff, cHelper, cPrev, cHelper, cNext, hHelper, 0, tanhHelper);
                MemorySegment.copy(hHelper, 0, h, (next + u0) * Float.BYTES, bytes);
            }
            ticks++;
            COUNTER.setRelease(counters, HELPER, ticks);
            hPrev = h;
            hPrevOff = next;
        }
    }

    /**
     * Waits until the other thread has finished step {@code ticks}. A step takes about a
     * microsecond, so the other thread is normally there after a short spin. When it is not, it is
     * not running: more runnable threads than cores (several two-thread scorers, or other work, on
     * a small machine). Spinning on would then hold the core it needs for a whole time slice, every
     * step (measured: two callers with a two-thread scorer each on 2 cores scored 45 reviews/s
     * instead of about 2,000); yielding hands the core over. Returns false when it had to.
     */
    private boolean awaitPartner(int theirs, long ticks) {
        boolean onTime = true;
        for (int spins = 0; (long) COUNTER.getAcquire(counters, theirs) < ticks; spins++) {
            if (spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                onTime = false;
                Thread.yield();
            }
        }
        return onTime;
    }

    /**
     * True when the helper claimed call {@code call}; false when the caller claimed it because the
     * helper did not come in time. Exactly one side's compare-and-set from call - 1 succeeds.
     */
    private boolean helperClaimed(long call, long claimNanos) {
        long until = System.nanoTime() + claimNanos;
        for (int spins = 0; (long) COUNTER.getAcquire(counters, CLAIM) != call; spins++) {
            if (spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                if (System.nanoTime() - until > 0) return !COUNTER.compareAndSet(counters, CLAIM, call - 1, call);
                Thread.yield();
            }
        }
        return true;
    }

    private void helperLoop(long seen) {
        try {
            while (!closed) {
                long now = calls;
                if (now == seen || helperHeld) {
                    if (!idle(now)) {
                        helperGone = true;  // the last act: the next call starts another helper
                        return;
                    }
                    continue;
                }
                seen = now;
                if (!COUNTER.compareAndSet(counters, CLAIM, now - 1, now)) continue;  // the caller went alone
                helperSteps(weights, ids, start, end, hStart, hStartOff, h);
            }
        } catch (Throwable t) {
            failure = t;
            COUNTER.setRelease(counters, HELPER, Long.MAX_VALUE);  // never leave the caller spinning
        }
    }

    /**
     * Waits for a call after {@code seen}: spins, then yields (the core may be wanted), then parks.
     * False when none came within {@link #idleExitNanos}: the helper should end.
     */
    private boolean idle(long seen) {
        long start = System.nanoTime();
        for (int spins = 0; calls == seen && !closed; spins++) {
            if (spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
                continue;
            }
            long waited = System.nanoTime() - start;
            if (waited < SPIN_NANOS) Thread.yield();
            else if (waited < idleExitNanos) LockSupport.parkNanos(this, idleExitNanos - waited);
            else return false;
        }
        return true;
    }

    /** A call of {@code steps} steps that {@link #run} left to the caller took it {@code nanos} alone. */
    void aloneTook(int steps, long nanos) {
        if (choiceAsked) choice.aloneTook(steps, nanos);
    }

    /** Calls the caller stepped alone: the helper did not claim them, or going alone was the faster way (for tests). */
    long callsAloneForTests() {
        return callsAlone;
    }

    /** Whether a helper thread is running now (for tests). */
    boolean helperAliveForTests() {
        return thread.isAlive() && !helperGone;
    }

    /** How long the helper waits for a call before it ends (for tests). */
    void idleExitForTests(long nanos) {
        idleExitNanos = nanos;
        LockSupport.unpark(thread);  // a parked helper takes the new bound now
    }

    /**
     * Offers every call to the helper, whatever the timing says (for tests: on a busy machine the
     * choice goes alone, and a test of the shared path measured the one-thread path instead).
     */
    void shareAlwaysForTests() {
        sharesAlways = true;
    }

    /** The helper thread now (for tests). */
    Thread helperForTests() {
        return thread;
    }

    /** Keeps the helper from claiming calls, as if it never got a core (for tests). */
    void holdHelperForTests(boolean held) {
        helperHeld = held;
    }

    /** Stops the helper thread and waits for it. */
    @Override
    public void close() {
        closed = true;
        Thread thread = this.thread;  // a call racing this close may start one more, which sees `closed` and ends
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
