package vectorlstm.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import vectorlstm.importer.ClassifierHead;
import vectorlstm.importer.ImportException;
import vectorlstm.importer.Imported;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;
import vectorlstm.layers.Bidirectional;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Input;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Parameter;
import vectorlstm.layers.RecurrentActivation;
import vectorlstm.layers.RecurrentLayer;
import vectorlstm.layers.Shape;
import vectorlstm.model.Sequential;
import vectorlstm.text.TextPreprocessing;

/** A parsed Keras config plus its weight store → the engine's model with Keras' weights in it. */
final class KerasModelBuilder {
    private final KerasModelConfig config;
    private final KerasWeights weights;
    private final String version;
    private final boolean keras3;
    private final List<String> notes;

    KerasModelBuilder(KerasModelConfig config, KerasWeights weights, String version, String container) {
        this.config = config;
        this.weights = weights;
        this.version = version;
        this.keras3 = version != null && version.startsWith("3");
        this.notes = KerasImporter.notes(container, version);
    }

    Imported build() {
        List<Layer> layers = new ArrayList<>();
        List<KerasLayerConfig> sources = new ArrayList<>();  // the Keras layer each engine layer came from (null: none)
        List<Integer> indices = new ArrayList<>();
        KerasLayers translator = new KerasLayers(keras3);
        KerasLayerConfig inputLayer = null;
        int frontEndLength = 0;  // a dropped TextVectorization's output_sequence_length (0: none)
        boolean masked = false;  // whether a mask reaches the next layer
        for (int i = 0; i < config.layers().size(); i++) {
            KerasLayerConfig c = config.layers().get(i);
            try {
                if (c.className().equals("InputLayer")) {
                    // Keras 3 writes batch_shape, Keras 2 batch_input_shape: without either (one damaged byte in a real
                    // file's "batch_shape") a fixed-length model imported as one of any length.
                    if (c.config().get("batch_shape") == null && c.config().get("batch_input_shape") == null) {
                        throw c.bad("batch_shape is missing: every Keras version writes it (or batch_input_shape), so the config is damaged or was not written by Keras");
                    }
                    inputLayer = c;
                } else if (c.className().equals("TextVectorization") && layers.isEmpty()) {
                    // It cuts and post-pads every text to output_sequence_length ids: the model after it
                    // never sees another length, so it is imported with that one (else 150 ids were read
                    // where Keras reads the first 100).
                    JsonNode length = c.config().get("output_sequence_length");
                    frontEndLength = length != null && length.isIntegralNumber() ? c.integer("output_sequence_length", 1, ModelFile.MAX_SEQUENCE_LENGTH) : 0;
                    notes.add("dropped the front end " + c.label() + ": its vocabulary is not imported, so the model scores"
                            + " token ids (its convention: 0 = padding, 1 = out of vocabulary)"
                            + (frontEndLength == 0 ? "" : "; it cuts and post-pads every text to " + frontEndLength + " ids, so the model reads "
                            + frontEndLength + " (predict --ids --maxlen " + frontEndLength + " --padding post --truncating post gives them that way)"));
                    inputLayer = null;  // its string input says nothing about the ids' length
                } else if (c.className().equals("Embedding")) {
                    if (!layers.isEmpty()) throw c.bad("an Embedding must be the first layer");
                    layers.add(translator.embedding(c, frontEndLength > 0 ? frontEndLength(c, frontEndLength) : idsLength(c, inputLayer)));
                    masked = c.bool("mask_zero", false);
                    sources.add(c);
                    indices.add(i);
                } else {
                    KerasLayers.requireSupported(c);
                    if (layers.isEmpty()) {
                        layers.add(numericInput(c, inputLayer));
                        sources.add(null);
                        indices.add(-1);
                    }
                    layers.add(translator.translate(c, masked));
                    masked |= c.className().equals("Masking");
                    sources.add(c);
                    indices.add(i);
                }
            } catch (IllegalArgumentException e) {  // an engine layer refusing a value (a rate of 1.5, an unknown merge mode)
                throw c.bad(e.getMessage());
            }
        }
        if (layers.isEmpty()) throw new ImportException("the model has no layers the engine can run");
        noteHardSigmoid(layers);
        noteComputePrecision();
        Sequential model = new Sequential(layers.toArray(Layer[]::new));
        try {
            model.inferShapes();  // shapes only: nothing is allocated before they are checked against the file's
        } catch (IllegalArgumentException | IllegalStateException e) {  // a layer that does not fit, or a model not ending in Dense
            model.close();
            throw new ImportException("the layers do not fit together: " + e.getMessage(), e);
        }
        try {
            checkSize(layers);
            model.setWeights(readWeights(layers, sources, indices));
            String notClassifier = ClassifierHead.compile(model);
            if (notClassifier != null) notes.add(notClassifier);
            int maxlen = model.inputShape().variableLength() ? 0 : model.inputShape().dim(0);
            if (layers.get(0) instanceof Embedding) {
                notes.add("no vocabulary in the file: the model scores token ids (attach one with --word-index if it is keras.datasets.imdb's)");
            }
            return new Imported(new SavedModel(model, null, TextPreprocessing.NONE, null, maxlen), notes);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Every dimension of a config is bounded on its own (units, vocabulary, features), but their
     * products are not: Embedding(2^24, 64) in a 13 KB file would allocate 4 GiB. Models this
     * engine runs are far below this many weights.
     */
    static final long MAX_WEIGHTS = 1L << 28;

    private static void checkSize(List<Layer> layers) {
        long total = 0;
        for (Layer l : layers) for (Parameter p : l.parameters()) total += p.size();
        if (total > MAX_WEIGHTS) {
            throw new ImportException(String.format(java.util.Locale.ROOT, "the config makes %,d weights (%,d MB of floats), more than the importer's limit of %,d",
                    total, total * Float.BYTES >> 20, MAX_WEIGHTS));
        }
    }

    /**
     * The Embedding's input length: its own config, else the InputLayer's; a model that says neither
     * takes any length. Two different fixed lengths are refused: Keras 2 refuses them too, and Keras 3
     * ignores the Embedding's input_length, so either choice could score other steps than Keras.
     */
    /** The Embedding after a TextVectorization of output_sequence_length {@code length}: that length, or its own if it agrees. */
    private static int frontEndLength(KerasLayerConfig embedding, int length) {
        int own = KerasLayers.sequenceLength(embedding);
        if (own > 0 && own != length) throw embedding.bad("its input length " + own + " differs from the " + length + " ids the TextVectorization before it makes");
        return length;
    }

    private static int idsLength(KerasLayerConfig embedding, KerasLayerConfig inputLayer) {
        int own = KerasLayers.sequenceLength(embedding);
        int declared = inputLayer == null ? 0 : KerasLayers.sequenceLength(inputLayer);
        if (own > 0 && declared > 0 && own != declared) {
            throw embedding.bad("its input length " + own + " differs from the length " + declared + " of " + inputLayer.label());
        }
        if (own != 0) return own;
        return declared == 0 ? Shape.VARIABLE : declared;
    }

    /** A model without an Embedding reads float sequences: (None, timesteps or None, features) from its first layer or InputLayer. */
    private static Layer numericInput(KerasLayerConfig first, KerasLayerConfig inputLayer) {
        for (KerasLayerConfig c : inputLayer == null ? List.of(first) : List.of(inputLayer, first)) {
            for (String key : List.of("batch_input_shape", "batch_shape")) {
                JsonNode shape = c.config().get(key);
                if (shape != null && shape.isArray() && shape.size() == 3 && shape.get(2).isIntegralNumber()) {
                    int steps = KerasLayers.sequenceLength(c);
                    int features = shape.get(2).intValue();
                    if (features < 1 || features > KerasLayers.MAX_FEATURES) throw c.bad(key + " " + shape + ": features outside [1, " + KerasLayers.MAX_FEATURES + "]");
                    return new Input(steps == 0 ? Shape.VARIABLE : steps, features);
                }
            }
        }
        throw first.bad("the model starts without an Embedding and its config gives no (None, timesteps, features) input shape");
    }

    private void noteHardSigmoid(List<Layer> layers) {
        for (Layer l : layers) {
            RecurrentLayer r = l instanceof RecurrentLayer rl ? rl : l instanceof Bidirectional b ? b.forwardLayer() : null;
            if (r != null && r.recurrentActivation() != RecurrentActivation.SIGMOID) {
                notes.add("hard_sigmoid read as " + (keras3 ? "Keras 3's clip(x/6 + 0.5, 0, 1)" : "Keras 2's clip(0.2x + 0.5, 0, 1)")
                        + ", from the file's Keras version " + (version == null ? "(not recorded: assumed 2)" : version));
                return;
            }
        }
    }

    /**
     * Keras' mixed precision ({@code mixed_float16}, {@code mixed_bfloat16}) keeps float32 weights
     * but computes in 16 bits (and {@code float16}, {@code bfloat16}, {@code float64} compute in
     * theirs); the engine computes in float32, so its outputs are close to Keras' but not the same.
     * Said once, naming the policies found.
     */
    private void noteComputePrecision() {
        java.util.Set<String> policies = new java.util.TreeSet<>();
        for (KerasLayerConfig c : config.layers()) {
            // Only float policies other than float32: an InputLayer of int32 ids or a TextVectorization of strings computes nothing.
            String policy = c.dtypePolicy();
            if (policy != null && List.of("mixed_float16", "mixed_bfloat16", "float16", "bfloat16", "float64").contains(policy)) policies.add(policy);
        }
        if (!policies.isEmpty()) {
            notes.add("the file's layers compute in " + String.join(", ", policies) + " in Keras; the engine computes in float32,"
                    + " so outputs are close to Keras' own, not equal");
        }
    }

    /**
     * Every engine weight from the file, in get_weights() order, shapes checked before any value is
     * read. A Keras layer built with {@code use_bias=False} stores no bias: the engine's is zero.
     */
    private List<float[]> readWeights(List<Layer> layers, List<KerasLayerConfig> sources, List<Integer> indices) {
        List<float[]> all = new ArrayList<>();
        List<List<KerasWeight>> stored = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            KerasLayerConfig c = sources.get(l);
            List<Parameter> params = layers.get(l).parameters();
            List<KerasWeight> found = c == null ? List.of() : weights.of(c, indices.get(l));
            boolean biasless = c != null && !useBias(c);
            int expected = 0;
            for (Parameter p : params) if (!(biasless && p.name().endsWith("bias"))) expected++;
            if (found.size() != expected) {
                throw new ImportException("weights of layer " + c.label() + ": the file holds " + found.size() + " arrays, the layer needs " + expected
                        + (found.isEmpty() ? "" : " (" + found.stream().map(KerasWeight::path).toList() + ")"));
            }
            int k = 0;
            for (Parameter p : params) {
                if (biasless && p.name().endsWith("bias")) continue;
                KerasWeight w = found.get(k++);
                if (!sameShape(w.shape(), p.shape())) {
                    throw new ImportException("weights of layer " + c.label() + ": " + w.path() + " has shape " + Arrays.toString(w.shape())
                            + ", the config makes " + p.name() + " " + Arrays.toString(p.shape()));
                }
            }
            stored.add(found);
        }
        for (int l = 0; l < layers.size(); l++) {
            KerasLayerConfig c = sources.get(l);
            boolean biasless = c != null && !useBias(c);
            int k = 0;
            for (Parameter p : layers.get(l).parameters()) {
                if (biasless && p.name().endsWith("bias")) all.add(new float[(int) p.size()]);
                else all.add(stored.get(l).get(k++).values());
            }
        }
        return all;
    }

    private static boolean useBias(KerasLayerConfig c) {
        JsonNode inner = c.className().equals("Bidirectional") ? c.config().get("layer") : null;
        KerasLayerConfig own = inner != null && inner.get("config") != null ? new KerasLayerConfig(c.className(), c.name(), inner.get("config")) : c;
        return own.bool("use_bias", true);
    }

    private static boolean sameShape(int[] stored, int[] engine) {
        return Arrays.equals(stored, engine);
    }
}
