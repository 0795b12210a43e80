package vectorlstm.layers;

import java.lang.foreign.MemorySegment;
import vectorlstm.kernels.Kernels;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * What LSTM and GRU share: Keras' {@code units}, {@code return_sequences}, {@code go_backwards}
 * and how masked steps behave, plus the time reversal and mask bookkeeping around their step loops.
 *
 * <p>Masked steps carry the state through unchanged (h_t = h_{t-1}, c_t = c_{t-1}), so a
 * pre-padded or post-padded sequence ends in the same state as the sequence alone. With
 * return_sequences a masked step outputs the carried state, or zero when
 * {@link #zeroOutputForMask} is set (Keras' Bidirectional sets it on its two layers).
 *
 * <p>go_backwards reads the input from the last step to the first; as in Keras the returned
 * sequence is in that processing order ({@link Bidirectional} turns it back).
 */
public abstract class RecurrentLayer extends Layer {
    protected final int units;
    protected final boolean returnSequences;
    protected final boolean goBackwards;
    protected boolean zeroOutputForMask;
    protected float dropout;
    protected float recurrentDropout;
    protected RecurrentActivation recurrentActivation = RecurrentActivation.SIGMOID;

    /**
     * Units a recurrent layer may have: as many as the Keras importer reads. Far more would overflow
     * the gates' width (4 x units as an int: 2^30 units became a width of 0) long before the
     * weights could be allocated (16,384 units: a 4 GB recurrent kernel already).
     */
    public static final int MAX_UNITS = 1 << 14;

    protected RecurrentLayer(String type, int units, boolean returnSequences, boolean goBackwards) {
        if (units <= 0 || units > MAX_UNITS) throw new IllegalArgumentException(type + " units must be 1.." + MAX_UNITS + ", got " + units);
        this.units = units;
        this.returnSequences = returnSequences;
        this.goBackwards = goBackwards;
    }

    public int units() { return units; }
    public boolean returnSequences() { return returnSequences; }
    public boolean goBackwards() { return goBackwards; }
    public boolean zeroOutputForMask() { return zeroOutputForMask; }

    /** A new, unbuilt layer with the same configuration reading the other way (Bidirectional's second layer). */
    public abstract RecurrentLayer reversedCopy();

    /**
     * Keras' {@code dropout}: in training, each input feature of a sample is dropped (one mask
     * for all its steps) with this probability. Set before the model is built.
     */
    public RecurrentLayer dropout(float rate) {
        this.dropout = checkedRate(rate, "dropout");
        return this;
    }

    /** Keras' {@code recurrent_dropout}: the same for h_{t-1} where it enters the recurrent product. */
    public RecurrentLayer recurrentDropout(float rate) {
        this.recurrentDropout = checkedRate(rate, "recurrentDropout");
        return this;
    }

    /** Keras' {@code recurrent_activation} of the gates (LSTM's i, f, o; GRU's z, r), default sigmoid. Set before the model is built. */
    public RecurrentLayer recurrentActivation(RecurrentActivation activation) {
        if (isBuilt()) throw new IllegalStateException("set the recurrent activation before the model is built");
        this.recurrentActivation = java.util.Objects.requireNonNull(activation);
        return this;
    }

    public RecurrentActivation recurrentActivation() { return recurrentActivation; }

    /** True with the sigmoid: the paths that run the fused sigmoid kernels only (shared padding, packed inference, inspection). */
    public boolean sigmoidGates() { return recurrentActivation == RecurrentActivation.SIGMOID; }

    public float dropout() { return dropout; }
    public float recurrentDropout() { return recurrentDropout; }

    /** Copies the options a constructor does not take (dropout rates) to a new layer, e.g. the reversed copy. */
    protected final <L extends RecurrentLayer> L withOptionsOf(L copy) {
        copy.dropout = dropout;
        copy.recurrentDropout = recurrentDropout;
        copy.recurrentActivation = recurrentActivation;
        return copy;
    }

    /** Whether this layer applies dropout and recurrent_dropout (a layer that would ignore them refuses them). */
    protected abstract boolean supportsDropout();

    private float checkedRate(float rate, String what) {
        if (!supportsDropout() && rate != 0f) throw new IllegalArgumentException(typeName() + " has no " + what + " yet (LSTM has)");
        if (isBuilt()) throw new IllegalStateException("set " + what + " before the model is built");
        if (!(rate >= 0f && rate < 1f)) throw new IllegalArgumentException(what + " must be in [0, 1), got " + rate);
        return rate;
    }

    /**
     * Multiplies each of {@code steps} blocks of {@code [b, width]} floats by one dropout mask per
     * (row, column), the same for every step (Keras draws an RNN's masks once per sequence):
     * {@code dst = src · keep / (1 − rate)}. src and dst may be the same memory.
     */
    static void applyStepMask(MemorySegment src, long srcOff, MemorySegment dst, long dstOff, int steps, int b, int width, long key, float rate) {
        float scale = 1f / (1f - rate);
        for (int t = 0; t < steps; t++) {
            long base = (long) t * b * width;
            for (long i = 0; i < (long) b * width; i++) {
                float v = src.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, srcOff + base + i);
                dst.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, dstOff + base + i, Dropout.keep(key, i, rate) ? v * scale : 0f);
            }
        }
    }

    void setZeroOutputForMask(boolean zero) { this.zeroOutputForMask = zero; }

    protected final Shape sequenceOutputShape(Shape input) {
        return returnSequences ? Shape.of(input.dim(0), units) : Shape.of(units);
    }

    /**
     * Starts a forward: this pass's dropout flags and keys, its TileRunner (for backward), and the
     * input x [T, b, D] with its mask in processing order (time reversed for go_backwards, then
     * input dropout), kept in the state for backward. Returns that x.
     */
    protected final Tensor processingOrder(RecurrentState s, Tensor x, Tensor mask, Pass pass) {
        if (pass.training() && !s.training) throw new IllegalStateException("a training pass on a state made for inference");
        int b = pass.batch(), steps = x.dim(0), d = inputShape().dim(1);
        s.steps = steps;
        s.tiles = pass.tiles();
        s.inputDropped = pass.training() && dropout > 0;
        s.recurrentDropped = pass.training() && recurrentDropout > 0;
        long key = pass.dropoutKey() ^ dropoutSalt();
        s.inputKey = key * 31 + 1;
        s.recurrentKey = key * 31 + 2;
        if (goBackwards) {
            reverseTime(x.segment(), s.xRev.segment(), steps, (long) b * d);
            x = s.xRev.prefix(steps, b, d);
            if (mask != null) {
                reverseTime(mask.segment(), s.maskRev.segment(), steps, b);
                mask = s.maskRev.prefix(steps, b);
            }
        }
        if (s.inputDropped) {
            applyStepMask(x.segment(), 0, s.xDropped.segment(), 0, steps, b, d, s.inputKey, dropout);
            x = s.xDropped.prefix(steps, b, d);
        }
        s.input = x;
        s.mask = mask;
        return x;
    }

    /** True when an Embedding feeding this layer may hand it its ids (see {@link #attachTokenInput}): reading forwards, no input dropout. */
    public boolean canTakeTokenInput() { return !goBackwards && dropout == 0f; }

    /**
     * Cuts the per-token buffers ({@link TokenInput}: a words x G table, two words x D blocks, for
     * as many words as a batch as large as the state holds may use per token) from this state's
     * slab. The Embedding must feed this layer directly ({@link #canTakeTokenInput}). Each forward
     * then counts its batch's words and chooses.
     */
    public void attachTokenInput(State state, Slab slab, int vocab) {
        if (!canTakeTokenInput()) throw new IllegalStateException("a " + typeName() + " reading backwards or with input dropout cannot take token ids");
        RecurrentState s = (RecurrentState) state;
        s.tokens = new TokenInput(slab, vocab, s.maxRows, inputShape().dim(1), s.gateColumns, s.training);
    }

    /**
     * For the next forward and backward on a state with {@link #attachTokenInput}: the
     * Embedding's ids [b, T], its table E and its gradient (null when frozen). When the per-token
     * path runs, backward adds the embedding's gradient itself and returns null.
     */
    public void tokenInput(State state, Tensor ids, Tensor embeddings, Tensor dEmbeddings) {
        ((RecurrentState) state).tokens.bind(ids, embeddings, dEmbeddings);
    }

    /** True when the last forward on this state ran its input side per token. */
    public boolean ranPerToken(State state) {
        TokenInput tok = ((RecurrentState) state).tokens;
        return tok != null && tok.active;
    }

    /** Per token: dW += Eᵀ·S, dbias += Σ S and dE += S·Wᵀ, in tiles after the recurrent side's. */
    static void runPerTokenTiles(RecurrentState s, RecurrentGradientTiles tiles, TokenInput tok, boolean inputGradient) {
        tiles.inputPerToken(tok.words, tok.presentEmbeddings(), tok.table.segment(), s.wT == null ? null : s.wT.segment(),
                Kernels.paddedWidth(tok.features()), inputGradient ? tok.presentGradient() : null);
        tiles.run(s.tiles);
        if (inputGradient) tok.scatterEmbeddingGradient();
    }

    /**
     * Ends a backward: runs the layer's bulk products on the pass's TileRunner, dx = dG·Wᵀ among
     * them (into {@code [T, b, D]} in processing order), then sends dx back through the input
     * dropout and into the input's own time order; null when no layer below needs it.
     */
    protected final Tensor runGradientTiles(RecurrentState s, RecurrentGradientTiles tiles, int b) {
        if (!inputGradientNeeded) {
            tiles.run(s.tiles);
            return null;
        }
        int steps = s.steps, d = inputShape().dim(1);
        Tensor dx = s.dx.prefix(steps, b, d);
        Tensor dxProcessed = goBackwards ? s.dxRev.prefix(steps, b, d) : dx;
        tiles.inputGradient(s.wT.segment(), Kernels.paddedWidth(d), dxProcessed.segment());
        tiles.run(s.tiles);
        if (s.inputDropped) applyStepMask(dxProcessed.segment(), 0, dxProcessed.segment(), 0, steps, b, d, s.inputKey, dropout);
        if (goBackwards) reverseTime(dxProcessed.segment(), dx.segment(), steps, (long) b * d);
        return dx;
    }

    /** dst[t] = src[T-1-t] for t < T, each step {@code stepFloats} contiguous floats. */
    static void reverseTime(MemorySegment src, MemorySegment dst, int steps, long stepFloats) {
        long bytes = stepFloats * Float.BYTES;
        for (int t = 0; t < steps; t++) MemorySegment.copy(src, (long) (steps - 1 - t) * bytes, dst, (long) t * bytes, bytes);
    }

    /** True when row r of step t is masked out (mask [T, b], may be null). */
    static boolean masked(Tensor mask, int t, int b, int r) {
        return mask != null && mask.get((long) t * b + r) == 0f;
    }

    /**
     * The rows of step t that need computing: up to and including the last real one (all b
     * without a mask). Rows after it are all masked and only carry their state, so a batch whose
     * rows are ordered longest first (Worker stages masked batches so) skips the padding's work.
     */
    static int activeRows(Tensor mask, int t, int b) {
        if (mask == null) return b;
        for (int r = b - 1; r >= 0; r--) if (mask.get((long) t * b + r) != 0f) return r + 1;
        return 0;
    }

    /** True when any of the b rows of step t is masked out. */
    static boolean anyMasked(Tensor mask, int t, int b) {
        if (mask == null) return false;
        for (int r = 0; r < b; r++) if (mask.get((long) t * b + r) == 0f) return true;
        return false;
    }

    /** For each masked row r of step t: {@code dst[dstOff + r·width ..] = src[srcOff + r·width ..]} (width floats). */
    static void copyMaskedRows(Tensor mask, int t, int b, int width, MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        long rowBytes = (long) width * Float.BYTES;
        for (int r = 0; r < b; r++) {
            if (masked(mask, t, b, r)) MemorySegment.copy(src, (srcOff + (long) r * width) * Float.BYTES, dst, (dstOff + (long) r * width) * Float.BYTES, rowBytes);
        }
    }

    /** Zeroes the rows of step t that are masked out, in a [b, width] block at {@code off}. */
    static void zeroMaskedRows(Tensor mask, int t, int b, int width, MemorySegment m, long off) {
        for (int r = 0; r < b; r++) {
            if (masked(mask, t, b, r)) Tensor.zero(m, off + (long) r * width, width);
        }
    }

    /** Adds the masked rows of step t of {@code src} into {@code dst} (both [b, width] at their offsets). */
    static void addMaskedRows(Tensor mask, int t, int b, int width, MemorySegment src, long srcOff, MemorySegment dst, long dstOff) {
        for (int r = 0; r < b; r++) {
            if (masked(mask, t, b, r)) K.axpy(width, 1f, src, srcOff + (long) r * width, dst, dstOff + (long) r * width);
        }
    }
}
