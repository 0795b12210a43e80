package vectorlstm.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Parameter;
import vectorlstm.model.History;
import vectorlstm.model.Sequential;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.text.KerasImdbWordIndex;
import vectorlstm.text.Tokenizer;
import vectorlstm.text.Vocabulary;

/**
 * The part of a model file that is not weights, as a JSON map: layers, loss, labels, maxlen, text
 * preprocessing, tokenizer, and the weights' names and shapes in file order. Both file versions
 * describe a model this way; reading it creates the layers but allocates no weight.
 */
final class ModelDescription {
    /** A weight as the description lists it. */
    record WeightEntry(String name, int[] shape) {
        long bytes() {
            long n = Float.BYTES;
            for (int d : shape) n *= d;
            return n;
        }
    }

    /** A read description: an unbuilt model and everything around it. */
    record Read(Sequential model, String loss, Vocabulary tokenizer, TextPreprocessing preprocessing, List<String> labels,
                int maxlen, List<WeightEntry> weights, History history) {}

    private ModelDescription() {}

    static Map<String, Object> describe(SavedModel m) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("format", "vector-lstm model");
        List<Object> layers = new ArrayList<>();
        for (Layer l : m.model().layers()) layers.add(LayerSpecs.describe(l));
        h.put("layers", layers);
        h.put("loss", m.model().loss().name());
        List<Object> weights = new ArrayList<>();
        for (WeightEntry w : weights(m.model())) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", w.name());
            e.put("shape", Arrays.stream(w.shape()).boxed().toList());
            weights.add(e);
        }
        h.put("weights", weights);
        h.put("maxlen", m.maxlen());
        h.put("labels", new ArrayList<Object>(m.labels()));
        h.put("preprocessing", m.preprocessing().fileName());
        h.put("tokenizer", switch (m.tokenizer()) {
            case null -> null;
            case Tokenizer t -> t.trimmedToVocabulary().toJsonMap();
            case KerasImdbWordIndex w -> w.toJsonMap();   // kept trimmed to numWords already
        });
        h.put("history", m.history() == null ? null : describe(m.history()));
        return h;
    }

    private static Map<String, Object> describe(History history) {
        List<Object> epochs = new ArrayList<>();
        for (History.Epoch e : history.epochs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("loss", finiteOrNull(e.loss()));
            m.put("accuracy", finiteOrNull(e.accuracy()));
            m.put("val_loss", finiteOrNull(e.valLoss()));
            m.put("val_accuracy", finiteOrNull(e.valAccuracy()));
            // Not the epoch's wall time: the same seed and threads must give the same file, byte for byte
            // (files written before this carry "seconds", which is still read).
            epochs.add(m);
        }
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("epochs", epochs);
        h.put("restored_epoch", history.restoredEpoch());
        return h;
    }

    private static Double finiteOrNull(double v) { return Double.isFinite(v) ? v : null; }

    private static History history(Object o) {
        if (o == null) return null;
        Map<String, Object> h = LayerSpecs.map(o);
        List<History.Epoch> epochs = new ArrayList<>();
        for (Object e : LayerSpecs.list(h, "epochs")) {
            Map<String, Object> m = LayerSpecs.map(e);
            epochs.add(new History.Epoch(LayerSpecs.integer(m, "epoch"), number(m, "loss"), number(m, "accuracy"),
                    number(m, "val_loss"), number(m, "val_accuracy"), number(m, "seconds")));
        }
        Object restored = h.get("restored_epoch");
        if (!(restored instanceof Long r) || r < -1 || r > epochs.size()) {
            throw new ModelFileException("model header: bad restored_epoch " + restored + " (the history has " + epochs.size() + " epochs; -1 for none)");
        }
        return History.of(epochs, r.intValue());
    }

    /** A finite number, or NaN for null (not measured, e.g. no validation data). */
    private static double number(Map<String, Object> m, String key) {
        return switch (m.get(key)) {
            case null -> Double.NaN;
            case Number n when Double.isFinite(n.doubleValue()) -> n.doubleValue();
            case Number n -> throw new ModelFileException("model header: the history's '" + key + "' is " + n + ", not a finite number");
            default -> throw new ModelFileException("model header: '" + key + "' is not a number");
        };
    }

    /** Every weight of a built model in file order: layer order, then each layer's parameter order. */
    static List<WeightEntry> weights(Sequential model) {
        List<WeightEntry> out = new ArrayList<>();
        for (Layer l : model.layers()) for (Parameter p : l.parameters()) out.add(new WeightEntry(l.name() + "/" + p.name(), p.shape()));
        return out;
    }

    /**
     * Reads a version-2 description (version 1 files pass {@code legacyTokenizer} for their
     * tokenizer-as-a-string and no weight list). Creates the layers, allocates nothing.
     */
    static Read read(Map<String, Object> h) {
        List<Layer> layers = new ArrayList<>();
        for (Object o : LayerSpecs.list(h, "layers")) layers.add(LayerSpecs.create(LayerSpecs.map(o)));
        if (layers.isEmpty()) throw new ModelFileException("model header: no layers");
        Sequential model = new Sequential(layers.toArray(Layer[]::new));
        Vocabulary tokenizer;
        try {
            tokenizer = switch (h.get("tokenizer")) {
                case null -> null;
                case String s -> Tokenizer.fromJson(s);           // version 1 stored it as a JSON string
                case Map<?, ?> m -> Vocabulary.fromJsonMap(m);    // a tokenizer, or a word index (its own format tag and version)
                default -> throw new ModelFileException("'tokenizer' is neither an object nor null");
            };
        } catch (IllegalArgumentException | ModelFileException e) {
            throw new ModelFileException("model header: the tokenizer: " + e.getMessage(), e);
        }
        TextPreprocessing preprocessing = switch (h.get("preprocessing")) {
            case null -> TextPreprocessing.HTML_LINE_BREAKS;    // version 1: every trained model did this
            case String s -> TextPreprocessing.fromFileName(s);
            default -> throw new ModelFileException("model header: 'preprocessing' is not a name");
        };
        List<String> labels = new ArrayList<>();
        // A list of strings, or absent (an older file: the class ids); anything else is a damaged header.
        if (h.containsKey("labels")) {
            if (!(h.get("labels") instanceof List<?> l)) throw new ModelFileException("model header: 'labels' is not a list of strings");
            for (Object o : l) {
                if (!(o instanceof String label)) throw new ModelFileException("model header: a label is " + (o == null ? "null" : "not a string") + ", in " + l);
                labels.add(label);
            }
        }
        List<WeightEntry> weights = new ArrayList<>();
        if (h.get("weights") instanceof List<?> list) {
            for (Object o : list) {
                Map<String, Object> e = LayerSpecs.map(o);
                List<Object> dims = LayerSpecs.list(e, "shape");
                int[] shape = new int[dims.size()];
                for (int i = 0; i < shape.length; i++) {
                    if (!(dims.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) throw new ModelFileException("model header: bad shape " + dims);
                    shape[i] = d.intValue();
                }
                weights.add(new WeightEntry(LayerSpecs.string(e, "name"), shape));
            }
        }
        int maxlen = LayerSpecs.integer(h, "maxlen");
        if (maxlen > ModelFile.MAX_SEQUENCE_LENGTH) throw new ModelFileException("model header: maxlen " + maxlen + " is above the limit of " + ModelFile.MAX_SEQUENCE_LENGTH);
        return new Read(model, LayerSpecs.string(h, "loss"), tokenizer, preprocessing, labels, maxlen, weights, history(h.get("history")));
    }
}
