package vectorlstm.layers;

import java.lang.foreign.MemorySegment;
import java.util.List;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Keras {@code Embedding(inputDim, outputDim, inputLength)}: token ids → vectors by table lookup.
 * Weights {@code embeddings [inputDim, outputDim]}, initialised uniform(-0.05, 0.05).
 * Input: int ids {@code [b, T]}; output: time-major {@code [T, b, outputDim]}.
 * With Keras' {@code mask_zero}, id 0 is padding: its steps are masked for the layers above.
 */
public final class Embedding extends Layer {
    private final int inputDim;
    private final int outputDim;
    private final int inputLength;
    private Parameter embeddings;
    private boolean trainable = true;
    private float learningRateScale = 1f;
    private boolean maskZero;
    private float[] initialTable;

    /** {@code inputLength} may be {@link Shape#VARIABLE}: sequences of any length (Keras' {@code input_length=None}). */
    public Embedding(int inputDim, int outputDim, int inputLength) {
        if (inputDim <= 0 || outputDim <= 0 || (inputLength <= 0 && inputLength != Shape.VARIABLE)) {
            throw new IllegalArgumentException("Embedding sizes must be positive: inputDim=" + inputDim
                    + ", outputDim=" + outputDim + ", inputLength=" + inputLength);
        }
        if (inputLength > Shape.MAX_STEPS) {
            throw new IllegalArgumentException("Embedding inputLength " + inputLength + " is more than the limit of " + Shape.MAX_STEPS + " steps");
        }
        this.inputDim = inputDim;
        this.outputDim = outputDim;
        this.inputLength = inputLength;
    }

    @Override public String typeName() { return "Embedding"; }
    @Override public String namePrefix() { return "embedding"; }
    public int inputDim() { return inputDim; }
    public int outputDim() { return outputDim; }
    public int inputLength() { return inputLength; }
    public Parameter embeddings() { return embeddings; }

    /** Keras' {@code trainable=false}: no gradient, no optimizer step, not counted as trainable. */
    public Embedding trainable(boolean trainable) {
        if (embeddings != null) throw new IllegalStateException("set trainable before the model is built or compiled");
        this.trainable = trainable;
        return this;
    }

    public boolean isTrainable() { return trainable; }

    /** Keras' {@code mask_zero=True}: id 0 is padding, masked for every layer above. Set before the model is built. */
    public Embedding maskZero(boolean maskZero) {
        if (embeddings != null) throw new IllegalStateException("set maskZero before the model is built or compiled");
        this.maskZero = maskZero;
        return this;
    }

    public boolean maskZero() { return maskZero; }

    /**
     * Trains the table with the optimizer's learning rate times {@code scale}: fine-tuning
     * pre-trained vectors gently (e.g. 0.1) adjusts them instead of overwriting them while the
     * layers above are still random. Set before the model is built.
     */
    public Embedding learningRateScale(float scale) {
        if (embeddings != null) throw new IllegalStateException("set the learning-rate scale before the model is built or compiled");
        if (!(scale > 0 && scale <= 1e3)) throw new IllegalArgumentException("learning-rate scale must be in (0, 1000], got " + scale);
        this.learningRateScale = scale;
        return this;
    }

    public float learningRateScale() { return learningRateScale; }

    /**
     * Starts the table from given vectors (e.g. pre-trained fastText/GloVe rows), row-major
     * {@code [inputDim, outputDim]}, instead of uniform(-0.05, 0.05). Set before the model is built.
     */
    public Embedding initialWeights(float[] table) {
        if (embeddings != null) throw new IllegalStateException("set initial weights before the model is built or compiled");
        if (table == null) throw new IllegalArgumentException("no embedding weights given (null)");
        if (table.length != (long) inputDim * outputDim) {
            throw new IllegalArgumentException("embedding weights must be " + inputDim + " x " + outputDim + " = "
                    + (long) inputDim * outputDim + " floats, got " + table.length);
        }
        for (int i = 0; i < table.length; i++) {
            if (!Float.isFinite(table[i])) throw new IllegalArgumentException("embedding weight " + i + " (row " + i / outputDim + ") is " + table[i]);
        }
        this.initialTable = table.clone();
        return this;
    }

    @Override public Shape declaredInputShape() { return Shape.of(inputLength); }

    @Override
    protected Shape doBuild(Shape input) {
        requireRank(input, 1, "Embedding", "(None, timesteps) of token ids");
        Initializer init = initialTable == null ? Initializer.uniform(-0.05f, 0.05f) : (t, rng) -> {
            t.copyFrom(initialTable);
            initialTable = null;  // the off-heap table is the copy from now on; free the heap one
        };
        embeddings = addParameter(new Parameter("embeddings", init, inputDim, outputDim));
        embeddings.setTrainable(trainable);
        embeddings.setLearningRateScale(learningRateScale);
        return Shape.of(input.dim(0), outputDim);
    }

    static final class EmbeddingState implements State {
        final Tensor output;   // [T, maxB, D]
        final Tensor mask;     // [T, maxB] with maskZero, else null
        Tensor ids;            // the ids of the last forward, for the scatter in backward
        Tensor lastMask;       // the mask of the last forward
        EmbeddingState(Tensor output, Tensor mask) {
            this.output = output;
            this.mask = mask;
        }
    }

    @Override
    public State newState(Slab slab, int maxBatch, int maxSteps, boolean training) {
        return new EmbeddingState(slab.tensor(maxSteps, maxBatch, outputDim), maskZero ? slab.tensor(maxSteps, maxBatch) : null);
    }

    @Override
    public Tensor outputMask(State state) { return ((EmbeddingState) state).lastMask; }

    // ids [b, T] ints → out [T, b, D]: one row copy per token (and mask[t, n] = id != 0 with maskZero).
    @Override
    public Tensor forward(State state, Tensor ids, Tensor mask, Pass pass) {
        EmbeddingState s = (EmbeddingState) state;
        int batch = pass.batch(), steps = ids.dim(1);  // the staged length: inputLength, or this batch's with a variable one
        long rowBytes = (long) outputDim * Float.BYTES;
        MemorySegment table = embeddings.value().segment(), out = s.output.segment();
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < steps; t++) {
                int id = ids.getInt((long) n * steps + t);  // range-checked where the ids came in (InputChecks, Scorer)
                MemorySegment.copy(table, id * rowBytes, out, ((long) t * batch + n) * rowBytes, rowBytes);
            }
        }
        s.ids = ids;
        s.lastMask = null;
        if (maskZero) {
            s.lastMask = s.mask.prefix(steps, batch);
            for (int n = 0; n < batch; n++) {
                for (int t = 0; t < steps; t++) s.lastMask.set((long) t * batch + n, ids.getInt((long) n * steps + t) == 0 ? 0f : 1f);
            }
        }
        return s.output.prefix(steps, batch, outputDim);
    }

    // dOut [T, b, D] → dEmbeddings[id] += dOut[t, n] for every token (scatter-add).
    @Override
    public Tensor backward(State state, Tensor gradOutput, List<Tensor> grads, int batch) {
        if (!embeddings.trainable()) return null;
        EmbeddingState s = (EmbeddingState) state;
        int steps = s.ids.dim(1);
        MemorySegment dTable = grads.get(0).segment(), dOut = gradOutput.segment();
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < steps; t++) {
                int id = s.ids.getInt((long) n * steps + t);
                K.axpy(outputDim, 1f, dOut, ((long) t * batch + n) * outputDim, dTable, (long) id * outputDim);
            }
        }
        return null;
    }
}
