package vectorlstm.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Writes every answer the server gives, JSON or text (a HEAD request's: the headers only): closes
 * its connection when a next request could not be read on it, reads what the client left of its
 * body after the answer ({@link RequestBody#drain}), and notes when the answer was out and how
 * many answers were written.
 */
final class ResponseWriter {
    private final BooleanSupplier stopping;
    private final LongAdder answered = new LongAdder();

    ResponseWriter(BooleanSupplier stopping) {
        this.stopping = stopping;
    }

    int sendJson(HttpExchange ex, int status, Object body) {
        return send(ex, status, "application/json", JsonBodies.write(body));
    }

    int send(HttpExchange ex, int status, String type, byte[] body) {
        try {
            ex.getResponseHeaders().set("Content-Type", type);
            // While stopping, every answer closes its connection: a next request sent on it would
            // not be taken (stop() takes none), only see its connection closed unanswered.
            if (stopping.getAsBoolean()) ex.getResponseHeaders().set("Connection", "close");
            // A chunked request's connection is not kept: the JDK reads chunk sizes into an int
            // without a check, so a size of 2^32 reads as 0, the last chunk, and the bytes a proxy
            // forwards as that chunk's data were taken for the next request (a reload hidden in a
            // classify body was answered). Its end, even read in full, does not tell where the
            // client's next request starts. A body with more unread than the drain reads is cut off.
            if (RequestBody.chunked(ex) || RequestBody.moreLeftThanDrained(ex)) ex.getResponseHeaders().set("Connection", "close");
            if (ex.getRequestMethod().equals("HEAD")) {
                // The length a GET would get (RFC 9110: a HEAD answer carries GET's header fields);
                // the JDK writes none for HEAD unless it is set here.
                ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
                // Marked before: the JDK drains the unread body inside this call, after the headers are out.
                RequestBody.markAnswered(ex);
                RequestBody.sendHeadAnswer(ex, status);  // the headers only
                answered.increment();  // written: what the shutdown count compares with the accepted ones
            } else {
                ex.sendResponseHeaders(status, body.length);
                OutputStream out = ex.getResponseBody();
                out.write(body);
                out.flush();  // the client has its answer before what it left unsent is waited for
                RequestBody.markAnswered(ex);
                answered.increment();  // counted once written, whatever the read-on of the body after it meets
                RequestBody.drain(ex);
                out.close();
            }
        } catch (IOException e) {
            // the client went away: nothing to answer, nobody to tell
        } catch (RuntimeException e) {
            // The JDK drains the unread body when the answer's stream closes (and a HEAD's inside
            // sendResponseHeaders); its chunked reader fails unchecked on a chunk size of 2^31 or
            // more. The answer is out; the broken connection closes.
        }
        return status;
    }

    void sendError(HttpExchange ex, int status, String message) {
        if (ex.getResponseCode() != -1) return;  // headers already sent: the connection is closed instead
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        send(ex, status, "application/json", JsonBodies.write(body));
    }

    /** Answers written to the end (a client that went away before is not counted). */
    long answered() {
        return answered.sum();
    }
}
