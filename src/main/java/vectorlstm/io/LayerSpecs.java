package vectorlstm.io;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vectorlstm.layers.Bidirectional;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Dropout;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.GlobalAveragePooling1D;
import vectorlstm.layers.GlobalMaxPooling1D;
import vectorlstm.layers.Gru;
import vectorlstm.layers.Input;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.Masking;
import vectorlstm.layers.RecurrentActivation;
import vectorlstm.layers.RecurrentLayer;
import vectorlstm.layers.Shape;

/**
 * Layer configuration to and from the JSON maps of a model file's header. Keys added after
 * version 2 first shipped (maskZero, goBackwards) are optional and default to Keras' defaults,
 * so older files read as before.
 */
final class LayerSpecs {
    private LayerSpecs() {}

    static Map<String, Object> describe(Layer layer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", layer.typeName());
        m.put("name", layer.name());
        switch (layer) {
            case Input in -> {
                m.put("timesteps", in.timesteps() == Shape.VARIABLE ? null : (Object) (long) in.timesteps());
                m.put("features", in.features());
            }
            case Embedding e -> {
                m.put("inputDim", e.inputDim());
                m.put("outputDim", e.outputDim());
                m.put("inputLength", e.inputLength() == Shape.VARIABLE ? null : (Object) (long) e.inputLength());
                m.put("trainable", e.isTrainable());
                m.put("learningRateScale", (double) e.learningRateScale());
                m.put("maskZero", e.maskZero());
            }
            case Lstm l -> {
                m.put("units", l.units());
                m.put("returnSequences", l.returnSequences());
                m.put("goBackwards", l.goBackwards());
                m.put("dropout", (double) l.dropout());
                m.put("recurrentDropout", (double) l.recurrentDropout());
                m.put("recurrentActivation", l.recurrentActivation().fileName());
            }
            case Gru g -> {
                m.put("units", g.units());
                m.put("returnSequences", g.returnSequences());
                m.put("goBackwards", g.goBackwards());
                m.put("resetAfter", g.resetAfter());
                m.put("recurrentActivation", g.recurrentActivation().fileName());
                m.put("dropout", (double) g.dropout());
                m.put("recurrentDropout", (double) g.recurrentDropout());
            }
            case Bidirectional b -> {
                m.put("mergeMode", b.mergeMode().kerasName());
                Map<String, Object> inner = describe(b.forwardLayer());
                inner.remove("name");
                m.put("layer", inner);
            }
            case Dropout d -> m.put("rate", (double) d.rate());
            case Masking k -> m.put("maskValue", (double) k.maskValue());
            case GlobalMaxPooling1D p -> { if (p.includeMaskedSteps()) m.put("includeMaskedSteps", true); }
            case GlobalAveragePooling1D p -> { }
            case Dense d -> {
                m.put("units", d.units());
                m.put("activation", d.activation().kerasName());
            }
            default -> throw new ModelFileException("cannot save a layer of type " + layer.typeName());
        }
        return m;
    }

    static Layer create(Map<String, Object> m) {
        Layer layer = createUnnamed(m);
        layer.setName(string(m, "name"));
        return layer;
    }

    private static Layer createUnnamed(Map<String, Object> m) {
        String type = string(m, "type");
        try {
            return switch (type) {
                case "InputLayer" -> new Input(m.get("timesteps") == null ? Shape.VARIABLE : sequenceLength(m, "timesteps"), integer(m, "features"));
                case "Embedding" -> new Embedding(integer(m, "inputDim"), integer(m, "outputDim"),
                                m.get("inputLength") == null ? Shape.VARIABLE : sequenceLength(m, "inputLength"))
                        .trainable(bool(m, "trainable"))
                        .learningRateScale(m.get("learningRateScale") instanceof Number n ? n.floatValue() : 1f)
                        .maskZero(optionalBool(m, "maskZero"));
                case "LSTM" -> new Lstm(integer(m, "units"), bool(m, "returnSequences"), optionalBool(m, "goBackwards"))
                        .recurrentActivation(recurrentActivation(m))
                        .dropout(optionalNumber(m, "dropout")).recurrentDropout(optionalNumber(m, "recurrentDropout"));
                case "GRU" -> new Gru(integer(m, "units"), bool(m, "returnSequences"), optionalBool(m, "goBackwards"), bool(m, "resetAfter"))
                        .recurrentActivation(recurrentActivation(m))
                        .dropout(optionalNumber(m, "dropout")).recurrentDropout(optionalNumber(m, "recurrentDropout"));
                case "Bidirectional" -> {
                    // Checked before recursing: a file cannot nest wrappers (and so cannot nest them deeply).
                    Map<String, Object> innerSpec = map(m.get("layer"));
                    String innerType = string(innerSpec, "type");
                    if (!(createUnnamedIfRecurrent(innerSpec, innerType) instanceof RecurrentLayer r)) {
                        throw new ModelFileException("model header: Bidirectional wraps " + innerType + ", not a recurrent layer (LSTM, GRU)");
                    }
                    yield new Bidirectional(r, Bidirectional.MergeMode.parse(string(m, "mergeMode")));
                }
                case "Dropout" -> new Dropout(number(m, "rate"));
                case "Masking" -> new Masking(number(m, "maskValue"));
                case "GlobalMaxPooling1D" -> new GlobalMaxPooling1D(optionalBool(m, "includeMaskedSteps"));
                case "GlobalAveragePooling1D" -> new GlobalAveragePooling1D();
                case "Dense" -> new Dense(integer(m, "units"), string(m, "activation"));
                default -> throw new ModelFileException("unknown layer type '" + type + "' in the model file");
            };
        } catch (IllegalArgumentException e) {
            throw new ModelFileException("model header: bad " + type + " layer: " + e.getMessage());
        }
    }

    private static Layer createUnnamedIfRecurrent(Map<String, Object> spec, String type) {
        return type.equals("LSTM") || type.equals("GRU") ? createUnnamed(spec) : null;
    }

    private static int sequenceLength(Map<String, Object> m, String key) {
        int n = integer(m, key);
        if (n > ModelFile.MAX_SEQUENCE_LENGTH) throw new ModelFileException("model header: " + key + " " + n + " is above the limit of " + ModelFile.MAX_SEQUENCE_LENGTH);
        return n;
    }

    private static RecurrentActivation recurrentActivation(Map<String, Object> m) {
        return m.get("recurrentActivation") == null ? RecurrentActivation.SIGMOID : RecurrentActivation.parse(string(m, "recurrentActivation"));
    }

    private static boolean optionalBool(Map<String, Object> m, String key) {
        return m.get(key) != null && bool(m, key);
    }

    private static float optionalNumber(Map<String, Object> m, String key) {
        return m.get(key) == null ? 0f : number(m, key);
    }

    private static float number(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number n) || !Double.isFinite(n.doubleValue())) throw new ModelFileException("model header: '" + key + "' missing or not a finite number");
        return n.floatValue();
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
