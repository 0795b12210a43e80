package vectorlstm.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Layer;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Scores one sequence at a time (the batch-1, latency path).
 *
 * <p>For an {@code Embedding → LSTM → Dense} model it runs the inference kernels on the model's
 * {@link PackedLstm} weights: the input projection is a table row, U is streamed once per step in
 * the packed layout, a pre-padded sequence starts at its first real token (the states through the
 * padding are shared and precomputed), and nothing is allocated per call. With two threads
 * ({@link Sequential#newScorer(int)}) the LSTM's units are split between the caller and a helper
 * thread owned by the scorer, which meet once per step ({@link StepPartner}). Other models run
 * layer by layer through every step.
 *
 * <p>A scorer is not thread-safe: it serves one thread at a time (one scorer per thread, or a pool
 * that hands a scorer to one caller at a time; the packed weights are shared). It follows weight changes made by {@code fit} or
 * {@link Sequential#weightsChanged()} at its next call; do not score while {@code fit} runs.
 */
public final class Scorer implements AutoCloseable {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    private final Sequential model;
    private final Arena arena;
    private final int timesteps;
    private final int vocabulary;
    private final int outputs;
    private final MemorySegment out;
    // Packed path (Embedding → LSTM → Dense): h [2, Hp] (h_t alternates); one thread: c [Hp], z [4·Hp], tanhC [Hp].
    private final boolean packed;
    private final MemorySegment c, h, z, tanhC;
    private final StepPartner partner;
    // Layer-by-layer path for every other model.
    private final List<Layer> layers;
    private final Layer.State[] states;
    private final Tensor ids;
    private boolean closed;

    Scorer(Sequential model, List<Layer> layers, int timesteps, int threads) {
        this.model = model;
        this.layers = layers;
        this.timesteps = timesteps;
        this.vocabulary = layers.get(0) instanceof Embedding e ? e.inputDim() : Integer.MAX_VALUE;
        this.outputs = layers.get(layers.size() - 1).outputShape().last();
        this.packed = PackedLstm.supports(layers);
        // Shared, not confined: a scorer may be handed from thread to thread (a pool), and two
        // threads touch the scratch of a two-thread scorer. Access costs the same either way.
        this.arena = Arena.ofShared();
        this.out = arena.allocate((long) outputs * Float.BYTES, 64);
        if (packed) {
            PackedLstm w = model.packedLstm();
            int hp = w.paddedUnits;
            h = arena.allocate(2L * hp * Float.BYTES, 64);
            partner = threads > 1 ? new StepPartner(w.layout, arena) : null;
            // One thread steps in c, z and tanhC; with two, each thread has its own (StepPartner).
            c = partner == null ? arena.allocate((long) hp * Float.BYTES, 64) : null;
            z = partner == null ? arena.allocate(4L * hp * Float.BYTES, 64) : null;
            tanhC = partner == null ? arena.allocate((long) hp * Float.BYTES, 64) : null;
            states = null;
            ids = null;
        } else {
            c = h = z = tanhC = null;
            partner = null;
            states = new Layer.State[layers.size()];
            Slab counting = Slab.counting();
            cutLayerMemory(counting, states);
            ids = cutLayerMemory(Slab.allocate(arena, counting.used()), states);
        }
    }

    /** Cuts every layer's batch-1 state (into {@code states}) and the token-id staging from the slab. */
    private Tensor cutLayerMemory(Slab slab, Layer.State[] states) {
        for (int l = 0; l < layers.size(); l++) states[l] = layers.get(l).newState(slab, 1);
        return slab.intTensor(1, timesteps);
    }

    /** The model's first output (the probability for a Dense(1, sigmoid) head) for one padded sequence. */
    public float score(int[] tokenIds) {
        forward(tokenIds);
        return out.getAtIndex(F, 0);
    }

    /** All outputs (e.g. the class probabilities of a softmax head) for one padded sequence. */
    public float[] scoreAll(int[] tokenIds) {
        float[] result = new float[outputs];
        scoreAll(tokenIds, result);
        return result;
    }

    /** All outputs into {@code into} (length = the model's output units), allocating nothing. */
    public void scoreAll(int[] tokenIds, float[] into) {
        if (into.length != outputs) throw new IllegalArgumentException("expected room for " + outputs + " outputs, got " + into.length);
        forward(tokenIds);
        MemorySegment.copy(out, F, 0, into, 0, outputs);
    }

    /** The model's number of outputs (units of its last layer). */
    public int outputs() { return outputs; }

    private void forward(int[] tokenIds) {
        if (closed) throw new IllegalStateException("the scorer is closed");
        if (tokenIds.length != timesteps) {
            throw new IllegalArgumentException("expected " + timesteps + " token ids (padded), got " + tokenIds.length);
        }
        for (int id : tokenIds) {
            if (id < 0 || id >= vocabulary) throw new IllegalArgumentException("token id " + id + " is outside [0, " + vocabulary + ")");
        }
        if (packed) forwardPacked(tokenIds);
        else forwardByLayers(tokenIds);
    }

    private void forwardPacked(int[] tokenIds) {
        PackedLstm w = model.packedLstm();
        int hp = w.paddedUnits;
        int start = 0;
        while (start < timesteps && tokenIds[start] == 0) start++;
        // Start from the shared padding states at the first real token (h_T itself for a sequence
        // of nothing but padding): h_start is read in place.
        MemorySegment hLast = w.padH;
        long hLastOff = (long) start * hp;
        if (start < timesteps) {
            hLastOff = partner != null
                    ? partner.run(w, tokenIds, start, timesteps, w.padH, hLastOff, w.padC, (long) start * hp, h)
                    : stepAlone(w, tokenIds, start, hLastOff);
            hLast = h;
        }
        w.head.forwardRow(hLast, hLastOff, out, 0);
    }

    /** Steps [start, T) on this thread from the padding states at start; returns h_T's offset in h. */
    private long stepAlone(PackedLstm w, int[] tokenIds, int start, long hStartOff) {
        int hp = w.paddedUnits;
        MemorySegment.copy(w.padC, (long) start * hp * Float.BYTES, c, 0, (long) hp * Float.BYTES);
        MemorySegment hPrev = w.padH;
        long hPrevOff = hStartOff;
        for (int t = start; t < timesteps; t++) {
            long next = (long) (t & 1) * hp;
            w.step(tokenIds[t], 0, w.layout.blocks(), hPrev, hPrevOff, c, 0, h, next, z, tanhC);
            hPrev = h;
            hPrevOff = next;
        }
        return hPrevOff;
    }

    private void forwardByLayers(int[] tokenIds) {
        MemorySegment.copy(tokenIds, 0, ids.segment(), ValueLayout.JAVA_INT, 0, timesteps);
        Tensor x = ids;
        for (int l = 0; l < layers.size(); l++) x = layers.get(l).forward(states[l], x, 1);
        MemorySegment.copy(x.segment(), 0, out, 0, (long) outputs * Float.BYTES);
    }

    /** Stops the helper thread of a two-thread scorer and frees the scratch memory. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (partner != null) partner.close();
        arena.close();
    }
}
