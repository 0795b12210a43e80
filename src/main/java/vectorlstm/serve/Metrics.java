package vectorlstm.serve;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The server's counters, in Prometheus' text format (version 0.0.4) for {@code GET /metrics}.
 * Counting is lock-free (adders); a scrape reads them without stopping anyone. Path labels are
 * limited to the server's own paths, so a client asking for random URLs cannot grow the output.
 */
final class Metrics {
    /** Upper bounds of the request-duration histogram, in seconds: scoring is 0.1-10 ms, queues add more. */
    static final double[] BUCKETS = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final Set<String> knownPaths;
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder[] durationBuckets = new LongAdder[BUCKETS.length + 1];
    private final DoubleAdder durationSum = new DoubleAdder();
    private final LongAdder durationCount = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder texts = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder reloadsOk = new LongAdder();
    private final LongAdder reloadsFailed = new LongAdder();
    private IntSupplier queuedTexts = () -> 0;
    private Supplier<LoadedModel> model = () -> null;
    /** Per scoring thread id, its CPU nanoseconds at the last scrape; and the sum of those of threads that ended since. */
    private Map<Long, Long> scoringThreadNanos = new HashMap<>();
    private long retiredScoringNanos;

    Metrics(Set<String> knownPaths) {
        this.knownPaths = Set.copyOf(knownPaths);
        for (int i = 0; i < durationBuckets.length; i++) durationBuckets[i] = new LongAdder();
    }

    void watch(IntSupplier queuedTexts, Supplier<LoadedModel> model) {
        this.queuedTexts = queuedTexts;
        this.model = model;
    }

    void requestStarted() { inFlight.incrementAndGet(); }

    /** One answered request: its path (unknown paths count as "other"), status and time taken. */
    void requestFinished(String path, int status, long nanos, boolean classify) {
        inFlight.decrementAndGet();
        String label = knownPaths.contains(path) ? path : "other";
        requests.computeIfAbsent(label + "\u0000" + status, k -> new LongAdder()).increment();
        if (classify) {
            double seconds = nanos / 1e9;
            int b = 0;
            while (b < BUCKETS.length && seconds > BUCKETS[b]) b++;
            durationBuckets[b].increment();
            durationSum.add(seconds);
            durationCount.increment();
        }
    }

    void batchScored(int size) {
        texts.add(size);
        batches.increment();
    }

    void reloaded(boolean ok) {
        (ok ? reloadsOk : reloadsFailed).increment();
    }

    int inFlight() { return inFlight.get(); }

    long textsScored() { return texts.sum(); }

    /** The whole scrape. */
    String render() {
        StringBuilder out = new StringBuilder(4096);
        header(out, "vlstm_http_requests_total", "counter", "HTTP requests answered, by path and status code.");
        Map<String, Long> sorted = new TreeMap<>();
        requests.forEach((k, v) -> sorted.put(k, v.sum()));
        sorted.forEach((k, v) -> {
            String[] pathAndCode = k.split("\u0000");
            out.append("vlstm_http_requests_total{path=\"").append(pathAndCode[0]).append("\",code=\"").append(pathAndCode[1]).append("\"} ").append(v).append('\n');
        });

        header(out, "vlstm_classify_duration_seconds", "histogram", "Time from a classify request's arrival to its answer, refused requests included: reading the body, parsing, tokenizing, the queue wait and scoring.");
        long cumulative = 0;
        for (int b = 0; b < BUCKETS.length; b++) {
            cumulative += durationBuckets[b].sum();
            out.append("vlstm_classify_duration_seconds_bucket{le=\"").append(java.math.BigDecimal.valueOf(BUCKETS[b]).stripTrailingZeros().toPlainString()).append("\"} ").append(cumulative).append('\n');
        }
        cumulative += durationBuckets[BUCKETS.length].sum();
        out.append("vlstm_classify_duration_seconds_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        out.append("vlstm_classify_duration_seconds_sum ").append(number(durationSum.sum())).append('\n');
        out.append("vlstm_classify_duration_seconds_count ").append(cumulative).append('\n');

        gauge(out, "vlstm_http_requests_in_flight", "Requests being handled now.", inFlight.get());
        gauge(out, "vlstm_queued_texts", "Texts accepted and waiting for a scorer.", queuedTexts.getAsInt());
        counter(out, "vlstm_texts_scored_total", "Texts scored.", texts.sum());
        counter(out, "vlstm_scoring_batches_total", "Scoring runs (one text each, or one batch each when batching).", batches.sum());
        header(out, "vlstm_model_reloads_total", "counter", "Hot reloads, by result (a refused file leaves the old model serving).");
        out.append("vlstm_model_reloads_total{result=\"ok\"} ").append(reloadsOk.sum()).append('\n');
        out.append("vlstm_model_reloads_total{result=\"refused\"} ").append(reloadsFailed.sum()).append('\n');
        LoadedModel m = model.get();
        if (m != null) {
            header(out, "vlstm_model_info", "gauge", "The model being served (1), by file checksum.");
            out.append("vlstm_model_info{sha256=\"").append(m.sha256).append("\"} 1\n");
        }

        counter(out, "vlstm_scoring_cpu_seconds_total", "CPU time of the threads that score (the rest of the process's CPU time is HTTP, JSON, tokenizing and the JVM); a thread that ended (a reload retires the old model's) counts with its time at the scrape before.", scoringCpuSeconds());
        counter(out, "process_cpu_seconds_total", "CPU time of the whole process.", processCpuSeconds());
        gauge(out, "process_resident_memory_bytes", "Resident memory of the process (from /proc; -1 where there is none).", residentBytes());
        gauge(out, "jvm_heap_used_bytes", "Java heap in use.", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        return out.toString();
    }

    /**
     * CPU seconds of the scoring threads: the server's scorers and the engine's batch and helper
     * threads, live ones as the JVM counts them, ended ones as the last scrape saw them. A reload
     * retires the old model's threads; counting only the live ones made the counter go down, which
     * Prometheus' {@code rate()} takes for a reset and counts the whole new value as the increase.
     */
    synchronized double scoringCpuSeconds() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> live = new HashMap<>();
        long nanos = 0;
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {  // names only, no stacks
            if (t == null) continue;  // ended meanwhile
            String name = t.getThreadName();
            if (name.startsWith(ScoringQueue.THREAD_PREFIX) || name.startsWith("vector-lstm-predict") || name.startsWith("vector-lstm-scorer-helper")) {
                long cpu = threads.getThreadCpuTime(t.getThreadId());  // -1 once ended
                if (cpu > 0) {
                    live.put(t.getThreadId(), cpu);
                    nanos += cpu;
                }
            }
        }
        // Thread ids are never reused: one seen before and not now has ended.
        for (Map.Entry<Long, Long> seen : scoringThreadNanos.entrySet()) if (!live.containsKey(seen.getKey())) retiredScoringNanos += seen.getValue();
        scoringThreadNanos = live;
        return (retiredScoringNanos + nanos) / 1e9;
    }

    static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return -1;
    }

    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux): say so with -1 rather than fail the scrape
        }
        return -1;
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, double value) {
        header(out, name, "counter", help);
        out.append(name).append(' ').append(number(value)).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, double value) {
        header(out, name, "gauge", help);
        out.append(name).append(' ').append(number(value)).append('\n');
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
