package vectorlstm.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Locale;

/**
 * How long one core takes to see another core's write and answer it: two threads hand a counter
 * back and forth (release/acquire, each on its own cache line, as the two-thread scorer's
 * meeting does), and a round trip is one handing there and back.
 *
 * <p>Why: the two-thread scorer meets once per step, so its latency depends on where the host
 * puts the two threads' vCPUs. On the Zen 5 of 2026-12-03 this round trip was 55-141 ns at some
 * times and 396-620 ns at others, and one review on two threads took 0.40-0.50 ms and 0.58-0.69 ms
 * with them (docs/performance-history.md, "Two threads: where the host puts them"). So {@code ./lstm bench}
 * records it beside every benchmark that runs on two threads or more, and {@code bench compare}
 * says when BASE and NEW were placed differently. {@code main} prints one JSON line for
 * tools/perf/side_by_side.sh: {@code {"bench": "core_round_trip", "ns_median": ..., "ns_samples": [...]}}.
 */
public final class CoreRoundTrip {
    private static final VarHandle COUNTER = MethodHandles.arrayElementVarHandle(long[].class);
    /** Indexes of the two counters in a long[64]: 256 bytes apart, on separate cache lines. */
    private static final int PING = 16, PONG = 48;
    /** A sample that takes longer than this is dropped: the answering thread is not getting a core. */
    private static final long SAMPLE_LIMIT_NANOS = 200_000_000L;

    private CoreRoundTrip() {}

    /**
     * The median over {@code samples} runs of {@code trips} round trips, in ns per round trip,
     * after a warm-up that compiles both loops; NaN on a single core (the two threads would take
     * turns on it, a time slice per handing) and when more than half the samples hit the time
     * limit (the machine is too busy to say).
     */
    public static double medianNanos(int samples, int trips) {
        if (samples < 1 || trips < 1) throw new IllegalArgumentException("samples and trips must be positive, got " + samples + " and " + trips);
        if (Runtime.getRuntime().availableProcessors() < 2) return Double.NaN;
        double[] ns = samples(samples, trips);
        long finite = Arrays.stream(ns).filter(Double::isFinite).count();
        return 2 * finite > samples ? medianOfFinite(ns) : Double.NaN;
    }

    /** The median of the finite values, NaN when there are none. */
    private static double medianOfFinite(double[] ns) {
        double[] finite = Arrays.stream(ns).filter(Double::isFinite).sorted().toArray();
        return finite.length == 0 ? Double.NaN : finite[finite.length / 2];
    }

    /** Each sample's ns per round trip (NaN for a sample over the time limit), after the warm-up. */
    private static double[] samples(int samples, int trips) {
        try {
            for (int i = 0; i < 3; i++) roundTrips(Math.max(trips, 20_000));
            double[] ns = new double[samples];
            for (int i = 0; i < samples; i++) ns[i] = roundTrips(trips);
            return ns;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            double[] none = new double[samples];
            Arrays.fill(none, Double.NaN);
            return none;
        }
    }

    /** Nanoseconds per round trip over {@code trips} of them, the answering side on a thread of its own; NaN past the time limit. */
    private static double roundTrips(int trips) throws InterruptedException {
        long[] counters = new long[64];
        Thread answer = Thread.ofPlatform().daemon().name("vector-lstm-round-trip").start(() -> {
            for (long t = 1; t <= trips; t++) {
                long seen;
                while ((seen = (long) COUNTER.getAcquire(counters, PING)) < t) Thread.onSpinWait();
                if (seen == Long.MAX_VALUE) return;  // the pinging side gave up
                COUNTER.setRelease(counters, PONG, t);
            }
        });
        long start = System.nanoTime();
        boolean late = false;
        for (long t = 1; t <= trips && !late; t++) {
            COUNTER.setRelease(counters, PING, t);
            // The clock is read once per 1,024 polls only: a read costs about as much as a near round trip.
            for (int polls = 1; (long) COUNTER.getAcquire(counters, PONG) < t; polls++) {
                Thread.onSpinWait();
                if ((polls & 1023) == 0 && System.nanoTime() - start > SAMPLE_LIMIT_NANOS) {
                    late = true;
                    COUNTER.setRelease(counters, PING, Long.MAX_VALUE);
                    break;
                }
            }
        }
        long elapsed = System.nanoTime() - start;
        answer.join();
        return late ? Double.NaN : (double) elapsed / trips;
    }

    /** {@code [SAMPLES] [TRIPS]}: one JSON line on stdout (tools/perf/side_by_side.sh reads it). */
    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int trips = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        if (samples < 1 || trips < 1) throw new IllegalArgumentException("samples and trips must be positive");
        double[] ns = samples(samples, trips);
        StringBuilder list = new StringBuilder();
        for (double v : ns) list.append(list.isEmpty() ? "" : ", ").append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "null");
        double m = medianOfFinite(ns);
        String median = Double.isNaN(m) ? "null" : String.format(Locale.ROOT, "%.1f", m);
        System.out.printf(Locale.ROOT, "{\"bench\": \"core_round_trip\", \"cores\": %d, \"trips\": %d, \"ns_median\": %s, \"ns_samples\": [%s]}%n",
                Runtime.getRuntime().availableProcessors(), trips, median, list);
    }
}
