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

    @Test
    void malformedJsonIsNamedWithoutTheParsersInternals() {
        // Before: "... expected close marker for Object (start marker at [Source: REDACTED (`StreamReadFeature...` disabled); line: 1, column: 1])".
        assertEquals("the body is not valid JSON: it ends before the JSON does (an object, a list or a string is not closed)",
                refusal("{\"text\":\"a\""));
        assertEquals(refusal("{\"text\":\"a\""), refusal("{\"texts\":[\"a\""));
        assertEquals(refusal("{\"text\":\"a\""), refusal("{\"text\":\"a\","));
        String token = refusal("{\"text\":tru}");
        assertTrue(token.startsWith("the body is not valid JSON at line 1, column 9: Unrecognized token 'tru'"), token);
        for (String body : new String[] {"{\"text\":\"a\"", "{\"text\":tru}", "{\"te", "{\"text\":\"a\" \"b\"}", "{\"texts\":[\"a\" \"b\"]}"}) {
            String why = refusal(body);
            assertTrue(!why.contains("Source") && !why.contains("StreamReadFeature") && !why.contains("REDACTED"), why);
        }
    }

    /** Jackson's hints name its own parser switches, which a client of the server cannot set. */
    @Test
    void jacksonsFeatureHintsAreLeftOut() {
        String nan = refusal("{\"text\": NaN}");
        assertTrue(nan.contains("Non-standard token 'NaN' (not JSON)"), nan);
        String comment = refusal("{\"text\": \"a\" /* hi */}");
        assertTrue(comment.contains("comment? (not JSON)"), comment);
        for (String why : new String[] {nan, comment}) assertTrue(!why.contains("Feature") && !why.contains("enable"), why);
        // "(100, from `StreamReadConstraints.getMaxNumberLength()`)": the limit, without the setter's name.
        String number = refusal("{\"text\": " + "9".repeat(200) + "}");
        assertTrue(number.contains("exceeds the maximum allowed (100)") && !number.contains("StreamReadConstraints"), number);
    }

    @Test
    void anEmptyBodyIsNamedAsSuch() {
        // Before: Content-Length: 0 was answered "the body must be a JSON object with "text" or "texts"".
        assertEquals("the body is empty: send {\"text\": \"...\"} or {\"texts\": [\"...\", ...]}", refusal(""));
        assertEquals("the body holds only white space: send {\"text\": \"...\"} or {\"texts\": [\"...\", ...]}", refusal(" \r\n\t "));
    }

    private static String refusal(String body) {
        ApiError e = assertThrows(ApiError.class, () -> ClassifyRequest.parse(body.getBytes(StandardCharsets.UTF_8), limits(100)));
        assertEquals(400, e.status);
        return e.getMessage();
    }
}
