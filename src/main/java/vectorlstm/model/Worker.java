package vectorlstm.model;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Parameter;
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
    /** grads.get(l).get(i) is the gradient of layers.get(l).parameters().get(i). */
    final List<List<Tensor>> grads = new ArrayList<>();
    private final Tensor ids;       // int [maxB, T]
    private final Tensor targets;   // [maxB]
    private final Tensor dLogits;   // [maxB, output units]
    private final int timesteps;
    final Loss.BatchResult result = new Loss.BatchResult();

    Worker(List<Layer> layers, Slab slab, int maxBatch, int timesteps) {
        this.layers = layers;
        this.timesteps = timesteps;
        this.states = new Layer.State[layers.size()];
        this.outputs = new Tensor[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            states[l] = layer.newState(slab, maxBatch);
            List<Tensor> g = new ArrayList<>();
            for (Parameter p : layer.parameters()) g.add(p.trainable() ? slab.tensor(p.shape()) : null);
            grads.add(g);
        }
        ids = slab.intTensor(maxBatch, timesteps);
        dLogits = slab.tensor(maxBatch, ((Dense) layers.get(layers.size() - 1)).units());
        targets = slab.tensor(maxBatch);
    }

    /** Copies samples {@code order[from .. from+b)} of x (and y, if given) into this worker's staging. */
    void stage(int[][] x, float[] y, int[] order, int from, int b) {
        MemorySegment seg = ids.segment();
        for (int k = 0; k < b; k++) {
            int n = order == null ? from + k : order[from + k];
            MemorySegment.copy(x[n], 0, seg, ValueLayout.JAVA_INT, (long) k * timesteps * Integer.BYTES, timesteps);
            if (y != null) targets.set(k, y[n]);
        }
    }

    /** Forward through every layer for the staged b samples; returns the model output [b, units]. */
    Tensor forward(int b) {
        Tensor x = ids;
        for (int l = 0; l < layers.size(); l++) outputs[l] = x = layers.get(l).forward(states[l], x, b);
        return x;
    }

    /** Output of layer l in the last forward (a view into this worker's state). */
    Tensor output(int l) { return outputs[l]; }

    /** Logits of the output layer after {@link #forward}. */
    Tensor logits(int b) {
        int last = layers.size() - 1;
        return ((Dense) layers.get(last)).logits(states[last], b);
    }

    /** Zeroed gradients, forward, loss (scaled by {@code scale} = 1/global batch) and backward. */
    void trainStep(int b, float scale, Loss loss) {
        for (List<Tensor> g : grads) for (Tensor t : g) if (t != null) t.zero();
        result.clear();
        forward(b);
        Tensor d0 = dLogits.prefix(b, dLogits.dim(1));
        loss.lossAndGradient(logits(b), targets, b, scale, d0, result);
        int last = layers.size() - 1;
        Tensor d = ((Dense) layers.get(last)).backwardFromLogits(states[last], d0, grads.get(last), b);
        for (int l = last - 1; l >= 0 && d != null; l--) d = layers.get(l).backward(states[l], d, grads.get(l), b);
    }

    /** Loss and accuracy counts without gradients (evaluate). */
    void evalStep(int b, Loss loss) {
        result.clear();
        forward(b);
        loss.lossAndGradient(logits(b), targets, b, 1f, dLogits.prefix(b, dLogits.dim(1)), result);
    }
}
