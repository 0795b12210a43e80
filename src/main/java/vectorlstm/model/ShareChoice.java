package vectorlstm.model;

/**
 * Whether a two-thread {@link Scorer}'s next call shares its steps with the helper or goes alone,
 * from how fast each way ran lately.
 *
 * <p>Sharing pays only when the two cores hear each other quickly. On our machines the host places
 * the two vCPUs either near each other (a round trip of about 100 ns: one review 0.40-0.45 ms
 * shared against 0.65-0.75 ms alone) or far apart (400-600 ns: 0.66-0.90 ms shared, as slow as
 * alone or slower), and the placement changes from one VM, sometimes one minute, to the next
 * ({@code docs/performance.md}, "Two threads: where the host puts them"). So the scorer measures
 * both ways and takes the faster: each way's cost is the median, over its last {@link #WINDOW}
 * calls, of nanoseconds a step, and sharing must beat going alone by {@link #MARGIN} (it holds a
 * second core). The way not chosen is tried once every {@link #PROBE_EVERY} calls, so a change of
 * placement is noticed within a few hundred calls, at a cost of about 1 % while it is not.
 *
 * <p>Either way gives the same bits (every unit's arithmetic is the same in either split), so the
 * choice changes speed only. Allocation-free; used by one calling thread at a time.
 */
final class ShareChoice {
    /** Recent calls per way whose median is that way's cost. */
    static final int WINDOW = 9;
    /** Calls measured each way before the medians decide: enough that one slow call does not. */
    static final int FIRST_SAMPLES = 3;
    /** One call in this many takes the way not chosen, to see whether it has become the faster. */
    static final int PROBE_EVERY = 64;
    /** How much faster a step must be shared than alone for sharing to be chosen. */
    static final double MARGIN = 0.95;
    /** Calls shorter than this say more about the call's fixed costs than about a step's. */
    static final int MIN_STEPS = 32;

    private final Window shared = new Window(), alone = new Window();
    private final double[] sorted = new double[WINDOW];
    private int sinceProbe;

    /** True when the next call should be shared with the helper. */
    boolean shareNext() {
        if (shared.count < FIRST_SAMPLES) return true;
        if (alone.count < FIRST_SAMPLES) return false;
        boolean faster = shared.median(sorted) < MARGIN * alone.median(sorted);
        if (++sinceProbe >= PROBE_EVERY) {
            sinceProbe = 0;
            return !faster;
        }
        return faster;
    }

    /** A call of {@code steps} steps shared with the helper took {@code nanos} (from the helper's claim to the end). */
    void sharedTook(int steps, long nanos) {
        if (steps >= MIN_STEPS) shared.add((double) nanos / steps);
    }

    /** A call of {@code steps} steps that the caller stepped alone took {@code nanos}. */
    void aloneTook(int steps, long nanos) {
        if (steps >= MIN_STEPS) alone.add((double) nanos / steps);
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
            for (int i = 0; i < n; i++) {  // insertion sort: at most nine values
                double v = costs[i];
                int j = i - 1;
                for (; j >= 0 && scratch[j] > v; j--) scratch[j + 1] = scratch[j];
                scratch[j + 1] = v;
            }
            return n % 2 == 1 ? scratch[n / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
        }
    }
}
