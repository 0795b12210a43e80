package vectorlstm.io;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Gru;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Lstm;

/** Layer configuration to and from the JSON maps of a model file's header. */
final class LayerSpecs {
    private LayerSpecs() {}

    static Map<String, Object> describe(Layer layer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", layer.typeName());
        m.put("name", layer.name());
        switch (layer) {
            case Embedding e -> {
                m.put("inputDim", e.inputDim());
                m.put("outputDim", e.outputDim());
                m.put("inputLength", e.inputLength());
                m.put("trainable", e.isTrainable());
                m.put("learningRateScale", (double) e.learningRateScale());
            }
            case Lstm l -> {
                m.put("units", l.units());
                m.put("returnSequences", l.returnSequences());
            }
            case Gru g -> {
                m.put("units", g.units());
                m.put("returnSequences", g.returnSequences());
                m.put("resetAfter", g.resetAfter());
            }
            case Dense d -> {
                m.put("units", d.units());
                m.put("activation", d.activation().kerasName());
            }
            default -> throw new ModelFileException("cannot save a layer of type " + layer.typeName());
        }
        return m;
    }

    static Layer create(Map<String, Object> m) {
        String type = string(m, "type");
        Layer layer = switch (type) {
            case "Embedding" -> new Embedding(integer(m, "inputDim"), integer(m, "outputDim"), sequenceLength(m))
                    .trainable(bool(m, "trainable"))
                    .learningRateScale(m.get("learningRateScale") instanceof Number n ? n.floatValue() : 1f);
            case "LSTM" -> new Lstm(integer(m, "units"), bool(m, "returnSequences"));
            case "GRU" -> new Gru(integer(m, "units"), bool(m, "returnSequences"), bool(m, "resetAfter"));
            case "Dense" -> new Dense(integer(m, "units"), string(m, "activation"));
            default -> throw new ModelFileException("unknown layer type '" + type + "' in the model file");
        };
        layer.setName(string(m, "name"));
        return layer;
    }

    private static int sequenceLength(Map<String, Object> m) {
        int n = integer(m, "inputLength");
        if (n > ModelFile.MAX_SEQUENCE_LENGTH) throw new ModelFileException("model header: inputLength " + n + " is above the limit of " + ModelFile.MAX_SEQUENCE_LENGTH);
        return n;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        if (!(o instanceof Map<?, ?> m)) throw new ModelFileException("model header: expected an object");
        return (Map<String, Object>) m;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof List<?> l)) throw new ModelFileException("model header: '" + key + "' missing or not a list");
        return (List<Object>) l;
    }

    static String string(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof String s)) throw new ModelFileException("model header: '" + key + "' missing or not a string");
        return s;
    }

    static int integer(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Long v) || v < 0 || v > Integer.MAX_VALUE) {
            throw new ModelFileException("model header: '" + key + "' missing or not a non-negative integer");
        }
        return v.intValue();
    }

    static boolean bool(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Boolean b)) throw new ModelFileException("model header: '" + key + "' missing or not a boolean");
        return b;
    }
}
