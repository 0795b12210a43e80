package vectorlstm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vectorlstm.serve.ServeFixture.classify;
import static vectorlstm.serve.ServeFixture.get;
import static vectorlstm.serve.ServeFixture.post;
import static vectorlstm.serve.ServeFixture.postJson;
import static vectorlstm.serve.ServeFixture.rawStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.classifier.Classification;
import vectorlstm.classifier.OverflowingClassifier;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.Shape;
import vectorlstm.model.Adam;
import vectorlstm.model.Sequential;

/** The HTTP API on a small model: answers equal the classifier's, and every bad request gets its status. */
class ScoringServerTest {
    @TempDir static Path dir;
    static Path modelFile;
    static ScoringServer server;
    static TextClassifier reference;
    static int port;

    static ServerSettings settings() {
        return ServeFixture.settings(1, 64 << 10, 100, 400, Duration.ofSeconds(20));
    }

    @BeforeAll
    static void start() {
        modelFile = ServeFixture.savedModel(dir.resolve("m.vlstm"), 3);
        reference = TextClassifier.load(modelFile);
        server = ScoringServer.start(modelFile, settings(), line -> {});
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        reference.close();
    }

    @Test
    void oneTextIsAnsweredExactlyAsTheClassifierAnswersIt() throws Exception {
        for (String text : ServeFixture.texts(30, 9)) {
            ServeFixture.Answer a = classify(port, Map.of("text", text));
            assertEquals(200, a.status(), a.text());
            Classification c = reference.classify(text);
            assertEquals(c.label(), a.map().get("label"));
            assertEquals(c.probability(), ((Number) a.map().get("probability")).floatValue(), 0f, "the float is written so that it reads back exactly");
            assertEquals((long) c.knownWords(), a.map().get("knownWords"));
            @SuppressWarnings("unchecked") Map<String, Object> p = (Map<String, Object>) a.map().get("probabilities");
            assertEquals(List.of("neg", "pos"), new ArrayList<>(p.keySet()));
        }
    }

    @Test
    void manyTextsComeBackInOrder() throws Exception {
        List<String> texts = ServeFixture.texts(60, 10);
        ServeFixture.Answer a = classify(port, Map.of("texts", texts));
        assertEquals(200, a.status(), a.text());
        List<?> results = (List<?>) a.map().get("results");
        assertEquals(texts.size(), results.size());
        for (int i = 0; i < texts.size(); i++) {
            Map<?, ?> r = (Map<?, ?>) results.get(i);
            Classification c = reference.classify(texts.get(i));
            assertEquals(c.label(), r.get("label"), "text " + i);
            assertEquals(c.probability(), ((Number) r.get("probability")).floatValue(), 0f, "text " + i);
        }
    }

    @Test
    void emptyTextsAndUnknownWordsGetADefinedAnswer() throws Exception {
        for (String text : new String[] {"", "   ", "zzz qqq never-seen", "\u00e9t\u00e9 \ud83d\ude00"}) {
            ServeFixture.Answer a = classify(port, Map.of("text", text));
            assertEquals(200, a.status(), a.text());
            assertEquals(0L, a.map().get("knownWords"), "nothing known in '" + text + "': the answer says the model saw only padding");
        }
    }

    @Test
    void modelInfoNamesWhatIsServed() throws Exception {
        ServeFixture.Answer a = get(port, ScoringServer.MODEL);
        assertEquals(200, a.status(), a.text());
        Map<String, Object> m = a.map();
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(modelFile))), m.get("sha256"));
        assertEquals(List.of("neg", "pos"), m.get("labels"));
        assertEquals((long) ServeFixture.MAXLEN, m.get("maxlen"));
        assertEquals((long) reference.tokenizer().vocabularySize(), m.get("vocabularySize"));
        assertEquals(3, ((List<?>) m.get("layers")).size());
        assertTrue(String.valueOf(m.get("engine")).startsWith("vector-lstm"));
    }

    @Test
    void healthReadyAndMetrics() throws Exception {
        assertEquals(200, get(port, ScoringServer.HEALTH).status());
        assertEquals(Map.of("ready", true), get(port, ScoringServer.READY).json());
        long before = metric(get(port, ScoringServer.METRICS).text(), "vlstm_texts_scored_total");
        classify(port, Map.of("texts", List.of("w1 w2", "w7")));
        ServeFixture.Answer m = get(port, ScoringServer.METRICS);
        assertEquals(200, m.status());
        assertTrue(m.headers().get("content-type").get(0).startsWith("text/plain; version=0.0.4"));
        assertTrue(metric(m.text(), "vlstm_texts_scored_total") >= before + 2);
        // This server scores one text at a time (max batch 1): every scoring run is one text, whatever a request holds.
        assertEquals(metric(m.text(), "vlstm_texts_scored_total"), metric(m.text(), "vlstm_scoring_batches_total"));
        assertTrue(m.text().contains("vlstm_http_requests_total{path=\"/v1/classify\",code=\"200\"}"));
        assertTrue(m.text().contains("vlstm_classify_duration_seconds_bucket{le=\"+Inf\"}"));
        // Bucket bounds as Prometheus' own clients write them (PromQL matches le by its text)
        for (String le : new String[] {"0.0005", "0.001", "1", "2.5", "10"}) {
            assertTrue(m.text().contains("vlstm_classify_duration_seconds_bucket{le=\"" + le + "\"}"), le);
        }
        assertTrue(!m.text().contains("le=\"1.0\"") && !m.text().contains("le=\"0.00050\""));
        assertTrue(metric(m.text(), "process_resident_memory_bytes") > 0);
    }

    static long metric(String scrape, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(scrape);
        assertTrue(matcher.find(), name + " in\n" + scrape);
        return (long) Double.parseDouble(matcher.group(1));
    }

    // ---- bad requests: each gets its status and a JSON error, and the server goes on ----

    @Test
    void badJsonAndBadFieldsAre400() throws Exception {
        String[][] cases = {
            {"{\"text\": ", "not valid JSON"},
            {"[\"a\"]", "must be a JSON object"},
            {"{}", "missing field"},
            {"{\"txt\": \"a\"}", "unknown field \"txt\""},
            {"{\"text\": \"a\", \"texts\": [\"b\"]}", "not both"},
            {"{\"text\": 5}", "must be a string"},
            {"{\"texts\": \"a\"}", "must be a list"},
            {"{\"texts\": []}", "empty"},
            {"{\"texts\": [\"a\", null]}", "[1] must be a string"},
            {"{\"text\": \"a\", \"extra\": 1}", "unknown field"},
            {"{\"text\": \"a\", \"text\": \"b\"}", "Duplicate field"},
            {"{\"text\": \"a\"} {}", "text after the object"},
            // deep nesting: refused at its first level, never descended into
            {"[".repeat(10_000), "must be a JSON object"},
            {"{\"texts\": " + "[".repeat(10_000), "[0] must be a string"},
            {"{\"text\": " + "{\"a\": ".repeat(10_000), "must be a string"},
        };
        for (String[] c : cases) {
            ServeFixture.Answer a = postJson(port, ScoringServer.CLASSIFY, c[0]);
            assertEquals(400, a.status(), c[0].substring(0, Math.min(40, c[0].length())));
            assertTrue(a.error().contains(c[1]), a.error());
            assertEquals(400L, a.map().get("status"));
        }
        assertServerHealthy();
    }

    @Test
    void invalidUtf8Is400() throws Exception {
        byte[] body = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        ServeFixture.Answer a = post(port, ScoringServer.CLASSIFY, "application/json", body);
        assertEquals(400, a.status());
        assertTrue(a.error().contains("UTF-8"), a.error());
        // UTF-16 and UTF-32 (which Jackson would detect and read) are not UTF-8 either
        String json = "{\"text\": \"good movie\"}";
        for (java.nio.charset.Charset cs : new java.nio.charset.Charset[] {StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16,
                java.nio.charset.Charset.forName("UTF-32BE")}) {
            ServeFixture.Answer wide = post(port, ScoringServer.CLASSIFY, "application/json", json.getBytes(cs));
            assertEquals(400, wide.status(), cs.name());
            assertTrue(wide.error().contains("not valid UTF-8"), wide.error());
        }
        // A UTF-8 byte order mark is UTF-8: read as the JSON after it
        byte[] bom = ("\uFEFF" + json).getBytes(StandardCharsets.UTF_8);
        assertEquals(200, post(port, ScoringServer.CLASSIFY, "application/json", bom).status());
        // An escaped lone surrogate is valid JSON but no character
        ServeFixture.Answer lone = postJson(port, ScoringServer.CLASSIFY, "{\"texts\": [\"ok\", \"bad \\ud800 one\"]}");
        assertEquals(400, lone.status(), lone.text());
        assertTrue(lone.error().contains("\"texts\"[1] holds an unpaired surrogate"), lone.error());
        assertEquals(200, postJson(port, ScoringServer.CLASSIFY, "{\"text\": \"a pair \\ud83d\\ude00 is fine\"}").status());
    }

    @Test
    void notJsonContentTypeIs415() throws Exception {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", null, "application/jsonx", "application/jsonp"}) {
            ServeFixture.Answer a = post(port, ScoringServer.CLASSIFY, type, "{\"text\": \"a\"}".getBytes(StandardCharsets.UTF_8));
            assertEquals(415, a.status(), String.valueOf(type));
        }
        assertEquals(200, post(port, ScoringServer.CLASSIFY, "application/json; charset=utf-8", "{\"text\": \"a\"}".getBytes(StandardCharsets.UTF_8)).status());
        assertEquals(200, post(port, ScoringServer.CLASSIFY, "application/json;Charset=\"UTF-8\"", "{\"text\": \"a\"}".getBytes(StandardCharsets.UTF_8)).status());
        assertEquals(200, post(port, ScoringServer.CLASSIFY, "application/json; charset=US-ASCII", "{\"text\": \"a\"}".getBytes(StandardCharsets.US_ASCII)).status());
    }

    @Test
    void aBodyDeclaredInAnotherCharsetIs415() throws Exception {
        // "café" in Latin-1 is not UTF-8; in UTF-16 every ASCII letter carries a zero byte. Both were read as UTF-8.
        ServeFixture.Answer latin = post(port, ScoringServer.CLASSIFY, "application/json; charset=ISO-8859-1",
                "{\"text\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(415, latin.status(), latin.text());
        assertTrue(latin.error().contains("charset=ISO-8859-1") && latin.error().contains("UTF-8 only"), latin.error());
        ServeFixture.Answer utf16 = post(port, ScoringServer.CLASSIFY, "application/json; charset=\"utf-16\"",
                "{\"text\": \"a\"}".getBytes(StandardCharsets.UTF_16));
        assertEquals(415, utf16.status(), utf16.text());
        assertTrue(utf16.error().contains("charset=utf-16"), utf16.error());
        // Two charsets: the first was taken, so Latin-1 bytes declared as both passed as UTF-8.
        ServeFixture.Answer both = post(port, ScoringServer.CLASSIFY, "application/json; charset=utf-8; charset=latin1",
                "{\"text\": \"a\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, both.status(), both.text());
        assertTrue(both.error().contains("two charsets, utf-8 and latin1"), both.error());
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() throws Exception {
        assertEquals(404, get(port, "/v2/classify").status());
        assertEquals(404, get(port, "/" + "x".repeat(5000)).status());
        ServeFixture.Answer a = get(port, ScoringServer.CLASSIFY);
        assertEquals(405, a.status());
        assertEquals(List.of("POST"), a.headers().get("allow"));
        ServeFixture.Answer post = postJson(port, ScoringServer.HEALTH, "{}");
        assertEquals(405, post.status());
        assertEquals(List.of("GET, HEAD"), post.headers().get("allow"));
        // HEAD where GET is served (load balancers check health so): the status and headers, no body
        for (String path : new String[] {ScoringServer.HEALTH, ScoringServer.READY, ScoringServer.METRICS, ScoringServer.MODEL}) {
            HttpResponse<byte[]> head = ServeFixture.CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, head.statusCode(), path);
            assertEquals(0, head.body().length, path);
            // GET's length, once (it was missing): /metrics and /health change between calls, the others not
            List<String> length = head.headers().allValues("content-length");
            assertEquals(1, length.size(), path + ": " + length);
            if (path.equals(ScoringServer.MODEL) || path.equals(ScoringServer.READY)) {
                assertEquals(get(port, path).text().getBytes(StandardCharsets.UTF_8).length, Integer.parseInt(length.get(0)), path);
            } else {
                assertTrue(Integer.parseInt(length.get(0)) > 0, path);
            }
        }
        // HEAD where only POST is served: GET's 405 headers, its length included (the body named HEAD, a byte longer)
        HttpResponse<byte[]> head405 = ServeFixture.CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + ScoringServer.CLASSIFY))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(405, head405.statusCode());
        assertEquals(List.of(Integer.toString(get(port, ScoringServer.CLASSIFY).text().getBytes(StandardCharsets.UTF_8).length)),
                head405.headers().allValues("content-length"));
        // 404s of random paths share one label: the metrics cannot be grown by a client
        assertTrue(get(port, ScoringServer.METRICS).text().contains("path=\"other\",code=\"404\""));
    }

    /**
     * More keep-alive clients than the JDK's default of 200 idle connections: each sends a request,
     * reads the answer, and sends a second one on the same connection, which must be answered too
     * (the JDK used to close the connections past 200 after their first answer, unannounced).
     */
    @Test
    void threeHundredKeepAliveClientsAreAllAnsweredTwice() throws Exception {
        byte[] body = "{\"text\": \"w1 w7\"}".getBytes(StandardCharsets.UTF_8);
        byte[] request = ("POST " + ScoringServer.CLASSIFY + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n" + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        List<java.net.Socket> clients = new ArrayList<>();
        try {
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 300; i++) {
                    if (round == 0) {
                        java.net.Socket s = new java.net.Socket("127.0.0.1", port);
                        s.setSoTimeout(20_000);
                        clients.add(s);
                    }
                    java.net.Socket s = clients.get(i);
                    s.getOutputStream().write(request);
                    s.getOutputStream().flush();
                    assertEquals(200, readStatusAndBody(s), "client " + i + ", request " + (round + 1));
                }
            }
        } finally {
            for (java.net.Socket s : clients) s.close();
        }
        assertServerHealthy();
    }

    /** Reads one HTTP/1.1 answer with a Content-Length from the socket; its status, or -1 when the connection was closed. */
    private static int readStatusAndBody(java.net.Socket s) throws IOException {
        java.io.InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b;
            try {
                b = in.read();
            } catch (java.net.SocketException e) {
                return -1;  // reset
            }
            if (b < 0) return -1;
            head.append((char) b);
        }
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        assertTrue(length.find(), head.toString());
        in.readNBytes(Integer.parseInt(length.group(1)));
        return Integer.parseInt(head.substring(9, 12));
    }

    @Test
    void oversizedBodyIs413BeforeItIsRead() throws Exception {
        // A body over the limit but within what the JDK drains after the answer (64 KB): a larger
        // one is cut off unread, and the reset can reach the client before the 413 does.
        try (ScoringServer small = ScoringServer.start(modelFile, ServeFixture.settings(1, 16 << 10, 100, 400, Duration.ofSeconds(20)), line -> {})) {
            byte[] big = ("{\"text\": \"" + "w1 ".repeat(13_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            assertEquals(413, post(small.port(), ScoringServer.CLASSIFY, "application/json", big).status());
        }
        // A declared length far beyond the limit, with no body sent at all: answered at once.
        byte[] head = ("POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        assertEquals(413, rawStatus(port, head, 5000));
        // Chunked, no length declared: read only up to the limit.
        StringBuilder chunked = new StringBuilder("POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        String chunk = "w".repeat(4096);
        for (int i = 0; i < 20; i++) chunked.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        chunked.append("0\r\n\r\n");
        assertEquals(413, rawStatus(port, chunked.toString().getBytes(StandardCharsets.US_ASCII), 5000));
        assertServerHealthy();
    }

    @Test
    void tenThousandTextsOrAHugeTextAre413() throws Exception {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) many.add("w1");
        ServeFixture.Answer a = classify(port, Map.of("texts", many));
        assertEquals(413, a.status());
        assertTrue(a.error().contains("more than 100 texts in one request"), a.error());
        ServeFixture.Answer b = classify(port, Map.of("text", "w".repeat(6_000)));
        assertEquals(413, b.status());
        assertTrue(b.error().contains("6000 characters"), b.error());
        assertServerHealthy();
    }

    @Test
    void aTextTooLongForAModelOfAnyLengthIs413() throws Exception {
        // A model that reads any length (maxlen 0, as imported ones can) refuses a text of more
        // than Sequential.MAX_SEQUENCE_STEPS known words: a client's error, not the server's (was 500).
        Sequential any = new Sequential(new Embedding(150, 8, Shape.VARIABLE), new Lstm(19), new Dense(1, "sigmoid")).seed(3);
        any.compile("binary_crossentropy", new Adam(0.01f), "accuracy");
        any.setWeights(reference.model().getWeights());
        TextClassifier anyLength = TextClassifier.of(any, reference.tokenizer(), reference.preprocessing(), reference.labels(), 0);
        ServerSettings wide = new ServerSettings("127.0.0.1", 0, 2, 1, Duration.ofMillis(1), 1 << 20, 100, 1_000_000, 400,
                Duration.ofSeconds(20), Duration.ofSeconds(2), Duration.ofSeconds(5));
        try (ScoringServer server = ScoringServer.start(anyLength, wide, line -> {})) {
            ServeFixture.Answer a = classify(server.port(), Map.of("texts", List.of("w7", "w1 ".repeat(Sequential.MAX_SEQUENCE_STEPS + 1))));
            assertEquals(413, a.status(), a.text());
            assertTrue(a.error().contains("\"texts\"[1]") && a.error().contains("at most " + Sequential.MAX_SEQUENCE_STEPS), a.error());
            assertEquals(200, classify(server.port(), Map.of("text", "w1 ".repeat(500))).status());
        }
    }

    @Test
    void aModelWhoseOutputOverflowsIs500NotALabelWithNaNProbabilities() throws Exception {
        // Finite weights whose softmax overflows (an imported model can have such): the answer was
        // 200 with the first label and "NaN" strings for its probabilities, as if it were one.
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ScoringServer broken = ScoringServer.start(OverflowingClassifier.create(), settings(), log::add)) {
            ServeFixture.Answer a = classify(broken.port(), Map.of("texts", List.of("a good film", "a bad film")));
            assertEquals(500, a.status(), a.text());
            assertTrue(a.error().contains("the model's output for \"texts\"[0] is NaN (its weights overflow on this input)"), a.error());
            assertTrue(log.contains(a.error()), "the operator is told too: " + log);
            assertEquals(200, get(broken.port(), ScoringServer.HEALTH).status());
        }
        assertServerHealthy();
    }

    @Test
    void aSlowClientIsDisconnectedAndOthersAreServedMeanwhile() throws Exception {
        long start = System.nanoTime();
        try (java.net.Socket slow = new java.net.Socket("127.0.0.1", port)) {
            slow.setSoTimeout(15_000);
            var out = slow.getOutputStream();
            out.write("POST /v1/classify HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int closedAfter = -1;
            for (int i = 0; i < 40; i++) {  // one header byte every 250 ms: never a whole request
                assertServerHealthy();
                try {
                    out.write('X');
                    out.flush();
                } catch (java.io.IOException e) {
                    closedAfter = i;
                    break;
                }
                Thread.sleep(250);
                if (slow.getInputStream().available() > 0 || isClosed(slow)) {
                    closedAfter = i;
                    break;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(closedAfter >= 0, "the slow client was still connected after " + seconds + " s (read timeout 2 s)");
            assertTrue(seconds < 6, "disconnected after " + seconds + " s, read timeout 2 s");
        }
    }

    private static boolean isClosed(java.net.Socket s) {
        try {
            s.setSoTimeout(1);
            return s.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    /** A socket that sent a request's head and {@code bodyBytes} bytes of its body, then stalls. */
    private static java.net.Socket stalledUpload(int port, String path, int declared, int bodyBytes) throws IOException {
        java.net.Socket s = new java.net.Socket("127.0.0.1", port);
        s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + declared + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(new byte[bodyBytes]);
        s.getOutputStream().flush();
        return s;
    }

    @Test
    void uploadsThatStallDoNotKeepOthersOut() throws Exception {
        // More clients than BODIES_IN_FLIGHT announce a body of the full limit and send none of
        // it. Each holds its first buffer of the body budget, not what it announced, so the
        // others are still served (they used to get 503 until the stalled ones timed out).
        int stalled = BodyBudget.BODIES_IN_FLIGHT + 36;
        List<java.net.Socket> holders = new ArrayList<>();
        int budget = BodyBudget.bytes(settings());
        try {
            for (int i = 0; i < stalled; i++) holders.add(stalledUpload(port, "/v1/classify", 64 << 10, 0));
            ServeFixture.await(stalled + " uploads in flight", () -> server.inFlightForTests() >= stalled);
            ServeFixture.await("their first buffers taken", () -> server.bodyBudgetLeftForTests() == budget - stalled * BodyBudget.FIRST_BODY_BUFFER);
            ServeFixture.Answer a = classify(port, Map.of("text", "w7"));
            assertEquals(200, a.status(), a.text());
        } finally {
            for (java.net.Socket s : holders) s.close();
        }
        ServeFixture.await("uploads ended", () -> server.inFlightForTests() == 0);
        ServeFixture.await("the budget given back", () -> server.bodyBudgetLeftForTests() == budget);
        assertServerHealthy();
    }

    @Test
    void bodiesInFlightAreBoundedByTheBytesTheyHold() throws Exception {
        // All of the budget but one first buffer held (as stalled uploads would hold it, without
        // their sockets racing the read timeout): a small request still fits in that buffer, one
        // whose buffer must grow past it is answered 503 at once, and both fit once it is free.
        int budget = BodyBudget.bytes(settings());
        Runnable giveBack = server.holdBodyBudgetForTests(budget - BodyBudget.FIRST_BODY_BUFFER);
        Map<String, Object> large = Map.of("texts", List.of("w7 ".repeat(1000), "w8 ".repeat(1000), "w9 ".repeat(1000), "w7 ".repeat(1000)));
        try {
            ServeFixture.Answer fits = classify(port, Map.of("text", "w7 w8"));
            assertEquals(200, fits.status(), fits.text());
            ServeFixture.Answer over = classify(port, large);
            assertEquals(503, over.status(), over.text());
            assertTrue(over.error().contains("bodies in flight"), over.error());
        } finally {
            giveBack.run();
        }
        ServeFixture.await("the budget given back", () -> server.bodyBudgetLeftForTests() == budget);
        assertEquals(200, classify(port, large).status());
        assertServerHealthy();
    }

    @Test
    void aReloadsBodyIsReadWithinTheBodyBudget() throws Exception {
        // Reload ignores its body but reads it: through the same budget as classify's, so many
        // large reload bodies cannot fill the heap. A stalled one holds what it sent, no more.
        int budget = BodyBudget.bytes(settings());
        try (java.net.Socket s = stalledUpload(port, "/v1/admin/reload", 64 << 10, 20 << 10)) {
            ServeFixture.await("the reload's body read so far held", () -> server.bodyBudgetLeftForTests() == budget - (32 << 10));
        }
        ServeFixture.await("the budget given back", () -> server.bodyBudgetLeftForTests() == budget);
        ServeFixture.Answer over = post(port, "/v1/admin/reload", "application/json", new byte[(64 << 10) + 1]);
        assertEquals(413, over.status(), over.text());
        assertServerHealthy();
    }

    static void assertServerHealthy() throws Exception {
        ScoringServerTestSupport.assertHealthy(port);
    }
}
