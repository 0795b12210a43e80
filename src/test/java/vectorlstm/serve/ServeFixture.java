package vectorlstm.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.FitOptions;
import vectorlstm.model.Sequential;
import vectorlstm.text.Json;
import vectorlstm.text.PadSequences;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.text.Tokenizer;

/** A small trained model saved to a file, and an HTTP client for the server tests. */
final class ServeFixture {
    static final int MAXLEN = 40;

    private ServeFixture() {}

    /**
     * Server settings for the tests. The read timeout is the same (2 s) in every serve test: the
     * JDK server takes it from the first server made in the process (the serve tests share one JVM).
     */
    static ServerSettings settings(int maxBatch, int maxBodyBytes, int maxTexts, int queueTexts, Duration requestTimeout) {
        return new ServerSettings("127.0.0.1", 0, 2, maxBatch, Duration.ofMillis(1), maxBodyBytes, maxTexts, 5_000, queueTexts,
                requestTimeout, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    /** Polls until the condition holds, failing after 20 s (a busy CI machine is slow, never this slow). */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 2000; i++) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(10);
        }
        throw new AssertionError("not within 20 s: " + what);
    }

    /** Texts of random words "w0".."w199"; label: does "w7" occur? */
    static List<String> texts(int n, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            for (int w = 0, words = 1 + r.nextInt(50); w < words; w++) b.append(w == 0 ? "" : " ").append('w').append(r.nextInt(200));
            out.add(b.toString());
        }
        return out;
    }

    /** Trains a small classifier (seeded) and saves it to {@code file}. */
    static Path savedModel(Path file, long seed) {
        List<String> train = texts(400, seed);
        Tokenizer tok = Tokenizer.builder().numWords(150).build();
        tok.fitOnTexts(train);
        int[][] x = PadSequences.pad(tok.textsToSequences(train), MAXLEN);
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) y[i] = train.get(i).matches(".*\\bw7\\b.*") ? 1 : 0;
        Sequential m = new Sequential(new Embedding(150, 8, MAXLEN), new Lstm(19), new Dense(1, "sigmoid")).seed(seed);
        m.compile("binary_crossentropy", new Adam(0.02f), "accuracy");
        m.fit(x, y, new FitOptions().epochs(1).batchSize(32).verbose(false));
        try (TextClassifier c = TextClassifier.of(m, tok, TextPreprocessing.HTML_LINE_BREAKS, List.of("neg", "pos"), MAXLEN)) {
            c.save(file);
        }
        return file;
    }

    /** An answer: status, parsed JSON body (or the raw text when not JSON) and headers. */
    record Answer(int status, Object json, String text, Map<String, List<String>> headers) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map() { return (Map<String, Object>) json; }

        String error() { return String.valueOf(map().get("error")); }
    }

    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

    static Answer get(int port, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().timeout(Duration.ofSeconds(30)).build());
    }

    static Answer post(int port, String path, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return send(b.build());
    }

    static Answer postJson(int port, String path, String json) throws IOException, InterruptedException {
        return post(port, path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    static Answer classify(int port, Object request) throws IOException, InterruptedException {
        return postJson(port, ScoringServer.CLASSIFY, Json.write(request));
    }

    private static Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Object json;
        try {
            json = Json.parse(r.body());
        } catch (IllegalArgumentException e) {
            json = null;
        }
        return new Answer(r.statusCode(), json, r.body(), r.headers().map());
    }

    /** What the load clients of a shutdown test saw: answers by status, and requests that got none. */
    static final class Tally {
        final AtomicInteger ok = new AtomicInteger(),
                busy = new AtomicInteger(), other = new AtomicInteger(),
                refused = new AtomicInteger();

        /** Answers that reached a client: 200, 503 and any other status. */
        int received() { return ok.get() + busy.get() + other.get(); }
    }

    /**
     * A client thread that classifies 4 texts at a time while {@code go} holds, counting what comes
     * back into {@code tally}. A request refused, or closed before the server took it, counts as
     * refused; the client then stops if {@code serverGone} says so, else waits 20 ms (no tight
     * retry loop against a stopping server).
     */
    static Thread loadClient(int port, int seed, AtomicBoolean go, Tally tally, BooleanSupplier serverGone) {
        return Thread.ofPlatform().start(() -> {
            int i = 0;
            while (go.get()) {
                try {
                    Answer a = classify(port, Map.of("texts", texts(4, seed * 100_000L + i++)));
                    if (a.status() == 200) tally.ok.incrementAndGet();
                    else if (a.status() == 503) tally.busy.incrementAndGet();
                    else tally.other.incrementAndGet();
                } catch (Exception e) {
                    tally.refused.incrementAndGet();
                    if (serverGone.getAsBoolean()) return;
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        });
    }

    /** Raw HTTP over a socket (for what HttpClient will not send): the status line's code, or -1 if the server closed first. */
    static int rawStatus(int port, byte[] request, int timeoutMillis) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            if (head.length < 12) return -1;
            return Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII));
        }
    }
}
