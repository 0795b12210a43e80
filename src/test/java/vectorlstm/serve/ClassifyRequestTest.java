package vectorlstm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The classify body's parser on its own (the HTTP cases are in ScoringServerTest). */
class ClassifyRequestTest {
    private static ServerSettings limits(int maxTextChars) {
        return new ServerSettings("127.0.0.1", 0, 1, 1, Duration.ZERO, 64 << 20, 10, maxTextChars, 10,
                Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ZERO);
    }

    @Test
    void aTextWithinTheConfiguredLengthIsReadHoweverLong() {
        // Jackson refuses strings over 20,000,000 characters by default: a text within
        // --max-text-chars 30000000 was answered 400 "not valid JSON", a longer one never 413.
        int length = 20_000_001;
        byte[] body = ("{\"text\": \"" + "a".repeat(length) + "\"}").getBytes(StandardCharsets.US_ASCII);
        assertEquals(length, ClassifyRequest.parse(body, limits(30_000_000)).texts().get(0).length());
        ApiError tooLong = assertThrows(ApiError.class, () -> ClassifyRequest.parse(body, limits(20_000_000)));
        assertEquals(413, tooLong.status);
        assertTrue(tooLong.getMessage().contains("20000001 characters; at most 20000000"), tooLong.getMessage());
    }

    @Test
    void theLimitCountsCharactersNotJavaChars() {
        // Six emoji are 12 Java chars (surrogate pairs): --max-text-chars 10 refused them as "12 characters".
        String six = "\uD83D\uDE00".repeat(6);
        byte[] body = ("{\"text\": \"" + six + "\"}").getBytes(StandardCharsets.UTF_8);
        assertEquals(six, ClassifyRequest.parse(body, limits(6)).texts().get(0));
        ApiError tooLong = assertThrows(ApiError.class, () -> ClassifyRequest.parse(body, limits(5)));
        assertEquals(413, tooLong.status);
        assertTrue(tooLong.getMessage().contains("has 6 characters; at most 5"), tooLong.getMessage());
    }
}
