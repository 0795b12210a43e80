package vectorlstm.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import vectorlstm.importer.ImportException;
import vectorlstm.io.ModelFile;
import vectorlstm.layers.Activation;
import vectorlstm.layers.Bidirectional;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Dropout;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.GlobalAveragePooling1D;
import vectorlstm.layers.GlobalMaxPooling1D;
import vectorlstm.layers.Gru;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.Masking;
import vectorlstm.layers.RecurrentActivation;
import vectorlstm.layers.RecurrentLayer;
import vectorlstm.layers.Shape;

/**
 * One Keras layer config → the engine's layer with the same inference math. Options the engine
 * does not have are refused by name rather than ignored: an import either reproduces Keras'
 * outputs or fails.
 */
final class KerasLayers {
    static final List<String> SUPPORTED = List.of("InputLayer", "Embedding", "LSTM", "GRU", "Bidirectional", "Dense", "Dropout",
            "SpatialDropout1D", "Masking", "GlobalMaxPooling1D", "GlobalAveragePooling1D");
    /** Hostile-size guards: far above any text RNN, far below what a file could make us allocate. */
    static final int MAX_UNITS = 1 << 14, MAX_VOCABULARY = 1 << 26, MAX_FEATURES = 1 << 16;

    private final boolean keras3;

    /** @param keras3 whether the file was written by Keras 3, which redefined {@code hard_sigmoid} */
    KerasLayers(boolean keras3) { this.keras3 = keras3; }

    Layer embedding(KerasLayerConfig c, int sequenceLength) {
        Embedding e = new Embedding(c.integer("input_dim", 1, MAX_VOCABULARY), c.integer("output_dim", 1, MAX_FEATURES), sequenceLength);
        c.required("mask_zero");
        return e.maskZero(c.bool("mask_zero", false));
    }

    /** @param masked whether a mask reaches this layer (an Embedding with mask_zero, or a Masking, before it) */
    Layer translate(KerasLayerConfig c, boolean masked) {
        return switch (c.className()) {
            case "LSTM", "GRU" -> standalone(recurrent(c), c, masked);
            case "Bidirectional" -> bidirectional(c);
            case "Dense" -> dense(c);
            case "Dropout", "SpatialDropout1D" -> new Dropout((float) c.number("rate", 0));
            case "Masking" -> masking(c, masked);
            case "GlobalMaxPooling1D", "GlobalAveragePooling1D" -> pooling(c);
            default -> throw unsupported(c);
        };
    }

    /**
     * Refuses a layer of a class the engine lacks. Called before anything else reads a first
     * layer's config, so that a nested model or a Flatten is named as such, not asked for an input shape.
     */
    static void requireSupported(KerasLayerConfig c) {
        if (!SUPPORTED.contains(c.className())) throw unsupported(c);
    }

    private static ImportException unsupported(KerasLayerConfig c) {
        return c.bad("this layer class is not supported; supported: " + String.join(", ", SUPPORTED)
                + " (and a leading TextVectorization, dropped)");
    }

    /**
     * Keras' Masking sets its own mask and drops the one it receives (compute_mask ignores it); the
     * engine's combines the two. Under a mask already set the results would differ, so that is refused.
     */
    private static Masking masking(KerasLayerConfig c, boolean masked) {
        if (masked) {
            throw c.bad("a Masking under a mask already set (an Embedding with mask_zero=True, or a Masking, before it) is not supported:"
                    + " Keras' Masking replaces the mask it receives by its own, the engine's would keep both; drop one of the two and retrain");
        }
        c.required("mask_value");
        return new Masking((float) c.number("mask_value", 0));
    }

    private RecurrentLayer recurrent(KerasLayerConfig c) {
        for (String flag : List.of("return_state", "stateful", "time_major")) {
            if (c.bool(flag, false)) throw c.bad(flag + "=True is not supported");
        }
        for (String key : List.of("activation", "recurrent_activation", "return_sequences", "go_backwards")) c.required(key);
        String activation = c.activation("activation", "tanh");
        if (!activation.equals("tanh")) throw c.bad("activation '" + activation + "' is not supported (tanh only)");
        int units = c.integer("units", 1, MAX_UNITS);
        boolean sequences = c.bool("return_sequences", false), backwards = c.bool("go_backwards", false);
        RecurrentLayer layer = c.className().equals("LSTM")
                ? new Lstm(units, sequences, backwards)
                : new Gru(units, sequences, backwards, resetAfter(c));
        layer.recurrentActivation(recurrentActivation(c));
        float dropout = (float) c.number("dropout", 0), recurrentDropout = (float) c.number("recurrent_dropout", 0);
        if (dropout > 0) layer.dropout(dropout);  // training only: kept so the model trains on as it was built
        if (recurrentDropout > 0) layer.recurrentDropout(recurrentDropout);
        return layer;
    }

    /**
     * Keras' {@code zero_output_for_mask=True} outside a Bidirectional (which sets it itself) zeroes
     * the outputs of masked steps, the last one included; the engine carries the state over them.
     * Without a mask it changes nothing.
     */
    private static RecurrentLayer standalone(RecurrentLayer layer, KerasLayerConfig c, boolean masked) {
        if (masked && c.bool("zero_output_for_mask", false)) {
            throw c.bad("zero_output_for_mask=True under a mask is not supported outside a Bidirectional (Keras zeroes masked steps' outputs,"
                    + " the engine carries the last state over them)");
        }
        // Keras passes the input's mask on unreversed beside the reversed outputs; the engine passes
        // it on reversed with them, so the layers after would see other steps masked (a stacked
        // LSTM's output moved by 0.002, a pooled GRU's by 0.05).
        if (masked && layer.goBackwards() && layer.returnSequences()) {
            throw c.bad("go_backwards=True with return_sequences=True under a mask is not supported outside a Bidirectional (Keras passes"
                    + " the mask on unreversed beside the reversed outputs)");
        }
        return layer;
    }

    /** Its default changed (standalone Keras 2.2: False, tf.keras 2 and Keras 3: True): a GRU that does not record it is ambiguous. */
    private static boolean resetAfter(KerasLayerConfig c) {
        if (c.config().get("reset_after") == null) throw c.bad("reset_after is not recorded, and its default differs between Keras versions");
        return c.bool("reset_after", true);
    }

    private RecurrentActivation recurrentActivation(KerasLayerConfig c) {
        String name = c.activation("recurrent_activation", "sigmoid");
        return switch (name) {
            case "sigmoid" -> RecurrentActivation.SIGMOID;
            // The same name, two functions: Keras 2's 0.2x + 0.5 and Keras 3's x/6 + 0.5 (both clipped).
            case "hard_sigmoid" -> keras3 ? RecurrentActivation.HARD_SIGMOID_KERAS3 : RecurrentActivation.HARD_SIGMOID_KERAS2;
            default -> throw c.bad("recurrent_activation '" + name + "' is not supported (sigmoid, hard_sigmoid)");
        };
    }

    private Layer bidirectional(KerasLayerConfig c) {
        KerasLayerConfig inner = nested(c, "layer");
        if (!inner.className().equals("LSTM") && !inner.className().equals("GRU")) {
            throw c.bad("wraps a " + inner.className() + "; supported: LSTM, GRU");
        }
        RecurrentLayer forward = recurrent(inner);
        if (forward.goBackwards()) throw c.bad("its forward layer reads backwards (go_backwards=True): not supported");
        JsonNode backwardNode = c.config().get("backward_layer");
        if (backwardNode != null && !backwardNode.isNull()) {
            KerasLayerConfig backwardConfig = nested(c, "backward_layer");
            RecurrentLayer backward = recurrent(backwardConfig);
            // use_bias too: a backward layer without a bias beside a forward one with it was imported with both biases.
            boolean mirror = backwardConfig.bool("use_bias", true) == inner.bool("use_bias", true)
                    && backward.getClass() == forward.getClass() && backward.units() == forward.units()
                    && backward.returnSequences() == forward.returnSequences() && backward.goBackwards()
                    && backward.recurrentActivation() == forward.recurrentActivation()
                    && (!(backward instanceof Gru bg) || bg.resetAfter() == ((Gru) forward).resetAfter());
            if (!mirror) throw c.bad("its backward_layer is not the forward layer reading backwards: not supported");
        }
        String merge = c.string("merge_mode", null);
        if (merge == null) throw c.bad("merge_mode None (two outputs) is not supported; concat, sum, ave, mul are");
        return new Bidirectional(forward, Bidirectional.MergeMode.parse(merge));
    }

    private static KerasLayerConfig nested(KerasLayerConfig c, String key) {
        JsonNode n = c.config().get(key);
        if (n == null || !n.isObject() || n.get("class_name") == null || n.get("config") == null || !n.get("config").isObject()) {
            throw c.bad(key + " is missing or not a layer config");
        }
        JsonNode name = n.get("config").get("name");
        KerasLayerConfig inner = new KerasLayerConfig(n.get("class_name").asText(), name == null ? key : name.asText(), n.get("config"));
        KerasLayerConfig.requireBuiltIn(n, inner.className(), "layer " + inner.label());
        return inner;
    }

    private static Layer dense(KerasLayerConfig c) {
        c.required("activation");
        String name = c.activation("activation", "linear");
        Activation activation;
        try {
            activation = Activation.parse(name);
        } catch (IllegalArgumentException e) {
            throw c.bad("activation '" + name + "' is not supported (linear, relu, sigmoid, tanh, softmax)");
        }
        return new Dense(c.integer("units", 1, MAX_FEATURES), activation);
    }

    private static Layer pooling(KerasLayerConfig c) {
        String format = c.string("data_format", "channels_last");
        if (!format.equals("channels_last")) throw c.bad("data_format " + format + " is not supported (channels_last)");
        if (c.bool("keepdims", false)) throw c.bad("keepdims=True is not supported");
        // Keras' max pooling takes no mask (its maximum runs over every step); its average pooling does.
        return c.className().equals("GlobalMaxPooling1D") ? new GlobalMaxPooling1D(true) : new GlobalAveragePooling1D();
    }

    /** A length from a config's {@code batch_input_shape} / {@code batch_shape} ({@code [null, 500]}), or VARIABLE for null. */
    static int sequenceLength(KerasLayerConfig c) {
        JsonNode length = c.config().get("input_length");
        if (length != null && length.isIntegralNumber()) return c.integer("input_length", 1, ModelFile.MAX_SEQUENCE_LENGTH);
        for (String key : List.of("batch_input_shape", "batch_shape")) {
            JsonNode shape = c.config().get(key);
            if (shape != null && shape.isArray() && shape.size() >= 2) {
                JsonNode t = shape.get(1);
                if (t.isNull()) return Shape.VARIABLE;
                if (t.isIntegralNumber() && t.intValue() >= 1 && t.intValue() <= ModelFile.MAX_SEQUENCE_LENGTH) return t.intValue();
                if (!t.isIntegralNumber()) throw c.bad(key + " " + shape + " has a sequence length that is not a whole number (" + t + ")");
                throw c.bad(key + " " + shape + " has a sequence length outside [1, " + ModelFile.MAX_SEQUENCE_LENGTH + "]");
            }
        }
        return 0;  // not said here
    }
}
