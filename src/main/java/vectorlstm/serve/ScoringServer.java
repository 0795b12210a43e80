package vectorlstm.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import vectorlstm.classifier.Classification;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.layers.Layer;

/**
 * {@code ./lstm serve}: a text classifier behind HTTP, JSON in and out.
 *
 * <pre>
 *   POST /v1/classify      {"text": "..."} or {"texts": [...]} -> label, probabilities, known words
 *   GET  /v1/model         what is served: architecture, labels, vocabulary, maxlen, checksum, engine
 *   POST /v1/admin/reload  re-reads the model file and swaps it in (a bad file is refused, the old one stays)
 *   GET  /health           the process answers (liveness)
 *   GET  /ready            a model is loaded and the server is not stopping (readiness)
 *   GET  /metrics          Prometheus text format
 * </pre>
 *
 * <p>The JDK's own HTTP server, one virtual thread per request (chosen by measurement against
 * Jetty; docs/serving.md). Handlers parse and tokenize; scoring runs on the {@link ScoringQueue}'s
 * fixed threads. Every resource a client controls is bounded by {@link ServerSettings}.
 */
public final class ScoringServer implements AutoCloseable {
    /** Exchange attribute: System.nanoTime() when the answer was out (what the duration metrics end at). */
    private static final String ANSWERED_AT = "vlstm.answeredAt";
    static final String CLASSIFY = "/v1/classify", MODEL = "/v1/model", RELOAD = "/v1/admin/reload",
            HEALTH = "/health", READY = "/ready", METRICS = "/metrics";
    static final int MAX_CONNECTIONS = 4096;
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
    private static final Set<String> PATHS = Set.of(CLASSIFY, MODEL, RELOAD, HEALTH, READY, METRICS);

    private final ServerSettings settings;
    private final ModelSlot slot;
    private final Metrics metrics = new Metrics(PATHS);
    private final ScoringQueue queue;
    private final HttpServer http;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Semaphore bodyBudget;
    private final LongAdder accepted = new LongAdder(), answered = new LongAdder();
    /** Signals to reload since the signalled reload running began (0: none runs). */
    private final AtomicInteger signalledReloads = new AtomicInteger();
    private final Consumer<String> log;

    private ScoringServer(ServerSettings settings, LoadedModel first, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
        this.slot = new ModelSlot(first, settings.threads());
        this.bodyBudget = new Semaphore(bodyBudget(settings));
        this.queue = new ScoringQueue(settings, metrics);
        metrics.watch(queue::queuedTexts, slot::peek);
        configureJdkServer(settings);
        try {
            http = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 1024);
        } catch (IOException e) {
            queue.close();
            slot.close();
            throw new UncheckedIOException("cannot listen on " + url(settings.host(), settings.port()).substring("http://".length()) + ": " + e.getMessage(), e);
        }
        http.createContext("/", this::handle);
        http.setExecutor(handlers);
        http.start();
    }

    /** Loads {@code modelFile} and starts serving it; {@code log} gets one line per event (reloads, stop). */
    public static ScoringServer start(Path modelFile, ServerSettings settings, Consumer<String> log) {
        return serve(LoadedModel.load(modelFile, settings.threads()), settings, log);
    }

    /** Serves a classifier built in memory (no file: reload re-reads nothing and is refused). The server takes ownership. */
    public static ScoringServer start(TextClassifier classifier, ServerSettings settings, Consumer<String> log) {
        return serve(LoadedModel.of(classifier, settings.threads()), settings, log);
    }

    /** {@link #BODIES_IN_FLIGHT} bodies of the limit, plus a first buffer for every connection the JDK keeps open. */
    static int bodyBudget(ServerSettings settings) {
        return (int) Math.min(Integer.MAX_VALUE, (long) BODIES_IN_FLIGHT * settings.maxBodyBytes() + (long) MAX_CONNECTIONS * FIRST_BODY_BUFFER);
    }

    /** A server for a loaded model; the model is closed again if the server cannot start (port taken). */
    private static ScoringServer serve(LoadedModel first, ServerSettings settings, Consumer<String> log) {
        try {
            return new ScoringServer(settings, first, log);
        } catch (RuntimeException e) {
            first.release();
            throw e;
        }
    }

    /**
     * The JDK server reads its limits from system properties, once, when its first server is made:
     * a request (headers and body) must arrive within the read timeout, a response may take the
     * request timeout plus the read timeout to be taken by the client. Without them one slow client
     * per connection could hold connections open forever.
     */
    private void configureJdkServer(ServerSettings s) {
        setUnlessGiven("sun.net.httpserver.maxReqTime", Long.toString(s.readTimeout().toSeconds()));
        setUnlessGiven("sun.net.httpserver.maxRspTime", Long.toString(s.requestTimeout().plus(s.readTimeout()).toSeconds() + 1));
        // How often the JDK looks for connections past those limits (default every 10 s, so a
        // connection that never sent a request was closed up to 10 s after the read timeout).
        setUnlessGiven("sun.net.httpserver.clockTick", "1000");
        setUnlessGiven("sun.net.httpserver.nodelay", "true");
        setUnlessGiven("sun.net.httpserver.maxReqHeaders", "64");
        setUnlessGiven("sun.net.httpserver.maxReqHeaderSize", Integer.toString(64 << 10));
        // Open connections beyond this are closed as they arrive: file descriptors stay bounded
        // however many sockets a client opens (64 busy clients need 64).
        setUnlessGiven("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
        // The JDK keeps at most 200 idle keep-alive connections by default and closes the others
        // right after their answer, without saying "Connection: close": a pool of more than 200
        // clients then sees its next request reset. Every connection we accept may stay alive.
        setUnlessGiven("sun.net.httpserver.maxIdleConnections", Integer.toString(MAX_CONNECTIONS));
    }

    /**
     * The JDK reads these once, when the first HTTP server of the process is made (for
     * {@code ./lstm serve}: this one). A value given with -D wins; a different value set by an
     * earlier server in the same process is kept by the JDK whatever we set, so say so.
     */
    private void setUnlessGiven(String property, String value) {
        String given = System.getProperty(property);
        if (given == null) {
            System.setProperty(property, value);
        } else if (!given.equals(value)) {
            log.accept("note: " + property + "=" + given + " (given, or from an earlier server in this process) is used, not " + value);
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** Where the server answers, as a client takes it (what {@code ./lstm serve} prints on start). */
    public String url() {
        return url(settings.host(), port());
    }

    /** An IPv6 address goes in brackets ({@code http://[::1]:8080}), its zone's % escaped as a URL's %25 (RFC 6874). */
    static String url(String host, int port) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return "http://" + (bare.contains(":") ? "[" + bare.replace("%", "%25") + "]" : bare) + ":" + port;
    }


    /**
     * Re-reads the served file (or {@code file}) and swaps it in; throws and keeps the old model if
     * it cannot load, and refuses (409) while another reload runs.
     */
    public void reload(Path file) {
        reload(file, false);
    }

    /**
     * A reload asked for by a signal (SIGHUP): the file as it is on disk when the signals stop is
     * the one served. A signal that arrives while a signalled reload runs is not refused: that
     * reload reads the file once more when it is done (however many arrived meanwhile: they are
     * one more read, not a queue of them); one that arrives during a reload asked over HTTP waits
     * for it. Never throws: what happened is logged.
     */
    public void reloadOnSignal() {
        if (signalledReloads.getAndIncrement() > 0) {
            log.accept("reload asked for while one runs: the file is read again when it is done");
            return;
        }
        int asked;
        do {
            asked = signalledReloads.get();
            try {
                reload(null, true);
            } catch (ApiError e) {
                log.accept("not reloaded: " + e.getMessage());  // the server is stopping
            } catch (RuntimeException e) {
                // logged by reload(): the old model keeps serving
            } catch (Error e) {  // an OutOfMemoryError while two models are held: later signals must still reload
                signalledReloads.set(0);
                log.accept("not reloaded: " + e);
                throw e;
            }
        } while (!signalledReloads.compareAndSet(asked, 0));  // more signals came meanwhile: read the file again
    }

    Runnable holdReloadForTests() {
        return slot.holdReloadForTests();
    }

    private void reload(Path file, boolean waitForRunning) {
        if (stopping.get()) throw new ApiError(503, "the server is shutting down");
        try {
            LoadedModel fresh = slot.reload(file, waitForRunning);
            metrics.reloaded(true);
            log.accept("reloaded " + fresh.file + " (sha256 " + fresh.shortId() + ")");
        } catch (ApiError e) {
            throw e;  // not a file refused: another reload running (409, the caller's to report), or the server stopping (503)
        } catch (RuntimeException e) {
            metrics.reloaded(false);
            log.accept("reload refused, still serving the old model: " + e.getMessage());
            throw e;
        }
    }

    /**
     * Graceful stop: not ready any more, no new request taken (one that arrives, on a new or a
     * kept-alive connection, has its connection closed unread), requests in flight answered (up to
     * the grace period), then the listening socket and the idle connections closed, queued texts
     * scored, the model closed.
     *
     * <p>Not the JDK's {@code http.stop(grace)} wait: it ends the moment the JDK counts no exchange,
     * but its dispatcher goes on handing requests that arrive on kept-alive connections to the
     * executor until its loop comes round, and {@code stop} then closes their connections under
     * them: read, accepted, and the answer fails. So the executor is shut first (the JDK closes the
     * connection of an exchange it refuses, without reading it), the requests it has taken are
     * awaited here, and only then, with nothing running on them, are the connections closed.
     */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {  // a second caller (two signals) waits for the first
            awaitStopped();
            return;
        }
        try {
            long before = accepted.sum();
            handlers.shutdown();  // no new exchange: the JDK closes the connection of a request it cannot hand over
            boolean drained = awaitHandlers(settings.shutdownGrace());
            http.stop(0);  // nothing runs on the connections any more (unless the grace ran out): close them all now
            if (!drained && !awaitHandlers(Duration.ofSeconds(1))) handlers.shutdownNow();
            queue.close();
            slot.close();
            if (!slot.awaitReload(settings.shutdownGrace())) log.accept("stopping with a reload still loading (the grace period ran out)");
            log.accept("stopped: " + accepted.sum() + " requests accepted, " + answered.sum() + " answered (" + (accepted.sum() - before) + " started while stopping)");
        } finally {
            stopped.countDown();
        }
    }

    private boolean awaitHandlers(Duration limit) {
        try {
            return handlers.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    LoadedModel servedModelForTests() {
        return slot.peek();
    }

    int queuedTextsForTests() {
        return queue.queuedTexts();
    }

    int inFlightForTests() {
        return metrics.inFlight();
    }

    /** Bytes of the body budget not held by a request now. */
    int bodyBudgetLeftForTests() {
        return bodyBudget.availablePermits();
    }

    /** Holds {@code bytes} of the body budget as stalled uploads would, without their sockets' timing (tests); the Runnable gives them back. */
    Runnable holdBodyBudgetForTests(int bytes) {
        if (!bodyBudget.tryAcquire(bytes)) throw new IllegalStateException("the body budget has no " + bytes + " bytes left");
        return () -> bodyBudget.release(bytes);
    }

    /** Requests whose handler started, and those whose answer was written: equal after a clean stop. */
    public long acceptedRequests() { return accepted.sum(); }
    public long answeredRequests() { return answered.sum(); }

    // ---- requests ----

    private void handle(HttpExchange ex) {
        long start = System.nanoTime();
        accepted.increment();
        metrics.requestStarted();
        RequestBody.install(ex);
        if (RequestBody.unframed(ex)) ex.getResponseHeaders().set("Connection", "close");
        // Routed as sent, not decoded: "/v1/admin%2Freload" or "/v1/%61dmin/reload" reached the reload,
        // past a proxy that guards the path as written. A path with an escape matches none of ours.
        String path = String.valueOf(ex.getRequestURI().getRawPath());
        int status;
        try {
            status = route(ex, path);
        } catch (ApiError e) {
            status = e.status;
            sendError(ex, e.status, e.getMessage());
        } catch (RuntimeException | Error e) {
            status = 500;
            log.accept("internal error on " + path + ": " + e);
            sendError(ex, 500, "internal error: " + e.getClass().getSimpleName());
        } finally {
            ex.close();
        }
        // Arrival to answer: not the wait, after the answer, for a body the client still sends (RequestBody.drain).
        long end = ex.getAttribute(ANSWERED_AT) instanceof Long at ? at : System.nanoTime();
        metrics.requestFinished(path, status, end - start, CLASSIFY.equals(path));
    }

    private int route(HttpExchange ex, String path) {
        return switch (path) {
            case CLASSIFY -> { method(ex, "POST"); yield classify(ex); }
            case MODEL -> { readOnly(ex); yield sendJson(ex, 200, modelInfo()); }
            case RELOAD -> { method(ex, "POST"); yield reloadRequest(ex); }
            case HEALTH -> { readOnly(ex); yield sendJson(ex, 200, Map.of("status", "ok")); }
            case READY -> {
                readOnly(ex);
                boolean ready = !stopping.get() && slot.peek() != null;
                yield sendJson(ex, ready ? 200 : 503, Map.of("ready", ready));
            }
            case METRICS -> { readOnly(ex); yield send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render().getBytes(StandardCharsets.UTF_8)); }
            default -> throw new ApiError(404, "no such path: " + shorten(path, 100) + " (paths: " + String.join(", ", new java.util.TreeSet<>(PATHS)) + ")");
        };
    }

    private int classify(HttpExchange ex) {
        // Without a length its body cannot be read (the connection is closed: RequestBody.unframed).
        if (RequestBody.unframed(ex)) throw new ApiError(411, "Content-Length required: send the body with a Content-Length (or Transfer-Encoding: chunked)");
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.split(";", 2)[0].strip().equalsIgnoreCase("application/json")) {
            throw new ApiError(415, "the body must be JSON: send Content-Type: application/json");
        }
        BodyMemory memory = new BodyMemory();
        try {
            return classify(ex, ClassifyRequest.parse(readBody(ex, memory), settings));
        } finally {
            bodyBudget.release(memory.held);
        }
    }

    /**
     * What a request's body holds of {@link #bodyBudget} while it is read, parsed and scored. It
     * grows with the bytes that arrive, not with what the request declares: a client that
     * declares a large body and stalls holds the first buffer (8 KB), so stalled connections (at
     * most {@link #MAX_CONNECTIONS}) cannot use up the budget and keep others out.
     */
    private final class BodyMemory {
        int held;

        void take(int bytes, HttpExchange ex) {
            if (!bodyBudget.tryAcquire(bytes)) {
                ex.getResponseHeaders().set("Retry-After", "1");
                ex.getResponseHeaders().set("Connection", "close");  // the rest of its body stays unread
                throw new ApiError(503, "busy: too many request bodies in flight; retry later");
            }
            held += bytes;
        }
    }

    private int classify(HttpExchange ex, ClassifyRequest request) {
        LoadedModel model = slot.acquire();
        try {
            int[][] sequences = new int[request.texts().size()][];
            queue.arriving();  // a batch waits for this request while it is tokenized, not while its body trickles in
            try {
                for (int i = 0; i < sequences.length; i++) sequences[i] = sequence(model, request, i);
            } catch (RuntimeException | Error e) {
                queue.arrivalFailed();
                throw e;
            }
            ScoringQueue.Job job = new ScoringQueue.Job(model, sequences, new CompletableFuture<>());
            if (!queue.offer(job)) {  // ends the arrival, queued or not
                ex.getResponseHeaders().set("Retry-After", "1");
                throw new ApiError(503, stopping.get() ? "the server is shutting down" : "busy: " + queue.queuedTexts() + " texts are waiting; retry later");
            }
            List<Classification> scored = await(ex, job);
            List<Object> answers = new ArrayList<>(scored.size());
            for (int i = 0; i < scored.size(); i++) answers.add(answer(scored.get(i), model, request, i));
            Object body = answers.get(0);
            if (!request.single()) {
                Map<String, Object> all = new LinkedHashMap<>();
                all.put("results", answers);
                all.put("model", model.shortId());
                body = all;
            }
            return sendJson(ex, 200, body);
        } finally {
            model.release();
        }
    }

    /** A text's ids; one the model refuses (more words than a model of any length reads) is the client's 413. */
    private static int[] sequence(LoadedModel model, ClassifyRequest request, int i) {
        try {
            return model.classifier.sequence(request.texts().get(i));
        } catch (IllegalArgumentException e) {
            throw new ApiError(413, where(request, i) + ": " + e.getMessage());
        }
    }

    /** How a message names text {@code i} of the request. */
    private static String where(ClassifyRequest request, int i) {
        return request.single() ? "\"text\"" : "\"texts\"[" + i + "]";
    }

    private List<Classification> await(HttpExchange ex, ScoringQueue.Job job) {
        try {
            return job.result().get(settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            queue.withdraw(job);  // out of the queue now; a scorer that has taken it skips it
            ex.getResponseHeaders().set("Retry-After", "1");
            throw new ApiError(503, "not answered within " + settings.requestTimeout().toMillis() + " ms (the server is overloaded); retry later");
        } catch (InterruptedException e) {
            queue.withdraw(job);
            Thread.currentThread().interrupt();
            throw new ApiError(503, "the server is shutting down");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IllegalArgumentException bad
                    ? new ApiError(400, bad.getMessage())
                    : new IllegalStateException("scoring failed: " + e.getCause(), e.getCause());
        }
    }

    /** One text's result; a NaN from the model is the server's 500, never a label with "NaN" for its probabilities. */
    private Map<String, Object> answer(Classification c, LoadedModel model, ClassifyRequest request, int text) {
        if (c.notANumber() != null) {
            String why = "the model's output for " + where(request, text) + " is " + c.notANumber() + " (its weights overflow on this input): it has no answer";
            log.accept(why);
            throw new ApiError(500, why);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("label", c.label());
        out.put("probability", c.probability());
        Map<String, Object> probabilities = new LinkedHashMap<>();
        List<String> labels = model.classifier.labels();
        for (int i = 0; i < c.probabilities().size(); i++) probabilities.put(labels.get(i), c.probabilities().get(i));
        out.put("probabilities", probabilities);
        out.put("knownWords", c.knownWords());
        out.put("model", model.shortId());
        return out;
    }

    private int reloadRequest(HttpExchange ex) {
        // The body is read (within the body budget, as a classify request's) and ignored: the file
        // to read is the one the server was started with, never one named over HTTP.
        BodyMemory memory = new BodyMemory();
        try {
            readBody(ex, memory);
        } finally {
            bodyBudget.release(memory.held);
        }
        if (slot.peek() != null && "in-memory".equals(slot.peek().sha256)) throw new ApiError(409, "this server serves an in-memory model: there is no file to reload");
        try {
            reload(null);
        } catch (ApiError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ApiError(422, "reload refused, still serving the old model: " + e.getMessage());
        }
        LoadedModel now = slot.peek();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reloaded", true);
        body.put("sha256", now == null ? "" : now.sha256);
        return sendJson(ex, 200, body);
    }

    private Map<String, Object> modelInfo() {
        LoadedModel m = slot.acquire();
        try {
            TextClassifier c = m.classifier;
            List<Object> layers = new ArrayList<>();
            for (Layer layer : c.model().layers()) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("name", layer.name());
                l.put("type", layer.typeName());
                l.put("outputShape", layer.outputShape() == null ? null : layer.outputShape().withBatch());
                l.put("parameters", layer.parameterCount());
                layers.add(l);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("file", m.file.getFileName() == null ? m.file.toString() : m.file.getFileName().toString());
            out.put("sha256", m.sha256);
            out.put("loadedAt", m.loadedAt.toString());
            out.put("labels", c.labels());
            out.put("vocabularySize", m.vocabularySize);
            out.put("maxlen", c.maxlen());
            out.put("layers", layers);
            out.put("engine", engineVersion());
            Map<String, Object> scoring = new LinkedHashMap<>();
            scoring.put("threads", settings.threads());
            scoring.put("maxBatch", settings.maxBatch());
            scoring.put("batchWaitMicros", settings.batchWait().toNanos() / 1000);
            scoring.put("maxTexts", settings.maxTexts());
            scoring.put("maxTextChars", settings.maxTextChars());
            scoring.put("maxBodyBytes", settings.maxBodyBytes());
            out.put("limits", scoring);
            return out;
        } finally {
            m.release();
        }
    }

    static String engineVersion() {
        String v = TextClassifier.class.getPackage().getImplementationVersion();
        return "vector-lstm " + (v == null ? "(development build)" : v) + ", Java " + Runtime.version();
    }

    // ---- HTTP plumbing ----

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

    /**
     * The request body, at most {@link ServerSettings#maxBodyBytes()}: a declared larger length is
     * refused before a byte is read; a chunked body is read only up to the limit. Its buffer grows
     * as bytes arrive, each growth taken from the body budget through {@code memory} first.
     */
    private byte[] readBody(HttpExchange ex, BodyMemory memory) {
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
        } catch (IOException e) {
            ex.getResponseHeaders().set("Connection", "close");  // a broken body leaves no known start for the next request
            // The JDK's chunked reader takes no trailer fields after the last chunk, and says only "invalid chunk end".
            String trailers = RequestBody.chunked(ex) && "invalid chunk end".equals(e.getMessage())
                    ? " (a chunked body is read without trailer fields after its last chunk: send none)" : "";
            throw new ApiError(400, "could not read the body: " + e.getMessage() + trailers);
        }
    }

    private int sendJson(HttpExchange ex, int status, Object body) {
        return send(ex, status, "application/json", JsonBodies.write(body));
    }

    private int send(HttpExchange ex, int status, String type, byte[] body) {
        try {
            ex.getResponseHeaders().set("Content-Type", type);
            // While stopping, every answer closes its connection: a next request sent on it would
            // not be taken (stop() takes none), only see its connection closed unanswered.
            if (stopping.get()) ex.getResponseHeaders().set("Connection", "close");
            // A chunked body not read to its end before the answer is read after it, and a framing
            // error there would leave the connection open with its request boundaries unknown: the
            // JDK read on to a "0" chunk and took the bytes after it for the next request.
            if (RequestBody.chunkedAndUnread(ex) || RequestBody.moreLeftThanDrained(ex)) ex.getResponseHeaders().set("Connection", "close");
            if (ex.getRequestMethod().equals("HEAD")) {
                // The length a GET would get (RFC 9110: a HEAD answer carries GET's header fields);
                // the JDK writes none for HEAD unless it is set here.
                ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
                RequestBody.sendHeadAnswer(ex, status);  // the headers only
                ex.setAttribute(ANSWERED_AT, System.nanoTime());
            } else {
                ex.sendResponseHeaders(status, body.length);
                OutputStream out = ex.getResponseBody();
                out.write(body);
                out.flush();  // the client has its answer before what it left unsent is waited for
                ex.setAttribute(ANSWERED_AT, System.nanoTime());
                RequestBody.drain(ex);
                out.close();
            }
            answered.increment();  // written: what the shutdown count compares with the accepted ones
        } catch (IOException e) {
            // the client went away: nothing to answer, nobody to tell
        }
        return status;
    }

    private void sendError(HttpExchange ex, int status, String message) {
        if (ex.getResponseCode() != -1) return;  // headers already sent: the connection is closed instead
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        send(ex, status, "application/json", JsonBodies.write(body));
    }

    /** At most {@code max} characters of a client's string for a message, never half a surrogate pair. */
    static String shorten(String s, int max) {
        if (s.length() <= max) return s;
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end) + "...";
    }
}
