package vectorlstm.model;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Input;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.Parameter;
import vectorlstm.layers.Pass;
import vectorlstm.layers.RecurrentLayer;
import vectorlstm.layers.TileRunner;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * One thread's share of a batch: its own activations, parameter gradients and input staging,
 * all cut from one slab. Workers share only the (read-only during a step) parameters.
 */
final class Worker {
    private final List<Layer> layers;
    private final Layer.State[] states;
    private final Tensor[] outputs;
    /** False for evaluation and prediction only: no gradients, no backward buffers. */
    final boolean training;
    /** grads.get(l).get(i) is the gradient of layers.get(l).parameters().get(i); null when frozen or not training. */
    final List<List<Tensor>> grads = new ArrayList<>();
    private final Tensor ids;       // int [maxB, T] (token models) or null
    private final Tensor sequences; // [maxSteps, maxB, F] (numeric models) or null
    private final Tensor stagedMask; // [maxSteps, maxB] (numeric models) or null
    private Tensor input;           // what the first layer reads in the next forward
    private Tensor inputMask;       // and its mask (null: every step is real)
    private final Pass pass = new Pass();
    private final Tensor targets;   // [maxB]
    private final Tensor sampleWeights; // [maxB]: the staged rows' weights when the fit has weights
    private boolean weighted;           // whether the last staging had weights
    private final Tensor dLogits;   // [maxB, output units]
    private final int timesteps;
    final Loss.BatchResult result = new Loss.BatchResult();
    /** Set when layer 1 is an LSTM fed by the embedding that may skip the rows' shared padding. */
    private final Lstm paddingSkipper;
    /** The embedding masks padding: staging orders rows by padding so recurrent layers skip the masked rows' work. */
    private final boolean maskedTokens;
    private final Tensor paddingInput;  // the padding token's embedding row, [1, D]
    private final long[] sortKeys;      // (leading pads << 32) | position, for the staging order
    private final int[] rowLengths;     // steps of each staged sequence (numeric models), for Pass.rowLengths
    private final int[] joins;          // first real step of each staged row, ascending
    private boolean joinsValid;
    /** Set when layer 1 is an LSTM or GRU fed by the embedding that may run its input side per token (RecurrentLayer.attachTokenInput). */
    private final RecurrentLayer tokenLayer;

    /**
     * @param timesteps the longest sequence this worker takes (the input length when it is fixed)
     * @param tiles     where its layers' backward runs its bulk products (shared with the other workers)
     * @param tokenInput let an LSTM fed by the embedding run its input side per token where that is
     *                  cheaper (the row path when false; tests compare the two)
     */
    Worker(List<Layer> layers, Slab slab, int maxBatch, int timesteps, boolean skipPadding, TileRunner tiles, boolean tokenInput,
           boolean training) {
        this.layers = layers;
        this.training = training;
        this.pass.tiles(tiles);
        this.timesteps = timesteps;
        boolean canSkip = skipPadding && layers.size() > 2 && layers.get(0) instanceof Embedding
                && layers.get(1) instanceof Lstm lstm && lstm.canSkipLeadingPadding();
        this.paddingSkipper = canSkip ? (Lstm) layers.get(1) : null;
        this.maskedTokens = layers.get(0) instanceof Embedding e && e.maskZero();
        this.paddingInput = canSkip ? ((Embedding) layers.get(0)).embeddings().value().slice(0, 1, ((Embedding) layers.get(0)).outputDim()) : null;
        this.sortKeys = new long[maxBatch];
        this.rowLengths = new int[maxBatch];
        this.joins = new int[maxBatch];
        this.states = new Layer.State[layers.size()];
        this.outputs = new Tensor[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            states[l] = layer.newState(slab, maxBatch, timesteps, training);
            List<Tensor> g = new ArrayList<>();
            for (Parameter p : layer.parameters()) g.add(training && p.trainable() ? slab.tensor(p.shape()) : null);
            grads.add(g);
        }
        RecurrentLayer fedIds = null;
        if (tokenInput && layers.size() > 1 && layers.get(0) instanceof Embedding e && !e.maskZero()
                && layers.get(1) instanceof RecurrentLayer recurrent && recurrent.canTakeTokenInput()) {
            recurrent.attachTokenInput(states[1], slab, e.inputDim());
            fedIds = recurrent;
        }
        this.tokenLayer = fedIds;
        boolean numeric = layers.get(0) instanceof Input;
        ids = numeric ? null : slab.intTensor(maxBatch, timesteps);
        sequences = numeric ? slab.tensor(timesteps, maxBatch, ((Input) layers.get(0)).features()) : null;
        stagedMask = numeric ? slab.tensor(timesteps, maxBatch) : null;
        dLogits = slab.tensor(maxBatch, ((Dense) layers.get(layers.size() - 1)).units());
        targets = slab.tensor(maxBatch);
        sampleWeights = slab.tensor(maxBatch);
    }

    /**
     * Copies samples {@code order[from .. from+b)} of x (and y, if given) into this worker's staging.
     * With {@code byPadding} (training and evaluation, where the order of rows in a batch does not
     * matter) rows are staged longest first, ties in input order, so the run stays deterministic:
     * token rows by ascending amount of leading padding when an LSTM skips the shared padding or the
     * embedding masks it, float sequences by descending length. Masked rows then trail the real
     * ones at every step (in either reading direction), and recurrent layers compute only the
     * leading rows ({@code RecurrentLayer.activeRows}).
     */
    void stage(Samples x, float[] y, int[] order, int from, int b, boolean byPadding) {
        stage(x, y, null, order, from, b, byPadding);
    }

    /** {@link #stage(Samples, float[], int[], int, int, boolean)} with each sample's weight (Keras' sample_weight), or null for none. */
    void stage(Samples x, float[] y, float[] weights, int[] order, int from, int b, boolean byPadding) {
        weighted = weights != null;
        switch (x) {
            case Samples.Tokens t -> stageTokens(t.x(), y, weights, order, from, b, byPadding);
            case Samples.Sequences q -> stageSequences(q.x(), y, weights, order, from, b, byPadding);
        }
    }

    private void stageTokens(int[][] x, float[] y, float[] weights, int[] order, int from, int b, boolean byPadding) {
        // Every row of a call has one length (InputChecks): the model's own, or the call's for a model
        // of any length, which the pool's workers hold at their longest (timesteps) and run at its own.
        int steps = x[order == null ? from : order[from]].length;
        joinsValid = byPadding && paddingSkipper != null;
        boolean sorted = joinsValid || (byPadding && maskedTokens);
        for (int k = 0; k < b; k++) {
            int n = order == null ? from + k : order[from + k];
            int pads = 0;
            if (sorted) while (pads < steps && x[n][pads] == 0) pads++;
            sortKeys[k] = ((long) pads << 32) | k;
        }
        if (sorted) Arrays.sort(sortKeys, 0, b);
        MemorySegment seg = ids.segment();
        for (int k = 0; k < b; k++) {
            int position = (int) sortKeys[k];
            joins[k] = (int) (sortKeys[k] >>> 32);
            int n = order == null ? from + position : order[from + position];
            MemorySegment.copy(x[n], 0, seg, ValueLayout.JAVA_INT, (long) k * steps * Integer.BYTES, steps);
            if (y != null) targets.set(k, y[n]);
            if (weights != null) sampleWeights.set(k, weights[n]);
        }
        input = ids.prefix(ids.dim(0), steps);  // ids itself at the workers' own length
        inputMask = null;
    }

    /**
     * Float sequences, time-major {@code [T, b, F]} with T the longest of these b: shorter ones end
     * in zeros that the mask hides, so each scores as if it were alone. No mask when all are as long.
     */
    private void stageSequences(float[][][] x, float[] y, float[] weights, int[] order, int from, int b, boolean byLength) {
        int features = sequences.dim(2), steps = 0;
        boolean ragged = false;
        for (int k = 0; k < b; k++) {
            int len = x[order == null ? from + k : order[from + k]].length;
            if (k > 0 && len != steps) ragged = true;
            steps = Math.max(steps, len);
            sortKeys[k] = ((long) (Integer.MAX_VALUE - len) << 32) | k;  // longest first, ties in input order
        }
        if (byLength) Arrays.sort(sortKeys, 0, b);
        Tensor staged = sequences.prefix(steps, b, features);
        Tensor mask = stagedMask.prefix(steps, b);
        staged.zero();
        MemorySegment seg = staged.segment();
        for (int k = 0; k < b; k++) {
            int position = (int) sortKeys[k];
            int n = order == null ? from + position : order[from + position];
            rowLengths[k] = x[n].length;
            for (int t = 0; t < steps; t++) {
                boolean real = t < x[n].length;
                if (real) MemorySegment.copy(x[n][t], 0, seg, ValueLayout.JAVA_FLOAT, ((long) t * b + k) * features * Float.BYTES, features);
                mask.set((long) t * b + k, real ? 1f : 0f);
            }
            if (y != null) targets.set(k, y[n]);
            if (weights != null) sampleWeights.set(k, weights[n]);
        }
        input = staged;
        inputMask = ragged ? mask : null;
    }

    /** Inference forward through every layer for the staged b samples; returns the model output [b, units]. */
    Tensor forward(int b) {
        return forward(pass.set(b, false, 0));
    }

    private Tensor forward(Pass pass) {
        if (paddingSkipper != null) paddingSkipper.skipLeadingPadding(states[1], joinsValid ? joins : null, paddingInput);
        if (tokenLayer != null) {
            Embedding e = (Embedding) layers.get(0);
            tokenLayer.tokenInput(states[1], input, e.embeddings().value(), grads.get(0).get(0));
        }
        Tensor x = input, mask = inputMask;
        pass.rowLengths(inputMask != null ? rowLengths : null);  // inputMask is set exactly when a numeric batch was padded
        for (int l = 0; l < layers.size(); l++) {
            outputs[l] = x = layers.get(l).forward(states[l], x, mask, pass);
            mask = layers.get(l).outputMask(states[l]);
        }
        return x;
    }

    /** True when the last forward ran the recurrent layer's input side per token (RecurrentLayer.attachTokenInput). */
    boolean ranPerToken() { return tokenLayer != null && tokenLayer.ranPerToken(states[1]); }

    /** Output of layer l in the last forward (a view into this worker's state). */
    Tensor output(int l) { return outputs[l]; }

    /** Logits of the output layer after {@link #forward}. */
    Tensor logits(int b) {
        int last = layers.size() - 1;
        return ((Dense) layers.get(last)).logits(states[last], b);
    }

    /**
     * Zeroed gradients, forward (dropout on, its masks derived from {@code dropoutKey}), loss
     * (scaled by {@code scale} = 1/global batch) and backward.
     */
    void trainStep(int b, float scale, Loss loss, long dropoutKey) {
        if (!training) throw new IllegalStateException("this worker was made for inference");
        for (List<Tensor> g : grads) for (Tensor t : g) if (t != null) t.zero();
        result.clear();
        forward(pass.set(b, true, dropoutKey));
        Tensor d0 = dLogits.prefix(b, dLogits.dim(1));
        loss.lossAndGradient(logits(b), targets, weighted ? sampleWeights : null, b, scale, d0, result);
        int last = layers.size() - 1;
        Tensor d = ((Dense) layers.get(last)).backwardFromLogits(states[last], d0, grads.get(last), b);
        for (int l = last - 1; l >= 0 && d != null; l--) d = layers.get(l).backward(states[l], d, grads.get(l), b);
    }

    /** Loss and accuracy counts without gradients (evaluate). */
    void evalStep(int b, Loss loss) {
        result.clear();
        forward(b);
        loss.lossAndGradient(logits(b), targets, weighted ? sampleWeights : null, b, 1f, dLogits.prefix(b, dLogits.dim(1)), result);
    }
}
