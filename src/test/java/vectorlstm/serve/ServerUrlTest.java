package vectorlstm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.TestEnvironment;

/** The address {@code ./lstm serve} prints on start: one a client can use as it is. */
class ServerUrlTest {
    @TempDir Path dir;

    @Test
    void anIpv6HostIsWrittenInBrackets() {
        // Before: --host ::1 printed http://::1:8080, which no client reads as host and port.
        assertEquals("http://[::1]:8080", ScoringServer.url("::1", 8080));
        assertEquals("http://[fe80::1%25lo]:8080", ScoringServer.url("fe80::1%lo", 8080));
        assertEquals("http://[::1]:8080", ScoringServer.url("[::1]", 8080));
        assertEquals("http://127.0.0.1:8080", ScoringServer.url("127.0.0.1", 8080));
        assertEquals("http://localhost:8080", ScoringServer.url("localhost", 8080));
    }

    @Test
    void theUrlOfAServerOnIpv6Answers() throws Exception {
        TestEnvironment.require(ipv6Loopback(), "an IPv6 loopback (::1)");
        ServerSettings settings = new ServerSettings("::1", 0, 1, 1, Duration.ZERO, 1 << 20, 10, 1000, 10,
                Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ZERO);
        try (ScoringServer server = ScoringServer.start(ServeFixture.savedModel(dir.resolve("m.vlstm"), 3), settings, line -> {})) {
            HttpResponse<String> health = ServeFixture.CLIENT.send(HttpRequest.newBuilder(URI.create(server.url() + ScoringServer.HEALTH))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
        }
    }

    private static boolean ipv6Loopback() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
