package vectorlstm.importer.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import vectorlstm.importer.ImportException;

/**
 * The layer list of a Keras model config ({@code model_config} in an .h5 file, {@code
 * config.json} in a .keras zip): a {@code Sequential}, or a functional {@code Model} whose layers
 * form one chain (each reads the one before it). Anything with branches is refused.
 */
record KerasModelConfig(String modelClass, List<KerasLayerConfig> layers) {
    /** Configs are a few KiB; a larger one is not a model config we can use. */
    static final int MAX_CONFIG_CHARS = 16 << 20;
    /** Real configs nest about 8 deep; far deeper nesting is hostile, refused before it costs stack. */
    private static final int MAX_NESTING = 64;
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build()).build());

    static KerasModelConfig parse(String json, String where) {
        if (json == null) throw new ImportException(where + ": no model config");
        if (json.length() > MAX_CONFIG_CHARS) throw new ImportException(where + ": the model config is " + json.length() + " characters, more than a model config can be");
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            // Jackson's own text for NaN advises its programmers to enable a read feature; a user needs to know what is in the file.
            String why = String.valueOf(e.getOriginalMessage()).contains("ALLOW_NON_NUMERIC_NUMBERS")
                    ? "it holds NaN or Infinity (Python's json writes them; JSON has no such numbers, and no config value of a model the engine reads is one)"
                    : e.getOriginalMessage();
            throw new ImportException(where + ": the model config is not valid JSON: " + why, e);
        }
        if (root == null || !root.isObject()) throw new ImportException(where + ": the model config is not a JSON object");
        String cls = text(root.get("class_name"));
        if (cls == null) throw new ImportException(where + ": the model config has no class_name");
        // The model itself too: a user's subclass registered as "MyPkg>Sequential" was read as Keras' own.
        KerasLayerConfig.requireBuiltIn(root, cls, "the model");
        JsonNode config = root.get("config");
        return switch (cls) {
            case "Sequential" -> new KerasModelConfig(cls, layerList(config == null ? null : config.isArray() ? config : config.get("layers"), where, false));
            case "Functional", "Model" -> new KerasModelConfig(cls, chain(config, where));
            default -> throw new ImportException(where + ": the model is a " + cls + "; supported: Sequential, and functional models whose layers form one chain");
        };
    }

    private static List<KerasLayerConfig> layerList(JsonNode layers, String where, boolean functional) {
        if (layers == null || !layers.isArray() || layers.isEmpty()) throw new ImportException(where + ": the model config lists no layers");
        List<KerasLayerConfig> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (JsonNode l : layers) {
            String cls = text(l.get("class_name"));
            JsonNode config = l.get("config");
            if (cls == null || config == null || !config.isObject()) throw new ImportException(where + ": layer " + out.size() + " has no class_name or config");
            String name = text(config.get("name"));
            if (name == null && functional) name = text(l.get("name"));
            KerasLayerConfig layer = new KerasLayerConfig(cls, name == null ? cls.toLowerCase() + "_" + out.size() : name, config);
            KerasLayerConfig.requireBuiltIn(l, cls, "layer " + layer.label());
            // Keras refuses to build a model with two layers of one name; the weights go by name, so both would read one layer's.
            if (!names.add(layer.name())) throw new ImportException(where + ": two layers are named '" + layer.name() + "', which Keras refuses: the file is damaged");
            out.add(layer);
        }
        return out;
    }

    /** A functional model's layers, checked to form one chain from its single input to its single output. */
    private static List<KerasLayerConfig> chain(JsonNode config, String where) {
        if (config == null || !config.isObject()) throw new ImportException(where + ": the functional model has no config");
        JsonNode layers = config.get("layers");
        List<KerasLayerConfig> list = layerList(layers, where, true);
        for (int i = 0; i < list.size(); i++) {
            List<String> inbound = new ArrayList<>();
            collectInbound(layers.get(i).get("inbound_nodes"), inbound, 0);
            if (calledInTraining(layers.get(i).get("inbound_nodes"), 0) && dropsOut(layers.get(i).get("config"), 0)) {
                throw new ImportException(where + ": layer " + list.get(i).label() + " is called with training=True (Monte Carlo dropout): Keras applies its"
                        + " dropout when it predicts, so its outputs are random; the engine's layers predict without it");
            }
            List<String> expected = i == 0 ? List.of() : List.of(list.get(i - 1).name());
            if (!inbound.equals(expected)) {
                throw new ImportException(where + ": layer " + list.get(i).label() + " reads " + (inbound.isEmpty() ? "no layer" : inbound)
                        + ", not " + (expected.isEmpty() ? "nothing" : expected) + ": only functional models that are one chain of layers can be imported");
            }
        }
        // The chain's ends must be the model's: an output_layers naming a layer before the last
        // would make Keras' output that layer's, and the import would add the rest on top.
        checkEnd(config, "input_layers", list.get(0), where);
        checkEnd(config, "output_layers", list.get(list.size() - 1), where);
        return list;
    }

    private static void checkEnd(JsonNode config, String key, KerasLayerConfig end, String where) {
        List<String> named = new ArrayList<>();
        collectInbound(config.get(key), named, 0);
        if (!named.equals(List.of(end.name()))) {
            throw new ImportException(where + ": the functional model's " + key + " name " + (named.isEmpty() ? "no layer" : named) + ", not its chain's "
                    + (key.startsWith("input") ? "first" : "last") + " layer " + end.label() + ": only one chain from its input to its output can be imported");
        }
    }

    /**
     * The names of the layers a node reads. Keras 2 writes {@code [[["lstm", 0, 0, {}]]]}, Keras 3
     * {@code [{"args": [{"config": {"keras_history": ["lstm", 0, 0]}}]}]}.
     */
    private static void collectInbound(JsonNode node, List<String> names, int depth) {
        if (node == null || depth > MAX_NESTING) return;
        if (node.isObject()) {
            JsonNode history = node.get("keras_history");
            if (history != null && history.isArray() && history.size() > 0 && history.get(0).isTextual()) {
                names.add(history.get(0).textValue());
                return;
            }
            for (JsonNode child : node) collectInbound(child, names, depth + 1);
        } else if (node.isArray()) {
            if (node.size() >= 3 && node.get(0).isTextual() && node.get(1).isNumber()) {
                names.add(node.get(0).textValue());
                return;
            }
            for (JsonNode child : node) collectInbound(child, names, depth + 1);
        }
    }

    /** Whether a node's call arguments set training to true: Keras 2's {@code [["lstm", 0, 0, {"training": true}]]}, Keras 3's {@code {"kwargs": {"training": true}}}. */
    private static boolean calledInTraining(JsonNode node, int depth) {
        if (node == null || depth > MAX_NESTING) return false;
        if (node.isObject()) {
            JsonNode training = node.get("training");
            if (training != null && training.isBoolean() && training.booleanValue()) return true;
        }
        if (node.isObject() || node.isArray()) {
            for (JsonNode child : node) if (calledInTraining(child, depth + 1)) return true;
        }
        return false;
    }

    /** Whether a layer's config sets a dropout above 0 (a Dropout's rate, an RNN's dropout or recurrent_dropout, a wrapped layer's): without one, training=True changes nothing. */
    private static boolean dropsOut(JsonNode config, int depth) {
        if (config == null || depth > MAX_NESTING || !config.isObject()) return false;
        for (String key : new String[] {"rate", "dropout", "recurrent_dropout"}) {
            JsonNode v = config.get(key);
            if (v != null && v.isNumber() && v.doubleValue() > 0) return true;
        }
        for (JsonNode child : config) if (child.isObject() && dropsOut(child.has("config") ? child.get("config") : child, depth + 1)) return true;
        return false;
    }

    private static String text(JsonNode n) { return n != null && n.isTextual() ? n.textValue() : null; }
}
