package vectorlstm.serve;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import vectorlstm.classifier.TextClassifier;

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
 *
 * <p>This class starts the server, reloads its model and stops it; the requests are answered by
 * {@link RequestRouter} (and {@link ClassifyHandler}) through a {@link ResponseWriter}, their
 * bodies read within a {@link BodyBudget}.
 */
public final class ScoringServer implements AutoCloseable {
    static final String CLASSIFY = "/v1/classify", MODEL = "/v1/model", RELOAD = "/v1/admin/reload",
            HEALTH = "/health", READY = "/ready", METRICS = "/metrics";
    static final Set<String> PATHS = Set.of(CLASSIFY, MODEL, RELOAD, HEALTH, READY, METRICS);

    private final ServerSettings settings;
    private final ModelSlot slot;
    private final Metrics metrics = new Metrics(PATHS);
    private final ScoringQueue queue;
    private final BodyBudget bodies;
    private final ModelReloads reloads;
    private final ResponseWriter responses;
    private final RequestRouter router;
    private final HttpServer http;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Consumer<String> log;

    private ScoringServer(ServerSettings settings, LoadedModel first, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
        this.slot = new ModelSlot(first, settings.threads());
        this.bodies = new BodyBudget(settings);
        this.queue = new ScoringQueue(settings, metrics);
        metrics.watch(queue::queuedTexts, slot::peek);
        this.reloads = new ModelReloads(slot, metrics, stopping::get, log);
        this.responses = new ResponseWriter(stopping::get);
        ClassifyHandler classify = new ClassifyHandler(settings, slot, queue, bodies, responses, stopping::get, log);
        this.router = new RequestRouter(settings, slot, metrics, bodies, responses, classify, reloads, stopping::get, log);
        JdkServerLimits.configure(settings, log);
        try {
            http = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 1024);
        } catch (IOException e) {
            queue.close();  // the model is released by serve(), this constructor's one caller (once: a second release was a no-op only by luck)
            throw new UncheckedIOException("cannot listen on " + url(settings.host(), settings.port()).substring("http://".length()) + ": " + e.getMessage(), e);
        }
        http.createContext("/", router::handle);
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

    /** A server for a loaded model; the model is closed again if the server cannot start (port taken). */
    private static ScoringServer serve(LoadedModel first, ServerSettings settings, Consumer<String> log) {
        try {
            return new ScoringServer(settings, first, log);
        } catch (RuntimeException e) {
            first.release();
            throw e;
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
        reloads.reload(file, false);
    }

    /**
     * A reload asked for by a signal (SIGHUP): the file as it is on disk when the signals stop is
     * the one served. A signal that arrives while a signalled reload runs is not refused: that
     * reload reads the file once more when it is done (however many arrived meanwhile: they are
     * one more read, not a queue of them); one that arrives during a reload asked over HTTP waits
     * for it. Throws nothing but an Error (an OutOfMemoryError while two models are held): what happened is logged.
     */
    public void reloadOnSignal() {
        reloads.onSignal();
    }

    Runnable holdReloadForTests() {
        return slot.holdReloadForTests();
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
            long before = router.accepted();
            handlers.shutdown();  // no new exchange: the JDK closes the connection of a request it cannot hand over
            if (!awaitHandlers(settings.shutdownGrace())) {
                // The grace ran out: the handlers are interrupted while their connections are open, so
                // that a request waiting for its scores is answered 503 ("shutting down"), not cut off.
                handlers.shutdownNow();
                awaitHandlers(Duration.ofSeconds(1));
            }
            http.stop(0);  // nothing runs on the connections any more: close them all now
            queue.close();
            slot.close();
            if (!slot.awaitReload(settings.shutdownGrace())) log.accept("stopping with a reload still loading (the grace period ran out)");
            log.accept("stopped: " + router.accepted() + " requests accepted, " + responses.answered() + " answered (" + (router.accepted() - before) + " started while stopping)");
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
        return bodies.left();
    }

    /** Holds {@code bytes} of the body budget as stalled uploads would, without their sockets' timing (tests); the Runnable gives them back. */
    Runnable holdBodyBudgetForTests(int bytes) {
        return bodies.holdForTests(bytes);
    }

    /** Requests whose handler started, and those whose answer was written: equal after a clean stop. */
    public long acceptedRequests() { return router.accepted(); }
    public long answeredRequests() { return responses.answered(); }
}
