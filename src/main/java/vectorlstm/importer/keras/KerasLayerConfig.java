package vectorlstm.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import vectorlstm.importer.ImportException;

/** One layer of a Keras model config: its class ("LSTM"), its configured name and its config object. */
record KerasLayerConfig(String className, String name, JsonNode config) {
    /** How errors name this layer: {@code LSTM 'lstm_2'}. */
    String label() { return className + " '" + name + "'"; }

    int integer(String key) {
        JsonNode v = config.get(key);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) throw bad(key + " is " + (v == null ? "missing" : v) + ", expected an integer");
        return v.intValue();
    }

    /** An integer in [min, max], so a hostile size is refused before anything is allocated. */
    int integer(String key, int min, int max) {
        int v = integer(key);
        if (v < min || v > max) throw bad(key + " " + v + " is outside [" + min + ", " + max + "]");
        return v;
    }

    boolean bool(String key, boolean absent) {
        JsonNode v = config.get(key);
        if (v == null || v.isNull()) return absent;
        if (!v.isBoolean()) throw bad(key + " is " + v + ", expected true or false");
        return v.booleanValue();
    }

    /**
     * A key every Keras version writes into this layer's config and whose absence would change the
     * model: missing, the config is damaged (one flipped bit turned recurrent_activation into
     * recurzent_activation, and the default imported another model) or written by hand. (Keras'
     * own loader refuses the renamed key as an unknown keyword argument; a key merely missing it
     * would fill with the constructor's default.)
     */
    JsonNode required(String key) {
        JsonNode v = config.get(key);
        if (v == null) throw bad(key + " is missing: every Keras version writes it, so the config is damaged or was not written by Keras");
        return v;
    }

    String string(String key, String absent) {
        JsonNode v = config.get(key);
        if (v == null || v.isNull()) return absent;
        if (!v.isTextual()) throw bad(key + " is " + v + ", expected a string");
        return v.textValue();
    }

    /**
     * An activation's name: {@code absent} when the key is not there, {@code "linear"} for an
     * explicit null (Keras reads {@code activation=None} as the identity, not as the default).
     */
    String activation(String key, String absent) {
        JsonNode v = config.get(key);
        return v != null && v.isNull() ? "linear" : string(key, absent);
    }

    /**
     * The layer's dtype policy name: Keras 2 writes {@code "dtype": "float32"}, tf.keras' mixed
     * precision and Keras 3 an object whose {@code config.name} is it ({@code "mixed_float16"});
     * null when the config has none.
     */
    String dtypePolicy() {
        JsonNode v = config.get("dtype");
        if (v == null || v.isNull()) return null;
        if (v.isTextual()) return v.textValue();
        JsonNode name = v.path("config").path("name");
        return name.isTextual() ? name.textValue() : null;
    }

    double number(String key, double absent) {
        JsonNode v = config.get(key);
        if (v == null || v.isNull()) return absent;
        if (!v.isNumber()) throw bad(key + " is " + v + ", expected a number");
        return v.doubleValue();
    }

    /**
     * Refuses a layer entry that Keras 3 wrote for a class of the user's own: it keeps the plain
     * class name ("LSTM" for a subclass of LSTM) but records its own {@code module} and a {@code
     * registered_name}, and importing it as the built-in would run other math.
     */
    static void requireBuiltIn(JsonNode entry, String className, String what) {
        JsonNode module = entry.get("module"), registered = entry.get("registered_name");
        boolean builtInModule = module == null || module.isNull() || (module.isTextual() && isKerasModule(module.textValue()));
        boolean builtInName = registered == null || registered.isNull() || (registered.isTextual() && registered.textValue().equals(className));
        if (!builtInModule || !builtInName) {
            throw new ImportException("model config, " + what + ": a custom class (module " + module + ", registered_name " + registered
                    + "), not Keras' own: its math is not known here");
        }
    }

    /** Keras' own packages only: "keras_hub" or "keras_self_attention" start with "keras" too, and hold classes of their own. */
    private static boolean isKerasModule(String module) {
        for (String root : new String[] {"keras", "tf_keras"}) {
            if (module.equals(root) || module.startsWith(root + ".")) return true;
        }
        return false;
    }

    ImportException bad(String what) {
        return new ImportException("model config, layer " + label() + ": " + what);
    }
}
