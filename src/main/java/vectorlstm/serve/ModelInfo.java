package vectorlstm.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.layers.Layer;

/** What {@code GET /v1/model} answers: the model being served, its file and checksum, the engine and the server's limits. */
final class ModelInfo {
    private ModelInfo() {}

    static Map<String, Object> of(ModelSlot slot, ServerSettings settings) {
        LoadedModel m = slot.acquire();
        try {
            TextClassifier c = m.classifier;
            List<Object> layers = new ArrayList<>();
            for (Layer layer : c.model().layers()) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("name", layer.name());
                l.put("type", layer.typeName());
                l.put("outputShape", layer.outputShape() == null ? null : layer.outputShape().withBatch());
                l.put("parameters", layer.parameterCount());
                layers.add(l);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("file", m.file.getFileName() == null ? m.file.toString() : m.file.getFileName().toString());
            out.put("sha256", m.sha256);
            out.put("loadedAt", m.loadedAt.toString());
            out.put("labels", c.labels());
            out.put("vocabularySize", m.vocabularySize);
            out.put("maxlen", c.maxlen());
            out.put("layers", layers);
            out.put("engine", engineVersion());
            Map<String, Object> scoring = new LinkedHashMap<>();
            scoring.put("threads", settings.threads());
            scoring.put("maxBatch", settings.maxBatch());
            scoring.put("batchWaitMicros", settings.batchWait().toNanos() / 1000);
            scoring.put("maxTexts", settings.maxTexts());
            scoring.put("maxTextChars", settings.maxTextChars());
            scoring.put("maxBodyBytes", settings.maxBodyBytes());
            out.put("limits", scoring);
            return out;
        } finally {
            m.release();
        }
    }

    static String engineVersion() {
        String v = TextClassifier.class.getPackage().getImplementationVersion();
        return "vector-lstm " + (v == null ? "(development build)" : v) + ", Java " + Runtime.version();
    }
}
