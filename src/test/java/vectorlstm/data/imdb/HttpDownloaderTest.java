package vectorlstm.data.imdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the real HTTP client against a server on the loopback interface. */
class HttpDownloaderTest {
    private final byte[] payload = new byte[300_000];
    private HttpServer server;
    private URI base;

    @BeforeEach
    void startServer() throws IOException {
        new Random(9).nextBytes(payload);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/file", exchange -> {
            exchange.sendResponseHeaders(200, payload.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(payload);
            }
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/file");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/stall", exchange -> {
            // Headers and 10 of 1,000,000 bytes, then silence until the test ends.
            exchange.sendResponseHeaders(200, 1_000_000);
            OutputStream body = exchange.getResponseBody();
            body.write(new byte[10]);
            body.flush();
            try {
                testDone.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        base = URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    private final java.util.concurrent.CountDownLatch testDone = new java.util.concurrent.CountDownLatch(1);

    @AfterEach
    void stopServer() {
        testDone.countDown();
        server.stop(0);
    }

    @Test
    void aServerThatGoesSilentAfterTheHeadersIsGivenUp() {
        // The request timeout covers only the headers: this download used to wait forever.
        HttpDownloader downloader = new HttpDownloader(java.net.http.HttpClient.newHttpClient(), java.time.Duration.ofMillis(500));
        IOException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> assertThrows(IOException.class, () -> downloader.download(base.resolve("/stall"), new ByteArrayOutputStream(), (done, all) -> {})));
        assertTrue(e.getMessage().startsWith("the download stalled: no data for 500 ms"), e.getMessage());
    }

    @Test
    void followsRedirectsAndReportsProgress() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicLong last = new AtomicLong(-1), total = new AtomicLong();
        new HttpDownloader().download(base.resolve("/moved"), out, (done, all) -> {
            last.set(done);
            total.set(all);
        });
        assertArrayEquals(payload, out.toByteArray());
        assertEquals(payload.length, last.get());
        assertEquals(payload.length, total.get());
    }

    @Test
    void httpErrorIsAnIOException() {
        IOException e = assertThrows(IOException.class,
                () -> new HttpDownloader().download(base.resolve("/missing"), new ByteArrayOutputStream(), (a, b) -> { }));
        assertTrue(e.getMessage().contains("404"), e.getMessage());
    }
}
