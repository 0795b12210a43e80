package vectorlstm.serve;

import static vectorlstm.serve.ScoringServer.CLASSIFY;
import static vectorlstm.serve.ScoringServer.HEALTH;
import static vectorlstm.serve.ScoringServer.METRICS;
import static vectorlstm.serve.ScoringServer.MODEL;
import static vectorlstm.serve.ScoringServer.PATHS;
import static vectorlstm.serve.ScoringServer.READY;
import static vectorlstm.serve.ScoringServer.RELOAD;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Every request's way through the server: counted, routed by its path and method to its endpoint
 * (classify has a class of its own, {@link ClassifyHandler}; the others are answered here), a
 * refusal ({@link ApiError}) or a failure turned into a JSON error, and its status and duration
 * given to the {@link Metrics}.
 */
final class RequestRouter {
    private final ServerSettings settings;
    private final ModelSlot slot;
    private final Metrics metrics;
    private final BodyBudget bodies;
    private final ResponseWriter responses;
    private final ClassifyHandler classify;
    private final ModelReloads reloads;
    private final BooleanSupplier stopping;
    private final Consumer<String> log;
    private final LongAdder accepted = new LongAdder();

    RequestRouter(ServerSettings settings, ModelSlot slot, Metrics metrics, BodyBudget bodies, ResponseWriter responses,
                  ClassifyHandler classify, ModelReloads reloads, BooleanSupplier stopping, Consumer<String> log) {
        this.settings = settings;
        this.slot = slot;
        this.metrics = metrics;
        this.bodies = bodies;
        this.responses = responses;
        this.classify = classify;
        this.reloads = reloads;
        this.stopping = stopping;
        this.log = log;
    }

    /** The JDK server's handler for every path (on a virtual thread of its own). */
    void handle(HttpExchange ex) {
        long start = System.nanoTime();
        accepted.increment();
        metrics.requestStarted();
        RequestBody.install(ex);
        if (RequestBody.unframed(ex)) ex.getResponseHeaders().set("Connection", "close");
        // Routed as sent, not decoded: "/v1/admin%2Freload" or "/v1/%61dmin/reload" reached the reload,
        // past a proxy that guards the path as written. A path with an escape matches none of ours.
        String path = pathAsSent(ex.getRequestURI());
        int status = 500;
        try {
            try {
                requireWellFormed(ex);
                status = route(ex, path);
            } catch (ApiError e) {
                status = e.status;
                responses.sendError(ex, e.status, e.getMessage());
            } catch (RuntimeException | Error e) {
                status = 500;
                log.accept("internal error on " + path + ": " + e);
                responses.sendError(ex, 500, "internal error: " + e.getClass().getSimpleName());
            } finally {
                close(ex);
            }
        } finally {
            // Every request is counted, however it ended: one that left by an exception kept the
            // in-flight gauge up for good. Arrival to answer: not the wait, after the answer, for a
            // body the client still sends (RequestBody.drain).
            long end = RequestBody.answeredAt(ex);
            metrics.requestFinished(path, status, end - start, CLASSIFY.equals(path));
        }
    }

    /**
     * The request target's path as the client sent it. java.net.URI reads an origin-form target
     * that starts with "//" as a host and a path: "//x/v1/admin/reload" and "///v1/admin/reload"
     * were routed to the reload, past a proxy rule on /v1/admin/ (which sees the path as sent). Such
     * a path is none of ours. An absolute-form target (http://host/path, which HTTP/1.1 servers take)
     * is routed by its path, as a proxy reads it too.
     */
    static String pathAsSent(URI target) {
        if (target.getScheme() != null) {
            return target.getRawAuthority() != null ? String.valueOf(target.getRawPath()) : target.toString();
        }
        String sent = target.getRawSchemeSpecificPart();  // the target before any '#', query included
        int query = sent.indexOf('?');
        return query < 0 ? sent : sent.substring(0, query);
    }

    /**
     * Ends the exchange. The JDK reads what is left of the body there, and its chunked reader fails
     * unchecked on a chunk size of 2^31 or more: the connection is broken, nothing more to do.
     */
    private static void close(HttpExchange ex) {
        try {
            ex.close();
        } catch (RuntimeException e) {
            // the connection closes with it
        }
    }

    /**
     * What the JDK's parser lets through and HTTP does not (RFC 9112): an HTTP/1.1 request without
     * a Host header, a request with two, and a Content-Length other than digits ("+12", which the JDK reads as 12 where
     * a proxy in front may read it otherwise, or refuse it: two views of where the body ends).
     */
    private static void requireWellFormed(HttpExchange ex) {
        // Every version but 1.0 (and 0.9): the JDK passes "HTTP/1.9", "http/1.1" and "HTTP/1.1 " on, which skipped the check.
        String version = String.valueOf(ex.getProtocol()).strip().toUpperCase(java.util.Locale.ROOT);
        boolean needsHost = !version.equals("HTTP/1.0") && !version.equals("HTTP/0.9");
        if (needsHost && !ex.getRequestHeaders().containsKey("Host")) {
            ex.getResponseHeaders().set("Connection", "close");
            throw new ApiError(400, "a request needs a Host header (all but HTTP/1.0 do)");
        }
        List<String> hosts = ex.getRequestHeaders().get("Host");
        if (hosts != null && hosts.size() > 1) {  // RFC 9112 3.2: two hosts are two views of where the request goes
            ex.getResponseHeaders().set("Connection", "close");
            throw new ApiError(400, "a request has one Host header, this one has " + hosts.size());
        }
        List<String> lengths = ex.getRequestHeaders().get("Content-Length");
        if (lengths != null) {
            for (String length : lengths) {
                if (!length.strip().matches("[0-9]+")) {
                    ex.getResponseHeaders().set("Connection", "close");  // where its body ends is not known
                    throw new ApiError(400, "bad Content-Length: " + ApiError.shorten(length, 40) + " (digits only)");
                }
            }
        }
    }

    /** Requests whose handler started (what the shutdown count compares with the answered ones). */
    long accepted() {
        return accepted.sum();
    }

    private int route(HttpExchange ex, String path) {
        return switch (path) {
            case CLASSIFY -> { method(ex, "POST"); yield classify.handle(ex); }
            case MODEL -> { readOnly(ex); yield responses.sendJson(ex, 200, ModelInfo.of(slot, settings)); }
            case RELOAD -> { method(ex, "POST"); yield reloadRequest(ex); }
            case HEALTH -> { readOnly(ex); yield responses.sendJson(ex, 200, Map.of("status", "ok")); }
            case READY -> {
                readOnly(ex);
                boolean ready = !stopping.getAsBoolean() && slot.peek() != null;
                yield responses.sendJson(ex, ready ? 200 : 503, Map.of("ready", ready));
            }
            case METRICS -> { readOnly(ex); yield responses.send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render().getBytes(StandardCharsets.UTF_8)); }
            // The JDK reads the request line as ISO-8859-1: a UTF-8 path came back as "/v1/clÃ¤ssify" in the message.
            default -> throw new ApiError(404, "no such path: " + ApiError.shorten(new String(path.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8), 100)
                    + " (paths: " + String.join(", ", new TreeSet<>(PATHS)) + ")");
        };
    }

    private int reloadRequest(HttpExchange ex) {
        // The body is read (within the body budget, as a classify request's) and ignored: the file
        // to read is the one the server was started with, never one named over HTTP.
        BodyBudget.BodyMemory memory = bodies.hold();
        try {
            bodies.read(ex, memory);
        } finally {
            bodies.release(memory);
        }
        if (slot.peek() != null && "in-memory".equals(slot.peek().sha256)) throw new ApiError(409, "this server serves an in-memory model: there is no file to reload");
        LoadedModel loaded;
        try {
            loaded = reloads.reload(null, false);
        } catch (ApiError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ApiError(422, "reload refused, still serving the old model: " + e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reloaded", true);
        body.put("sha256", loaded.sha256);  // the file this reload read, not whatever a signalled reload right after swapped in
        return responses.sendJson(ex, 200, body);
    }

    private static void method(HttpExchange ex, String allowed) {
        if (!ex.getRequestMethod().equals(allowed)) {
            ex.getResponseHeaders().set("Allow", allowed);
            // A HEAD answer carries GET's headers, Content-Length included: the body it stands for is GET's.
            String asked = ex.getRequestMethod().equals("HEAD") ? "GET" : ex.getRequestMethod();
            throw new ApiError(405, asked + " is not allowed here; use " + allowed);
        }
    }

    /** GET, or HEAD (the same status and headers, no body: what a load balancer's health check may send). */
    private static void readOnly(HttpExchange ex) {
        String m = ex.getRequestMethod();
        if (!m.equals("GET") && !m.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            throw new ApiError(405, m + " is not allowed here; use GET (or HEAD)");
        }
    }
}
