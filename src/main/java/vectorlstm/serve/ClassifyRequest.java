package vectorlstm.serve;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /v1/classify}: {@code {"text": "..."}} or {@code {"texts": ["...", ...]}},
 * strict UTF-8 JSON. Read as a token stream that accepts exactly this shape, so nothing is built
 * for a body of another shape and nesting is refused at its first level; everything wrong becomes
 * a 400 or 413 that says what is wrong.
 *
 * @param texts  the texts in request order
 * @param single whether the request used "text" (answered with one object, not a list)
 */
record ClassifyRequest(List<String> texts, boolean single) {

    static ClassifyRequest parse(byte[] body, ServerSettings limits) {
        // Jackson would detect UTF-16 and UTF-32 by their zero bytes or byte order marks and read them.
        for (int i = 0; i < Math.min(4, body.length); i++) {
            if (body[i] == 0 || (i == 0 && (body[0] == (byte) 0xFE || body[0] == (byte) 0xFF))) {
                throw new ApiError(400, "the body is not valid UTF-8 (it looks like UTF-16 or UTF-32)");
            }
        }
        if (body.length == 0) throw new ApiError(400, "the body is empty: send {\"text\": \"...\"} or {\"texts\": [\"...\", ...]}");
        try (JsonParser p = JsonBodies.FACTORY.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) throw new ApiError(400, "the body holds only white space: send {\"text\": \"...\"} or {\"texts\": [\"...\", ...]}");
            if (first != JsonToken.START_OBJECT) {
                throw new ApiError(400, "the body must be a JSON object with \"text\" or \"texts\"");
            }
            String text = null;
            List<String> texts = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "text" -> text = text(p, value, "\"text\"", limits);
                    case "texts" -> texts = texts(p, value, limits);
                    default -> throw new ApiError(400, "unknown field \"" + shorten(field) + "\" (expected \"text\" or \"texts\")");
                }
            }
            if (p.nextToken() != null) throw new ApiError(400, "the body is not valid JSON: text after the object");
            if ((text == null) == (texts == null)) {
                throw new ApiError(400, text != null ? "give \"text\" or \"texts\", not both" : "missing field: \"text\" (one text) or \"texts\" (a list of texts)");
            }
            return text != null ? new ClassifyRequest(List.of(text), true) : new ClassifyRequest(texts, false);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, notJson(e));
        } catch (IOException e) {
            throw new ApiError(400, "could not read the body: " + e.getMessage());
        }
    }

    /**
     * What is wrong with a body Jackson refuses, in our words where Jackson's quote its internals:
     * an unclosed object says where it opened as "[Source: REDACTED (`StreamReadFeature...`
     * disabled); line: 1, column: 1]". The position is ours, from the exception's location.
     */
    private static String notJson(JsonProcessingException e) {
        String why = e.getOriginalMessage();
        if (why.contains("Invalid UTF-8")) return "the body is not valid UTF-8 (" + why + ")";
        if (e instanceof JsonEOFException || why.startsWith("Unexpected end-of-input")) {
            return "the body is not valid JSON: it ends before the JSON does (an object, a list or a string is not closed)";
        }
        int source = why.indexOf(" (start marker at");  // seen in end-of-input messages only; never passed on
        if (source < 0) source = why.indexOf("[Source:");
        if (source >= 0) why = why.substring(0, source).strip();
        // Jackson's hints name its own switches: "Non-standard token 'NaN': enable `JsonReadFeature...`",
        // "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)".
        int hint = why.indexOf(": enable `");
        if (hint < 0) hint = why.indexOf(" (not recognized as one since Feature");
        if (hint >= 0) why = why.substring(0, hint) + " (not JSON)";
        // "exceeds the maximum allowed (100, from `StreamReadConstraints.getMaxNumberLength()`)": the limit without its setter's name.
        why = why.replaceAll(", from `[^`]*`", "");
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return "the body is not valid JSON" + where + ": " + why;
    }

    private static List<String> texts(JsonParser p, JsonToken value, ServerSettings limits) throws IOException {
        if (value != JsonToken.START_ARRAY) throw new ApiError(400, "\"texts\" must be a list of strings");
        List<String> texts = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (texts.size() == limits.maxTexts()) {  // refused at the first text too many, before the rest are read
                throw new ApiError(413, "more than " + limits.maxTexts() + " texts in one request; at most " + limits.maxTexts() + " (split the request)");
            }
            texts.add(text(p, t, "\"texts\"[" + texts.size() + "]", limits));
        }
        if (texts.isEmpty()) throw new ApiError(400, "\"texts\" is empty");
        return texts;
    }

    private static String text(JsonParser p, JsonToken value, String where, ServerSettings limits) throws IOException {
        if (value != JsonToken.VALUE_STRING) throw new ApiError(400, where + " must be a string");
        String s = p.getText();
        // Characters as a user counts them (code points): an emoji is one, though Java holds it in two chars.
        int characters = s.length() > limits.maxTextChars() ? s.codePointCount(0, s.length()) : s.length();
        if (characters > limits.maxTextChars()) {
            throw new ApiError(413, where + " has " + characters + " characters; at most " + limits.maxTextChars());
        }
        for (int i = 0; i < s.length(); i++) {  // an escaped lone surrogate ("\ud800") is valid JSON but no character
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new ApiError(400, where + " holds an unpaired surrogate (\\u" + Integer.toHexString(c) + "), which is no character");
            }
        }
        return s;
    }

    private static String shorten(String s) {
        return ApiError.shorten(s, 40);
    }
}
