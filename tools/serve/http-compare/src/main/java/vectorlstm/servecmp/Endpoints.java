package vectorlstm.servecmp;

import java.nio.charset.StandardCharsets;
import vectorlstm.classifier.TextClassifier;

/**
 * What both servers answer, independent of the HTTP layer: {@code GET /health} (a constant: the
 * pure cost of HTTP) and {@code POST /v1/classify}. Each server only moves bytes in and out.
 */
final class Endpoints {
    record Answer(int status, byte[] body) {}

    private static final Answer HEALTH = new Answer(200, "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII));

    private final TextClassifier classifier;

    Endpoints(TextClassifier classifier) {
        this.classifier = classifier;
    }

    Answer answer(String method, String path, byte[] body) {
        return switch (path) {
            case "/health" -> method.equals("GET") ? HEALTH : notAllowed();
            case "/v1/classify" -> method.equals("POST") ? classify(body) : notAllowed();
            default -> new Answer(404, ClassifyJson.error("no such path: " + path));
        };
    }

    private Answer classify(byte[] body) {
        String text;
        try {
            text = ClassifyJson.text(body);
        } catch (IllegalArgumentException e) {
            return new Answer(400, ClassifyJson.error(e.getMessage()));
        }
        return new Answer(200, ClassifyJson.response(classifier.classify(text)));
    }

    private static Answer notAllowed() {
        return new Answer(405, ClassifyJson.error("method not allowed"));
    }
}
