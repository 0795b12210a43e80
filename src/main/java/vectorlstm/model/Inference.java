package vectorlstm.model;

import java.util.List;
import vectorlstm.layers.Layer;

/**
 * What {@link Sequential#evaluate} and {@link Sequential#predict} do, once the model holds its lock
 * (every method here runs under it): choose the path (the packed streaming predictor for
 * Embedding → LSTM → Dense, scorers for other models of any length, the training layers'
 * forward otherwise), the batch, and the steps the workers hold.
 */
final class Inference {
    /** The longest float array the JVM allocates (a few words below Integer.MAX_VALUE). */
    private static final int MAX_OUTPUT_FLOATS = Integer.MAX_VALUE - 8;

    private final Sequential model;

    Inference(Sequential model) {
        this.model = model;
    }

    /** Keras' evaluate, the loss weighted by {@code sampleWeight} when given (checked copies; the model is compiled). */
    Evaluation evaluate(Samples x, float[] y, int batchSize, float[] sampleWeight) {
        Loss loss = model.loss();
        if (sampleWeight != null) {
            if (!loss.takesSampleWeights()) throw new IllegalArgumentException("the loss " + loss.name() + " does not take sample weights");
            if (y == null) throw new IllegalArgumentException("labels (y) are required");  // before the weights' count is compared with none
            SampleWeights.checkCount(sampleWeight, y.length, "");
        }
        LayerStackRules.checkReversedOutputsNotPadded(layers(), x, batchSize);
        int longest = longest(x), batch = inferenceBatch(x, batchSize, longest);
        return new TrainingLoop(model, model.workerPool(batch, x.size(), longest, false), model.trainable()).evaluate(x, y, sampleWeight, batch);
    }

    /** Outputs {@code [n, units]} row-major for float sequences. */
    float[] predict(float[][][] x, int batchSize) {
        model.build();
        model.requireOpen();
        if (x != null) checkOutputsFit(x.length);
        Samples samples = new Samples.Sequences(x);
        LayerStackRules.checkReversedOutputsNotPadded(layers(), samples, batchSize);
        int longest = longest(samples), batch = inferenceBatch(samples, batchSize, longest);
        return new TrainingLoop(model, model.workerPool(batch, samples.size(), longest, false), model.trainable()).predict(samples, batch);
    }

    /** Outputs {@code [n, units]} row-major for token ids (read in place, see {@link Sequential#predict(int[][], int)}). */
    float[] predict(int[][] x, int batchSize) {
        model.build();
        model.requireOpen();
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (x != null) checkOutputsFit(x.length);
        boolean packedPath = PackedLstm.supports(layers());
        if (model.inputShape().variableLength() && !packedPath) {
            InputChecks.check(new Samples.Tokens(x), null, model);
            return ScorerCrew.predict(model, x, model.threads());
        }
        Samples.Tokens tokens = new Samples.Tokens(x);
        if (!packedPath) {
            return new TrainingLoop(model, model.workerPool(batchSize, tokens.size(), model.inputShape().dim(0), false), model.trainable()).predict(tokens, batchSize);
        }
        // Embedding → LSTM → Dense, of a fixed length or any: the streaming inference path (no
        // training memory); the batch size only bounds how many sequences are in flight, the
        // kernels step them in chunks.
        InputChecks.check(tokens, null, model);
        PackedLstm packed = model.retainPackedLstm();  // embeddings it reads in place (no table) cannot change: every write takes the model's lock
        try {
            return model.workers().predictor(packed, model.threads(), x.length).predict(packed, x);
        } finally {
            packed.release();
        }
    }

    /** predict through the training layers' forward (every step, all layers): the reference the inference paths are tested against. */
    float[] predictThroughLayers(int[][] x, int batchSize) {
        model.build();
        model.requireOpen();
        Samples.Tokens tokens = new Samples.Tokens(x);
        return new TrainingLoop(model, model.workerPool(batchSize, tokens.size(), longest(tokens), false), model.trainable()).predict(tokens, batchSize);
    }

    /**
     * The batch an evaluate or predict of float sequences (or of token ids on a model of any
     * length) runs at: the one asked for, or fewer rows when that many would hold more than
     * {@link ModelWorkers#INFERENCE_BATCH_BYTES} of activations. Each sequence's outputs do not
     * depend on the batch it runs in.
     */
    int inferenceBatch(Samples x, int batchSize, int longest) {
        if (!(x instanceof Samples.Sequences || model.inputShape().variableLength()) || batchSize < 1) return batchSize;
        return model.workers().rowsWithinBound(layers(), batchSize, longest);
    }

    /**
     * The steps workers must hold for these samples: the Input's length when it is fixed, else
     * the longest sample (checked for sanity by InputChecks before anything is allocated). Token
     * ids for a model whose Embedding takes any length (Keras 3's {@code Embedding(5000, 32)}
     * without an {@code Input}, an ONNX export with a dynamic time axis) must share one length: a
     * batch of them runs at that length, as in Keras, where fit takes one padded array.
     */
    int longest(Samples x) {
        model.build();
        if (!model.inputShape().variableLength()) return model.inputShape().dim(0);
        InputChecks.check(x, null, model);
        if (x instanceof Samples.Tokens t) return InputChecks.oneLength(t.x());
        return x.longest();
    }

    /** predict returns one float array: n sequences' outputs must fit one (an int index), or the call is refused up front. */
    private void checkOutputsFit(int n) {
        int units = layers().get(layers().size() - 1).outputShape().last();
        if ((long) n * units > MAX_OUTPUT_FLOATS) {
            throw new IllegalArgumentException(n + " sequences of " + units + " outputs each make " + (long) n * units
                    + " floats, more than one Java array holds: predict them in parts");
        }
    }

    private List<Layer> layers() { return model.layers(); }
}
