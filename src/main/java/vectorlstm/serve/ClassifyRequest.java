package vectorlstm.serve;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import vectorlstm.text.Json;
import vectorlstm.text.StrictUtf8;

/**
 * The body of {@code POST /v1/classify}: {@code {"text": "..."}} or {@code {"texts": ["...", ...]}},
 * strict UTF-8 JSON. Everything wrong with it becomes a 400 or 413 that says what is wrong.
 *
 * @param texts  the texts in request order
 * @param single whether the request used "text" (answered with one object, not a list)
 */
record ClassifyRequest(List<String> texts, boolean single) {

    static ClassifyRequest parse(byte[] body, ServerSettings limits) {
        String json;
        try {
            json = StrictUtf8.decoder().decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new ApiError(400, "the body is not valid UTF-8");
        }
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "the body is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> fields)) {
            throw new ApiError(400, "the body must be a JSON object with \"text\" or \"texts\"");
        }
        boolean hasText = fields.containsKey("text"), hasTexts = fields.containsKey("texts");
        if (hasText == hasTexts) {
            throw new ApiError(400, hasText ? "give \"text\" or \"texts\", not both" : "missing field: \"text\" (one text) or \"texts\" (a list of texts)");
        }
        for (Object key : fields.keySet()) {
            if (!key.equals("text") && !key.equals("texts")) throw new ApiError(400, "unknown field \"" + key + "\" (expected \"text\" or \"texts\")");
        }
        if (hasText) {
            return new ClassifyRequest(List.of(text(fields.get("text"), "\"text\"", limits)), true);
        }
        if (!(fields.get("texts") instanceof List<?> list)) throw new ApiError(400, "\"texts\" must be a list of strings");
        if (list.isEmpty()) throw new ApiError(400, "\"texts\" is empty");
        if (list.size() > limits.maxTexts()) {
            throw new ApiError(413, list.size() + " texts in one request; at most " + limits.maxTexts() + " (split the request)");
        }
        List<String> texts = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) texts.add(text(list.get(i), "\"texts\"[" + i + "]", limits));
        return new ClassifyRequest(texts, false);
    }

    private static String text(Object value, String where, ServerSettings limits) {
        if (!(value instanceof String s)) throw new ApiError(400, where + " must be a string");
        if (s.length() > limits.maxTextChars()) {
            throw new ApiError(413, where + " has " + s.length() + " characters; at most " + limits.maxTextChars());
        }
        return s;
    }
}
