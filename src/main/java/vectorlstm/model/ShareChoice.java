package vectorlstm.model;

/**
 * Whether a two-thread {@link Scorer}'s next call shares its steps with the helper or goes alone,
 * from how fast each way ran lately.
 *
 * <p>Sharing pays only when the two cores hear each other quickly. On our machines the host places
 * the two vCPUs either near each other (a round trip of about 100 ns: one review 0.40-0.45 ms
 * shared against 0.65-0.75 ms alone) or far apart (400-600 ns: 0.80-0.95 ms shared, slower than
 * alone except in the caller's slow spells), and the placement changes from one VM, sometimes one
 * minute, to the next ({@code docs/performance-history.md}, "Two threads: where the host puts them"). So
 * the scorer times both ways and takes the faster: each way's cost is the median, over its last
 * {@link #WINDOW} timed calls, of nanoseconds a step, and sharing must beat going alone by
 * {@link #MARGIN} (it holds a second core).
 *
 * <p>The way not chosen is tried again every {@link #PROBE_EVERY} calls, in a burst of
 * {@link #BURST} calls of which only the last are timed: the first calls shared after calls alone
 * find the helper parked and its caches cold (the second of them took 0.96-1.08 ms against
 * 0.81-0.95 for shared calls in a run, cores far apart), enough to keep a faster way from ever
 * being chosen on single calls. A change of placement is noticed within two bursts, a few hundred
 * calls; the bursts cost about 0.3 % of the time with the cores far apart and about 1 % near (4
 * calls in 256 go the slower way). The first {@link #WARM_UP_CALLS} calls share and are not
 * timed: the JIT is still compiling the step.
 *
 * <p>Either way gives the same bits (every unit's arithmetic is the same in either split), so the
 * choice changes speed only. Allocation-free; used by one calling thread at a time.
 */
final class ShareChoice {
    /** Timed calls per way whose median is that way's cost. */
    static final int WINDOW = 5;
    /** Calls at the start that share untimed, while the step's code is being compiled. */
    static final int WARM_UP_CALLS = 64;
    /** Calls a way is tried for at a time (at the start and in each probe); the first {@link #UNTIMED} only warm it up. */
    static final int BURST = 4, UNTIMED = 2;
    /** Calls from one probe of the way not chosen to the next. */
    static final int PROBE_EVERY = 256;
    /** How much faster a step must be shared than alone for sharing to be chosen. */
    static final double MARGIN = 0.95;
    /** Calls shorter than this say more about the call's fixed costs than about a step's. */
    static final int MIN_STEPS = 32;

    private final Window shared = new Window(), alone = new Window();
    private final double[] sorted = new double[WINDOW];
    private long calls;
    private int sinceProbe;
    private int burstLeft;          // calls of the current burst still to come
    private boolean burstShares;    // the current burst's way
    private boolean timed;          // whether the call just decided counts
    private boolean sharing, sharedBefore;

    /** True when the next call should be shared with the helper. */
    boolean shareNext() {
        sharedBefore = sharing;
        sharing = decide();
        return sharing;
    }

    private boolean decide() {
        if (++calls <= WARM_UP_CALLS) {
            timed = false;
            return true;
        }
        if (sinceProbe < PROBE_EVERY) sinceProbe++;  // held there: over 2^31 calls before both ways are timed it wrapped, and probing stopped
        if (burstLeft > 0) {
            burstLeft--;
            timed = BURST - burstLeft > UNTIMED;   // this call's place in its burst, from 1
            return burstShares;
        }
        if (shared.count < WINDOW || alone.count < WINDOW) return startBurst(shared.count <= alone.count);  // the start: take turns
        boolean sharingFaster = shared.median(sorted) < MARGIN * alone.median(sorted);
        if (sinceProbe >= PROBE_EVERY) {
            sinceProbe = 0;
            return startBurst(!sharingFaster);
        }
        timed = true;
        return sharingFaster;
    }

    private boolean startBurst(boolean shares) {
        burstShares = shares;
        burstLeft = BURST - 1;
        timed = UNTIMED == 0;
        return shares;
    }

    /** Whether the call just decided will count towards its way's cost (for tests). */
    boolean timedForTests() {
        return timed;
    }

    /** True when the call just decided shares and the one before went alone: the helper has likely parked. */
    boolean resumesSharing() {
        return sharing && !sharedBefore;
    }

    /** A call of {@code steps} steps shared with the helper took {@code nanos} (from asking the helper, its wake-up included, to the end). */
    void sharedTook(int steps, long nanos) {
        if (timed && steps >= MIN_STEPS) shared.add((double) nanos / steps);
    }

    /** A call of {@code steps} steps that the caller stepped alone after asking {@link #shareNext} took {@code nanos}. */
    void aloneTook(int steps, long nanos) {
        if (timed && steps >= MIN_STEPS) alone.add((double) nanos / steps);
    }

    /** The last {@link #WINDOW} costs of one way, nanoseconds a step. */
    private static final class Window {
        private final double[] costs = new double[WINDOW];
        private int next;
        private int count;  // up to WINDOW

        void add(double cost) {
            costs[next] = cost;
            next = (next + 1) % WINDOW;
            count = Math.min(count + 1, WINDOW);
        }

        double median(double[] scratch) {
            int n = count;
            for (int i = 0; i < n; i++) {  // insertion sort: a handful of values
                double v = costs[i];
                int j = i - 1;
                for (; j >= 0 && scratch[j] > v; j--) scratch[j + 1] = scratch[j];
                scratch[j + 1] = v;
            }
            return n % 2 == 1 ? scratch[n / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
        }
    }
}
