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

    String string(String key, String absent) {
        JsonNode v = config.get(key);
        if (v == null || v.isNull()) return absent;
        if (!v.isTextual()) throw bad(key + " is " + v + ", expected a string");
        return v.textValue();
    }

    double number(String key, double absent) {
        JsonNode v = config.get(key);
        if (v == null || v.isNull()) return absent;
        if (!v.isNumber()) throw bad(key + " is " + v + ", expected a number");
        return v.doubleValue();
    }

    ImportException bad(String what) {
        return new ImportException("model config, layer " + label() + ": " + what);
    }
}
