package vectorlstm.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Lstm;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Scores one sequence at a time on the calling thread (the batch-1, matrix-vector path).
 * For an Embedding → LSTM model it skips a pre-padded sequence's leading padding: the LSTM's
 * states through the padding are the same for every sequence, so they are computed once (and again
 * after the weights change) instead of per call. Same math as running every step; results agree
 * to float rounding (the kernels group rows differently).
 * All scratch memory is cut once from a confined arena owned by this scorer: a call allocates no
 * tensor memory (only a few small view objects, which escape analysis may remove). The arena is
 * confined, so a scorer belongs to the thread that created it: one scorer per thread, closed by it.
 * Do not score while {@code fit} is changing the same model's weights.
 */
public final class Scorer implements AutoCloseable {
    private final Arena arena = Arena.ofConfined();
    private final List<Layer> layers;
    private final Layer.State[] states;
    private final Tensor ids;
    private final int timesteps;
    private final int vocabulary;
    /** Set when the model starts Embedding → LSTM: lets a call skip its leading padding. */
    private Lstm.PaddingTrajectory padding;
    private final Slab paddingSlab;
    private final Sequential model;
    private long paddingVersion;

    Scorer(Sequential model, List<Layer> layers, int timesteps) {
        this.model = model;
        this.layers = layers;
        this.timesteps = timesteps;
        this.vocabulary = layers.get(0) instanceof Embedding e ? e.inputDim() : Integer.MAX_VALUE;
        Slab counting = Slab.counting();
        allocate(counting);
        Slab slab = Slab.allocate(arena, counting.used());
        this.states = new Layer.State[layers.size()];
        for (int l = 0; l < layers.size(); l++) states[l] = layers.get(l).newState(slab, 1);
        this.ids = slab.intTensor(1, timesteps);
        this.paddingSlab = slab;
        this.padding = skipsPadding(layers) ? paddingTrajectory() : null;
        this.paddingVersion = model.weightsVersion();
    }

    private void allocate(Slab slab) {
        for (Layer l : layers) l.newState(slab, 1);
        slab.intTensor(1, timesteps);
        if (skipsPadding(layers)) {
            slab.tensor(timesteps + 1, ((Lstm) layers.get(1)).units());
            slab.tensor(timesteps + 1, ((Lstm) layers.get(1)).units());
        }
    }

    private static boolean skipsPadding(List<Layer> layers) {
        return layers.size() > 2 && layers.get(0) instanceof Embedding && layers.get(1) instanceof Lstm;
    }

    /**
     * The LSTM's states through an all-padding sequence (token 0). Computed when the scorer is
     * created and again, into the same memory, whenever the model's weights have changed since.
     */
    private Lstm.PaddingTrajectory paddingTrajectory() {
        ids.segment().fill((byte) 0);
        Tensor embedded = layers.get(0).forward(states[0], ids, 1);
        Lstm lstm = (Lstm) layers.get(1);
        return padding == null ? lstm.paddingTrajectory(states[1], embedded, paddingSlab) : lstm.paddingTrajectory(states[1], embedded, padding);
    }

    /** The model's first output (the probability for a Dense(1, sigmoid) head) for one padded sequence. */
    public float score(int[] tokenIds) {
        return forward(tokenIds).get(0);
    }

    /** All outputs (e.g. the class probabilities of a softmax head) for one padded sequence. */
    public float[] scoreAll(int[] tokenIds) {
        return forward(tokenIds).toArray();
    }

    private Tensor forward(int[] tokenIds) {
        if (tokenIds.length != timesteps) {
            throw new IllegalArgumentException("expected " + timesteps + " token ids (padded), got " + tokenIds.length);
        }
        for (int id : tokenIds) {
            if (id < 0 || id >= vocabulary) throw new IllegalArgumentException("token id " + id + " is outside [0, " + vocabulary + ")");
        }
        if (padding != null && paddingVersion != model.weightsVersion()) {
            padding = paddingTrajectory();
            paddingVersion = model.weightsVersion();
        }
        MemorySegment.copy(tokenIds, 0, ids.segment(), ValueLayout.JAVA_INT, 0, timesteps);
        Tensor x = ids;
        int first = 0;
        if (padding != null) {
            int padSteps = 0;
            while (padSteps < timesteps && tokenIds[padSteps] == 0) padSteps++;
            x = layers.get(0).forward(states[0], x, 1);
            x = ((Lstm) layers.get(1)).forwardAfterPadding(states[1], x, padding, padSteps);
            first = 2;
        }
        for (int l = first; l < layers.size(); l++) x = layers.get(l).forward(states[l], x, 1);
        return x;
    }

    @Override
    public void close() { arena.close(); }
}
