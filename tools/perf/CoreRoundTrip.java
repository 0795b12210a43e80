import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * How long one core takes to see another core's write and answer it: two threads hand a counter
 * back and forth (release/acquire, each on its own cache line, as the two-thread scorer's
 * meeting does), and a round trip is one handing there and back. Printed as one JSON line:
 * {@code {"bench": "core_round_trip", "ns_median": ..., "ns_samples": [...]}}.
 *
 * <p>Why: the two-thread scorer meets once per step, so its latency depends on where the host
 * puts our two vCPUs. On the Zen 5 of 2026-12-03 this round trip was 87-141 ns at some times and
 * 441-596 ns at others, and one review on two threads took 0.44-0.50 ms and 0.64-0.91 ms with them
 * (docs/performance.md). side_by_side.sh runs it at the start of every round so that a sitting
 * shows which it was. Run: {@code java tools/perf/CoreRoundTrip.java [SAMPLES] [TRIPS]}.
 */
public final class CoreRoundTrip {
    private static final VarHandle COUNTER = MethodHandles.arrayElementVarHandle(long[].class);
    /** Indexes of the two counters in a long[64]: 512 bytes apart, on separate cache lines. */
    private static final int PING = 16, PONG = 48;

    public static void main(String[] args) throws InterruptedException {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int trips = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        if (samples < 1 || trips < 1) throw new IllegalArgumentException("samples and trips must be positive");
        for (int i = 0; i < 3; i++) roundTrips(Math.max(trips, 20_000));  // warm-up: both loops compiled before the first sample
        double[] ns = new double[samples];
        for (int i = 0; i < samples; i++) ns[i] = roundTrips(trips);
        double[] sorted = ns.clone();
        Arrays.sort(sorted);
        StringBuilder list = new StringBuilder();
        for (double v : ns) list.append(list.isEmpty() ? "" : ", ").append(String.format("%.1f", v));
        System.out.printf("{\"bench\": \"core_round_trip\", \"cores\": %d, \"trips\": %d, \"ns_median\": %.1f, \"ns_samples\": [%s]}%n",
                Runtime.getRuntime().availableProcessors(), trips, sorted[samples / 2], list);
    }

    /** Nanoseconds per round trip over {@code trips} of them, the answering side on a thread of its own. */
    private static double roundTrips(int trips) throws InterruptedException {
        long[] counters = new long[64];
        Thread answer = new Thread(() -> {
            for (long t = 1; t <= trips; t++) {
                while ((long) COUNTER.getAcquire(counters, PING) < t) Thread.onSpinWait();
                COUNTER.setRelease(counters, PONG, t);
            }
        });
        answer.start();
        long start = System.nanoTime();
        for (long t = 1; t <= trips; t++) {
            COUNTER.setRelease(counters, PING, t);
            while ((long) COUNTER.getAcquire(counters, PONG) < t) Thread.onSpinWait();
        }
        long elapsed = System.nanoTime() - start;
        answer.join();
        return (double) elapsed / trips;
    }
}
