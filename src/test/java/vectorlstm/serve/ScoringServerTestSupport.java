package vectorlstm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

/** Checks shared by the server tests. */
final class ScoringServerTestSupport {
    private ScoringServerTestSupport() {}

    static void assertHealthy(int port) throws Exception {
        assertEquals(200, ServeFixture.get(port, ScoringServer.HEALTH).status());
        ServeFixture.Answer a = ServeFixture.classify(port, Map.of("text", "w7 w1"));
        assertEquals(200, a.status(), a.text());
    }

    static LoadedModel servedModel(ScoringServer server) {
        return server.servedModelForTests();
    }
}
