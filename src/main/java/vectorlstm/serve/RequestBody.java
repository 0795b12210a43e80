package vectorlstm.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A request's body as the handlers read it, and what becomes of the part they leave unread (a body
 * refused for its size, its type or its path).
 *
 * <p>The JDK server reads an unread body on (up to 64 KB) when the body stream or the exchange is
 * closed, so that a client still sending sees its answer rather than a reset. But it reads with
 * blocking reads and no deadline of their own: a client that announced a body, had its 413 and
 * stopped sending held its connection and a handler until the read timeout; and a body closed
 * before the answer (a chunked body over the limit) was read on before the 413 was sent, so a
 * client that stalled there never had one. Here closing the body reads nothing, and after the
 * answer has been written {@link #drain} reads the rest for at most {@link #LINGER} and
 * {@link #LINGER_BYTES}; a body that has not ended by then has its connection closed (a HEAD's
 * answer: {@link #sendHeadAnswer}).
 */
final class RequestBody extends FilterInputStream {
    /** How long an unread body is read on after the answer: time for a client still sending to see the answer. */
    static final Duration LINGER = Duration.ofMillis(500);
    /** How much of it: the JDK's own drain amount. */
    static final int LINGER_BYTES = 64 << 10;

    private boolean ended;
    /** Body bytes read so far (by the handler and the drain). */
    private long consumed;
    /**
     * System.nanoTime() when the answer was out, or -1: what the duration metrics end at. Kept here,
     * one per request, not as an exchange attribute: the JDK keeps those in its context, one map
     * that every request shares, and a request's duration was measured to another's answer.
     */
    private long answeredAt = -1;

    private RequestBody(InputStream in, boolean ended) {
        super(in);
        this.ended = ended;
    }

    /** Puts itself in place of the exchange's body stream (the JDK's way for filters to wrap it). */
    static void install(HttpExchange ex) {
        ex.setStreams(new RequestBody(ex.getRequestBody(), !declaresBody(ex)), null);
    }

    /** What the JDK server reads a body by: chunked (the only transfer coding it takes) or a length above 0. */
    private static boolean declaresBody(HttpExchange ex) {
        if (ex.getRequestHeaders().containsKey("Transfer-Encoding")) return true;
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        return length != null && !length.strip().equals("0");
    }

    /**
     * A request that may carry a body (any method but GET and HEAD) with neither Content-Length
     * nor Transfer-Encoding. By HTTP's rules it has no body, and the JDK reads none: bytes a client
     * sent as one anyway stay on the connection and would be read as the next request (a request
     * written there was answered). Such a connection is closed after its answer.
     */
    static boolean unframed(HttpExchange ex) {
        String method = ex.getRequestMethod();
        return !method.equals("GET") && !method.equals("HEAD")
                && !ex.getRequestHeaders().containsKey("Content-Length") && !ex.getRequestHeaders().containsKey("Transfer-Encoding");
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) ended = true;
        else consumed++;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) ended = true;
        else consumed += n;
        return n;
    }

    /** Notes that the answer to {@code ex} is out now. */
    static void markAnswered(HttpExchange ex) {
        if (ex.getRequestBody() instanceof RequestBody body) body.answeredAt = System.nanoTime();
    }

    /** System.nanoTime() when the answer to {@code ex} was out, or now if none was written. */
    static long answeredAt(HttpExchange ex) {
        return ex.getRequestBody() instanceof RequestBody body && body.answeredAt >= 0 ? body.answeredAt : System.nanoTime();
    }

    /** Reads nothing: what is left is read after the answer, bounded ({@link #drain}). */
    @Override
    public void close() {
    }

    /**
     * Reads what is left of the body after the answer is out, for at most {@link #LINGER} and
     * {@link #LINGER_BYTES}. A body that ends in time leaves its connection for the next request;
     * one that does not (a client that stalls, or sends more than that) has its connection closed now.
     */
    static void drain(HttpExchange ex) {
        if (!(ex.getRequestBody() instanceof RequestBody body) || body.ended) return;
        // The reads run on a thread of their own so that it can be interrupted: a blocked read on
        // the JDK server's socket channel then closes the channel (InterruptibleChannel), which
        // no other handle on the connection can do, and nothing but that thread sees the interrupt.
        Thread reader = Thread.ofVirtual().name("drain-request-body").start(body::readRest);
        try {
            if (!reader.join(LINGER)) {
                reader.interrupt();
                reader.join(LINGER);
            }
        } catch (InterruptedException e) {
            reader.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A body with a Content-Length of which more is unread than {@link #drain} will read: its
     * connection is closed after the answer, so the answer must say so ("Connection: close"). A
     * client that took the silence for keep-alive sent its next request on a connection about to
     * be reset.
     */
    static boolean moreLeftThanDrained(HttpExchange ex) {
        if (!(ex.getRequestBody() instanceof RequestBody body) || body.ended) return false;
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared == null) return false;
        try {
            return Long.parseLong(declared.strip()) - body.consumed > LINGER_BYTES;
        } catch (NumberFormatException e) {
            return true;  // the JDK took it; we cannot tell where the body ends
        }
    }

    /** A chunked request body (the only transfer coding the JDK server takes). */
    static boolean chunked(HttpExchange ex) {
        String coding = ex.getRequestHeaders().getFirst("Transfer-Encoding");
        return coding != null && coding.toLowerCase(java.util.Locale.ROOT).contains("chunked");
    }

    /**
     * Answers a HEAD request: the headers only. The JDK sends them and then ends the exchange at
     * once, reading what is left of the body (up to 64 KB) on this thread with no deadline of its
     * own; that read is bounded by {@link #LINGER} here: past it this thread is interrupted, which
     * closes the connection (the read is on an interruptible channel). The headers are out by then
     * (reading the body first, as {@link #drain} does, closed a stalled client's connection before
     * it had any answer).
     */
    static void sendHeadAnswer(HttpExchange ex, int status) throws IOException {
        if (!(ex.getRequestBody() instanceof RequestBody body) || body.ended) {
            ex.sendResponseHeaders(status, -1);  // no body: nothing to wait for (the JDK sends no body for -1)
            return;
        }
        Thread handler = Thread.currentThread();
        boolean[] answered = {false};  // guarded by itself: no interrupt once the answer is done
        Thread deadline = Thread.ofVirtual().name("head-request-body").start(() -> {
            try {
                Thread.sleep(LINGER);
            } catch (InterruptedException e) {
                return;  // answered in time
            }
            synchronized (answered) {
                if (!answered[0]) handler.interrupt();
            }
        });
        try {
            ex.sendResponseHeaders(status, -1);
        } finally {
            synchronized (answered) {
                answered[0] = true;
            }
            deadline.interrupt();
            Thread.interrupted();  // the deadline's, if it came: the connection is closed, this handler goes on
        }
    }

    private void readRest() {
        byte[] scratch = new byte[8 << 10];
        try {
            for (int left = LINGER_BYTES; left > 0; ) {
                int n = read(scratch, 0, Math.min(scratch.length, left));
                if (n < 0) return;
                left -= n;
            }
            // Still sending past what is worth reading: the next read on the channel closes it.
            Thread.currentThread().interrupt();
            while (in.read(scratch) >= 0) {
                // what the JDK had buffered already; the read after it reaches the channel
            }
        } catch (IOException | RuntimeException e) {
            // closed (by the interrupt, the client, or the read timeout), or a framing the JDK's chunked
            // reader fails on with an unchecked exception (a chunk size of 2^31 or more): nothing more
            // to read, and the connection closes (the answer said so: every chunked request's does)
        }
    }
}
