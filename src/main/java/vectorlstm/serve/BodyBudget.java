package vectorlstm.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.Semaphore;

/**
 * Request bodies read into memory, within one budget of bytes that every request in flight shares:
 * however many clients send (or stall) at once, the heap their bodies take stays bounded. A request
 * holds its share from the first buffer until it is answered.
 */
final class BodyBudget {
    /**
     * Request bodies being read, parsed and tokenized at once, in multiples of the body limit: a
     * request whose body would go beyond it is answered 503 (its buffer grows as its bytes arrive,
     * see {@link BodyMemory}). With many slow or large requests in flight the heap stays bounded (a
     * body becomes a few times its size in strings and token ids) instead of growing with the
     * number of connections. The budget also holds every connection's first buffer, so connections
     * that stall mid-body never use up the share of those that send.
     */
    static final int BODIES_IN_FLIGHT = 64;
    /** The first buffer of a body: what a request holds of the body budget before its bytes arrive. */
    static final int FIRST_BODY_BUFFER = 8 << 10;

    private final ServerSettings settings;
    private final Semaphore budget;

    BodyBudget(ServerSettings settings) {
        this.settings = settings;
        this.budget = new Semaphore(bytes(settings));
    }

    /** {@link #BODIES_IN_FLIGHT} bodies of the limit, plus a first buffer for every connection the JDK keeps open. */
    static int bytes(ServerSettings settings) {
        return (int) Math.min(Integer.MAX_VALUE, (long) BODIES_IN_FLIGHT * settings.maxBodyBytes() + (long) JdkServerLimits.MAX_CONNECTIONS * FIRST_BODY_BUFFER);
    }

    /**
     * What a request's body holds of the budget while it is read, parsed and scored. It grows with
     * the bytes that arrive, not with what the request declares: a client that declares a large
     * body and stalls holds the first buffer (8 KB), so stalled connections (at most
     * {@link JdkServerLimits#MAX_CONNECTIONS}) cannot use up the budget and keep others out.
     */
    final class BodyMemory {
        int held;

        void take(int bytes, HttpExchange ex) {
            if (!budget.tryAcquire(bytes)) {
                ex.getResponseHeaders().set("Retry-After", "1");
                ex.getResponseHeaders().set("Connection", "close");  // the rest of its body stays unread
                throw new ApiError(503, "busy: too many request bodies in flight; retry later");
            }
            held += bytes;
        }
    }

    /** A new hold for one request's body, holding nothing yet; given back by {@link #release} once the request is answered. */
    BodyMemory hold() {
        return new BodyMemory();
    }

    void release(BodyMemory memory) {
        budget.release(memory.held);
    }

    /**
     * The request body, at most {@link ServerSettings#maxBodyBytes()}: a declared larger length is
     * refused before a byte is read; a chunked body is read only up to the limit. Its buffer grows
     * as bytes arrive, each growth taken from the body budget through {@code memory} first.
     */
    byte[] read(HttpExchange ex, BodyMemory memory) {
        int max = settings.maxBodyBytes();
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                throw new ApiError(400, "bad Content-Length");
            }
            if (length > max) {
                ex.getResponseHeaders().set("Connection", "close");  // the unread body must not be taken for the next request
                throw new ApiError(413, "the body has " + length + " bytes; at most " + max);
            }
        }
        try {
            InputStream in = ex.getRequestBody();  // not closed here: what is left unread is read after the answer (RequestBody)
            int cap = Math.min(FIRST_BODY_BUFFER, max + 1), n = 0;
            memory.take(cap, ex);
            byte[] body = new byte[cap];
            while (true) {
                if (n == body.length) {
                    if (n > max) {
                        ex.getResponseHeaders().set("Connection", "close");
                        throw new ApiError(413, "the body is longer than " + max + " bytes");
                    }
                    int grown = (int) Math.min(max + 1L, 2L * n);
                    memory.take(grown - n, ex);
                    body = Arrays.copyOf(body, grown);
                }
                int read = in.read(body, n, body.length - n);
                if (read < 0) break;
                n += read;
            }
            return n == body.length ? body : Arrays.copyOf(body, n);
        } catch (ApiError e) {
            throw e;
        } catch (RuntimeException e) {
            // The JDK's chunked reader takes a chunk size of 2^31 or more for a negative int and fails unchecked.
            ex.getResponseHeaders().set("Connection", "close");
            throw new ApiError(400, "could not read the body: its framing is broken (" + e.getClass().getSimpleName() + "; a chunk size of 2^31 bytes or more?)");
        } catch (IOException e) {
            ex.getResponseHeaders().set("Connection", "close");  // a broken body leaves no known start for the next request
            // The JDK's chunked reader says only "invalid chunk end" for trailer fields after the last chunk, and
            // for a chunk size of 2^32 or more, which it reads as a smaller one (2^32 as 0, the last chunk).
            String trailers = RequestBody.chunked(ex) && "invalid chunk end".equals(e.getMessage())
                    ? " (a chunked body is read without trailer fields after its last chunk, and with chunk sizes below 2^31: send neither)" : "";
            throw new ApiError(400, "could not read the body: " + e.getMessage() + trailers);
        }
    }

    /** Bytes of the budget not held by a request now. */
    int left() {
        return budget.availablePermits();
    }

    /** Holds {@code bytes} of the budget as stalled uploads would, without their sockets' timing (tests); the Runnable gives them back. */
    Runnable holdForTests(int bytes) {
        if (!budget.tryAcquire(bytes)) throw new IllegalStateException("the body budget has no " + bytes + " bytes left");
        return () -> budget.release(bytes);
    }
}
