package vectorlstm.serve;

import java.time.Duration;

/**
 * Everything a scoring server is bounded by. Every limit exists so that no client, however
 * hostile, can make the server use unbounded memory, threads or time.
 *
 * @param host             the address to listen on (loopback unless told otherwise)
 * @param port             the port; 0 picks a free one (tests)
 * @param threads          scoring threads (one-by-one scoring) or cores for each batch (batching)
 * @param maxBatch         1 scores each text on its own; above 1, texts waiting together are scored
 *                         as one batch of at most this many (dynamic batching; a request of more
 *                         texts is split between batches)
 * @param batchWait        how long a batch waits for more texts before it is scored anyway
 * @param maxBodyBytes     a larger request body is answered 413 without being read
 * @param maxTexts         texts per request; more is answered 413
 * @param maxTextChars     characters per text; a longer text is answered 413
 * @param queueTexts       texts accepted but not yet scored; a request that would exceed it is
 *                         answered 503 at once instead of waiting in an ever longer queue
 * @param requestTimeout   a request not answered within it (queue wait and scoring) gets 503; at most a day
 * @param readTimeout      a client that has not sent its whole request within it is disconnected
 *                         (slow clients, slowloris); at most a day
 * @param shutdownGrace    how long a graceful stop waits for requests in flight; at most a day
 */
public record ServerSettings(String host, int port, int threads, int maxBatch, Duration batchWait,
                             int maxBodyBytes, int maxTexts, int maxTextChars, int queueTexts,
                             Duration requestTimeout, Duration readTimeout, Duration shutdownGrace) {

    public ServerSettings {
        require(host != null && !host.isBlank(), "host must be given");
        require(port >= 0 && port <= 65535, "port must be 0..65535, got " + port);
        require(threads >= 1 && threads <= 256, "threads must be 1..256, got " + threads);
        require(maxBatch >= 1 && maxBatch <= 4096, "max batch must be 1..4096, got " + maxBatch);
        require(positiveOrZero(batchWait) && batchWait.compareTo(Duration.ofMillis(1000)) <= 0, "batch wait must be 0..1000 ms (0..1000000 µs), got " + micros(batchWait));
        require(maxBodyBytes >= 1024 && maxBodyBytes <= 256 << 20, "max body must be 1 KiB..256 MiB, got " + maxBodyBytes);
        require(maxTexts >= 1 && maxTexts <= 100_000, "max texts must be 1..100000, got " + maxTexts);
        require(maxTextChars >= 1, "max text length must be >= 1, got " + maxTextChars);
        require(queueTexts >= maxTexts, "the queue (" + queueTexts + " texts) must hold at least one full request (" + maxTexts + " texts)");
        require(positive(requestTimeout) && atMostADay(requestTimeout), "request timeout must be > 0 and at most a day (86400000 ms), got " + millis(requestTimeout));
        require(positive(readTimeout) && readTimeout.toSeconds() >= 1 && atMostADay(readTimeout),
                "read timeout must be 1 s (the JDK server counts whole seconds) to a day (86400 s), got " + seconds(readTimeout));
        require(positiveOrZero(shutdownGrace) && atMostADay(shutdownGrace), "shutdown grace must be 0 to a day (86400 s), got " + seconds(shutdownGrace));
    }

    /**
     * Defaults for one machine: all cores, dynamic batching of up to 64 texts (measured against
     * one-by-one scoring at 1, 16 and 64 connections; it did as well or better at each: docs/serving.md).
     */
    public static ServerSettings defaults() {
        return new ServerSettings("127.0.0.1", 8080, Runtime.getRuntime().availableProcessors(), 64, Duration.ofMillis(2),
                1 << 20, 256, 100_000, 4096, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public ServerSettings withPort(int newPort) {
        return new ServerSettings(host, newPort, threads, maxBatch, batchWait, maxBodyBytes, maxTexts, maxTextChars, queueTexts, requestTimeout, readTimeout, shutdownGrace);
    }

    boolean batching() { return maxBatch > 1; }

    private static boolean positive(Duration d) { return d != null && !d.isNegative() && !d.isZero(); }
    private static boolean positiveOrZero(Duration d) { return d != null && !d.isNegative(); }
    /** Longer waits mean nothing to a server, and the JDK's and our own arithmetic on them (nanoseconds, sums) must not overflow. */
    private static boolean atMostADay(Duration d) { return d != null && d.compareTo(Duration.ofDays(1)) <= 0; }

    /** A duration in the flag's own unit: "86400001 ms", not Duration's "PT24H0.001S". Exact at any size. */
    private static String millis(Duration d) {
        if (d == null) return "none";
        return java.math.BigDecimal.valueOf(d.getSeconds()).scaleByPowerOfTen(3).add(java.math.BigDecimal.valueOf(d.getNano(), 6))
                .stripTrailingZeros().toPlainString() + " ms";
    }

    private static String micros(Duration d) {
        if (d == null) return "none";
        return java.math.BigDecimal.valueOf(d.getSeconds()).scaleByPowerOfTen(6).add(java.math.BigDecimal.valueOf(d.getNano(), 3))
                .stripTrailingZeros().toPlainString() + " µs";
    }

    private static String seconds(Duration d) {
        if (d == null) return "none";
        return java.math.BigDecimal.valueOf(d.getSeconds()).add(java.math.BigDecimal.valueOf(d.getNano(), 9)).stripTrailingZeros().toPlainString() + " s";
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
