package vectorlstm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body the server does not read (refused for its size, its type, its path), and a client that
 * stops sending it after the answer: the answer comes at once and the connection is closed soon
 * after ({@link RequestBody#LINGER}), not when the read timeout (2 s here) runs out. A client that
 * does send its whole body keeps its connection.
 */
class UnreadBodyTest {
    /** Well under the read timeout (2 s): the JDK server's timer closes nothing sooner than that. */
    private static final long PROMPT_MILLIS = 1_600;

    @TempDir static Path dir;
    static ScoringServer server;
    static int port;

    @BeforeAll
    static void start() {
        Path model = ServeFixture.savedModel(dir.resolve("m.vlstm"), 3);
        server = ScoringServer.start(model, ServeFixture.settings(1, 64 << 10, 100, 400, Duration.ofSeconds(20)), line -> {});
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String head(String method, String path, String type, String lengthHeader) {
        return method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + (type == null ? "" : "Content-Type: " + type + "\r\n") + lengthHeader + "\r\n";
    }

    @Test
    void a413WhoseClientStallsIsClosedPromptly() throws Exception {
        // 10 GB announced, nothing sent, and the client goes on waiting: the known defect
        assertAnsweredThenClosedPromptly(head("POST", ScoringServer.CLASSIFY, "application/json", "Content-Length: 10000000000\r\n"), 413);
    }

    @Test
    void aChunkedBodyOverTheLimitThatStallsIsAnsweredAtOnce() throws Exception {
        // Just over the limit (64 KB), then nothing more and no last chunk: the server used to
        // drain the rest before it answered, so the 413 never came before the read timeout.
        StringBuilder request = new StringBuilder(head("POST", ScoringServer.CLASSIFY, "application/json", "Transfer-Encoding: chunked\r\n"));
        String chunk = "w".repeat(4096);
        for (int i = 0; i < 17; i++) request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        assertAnsweredThenClosedPromptly(request.toString(), 413);
    }

    @Test
    void otherRefusalsWhoseBodyNeverComesAreClosedPromptly() throws Exception {
        assertAnsweredThenClosedPromptly(head("POST", ScoringServer.CLASSIFY, "text/plain", "Content-Length: 1000\r\n") + "{\"te", 415);
        assertAnsweredThenClosedPromptly(head("POST", "/v2/nothing", "application/json", "Content-Length: 1000\r\n"), 404);
        assertAnsweredThenClosedPromptly(head("PUT", ScoringServer.CLASSIFY, "application/json", "Content-Length: 1000\r\n"), 405);
    }

    @Test
    void aHeadWhoseBodyNeverComesIsAnsweredAtOnce() throws Exception {
        // Its body was read before the answer, and the connection closed after 0.5 s without any.
        for (String path : new String[] {ScoringServer.HEALTH, ScoringServer.CLASSIFY}) {
            String request = head("HEAD", path, null, "Content-Length: 100\r\n");
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                long start = System.nanoTime();
                send(s, request);
                InputStream in = s.getInputStream();
                assertEquals(path.equals(ScoringServer.HEALTH) ? 200 : 405, readStatusLine(in), path);
                long answered = millisSince(start);
                assertTrue(answered < RequestBody.LINGER.toMillis(), path + " answered after " + answered + " ms");
                assertTrue(closedByServer(in), "the server closed the connection");
                long closed = millisSince(start);
                assertTrue(closed < PROMPT_MILLIS, path + " closed after " + closed + " ms (read timeout 2 s)");
            }
        }
        // One whose small body did come keeps its connection.
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            send(s, head("HEAD", ScoringServer.HEALTH, null, "Content-Length: 5\r\n") + "hello");
            assertEquals(200, readStatusLine(s.getInputStream()));
            send(s, head("GET", ScoringServer.HEALTH, null, ""));
            assertEquals(200, readAnswer(s.getInputStream()), "the next request on the same connection");
        }
        ScoringServerTestSupport.assertHealthy(port);
    }

    @Test
    void aRefusedRequestWhoseBodyIsSentKeepsItsConnection() throws Exception {
        String body = "{\"text\": \"w7\"}";
        String refused = head("POST", ScoringServer.CLASSIFY, "text/plain", "Content-Length: " + body.length() + "\r\n") + body;
        String accepted = head("POST", ScoringServer.CLASSIFY, "application/json", "Content-Length: " + body.length() + "\r\n") + body;
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            send(s, refused);
            assertEquals(415, readAnswer(s.getInputStream()));
            send(s, accepted);
            assertEquals(200, readAnswer(s.getInputStream()), "the second request on the same connection");
        }
        ScoringServerTestSupport.assertHealthy(port);
    }

    /**
     * A chunked body with a framing error: once its bytes cannot be told apart, nothing after them
     * may be taken for a request. The connection was kept, and a request written after the broken
     * body was answered on it (request smuggling behind a proxy needs just that).
     */
    @Test
    void aBrokenChunkedBodyClosesItsConnection() throws Exception {
        String smuggled = head("GET", ScoringServer.MODEL, null, "");
        for (String path : new String[] {ScoringServer.CLASSIFY, ScoringServer.HEALTH}) {
            String method = path.equals(ScoringServer.HEALTH) ? "GET" : "POST";
            String request = head(method, path, "application/json", "Transfer-Encoding: chunked\r\n") + "zz\r\n0\r\n\r\n" + smuggled;
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                send(s, request);
                InputStream in = s.getInputStream();
                assertEquals(path.equals(ScoringServer.HEALTH) ? 200 : 400, readAnswer(in), path);
                assertTrue(closedByServer(in), path + ": the connection is closed, the bytes after the broken body not answered");
            }
        }
        ScoringServerTestSupport.assertHealthy(port);
    }

    /**
     * Chunk sizes the JDK's reader takes into an int without a check: 2^32 read as 0, the last
     * chunk, and the bytes a proxy forwards as that chunk's data were answered as a next request (a
     * reload hidden in a classify body was done); 2^31 read as a negative length and failed
     * unchecked, answered 500 with a stack trace in the log. Now 400, and a chunked request's
     * connection is never kept, so nothing after its body is taken for a request.
     */
    @Test
    void aChunkSizeOf2To31OrMoreIsNotTakenForTheLastChunkNorA500() throws Exception {
        String smuggled = head("GET", ScoringServer.MODEL, null, "");
        for (String size : new String[] {"100000000", "80000000", "ffffffff"}) {
            String request = head("POST", ScoringServer.CLASSIFY, "application/json", "Transfer-Encoding: chunked\r\n") + size + "\r\n\r\n" + smuggled;
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                send(s, request);
                InputStream in = s.getInputStream();
                assertEquals(400, readAnswer(in), "chunk size " + size);
                assertTrue(closedByServer(in), size + ": the connection is closed, the request after the chunk size not answered");
            }
        }
        // A well-formed chunked request is answered, and its connection closed after it.
        String body = "{\"text\": \"w7\"}";
        String chunked = head("POST", ScoringServer.CLASSIFY, "application/json", "Transfer-Encoding: chunked\r\n")
                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n" + smuggled;
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            send(s, chunked);
            InputStream in = s.getInputStream();
            assertEquals(200, readAnswer(in));
            assertTrue(closedByServer(in), "a chunked request's connection is not kept");
        }
        ScoringServerTestSupport.assertHealthy(port);
    }

    /**
     * HTTP/1.1 requires a Host header, and a Content-Length of digits only (RFC 9112); the JDK took
     * a request without Host and read "+12" as 12, where a proxy in front may read the body's end
     * otherwise. Both are 400 now, and a bad length closes the connection.
     */
    @Test
    void aRequestWithoutHostOrWithASignedContentLengthIs400() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            send(s, "GET " + ScoringServer.HEALTH + " HTTP/1.1\r\n\r\n");
            assertEquals(400, readAnswer(s.getInputStream()), "HTTP/1.1 without Host");
        }
        // Nor any other version: "HTTP/1.9", "http/1.1" and "HTTP/1.1 " skipped the check and were answered 200.
        for (String version : new String[] {"HTTP/1.9", "http/1.1", "HTTP/1.1 "}) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                send(s, "GET " + ScoringServer.HEALTH + " " + version + "\r\n\r\n");
                assertEquals(400, readAnswer(s.getInputStream()), version + " without Host");
            }
        }
        try (Socket s = new Socket("127.0.0.1", port)) {  // HTTP/1.0 has no such rule
            s.setSoTimeout(10_000);
            send(s, "GET " + ScoringServer.HEALTH + " HTTP/1.0\r\n\r\n");
            assertEquals(200, readAnswer(s.getInputStream()), "HTTP/1.0 without Host");
        }
        try (Socket s = new Socket("127.0.0.1", port)) {  // two Host headers (RFC 9112 3.2) were answered 200
            s.setSoTimeout(10_000);
            send(s, "GET " + ScoringServer.HEALTH + " HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n");
            assertEquals(400, readAnswer(s.getInputStream()), "two Host headers");
        }
        String body = "{\"text\": \"w7\"}";
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            send(s, head("POST", ScoringServer.CLASSIFY, "application/json", "Content-Length: +" + body.length() + "\r\n") + body);
            InputStream in = s.getInputStream();
            assertEquals(400, readAnswer(in), "a signed Content-Length");
            assertTrue(closedByServer(in), "the connection is closed");
        }
        ScoringServerTestSupport.assertHealthy(port);
    }

    /**
     * A chunk size of 2^31 or more on paths that do not read the body (a 405, HEAD): the JDK reads
     * it when the answer's stream closes, and fails unchecked there. The request ended by that
     * exception: never counted, the in-flight gauge up for good, a HEAD logged as a 500.
     */
    @Test
    void aBrokenChunkSizeOnAPathThatDoesNotReadTheBodyIsStillCounted() throws Exception {
        for (String method : new String[] {"POST", "HEAD", "POST"}) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                send(s, head(method, ScoringServer.HEALTH, "application/json", "Transfer-Encoding: chunked\r\n") + "80000000\r\n");
                InputStream in = s.getInputStream();
                assertEquals(method.equals("HEAD") ? 200 : 405, readStatusLine(in), method);
            }
        }
        awaitScrape("every request counted as finished", scrape -> value(scrape, "vlstm_http_requests_in_flight") == 1);  // the scrape itself
        ScoringServerTestSupport.assertHealthy(port);
    }

    /** A HEAD answer's duration ends when its headers are out, not after the JDK's read-on of its unsent body. */
    @Test
    void aHeadRequestsDurationEndsAtItsAnswer() throws Exception {
        String before = ServeFixture.get(port, ScoringServer.METRICS).text();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            send(s, head("HEAD", ScoringServer.CLASSIFY, null, "Content-Length: 100\r\n"));  // 405; its body never comes
            assertEquals(405, readStatusLine(s.getInputStream()));
            assertTrue(closedByServer(s.getInputStream()), "closed after the read-on");
        }
        awaitScrape("the HEAD request counted", scrape -> count(scrape) - count(before) == 1);
        double took = sum(ServeFixture.get(port, ScoringServer.METRICS).text()) - sum(before);
        assertTrue(took >= 0 && took < 0.3, "the HEAD took " + took + " s: the read-on (" + RequestBody.LINGER + ") was counted");
    }

    /**
     * Each request's duration ends at its own answer. The answer's time was kept as an exchange
     * attribute, which the JDK keeps in one map for all requests: a 415 answered at once was
     * recorded with the time until another client's answer during its body's drain (0.45 s).
     */
    @Test
    void aRequestsDurationEndsAtItsOwnAnswerWhileOthersAreAnswered() throws Exception {
        String before = ServeFixture.get(port, ScoringServer.METRICS).text();
        java.util.concurrent.atomic.AtomicBoolean polling = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread other = Thread.ofPlatform().start(() -> {
            while (polling.get()) {
                try {
                    ServeFixture.get(port, ScoringServer.HEALTH);
                    Thread.sleep(20);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            send(s, head("POST", ScoringServer.CLASSIFY, "text/plain", "Content-Length: 100\r\n"));  // 415; its body never comes
            assertEquals(415, readAnswer(s.getInputStream()));
            assertTrue(closedByServer(s.getInputStream()), "closed after the drain, while the other client was answered");
        } finally {
            polling.set(false);
            other.join();
        }
        awaitScrape("the classify request counted", scrape -> count(scrape) - count(before) == 1);  // recorded after the exchange is closed
        double took = sum(ServeFixture.get(port, ScoringServer.METRICS).text()) - sum(before);
        assertTrue(took >= 0 && took < 0.3, "the 415 took " + took + " s: another request's answer was taken for its end");
    }

    /**
     * A POST whose body has neither a Content-Length nor Transfer-Encoding: by HTTP's rules it has
     * no body, so the bytes sent as one are read as the next request on the connection.
     */
    @Test
    void aBodyWithoutALengthIs411AndItsBytesAreNeverTakenForARequest() throws Exception {
        // Before: 400 "must be a JSON object", the connection kept, and a request sent as the "body" answered.
        String smuggled = head("GET", ScoringServer.MODEL, null, "");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            send(s, head("POST", ScoringServer.CLASSIFY, "application/json", "") + smuggled);
            InputStream in = s.getInputStream();
            assertEquals(411, readAnswer(in));
            assertTrue(closedByServer(in), "the connection is closed, the bytes after the head not answered");
        }
        // A reload sent with no body and no length (curl -X POST) is done; nothing after it is taken either.
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            send(s, head("POST", ScoringServer.RELOAD, null, "") + smuggled);
            InputStream in = s.getInputStream();
            assertEquals(200, readAnswer(in));
            assertTrue(closedByServer(in), "the reload's connection is closed, the bytes after its head not answered");
        }
        ScoringServerTestSupport.assertHealthy(port);
    }

    @Test
    void aRefusedBodyLargerThanTheDrainIsAnsweredWithConnectionClose() throws Exception {
        // Before, the 415/404 said nothing, so a keep-alive client sent its next request on a connection the drain
        // was about to close (with unread bytes: a reset).
        for (String[] pathAndType : new String[][] {{ScoringServer.CLASSIFY, "text/plain"}, {"/nope", "application/json"}}) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                // 200 KB announced, the first KB sent: the rest would arrive while the answer is read.
                send(s, head("POST", pathAndType[0], pathAndType[1], "Content-Length: " + (200 << 10) + "\r\n") + "w".repeat(1000));
                String answer = readHead(s.getInputStream());
                assertTrue(answer.matches("(?is).*\r\nconnection: close\r\n.*"), answer);
            }
        }
        // A body the drain reads to its end keeps its connection, as before.
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            String small = "w".repeat(1000);
            send(s, head("POST", "/nope", "application/json", "Content-Length: " + small.length() + "\r\n") + small);
            String answer = readHead(s.getInputStream());
            assertFalse(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
        }
        ScoringServerTestSupport.assertHealthy(port);
    }

    @Test
    void aPathWithAnEscapeMatchesNoneOfOurs() throws Exception {
        // Before, the decoded path was routed: /v1/admin%2Freload and /v1/%61dmin/reload reloaded the model, past a
        // proxy that guards /v1/admin/ as written.
        double reloads = value(ServeFixture.get(port, ScoringServer.METRICS).text(), "vlstm_model_reloads_total{result=\"ok\"}");
        // And a target starting with "//", which java.net.URI reads as a host: "//x/v1/admin/reload" and
        // "///v1/admin/reload" reloaded the model past nginx's location /v1/admin/ (it forwards the target as sent).
        for (String path : new String[] {"/v1/admin%2Freload", "/v1/%61dmin/reload", "/v1%2Fhealth", "//x/v1/admin/reload", "///v1/admin/reload",
                "//a@b/v1/admin/reload", "//x/v1/classify", "//x/health"}) {
            String method = path.contains("reload") ? "POST" : "GET";
            assertEquals(404, ServeFixture.rawStatus(port, head(method, path, null, method.equals("POST") ? "Content-Length: 0\r\n" : "")
                    .getBytes(StandardCharsets.US_ASCII), 10_000), path);
        }
        assertEquals(reloads, value(ServeFixture.get(port, ScoringServer.METRICS).text(), "vlstm_model_reloads_total{result=\"ok\"}"), "no reload");
        // A path in UTF-8 is named as sent (it came back as "/v1/clÃ¤ssify": the JDK reads the request line as ISO-8859-1).
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(head("GET", "/v1/cl\u00e4ssify", null, "").getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            String answer = readHead(in);
            assertTrue(answer.startsWith("HTTP/1.1 404"), answer);
            String text = readBody(in, answer);
            assertTrue(text.contains("no such path: /v1/cl\u00e4ssify ("), text);
        }
        // The absolute form HTTP/1.1 servers must take is routed by its path, as a proxy reads it.
        assertEquals(200, ServeFixture.rawStatus(port, head("GET", "http://x" + ScoringServer.HEALTH, null, "").getBytes(StandardCharsets.US_ASCII), 10_000));
    }

    @Test
    void aChunkedBodyWithTrailerFieldsIsRefusedSayingSo() throws Exception {
        // Valid HTTP/1.1 that the JDK's reader does not take: the 400 said only "invalid chunk end", blaming the client.
        String body = "{\"text\":\"good\"}";
        String request = head("POST", ScoringServer.CLASSIFY, "application/json", "Transfer-Encoding: chunked\r\n")
                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\nX-Trailer: y\r\n\r\n";
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            send(s, request);
            InputStream in = s.getInputStream();
            String answer = readHead(in);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            String text = readBody(in, answer);
            assertTrue(text.contains("without trailer fields"), text);
        }
        // Other framing errors are not blamed on trailers.
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            send(s, head("POST", ScoringServer.CLASSIFY, "application/json", "Transfer-Encoding: chunked\r\n") + "zz\r\n0\r\n\r\n");
            InputStream in = s.getInputStream();
            String answer = readHead(in);
            String text = readBody(in, answer);
            assertTrue(text.contains("could not read the body") && !text.contains("trailer"), text);
        }
    }

    /** Reads an answer's status line and headers. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("closed before an answer; got: " + head);
            head.append((char) b);
        }
        return head.toString();
    }

    /** The classify duration is arrival to answer: not the 0.5 s spent after it reading a body the client never sends. */
    @Test
    void theClassifyDurationEndsAtTheAnswerNotAfterTheDrain() throws Exception {
        String before = ServeFixture.get(port, ScoringServer.METRICS).text();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            send(s, head("POST", ScoringServer.CLASSIFY, "text/plain", "Content-Length: 100\r\n"));
            assertEquals(415, readAnswer(s.getInputStream()));
            assertTrue(closedByServer(s.getInputStream()), "closed after the drain");
        }
        Thread.sleep(200);  // the handler records the request after it has closed the exchange
        String after = ServeFixture.get(port, ScoringServer.METRICS).text();
        assertEquals(1, count(after) - count(before), "the one classify request");
        double took = sum(after) - sum(before);
        assertTrue(took < 0.3, "the 415 took " + took + " s: the drain (" + RequestBody.LINGER + ") was counted");
    }

    /** Scrapes /metrics until {@code holds} is true of the scrape (a request is recorded after its exchange is closed). */
    private static void awaitScrape(String what, java.util.function.Predicate<String> holds) throws InterruptedException {
        ServeFixture.await(what, () -> {
            try {
                return holds.test(ServeFixture.get(port, ScoringServer.METRICS).text());
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
    }

    private static double sum(String scrape) { return value(scrape, "vlstm_classify_duration_seconds_sum"); }

    private static double count(String scrape) { return value(scrape, "vlstm_classify_duration_seconds_count"); }

    private static double value(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(scrape);
        assertTrue(m.find(), name + " in\n" + scrape);
        return Double.parseDouble(m.group(1));
    }

    /** Sends {@code request}, expects its answer at once, then the connection closed well before the read timeout. */
    private static void assertAnsweredThenClosedPromptly(String request, int status) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            long start = System.nanoTime();
            send(s, request);
            InputStream in = s.getInputStream();
            assertEquals(status, readAnswer(in), request.substring(0, 40));
            long answered = millisSince(start);
            assertTrue(answered < PROMPT_MILLIS, "answered after " + answered + " ms");
            assertTrue(closedByServer(in), "the server closed the connection");
            long closed = millisSince(start);
            assertTrue(closed < PROMPT_MILLIS, "closed after " + closed + " ms (read timeout 2 s; " + request.substring(0, 40) + ")");
        }
        ScoringServerTestSupport.assertHealthy(port);
    }

    private static void send(Socket s, String request) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static boolean closedByServer(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;  // reset: closed too
        }
    }

    /** Reads an answer's status line and headers (a HEAD's answer has no body): its status. */
    private static int readStatusLine(InputStream in) throws IOException {
        return Integer.parseInt(readHead(in).substring(9, 12));
    }

    /** Reads one answer with a Content-Length: its status. */
    private static int readAnswer(InputStream in) throws IOException {
        String head = readHead(in);
        readBody(in, head);
        return Integer.parseInt(head.substring(9, 12));
    }

    /** The body of the answer whose head was {@code head}, by its Content-Length. */
    private static String readBody(InputStream in, String head) throws IOException {
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        assertTrue(length.find(), head);
        return new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
