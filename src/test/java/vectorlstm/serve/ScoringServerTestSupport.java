package vectorlstm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/** Checks shared by the server tests. */
final class ScoringServerTestSupport {
    private ScoringServerTestSupport() {}

    static void assertHealthy(int port) throws Exception {
        assertEquals(200, ServeFixture.get(port, ScoringServer.HEALTH).status());
        ServeFixture.Answer a = ServeFixture.classify(port, Map.of("text", "w7 w1"));
        assertEquals(200, a.status(), a.text());
    }

    /** What the server reports as a file's sha256. */
    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static LoadedModel servedModel(ScoringServer server) {
        return server.servedModelForTests();
    }
}
