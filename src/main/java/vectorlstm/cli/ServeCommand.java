package vectorlstm.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;
import vectorlstm.serve.ScoringServer;
import vectorlstm.serve.ServerSettings;

/**
 * {@code ./lstm serve}: the model behind HTTP until SIGTERM or Ctrl-C, which stop it gracefully
 * (requests in flight are answered, then exit 0). SIGHUP reloads the model file.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a model over HTTP: POST /v1/classify {\"text\": ...} or {\"texts\": [...]}; GET /v1/model, /health, /ready, /metrics; POST /v1/admin/reload.",
                "SIGTERM/Ctrl-C: graceful stop (in-flight requests answered, exit 0). SIGHUP: reload the model file."})
final class ServeCommand implements Callable<Integer> {
    private static final ServerSettings DEFAULTS = ServerSettings.defaults();

    private final Streams io;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "a model file written by train or import")
    Path model;

    @Option(names = "--host", paramLabel = "ADDR", description = "address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all)")
    String host = DEFAULTS.host();

    @Option(names = "--port", paramLabel = "N", description = "port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port = DEFAULTS.port();

    @Option(names = "--threads", paramLabel = "N", description = "scoring threads, at most 256 (default: all cores, ${DEFAULT-VALUE})")
    int threads = DEFAULTS.threads();

    @Option(names = "--max-batch", paramLabel = "N", description = "1 scores each text as it comes; above 1, texts waiting together are scored as one batch of at most N (default: ${DEFAULT-VALUE})")
    int maxBatch = DEFAULTS.maxBatch();

    @Option(names = "--batch-wait-us", paramLabel = "US", description = "with --max-batch > 1: how long a batch waits for more texts (default: ${DEFAULT-VALUE})")
    long batchWaitMicros = DEFAULTS.batchWait().toNanos() / 1000;

    @Option(names = "--max-body", paramLabel = "BYTES", description = "largest request body (default: ${DEFAULT-VALUE})")
    int maxBody = DEFAULTS.maxBodyBytes();

    @Option(names = "--max-texts", paramLabel = "N", description = "texts per request (default: ${DEFAULT-VALUE})")
    int maxTexts = DEFAULTS.maxTexts();

    @Option(names = "--max-text-chars", paramLabel = "N", description = "characters per text (default: ${DEFAULT-VALUE})")
    int maxTextChars = DEFAULTS.maxTextChars();

    @Option(names = "--queue", paramLabel = "TEXTS", description = "texts waiting for a scorer before new requests get 503 (default: ${DEFAULT-VALUE})")
    int queue = DEFAULTS.queueTexts();

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "a request not answered within it gets 503 (default: ${DEFAULT-VALUE})")
    long timeoutMillis = DEFAULTS.requestTimeout().toMillis();

    @Option(names = "--read-timeout-s", paramLabel = "S", description = "a client that has not sent its whole request within it is disconnected (default: ${DEFAULT-VALUE})")
    long readTimeoutSeconds = DEFAULTS.readTimeout().toSeconds();

    @Option(names = "--grace-s", paramLabel = "S", description = "how long a graceful stop waits for requests in flight (default: ${DEFAULT-VALUE})")
    long graceSeconds = DEFAULTS.shutdownGrace().toSeconds();

    ServeCommand(Streams io) { this.io = io; }

    /**
     * A signal that the process was started with ignored (nohup ignores HUP, some supervisors
     * ignore INT) keeps being ignored: the JVM leaves it alone. Say so rather than pretend.
     *
     * @return whether the handler was installed (false: the signal stays ignored)
     */
    private boolean handle(String name, SignalHandler handler) {
        if (Signal.handle(new Signal(name), handler) == SignalHandler.SIG_IGN) {
            io.err().println("serve: SIG" + name + " is ignored in this process (started under nohup?)"
                    + (name.equals("HUP") ? ": reload with POST /v1/admin/reload" : ": stop it with another signal"));
            return false;
        }
        return true;
    }

    /** "SIGTERM, SIGINT and SIGHUP are taken", or fewer: only the signals whose handler was installed. */
    static String takenSignals(List<String> installed) {
        if (installed.isEmpty()) return "no signal is taken: all three are ignored in this process";
        List<String> names = installed.stream().map(n -> "SIG" + n).toList();
        String list = names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
        return list + (names.size() == 1 ? " is" : " are") + " taken from here on";
    }

    /** The settings' names in ServerSettings' messages, and the flags that set them (other commands' errors name their flag). */
    private static final String[][] FLAGS = {{"host", "--host"}, {"port", "--port"}, {"threads", "--threads"}, {"max batch", "--max-batch"},
        {"batch wait", "--batch-wait-us"}, {"max body", "--max-body"}, {"max texts", "--max-texts"}, {"max text length", "--max-text-chars"},
        {"the queue", "--queue"}, {"request timeout", "--timeout-ms"}, {"read timeout", "--read-timeout-s"}, {"shutdown grace", "--grace-s"}};

    private static String flagOf(String message) {
        for (String[] f : FLAGS) if (message.startsWith(f[0] + " ")) return f[1] + ": ";
        return "";
    }

    @Override
    public Integer call() {
        ServerSettings settings;
        try {
            settings = new ServerSettings(host, port, threads, maxBatch, Duration.of(batchWaitMicros, ChronoUnit.MICROS),
                    maxBody, maxTexts, maxTextChars, queue, Duration.ofMillis(timeoutMillis), Duration.ofSeconds(readTimeoutSeconds),
                    Duration.ofSeconds(graceSeconds));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flagOf(e.getMessage()) + e.getMessage(), e);
        }
        // The handlers come first: loading and warming a model takes seconds, and until they are
        // installed the JVM's own handling ends the process (HUP: exit 129, a log rotation or
        // `systemctl reload` right after a deploy killed the server; TERM: 143, not 0).
        Startup startup = new Startup();
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {  // a second signal's stop waits for the first to finish
            ScoringServer running = startup.serverOrStopLater();
            if (running == null) return;  // still starting: stopped as soon as it has started
            try {
                running.stop();
            } finally {
                stopped.countDown();
            }
        };
        // Signals, not a shutdown hook: a hook runs while the JVM is already exiting (exit code 143
        // for SIGTERM); handling the signal lets the stop finish and the command return 0.
        List<String> installed = new ArrayList<>();
        if (handle("TERM", s -> Thread.ofPlatform().start(stop))) installed.add("TERM");
        if (handle("INT", s -> Thread.ofPlatform().start(stop))) installed.add("INT");
        if (handle("HUP", s -> {  // HUPs during a reload make one more, logged
            ScoringServer running = startup.serverOrReloadLater();
            if (running != null) Thread.ofPlatform().start(running::reloadOnSignal);
        })) installed.add("HUP");
        io.err().println(Instant.now() + " serve: loading " + model + " (" + takenSignals(installed) + ")");
        io.err().flush();
        ScoringServer server = ScoringServer.start(model, settings, line -> io.err().println(Instant.now() + " serve: " + line));
        switch (startup.started(server)) {
            case STOP -> {  // not announced as serving: it stops at once
                io.err().println(Instant.now() + " serve: stopping: SIGTERM or SIGINT came while the model was loading");
                stop.run();
                return Main.OK;
            }
            case RELOAD -> {  // the file may have changed after it was read
                io.err().println(Instant.now() + " serve: SIGHUP came while the model was loading: reloading it once");
                Thread.ofPlatform().start(server::reloadOnSignal);
            }
            case NONE -> { }
        }
        io.err().println("serving " + model + " on " + server.url()
                + " (" + settings.threads() + " scoring threads, " + (settings.maxBatch() > 1 ? "batches of up to " + settings.maxBatch() : "one text at a time") + ")");
        io.err().flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            server.stop();
        }
        return Main.OK;
    }

    /** What a signal that came while the model was still loading asks for once the server runs. */
    static final class Startup {
        enum Pending { NONE, RELOAD, STOP }

        private ScoringServer server;
        private Pending pending = Pending.NONE;

        /** The running server, or null after noting that it must stop once started. */
        synchronized ScoringServer serverOrStopLater() {
            if (server == null) pending = Pending.STOP;
            return server;
        }

        /** The running server, or null after noting one reload once started (unless a stop is noted). */
        synchronized ScoringServer serverOrReloadLater() {
            if (server == null && pending == Pending.NONE) pending = Pending.RELOAD;
            return server;
        }

        synchronized Pending started(ScoringServer running) {
            server = running;
            return pending;
        }
    }
}
