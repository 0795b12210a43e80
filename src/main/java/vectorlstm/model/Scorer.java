package vectorlstm.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Input;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Pass;
import vectorlstm.layers.Shape;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Scores one sequence at a time (the batch-1, latency path).
 *
 * <p>For an {@code Embedding → LSTM → Dense} model it runs the inference kernels on the model's
 * {@link PackedLstm} weights: the input projection is a table row, U is streamed once per step in
 * the packed layout, a pre-padded sequence starts at its first real token (the states through the
 * padding are shared and precomputed), and nothing is allocated per call, at the model's fixed
 * length or, for an {@code Embedding} without one, at each sequence's own (such a model computes
 * its padding states as sequences come with more leading padding than any before). With two threads
 * ({@link Sequential#newScorer(int)}) the LSTM's units are split between the caller and a helper
 * thread owned by the scorer, which meet once per step ({@link StepPartner}); where the meetings
 * cost more than they save (cores far apart), the caller steps alone ({@link ShareChoice}). Other models run
 * layer by layer through every step. A model that reads float sequences scores one at its own
 * length ({@link #scoreAll(float[][], float[])}); with a variable-length Input the scratch memory
 * grows (once) when a longer sequence than any before arrives. On that path a model of one
 * fixed length allocates nothing per call; a variable-length one (an {@code Input}, or an
 * {@code Embedding} without a length in a model of other layers) makes its tensor views at each
 * call's length, a few hundred bytes of short-lived objects a call (232-367 B measured with the
 * seed model's sizes).
 *
 * <p>A scorer is not thread-safe: it serves one thread at a time (one scorer per thread, or a pool
 * that hands a scorer to one caller at a time; the packed weights are shared). It follows weight changes made by {@code fit},
 * {@code setWeights} (the model's or a layer's) or {@link Sequential#weightsChanged()} at its next call. A call scores with
 * the weights before a change or after it, never a mix: a scorer that meets a write in progress waits for that one write
 * (an optimizer step or a setWeights, not the whole fit; the fit's next step waits for its repack or its call in turn). On
 * the packed path a call in flight reads its own copy of the weights (with a vocabulary too large for the projection table
 * it reads the embeddings in place, and holds writes off while it runs); layer by layer it holds writes off while it runs. A scorer called inside
 * a write, such as a custom optimizer's or schedule's step, is refused, and such code must not wait for a score, predict or
 * setWeights on another thread either (that thread would wait for the write). Weights written into a layer's tensors
 * directly must not change while a call runs; call {@code weightsChanged()} after.
 */
public final class Scorer implements AutoCloseable {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    private final Sequential model;
    private Arena arena;
    private final int timesteps;          // the fixed length, or Shape.VARIABLE
    private int capacity;                 // layer path: the longest sequence the states hold
    private final int vocabulary;
    private final int outputs;
    private MemorySegment out;
    // Packed path (Embedding → LSTM → Dense): h [2, Hp] (h_t alternates); one thread: c [Hp], z [4·Hp], tanhC [Hp].
    private final boolean packed;
    private final MemorySegment c, h, z, tanhC;
    private final StepPartner partner;
    // Layer-by-layer path for every other model.
    private final List<Layer> layers;
    private final Layer.State[] states;
    private Tensor ids;                   // int [1, T] (token models)
    private Tensor sequence;              // [capacity, 1, F] (numeric models)
    private final Pass pass = Pass.inference(1);
    private volatile boolean closed;
    /**
     * The packed weights this scorer uses, retained (packed path only; see {@link #current()}).
     * Handed over with getAndSet, so a version switched to during a call and a close from another
     * thread release each version exactly once.
     */
    private final AtomicReference<PackedLstm> held;
    /** What the scorer holds outside the heap, and the cleaning that frees it: at close, or when a scorer dropped without one is collected. */
    private final Resources resources = new Resources();
    private final Cleaner.Cleanable freeResources;
    private static final Cleaner CLEANER = Cleaner.create();

    /**
     * The cleaning action: the packed version (tens of MB), the scratch arena and a two-thread
     * scorer's helper thread, which an unclosed scorer kept for good (200 dropped two-thread
     * scorers left 200 threads). Refers to these only, never to the scorer, which must become
     * unreachable for a collection to run it.
     */
    private static final class Resources implements Runnable {
        final AtomicReference<PackedLstm> version = new AtomicReference<>();
        volatile Arena scratch;
        volatile StepPartner partner;

        @Override public void run() {
            try {
                StepPartner p = partner;
                if (p != null) p.close();
                Arena a = scratch;
                if (a != null) closeQuietly(a);
            } finally {
                PackedLstm v = version.getAndSet(null);
                if (v != null) v.release();
            }
        }
    }
    /**
     * Set while a call runs. A scorer's scratch holds one call's states: a second thread in the
     * same scorer used to get wrong scores (one thread) or spin forever with the first in the
     * step meetings (two threads). One compare-and-set a call, nothing allocated.
     */
    private final AtomicBoolean inUse = new AtomicBoolean();

    Scorer(Sequential model, List<Layer> layers, int threads) {
        this.model = model;
        this.layers = layers;
        Shape input = model.inputShape();
        this.timesteps = input.variableLength() ? Shape.VARIABLE : input.dim(0);
        this.capacity = input.variableLength() ? 64 : input.dim(0);
        this.vocabulary = layers.get(0) instanceof Embedding e ? e.inputDim() : Integer.MAX_VALUE;
        this.outputs = layers.get(layers.size() - 1).outputShape().last();
        this.packed = PackedLstm.supports(layers);
        // Shared, not confined: a scorer may be handed from thread to thread (a pool), and two
        // threads touch the scratch of a two-thread scorer. Access costs the same either way.
        this.arena = Arena.ofShared();
        this.held = resources.version;
        resources.scratch = arena;
        this.freeResources = CLEANER.register(this, resources);
        this.out = arena.allocate((long) outputs * Float.BYTES, 64);
        if (packed) {
            PackedLstm w;
            try {
                w = model.retainPackedLstm();
            } catch (IllegalStateException e) {  // the model closed meanwhile: its memory, read to pack the weights, is gone
                arena.close();
                throw model.isClosed() ? new IllegalStateException("the model is closed", e) : e;
            }
            held.set(w);
            int hp = w.paddedUnits;
            h = arena.allocate(2L * hp * Float.BYTES, 64);
            // No helper when the units make one vector or less: it would hold no unit and still meet the caller every step.
            partner = threads > 1 && w.helperShare != null ? new StepPartner(w, arena) : null;
            resources.partner = partner;
            // One thread steps in c, z and tanhC; with two, each thread has its own (StepPartner),
            // and these serve the calls the caller steps alone when the helper does not come.
            c = arena.allocate(2L * hp * Float.BYTES, 64);  // c_{t-1} and c_t alternate, as h's do
            z = arena.allocate((long) PackedLstm.STAGED_STEPS * w.whole.panels().paddedWidth() * Float.BYTES, 64);
            tanhC = arena.allocate((long) hp * Float.BYTES, 64);
            states = null;
            ids = null;
        } else {
            c = h = z = tanhC = null;
            partner = null;
            states = new Layer.State[layers.size()];
            cutLayerMemory();
        }
    }

    /** Cuts every layer's batch-1 state for {@link #capacity} steps, and the input staging, from a fresh arena. */
    private void cutLayerMemory() {
        Slab counting = Slab.counting();
        cutLayerMemory(counting);
        cutLayerMemory(Slab.allocate(arena, counting.used()));
    }

    private void cutLayerMemory(Slab slab) {
        for (int l = 0; l < layers.size(); l++) states[l] = layers.get(l).newState(slab, 1, capacity, false);
        if (layers.get(0) instanceof Input in) sequence = slab.tensor(capacity, 1, in.features());
        else ids = slab.intTensor(1, capacity);
    }

    /** The model's first output (the probability for a Dense(1, sigmoid) head) for one padded sequence. */
    public float score(int[] tokenIds) {
        return forward(tokenIds, null);
    }

    /** All outputs (e.g. the class probabilities of a softmax head) for one padded sequence. */
    public float[] scoreAll(int[] tokenIds) {
        float[] result = new float[outputs];
        scoreAll(tokenIds, result);
        return result;
    }

    /** All outputs into {@code into} (length = the model's output units); on a fixed-length model allocating nothing. */
    public void scoreAll(int[] tokenIds, float[] into) {
        if (into == null) throw new IllegalArgumentException("no array given for the outputs (null)");
        if (into.length != outputs) throw new IllegalArgumentException("expected room for " + outputs + " outputs, got " + into.length);
        forward(tokenIds, into);
    }

    /**
     * All outputs for one float sequence {@code [steps][features]} into {@code into}, at the
     * sequence's own length (a model that starts with an Input), through the layers' forward.
     * The activations live in the scorer's off-heap scratch, cut again only when a
     * variable-length model meets a sequence longer than any before; unlike the packed path the
     * layers still create a few small tensor views per call.
     */
    public void scoreAll(float[][] steps, float[] into) {
        if (closed) throw new IllegalStateException("the scorer is closed");
        if (!(layers.get(0) instanceof Input input)) throw new IllegalArgumentException("this model reads token ids, not float sequences");
        if (into == null) throw new IllegalArgumentException("no array given for the outputs (null)");
        if (into.length != outputs) throw new IllegalArgumentException("expected room for " + outputs + " outputs, got " + into.length);
        int features = input.features();
        ScorerInputs.checkSteps(steps, timesteps, features);
        if (model.isClosed()) throw new IllegalStateException("the model is closed");
        enter();
        try {
            growFor(steps.length);
            Tensor x = sequence.prefix(steps.length, 1, features);
            for (int t = 0; t < steps.length; t++) MemorySegment.copy(steps[t], 0, x.segment(), ValueLayout.JAVA_FLOAT, (long) t * features * Float.BYTES, features);
            forwardLayers(x);
            MemorySegment.copy(out, F, 0, into, 0, outputs);
        } catch (IllegalStateException e) {
            throw closedModel(e);
        } finally {
            inUse.set(false);
        }
    }

    private void enter() {
        if (!inUse.compareAndSet(false, true)) {
            throw new IllegalStateException("this scorer is in use by another thread: a scorer serves one call at a time "
                    + "(give each thread its own, or share a TextClassifier, which keeps a pool)");
        }
    }

    /** The model's number of outputs (units of its last layer). */
    public int outputs() { return outputs; }

    /** Scores one sequence; copies all outputs into {@code into} when given; returns the first. */
    private float forward(int[] tokenIds, float[] into) {
        if (closed) throw new IllegalStateException("the scorer is closed");
        if (model.isClosed()) throw new IllegalStateException("the model is closed");
        if (layers.get(0) instanceof Input) throw new IllegalArgumentException("this model reads float sequences, not token ids");
        ScorerInputs.checkTokenIds(tokenIds, timesteps, vocabulary);
        enter();
        try {
            if (packed) forwardPacked(tokenIds);
            else forwardByLayers(tokenIds);
            // Read while this call still holds the scorer: a next call would overwrite out (or, at a new
            // length of a variable-length model, free it).
            if (into != null) MemorySegment.copy(out, F, 0, into, 0, outputs);
            return out.getAtIndex(F, 0);
        } catch (IllegalStateException e) {
            throw closedModel(e);
        } finally {
            inUse.set(false);
        }
    }

    /**
     * The JDK's "Already closed" from freed memory, said as what it is: the model, or this scorer,
     * was closed (also while this call ran, by another thread).
     */
    private IllegalStateException closedModel(IllegalStateException e) {
        if (model.isClosed()) return new IllegalStateException("the model is closed", e);
        return closed ? new IllegalStateException("the scorer is closed", e) : e;
    }

    private void forwardPacked(int[] tokenIds) {
        PackedLstm w = current();
        if (!w.readsEmbeddingsInPlace()) {
            forwardPacked(w, tokenIds);
            return;
        }
        // The embeddings of a vocabulary too large for the table are the model's own, read in place: the call holds
        // writes off, on the version packed from the weights it reads (3,095 of 57,272 calls racing setWeights scored neither).
        WeightWrites weights = model.weightWrites();
        long stamp = weights.beginRead();
        try {
            while (w.version != weights.version()) {  // a write came between current() and the read side
                weights.endRead(stamp);
                stamp = 0;
                w = current();
                stamp = weights.beginRead();
            }
            forwardPacked(w, tokenIds);
        } finally {
            if (stamp != 0) weights.endRead(stamp);
        }
    }

    private void forwardPacked(PackedLstm w, int[] tokenIds) {
        int hp = w.paddedUnits, end = tokenIds.length;
        int pads = 0;
        while (pads < end && tokenIds[pads] == 0) pads++;
        // Start from the shared padding states at the first real token (h_T itself for a sequence
        // of nothing but padding): h_start is read in place. A variable-length model's states may
        // end before the padding does (beyond MAX_PADDING_BYTES): the rest is stepped through.
        PackedLstm.Padding padding = w.paddingThrough(pads);
        int start = Math.min(pads, padding.steps());
        MemorySegment hLast = padding.h();
        long hLastOff = (long) start * hp;
        if (start < end) {
            long shared = partner != null
                    ? partner.run(w, tokenIds, start, end, padding.h(), hLastOff, padding.c(), (long) start * hp, h)
                    : StepPartner.NOT_TAKEN;
            if (shared != StepPartner.NOT_TAKEN) {
                hLastOff = shared;
            } else {
                long began = partner != null ? System.nanoTime() : 0;
                hLastOff = stepAlone(w, tokenIds, start, end, padding);
                if (partner != null) partner.aloneTook(end - start, System.nanoTime() - began);
            }
            hLast = h;
        }
        w.head(hLast, hLastOff, out, 0);
    }

    /**
     * The model's current packed weights, held (retained) by this scorer until the weights change
     * or it closes: a version's memory is freed once no scorer holds it. One volatile read a call
     * while the weights stay as they are.
     */
    private PackedLstm current() {
        PackedLstm now = held.get();
        if (model.packedLstm() == now) return now;
        PackedLstm next = model.retainPackedLstm();
        PackedLstm old = held.getAndSet(next);
        if (old != null) old.release();
        if (closed) {  // closed by another thread meanwhile: its release may have come before next was set
            PackedLstm mine = held.getAndSet(null);
            if (mine != null) mine.release();
        }
        return next;
    }

    /** Steps [start, end) on this thread from the padding states at start; returns h_end's offset in h. */
    private long stepAlone(PackedLstm w, int[] tokenIds, int start, int end, PackedLstm.Padding padding) {
        int hp = w.paddedUnits;
        MemorySegment.copy(padding.c(), (long) start * hp * Float.BYTES, c, 0, (long) hp * Float.BYTES);
        MemorySegment hPrev = padding.h();
        long hPrevOff = (long) start * hp;
        long width = w.whole.panels().paddedWidth();
        for (int t = start; t < end; t++) {
            long next = (long) (t & 1) * hp;
            int slot = (t - start) % PackedLstm.STAGED_STEPS;
            if (slot == 0) w.stageInputs(tokenIds, t, Math.min(end, t + PackedLstm.STAGED_STEPS), w.whole, z, 0);
            w.step(t, w.whole, z, slot * width, hPrev, hPrevOff, c, (long) ((t - start) & 1) * hp, c, (long) ((t - start + 1) & 1) * hp, h, next, tanhC);
            hPrev = h;
            hPrevOff = next;
        }
        return hPrevOff;
    }

    private void forwardByLayers(int[] tokenIds) {
        growFor(tokenIds.length);
        Tensor staged = ids.prefix(1, tokenIds.length);
        MemorySegment.copy(tokenIds, 0, staged.segment(), ValueLayout.JAVA_INT, 0, tokenIds.length);
        forwardLayers(staged);
    }

    /**
     * The layers' forward on x, which reads the weights in place: under the read side of the
     * model's weight writes, so a setWeights or an optimizer step on another thread comes before
     * the call or after it (418 of 576 calls of a GRU scorer racing setWeights scored neither).
     */
    private void forwardLayers(Tensor x) {
        WeightWrites weights = model.weightWrites();
        long stamp = weights.beginRead();
        try {
            forwardLayersUnlocked(x);
        } finally {
            weights.endRead(stamp);
        }
    }

    /** A variable-length model meeting a longer sequence than any before: cut the scratch again, twice as long (once). */
    private void growFor(int steps) {
        if (steps <= capacity) return;
        capacity = Math.max(steps, 2 * capacity);
        Arena old = arena;
        arena = Arena.ofShared();
        resources.scratch = arena;
        closeQuietly(old);
        // Closed by another thread meanwhile: its cleaning may have run before the new scratch was
        // published, and nothing else would ever free a shared arena.
        if (closed) {
            closeQuietly(arena);
            throw new IllegalStateException("the scorer is closed");
        }
        out = arena.allocate((long) outputs * Float.BYTES, 64);
        cutLayerMemory();
    }

    /** Closes a scratch arena unless a close on another thread has (both may reach it: see {@link #growFor}). */
    private static void closeQuietly(Arena a) {
        try {
            a.close();
        } catch (IllegalStateException alreadyClosed) {
            // closed by the other party: freed either way
        }
    }

    private void forwardLayersUnlocked(Tensor x) {
        Tensor mask = null;
        for (int l = 0; l < layers.size(); l++) {
            x = layers.get(l).forward(states[l], x, mask, pass);
            mask = layers.get(l).outputMask(states[l]);
        }
        MemorySegment.copy(x.segment(), 0, out, 0, (long) outputs * Float.BYTES);
    }

    /** The helper of a two-thread scorer, or null (for tests). */
    StepPartner partnerForTests() {
        return partner;
    }

    /**
     * Stops the helper thread of a two-thread scorer and frees the scratch memory and this
     * scorer's hold on the packed weights. A scorer dropped without a close is cleaned when a
     * garbage collection finds it, which can be long after: close scorers.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        freeResources.clean();  // the helper thread, the scratch, the packed version: once
    }
}
