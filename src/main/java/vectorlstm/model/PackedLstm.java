package vectorlstm.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import vectorlstm.kernels.GateLayout;
import vectorlstm.kernels.KernelProvider;
import vectorlstm.kernels.Kernels;
import vectorlstm.kernels.RowPanels;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.Shape;

/**
 * An {@code Embedding → LSTM → Dense} model's weights re-laid for inference, built once per
 * weights version and shared read-only by every scorer and batch prediction of the model.
 *
 * <ul>
 *   <li>{@code U} packed by {@link GateLayout} (unit blocks of the kernels' lane count) for batch
 *       prediction, and by {@link RowPanels} for the batch-1 steps of a scorer: once for all the
 *       units (one thread) and once per share of a two-thread scorer.</li>
 *   <li>The input projection folded into a table: row v is {@code E[v]·W + bias} in gate-major
 *       padded order, so a step's input costs one 1.6 KB row copy instead of a 32 x 400 product.
 *       A vocabulary too large for the table ({@link #MAX_TABLE_FLOATS}) keeps the per-step
 *       product instead.</li>
 *   <li>The states through all-padding input (token 0 at every step from the zero state): every
 *       pre-padded sequence passes through them, so scoring starts at its first real token. They
 *       are computed with a step's arithmetic, so skipping is bit-identical to running the padding.
 *       A model of one fixed length has them for all its steps from the start; a model that takes
 *       any length ({@code Embedding} without an input length, as in a Keras 3 model without a fixed {@code Input}) grows them
 *       when a sequence first comes with more leading padding than any before
 *       ({@link #paddingThrough}).</li>
 * </ul>
 * Memory comes from a shared arena of this version's own: when the weights change, a new copy is
 * built, and the old one is freed by the last of its holders to {@link #release} it (the model,
 * the scorers using it, the predictions running on it).
 */
final class PackedLstm {
    private static final Kernels K = KernelProvider.get();
    /** 64 M floats (256 MB): above this (a vocabulary of ~160k words at H = 100) no table. */
    static final long MAX_TABLE_FLOATS = 64L << 20;

    final long version;
    final GateLayout layout;
    /** The model's fixed length, or {@link Shape#VARIABLE}. */
    final int timesteps;
    final int units;
    final int paddedUnits;
    final int features;
    /** The Dense layer on top: its activation and sizes; its weights are read from this version's copies. */
    final Dense head;
    private final MemorySegment headKernel, headBias;
    final MemorySegment uPacked;
    /** All the units, for a one-thread scorer. */
    final Share whole;
    /** A two-thread scorer's shares: the caller's units [0, s), the helper's [s, H), s about H/2 in whole vectors (the helper's null when H is a vector or less). */
    final Share callerShare;
    final Share helperShare;
    /** [vocab, 4·Hp], or null: then {@link #embeddings}, {@link #kernelPadded} and {@link #biasPadded} are used. */
    private final MemorySegment table;
    private final MemorySegment embeddings;
    private final MemorySegment kernelPadded;   // [D, 4·Hp]
    private final MemorySegment biasPadded;     // [4·Hp]
    /** The states through all-padding input computed so far (a fixed-length model's: all T steps). */
    private volatile Padding padding;
    /** How far {@link #paddingThrough} grows them: T, or for a variable-length model as far as half of {@link #MAX_PADDING_BYTES} holds. */
    private final int maxPaddingSteps;
    /**
     * A variable-length model's padding states take at most this much memory, all the copies that
     * growing them leaves together (a copy at most half of it: 37,000 steps at H = 100); longer
     * padding is stepped through.
     */
    static final long MAX_PADDING_BYTES = 64L << 20;
    /** Rows a copy leaves spare under half the bound: each copy holds one row more than its steps, and there are at most ~20 copies. */
    private static final int PADDING_ROWS_SPARE = 64;
    /** Bytes of padding states allocated so far, every copy counted (for tests). */
    private long paddingBytes;
    private final Object paddingGrowth = new Object();

    /** h_t and c_t, t = 0..steps, through all-padding input (token 0 at every step from the zero state): [steps + 1, Hp] each. */
    record Padding(int steps, MemorySegment h, MemorySegment c) {}

    /**
     * True when the model is Embedding (no mask, a fixed input length or any) → LSTM (last state
     * only, reading forwards) → Dense, the shape this class serves.
     */
    static boolean supports(List<Layer> layers) {
        return layers.size() == 3 && layers.get(0) instanceof Embedding e && !e.maskZero()
                && layers.get(1) instanceof Lstm lstm && !lstm.returnSequences() && !lstm.goBackwards() && lstm.sigmoidGates()
                && layers.get(2) instanceof Dense;
    }

    /**
     * This version's memory (the table alone is vocabulary x 4H floats: 42 MB for 20,000 words at
     * 128 units). Closed by the last {@link #release}, not left to the garbage collector: a server
     * that reloads, or a training that evaluates after every epoch, makes a version each time while
     * its heap, and so its collections, hardly grow.
     */
    private final Arena memory = Arena.ofShared();
    /** The model's own reference while this is its current version, plus one per scorer or prediction using it. */
    private final AtomicInteger users = new AtomicInteger(1);

    /** Takes a reference unless the version's memory is freed already (then the model has a newer one). */
    boolean retain() {
        for (int n = users.get(); n > 0; n = users.get()) {
            if (users.compareAndSet(n, n + 1)) return true;
        }
        return false;
    }

    /** Whether this version reads the model's embeddings in place (no table: a vocabulary too large for one), so a call must hold writes off. */
    boolean readsEmbeddingsInPlace() { return table == null; }

    /** Gives a reference back; the last one frees the memory. */
    void release() {
        if (users.decrementAndGet() == 0) memory.close();
    }

    PackedLstm(List<Layer> layers, long version) {
        Embedding embedding = (Embedding) layers.get(0);
        Lstm lstm = (Lstm) layers.get(1);
        this.version = version;
        this.head = (Dense) layers.get(2);
        this.timesteps = embedding.inputLength();
        this.units = lstm.units();
        this.features = embedding.outputDim();
        this.layout = new GateLayout(units, K.gateBlock());
        this.paddedUnits = layout.paddedUnits();
        int width = 4 * paddedUnits;
        Arena arena = memory;
        try {
            headKernel = arena.allocate(head.kernel().value().segment().byteSize(), 64).copyFrom(head.kernel().value().segment());
            headBias = arena.allocate(head.bias().value().segment().byteSize(), 64).copyFrom(head.bias().value().segment());
            uPacked = arena.allocate(layout.packedSize() * Float.BYTES, 64);
            layout.packRecurrent(lstm.recurrentKernel().value().segment(), 0, uPacked, 0);
            // Halves in whole vectors (48 + 52 of H = 100 at 16 lanes): each share's gates then run the
            // same cells as vectors, and the same ones as a tail, as one thread's do, so the two-thread
            // scorer gives the one-thread bits.
            int lanes = K.gateBlock(), split = lanes * Math.round(units / (2f * lanes));
            if (split <= 0) split = units;
            whole = share(lstm, 0, units, arena);
            callerShare = share(lstm, 0, Math.min(split, units), arena);
            helperShare = split < units ? share(lstm, split, units, arena) : null;
            biasPadded = arena.allocate((long) width * Float.BYTES, 64);
            layout.padRow(lstm.bias().value().segment(), 0, biasPadded, 0);
            kernelPadded = arena.allocate((long) features * width * Float.BYTES, 64);
            MemorySegment w = lstm.kernel().value().segment();
            for (int d = 0; d < features; d++) layout.padRow(w, (long) d * 4 * units, kernelPadded, (long) d * width);
            embeddings = embedding.embeddings().value().segment();

            long vocab = embedding.inputDim();
            if (vocab * width <= MAX_TABLE_FLOATS) {
                table = arena.allocate(vocab * width * Float.BYTES, 64);
                foldTable(vocab, width);
            } else {
                table = null;
            }

            int padSteps = timesteps == Shape.VARIABLE ? 0 : timesteps;  // a variable-length model's grow when needed
            MemorySegment padH = arena.allocate((long) (padSteps + 1) * paddedUnits * Float.BYTES, 64);
            MemorySegment padC = arena.allocate((long) (padSteps + 1) * paddedUnits * Float.BYTES, 64);
            runPadding(lstm.recurrentKernel().value().segment(), padSteps, padH, padC, arena);
            padding = new Padding(padSteps, padH, padC);
            paddingBytes = padH.byteSize() + padC.byteSize();
            maxPaddingSteps = timesteps != Shape.VARIABLE ? timesteps
                    : (int) Math.max(1, Math.min(Shape.MAX_STEPS, MAX_PADDING_BYTES / 2 / (2L * paddedUnits * Float.BYTES) - PADDING_ROWS_SPARE));
        } catch (RuntimeException | Error e) {  // nothing else would ever free a shared arena
            memory.close();
            throw e;
        }
    }

    /*
     * The table and the padding run are built with axpy, not with the GEMM and the batch-1 step
     * kernel, for a JVM's first model: until C2 has compiled them, the Vector API runs interpreted,
     * about a thousand times slower, and the GEMM's 8-row blocks and the step's panels are large
     * methods that C2 takes long to reach. axpy is one small loop, compiled within the first few
     * hundred calls. `./lstm predict` of one text with the seed model's shape: the table 850-900 ->
     * 190-230 ms, the padding run 430-540 -> 250-265 ms (docs/performance-history.md, "A model's first
     * use"). Warm, a whole build takes about 5 ms longer (30-34 -> 35-39 ms), once per weights
     * version. The bits are the same: each element is summed over k in order by
     * fused multiply-adds from its first value, as the GEMM blocks and the step's panels sum it
     * (PackedLstmTest).
     */

    /** Row v of the table: bias + E[v]·W, summed over the embedding's features in order. */
    private void foldTable(long vocab, int width) {
        for (long v = 0; v < vocab; v++) {
            long row = v * width;
            MemorySegment.copy(biasPadded, 0, table, row * Float.BYTES, (long) width * Float.BYTES);
            for (int d = 0; d < features; d++) {
                K.axpy(width, embeddings.getAtIndex(ValueLayout.JAVA_FLOAT, v * features + d), kernelPadded, (long) d * width, table, row);
            }
        }
    }

    /**
     * h_t and c_t through all-padding input: {@link #step}'s arithmetic, its product as one axpy
     * per unit of h_{t-1} over U's rows as the model holds them ([H, 4H], the column of gate g and
     * unit v at g·H + v, as in z).
     */
    private void runPadding(MemorySegment recurrentKernel, int steps, MemorySegment padH, MemorySegment padC, Arena arena) {
        MemorySegment z = arena.allocate(4L * paddedUnits * Float.BYTES, 64);
        MemorySegment tanhC = arena.allocate((long) paddedUnits * Float.BYTES, 64);
        int gates = 4 * units;
        for (int t = 0; t < steps; t++) {
            long prev = (long) t * paddedUnits, next = prev + paddedUnits;
            inputProjection(0, 0, units, z, 0);
            for (int k = 0; k < units; k++) K.axpy(gates, padH.getAtIndex(ValueLayout.JAVA_FLOAT, prev + k), recurrentKernel, (long) k * gates, z, 0);
            K.lstmGatesForward(1, units, z, 0, padC, prev, padC, next, tanhC, 0, padH, next);
        }
    }

    /** The Dense layer's output for h at {@code hOff}, on this version's copy of its weights, into {@code out} from {@code outOff}. */
    void head(MemorySegment h, long hOff, MemorySegment out, long outOff) {
        head.forwardRow(headKernel, headBias, h, hOff, out, outOff);
    }

    /** The padding states computed so far: a fixed-length model's through all its steps. */
    Padding padding() {
        return padding;
    }

    /** Bytes of padding states this version has allocated, every copy counted. */
    long paddingBytesForTests() {
        synchronized (paddingGrowth) {
            return paddingBytes;
        }
    }

    /**
     * The padding states through at least {@code steps} steps, or as far as they go
     * ({@link #maxPaddingSteps}): a caller steps through any padding beyond them itself. A
     * variable-length model's grow here, to twice as far at least, by the step kernel on this
     * version's own packed weights (the bits of {@link #runPadding}, as of a scorer stepping
     * through the padding): on the call that first needs them, under a lock; a grown copy
     * replaces the last, which stays valid for the calls still reading it (freed with the
     * version). Past half the bound a copy grows to the bound at once, so the copies before the
     * last, each at least twice its predecessor and at most half the bound, hold no more rows
     * than the last: all of them together stay within {@link #MAX_PADDING_BYTES}.
     */
    Padding paddingThrough(int steps) {
        Padding p = padding;
        if (p.steps() >= Math.min(steps, maxPaddingSteps)) return p;
        synchronized (paddingGrowth) {
            p = padding;
            if (p.steps() >= Math.min(steps, maxPaddingSteps)) return p;
            int grown = (int) Math.min(maxPaddingSteps, Math.max(steps, 2L * p.steps()));
            if (grown > maxPaddingSteps / 2) grown = maxPaddingSteps;
            long row = (long) paddedUnits * Float.BYTES;
            MemorySegment h = memory.allocate((grown + 1) * row, 64), c = memory.allocate((grown + 1) * row, 64);
            paddingBytes += h.byteSize() + c.byteSize();
            MemorySegment.copy(p.h(), 0, h, 0, (p.steps() + 1) * row);
            MemorySegment.copy(p.c(), 0, c, 0, (p.steps() + 1) * row);
            MemorySegment z = memory.allocate(whole.panels().paddedWidth() * Float.BYTES, 64);
            MemorySegment tanhC = memory.allocate(row, 64);
            for (int t = p.steps(); t < grown; t++) {
                long prev = (long) t * paddedUnits, next = prev + paddedUnits;
                inputProjection(0, whole.from(), whole.units(), z, 0);
                step(t, whole, z, 0, h, prev, c, prev, c, next, h, next, tanhC);
            }
            padding = p = new Padding(grown, h, c);
            return p;
        }
    }

    /**
     * z[g·n + v] = (E[id]·W + bias)[g·H + u0 + v] for the units [u0, u0 + n) and the four gates g:
     * a row copy from the table, or the product when there is no table.
     */
    void inputProjection(int id, int u0, int n, MemorySegment z, long zOff) {
        int width = 4 * paddedUnits;
        if (table != null && u0 == 0 && n == paddedUnits) {  // all the units, none padded: the table row is z's row as it is, one copy
            MemorySegment.copy(table, (long) id * width * Float.BYTES, z, zOff * Float.BYTES, (long) width * Float.BYTES);
            return;
        }
        for (int g = 0; g < 4; g++) {
            long src = (long) g * paddedUnits + u0, dst = zOff + (long) g * n;
            if (table != null) {
                MemorySegment.copy(table, ((long) id * width + src) * Float.BYTES, z, dst * Float.BYTES, (long) n * Float.BYTES);
            } else {
                MemorySegment.copy(biasPadded, src * Float.BYTES, z, dst * Float.BYTES, (long) n * Float.BYTES);
                K.gemm(1, n, features, embeddings, (long) id * features, features, 1, kernelPadded, src, width, z, dst, n);
            }
        }
    }

    /** A thread's share of the units in a batch-1 step: its layout and its packed U. */
    record Share(RowPanels panels, MemorySegment u) {
        int from() { return panels.from(); }

        int units() { return panels.shareUnits(); }
    }

    private static Share share(Lstm lstm, int from, int to, Arena arena) {
        RowPanels panels = new RowPanels(lstm.units(), from, to, K.gateBlock());
        MemorySegment u = arena.allocate(panels.packedSize() * Float.BYTES, 64);
        panels.pack(lstm.recurrentKernel().value().segment(), 0, u, 0);
        return new Share(panels, u);
    }

    /**
     * Steps a batch-1 scorer stages at a time: their input rows are copied from the table in one
     * burst ({@link #stageInputs}), then each step runs on its row in place. A table row is read
     * once per review, so it comes from L3 or memory; copied just before its step, the product
     * waited for it (a sixth of a step's time at H = 100 in a JFR profile), while the copies of a
     * burst overlap their misses: one review 1.04x faster (1.02-1.05 over four rounds of in-JVM
     * alternation), the typical one 1.05x (0.97-1.08). A two-thread scorer stages one step at a
     * time (there the burst held up the other thread at the meeting: 1.03-1.06x slower), each
     * thread just before it waits at the meeting, so that the row's misses overlap the wait
     * ({@link StepPartner}).
     */
    static final int STAGED_STEPS = 32;

    /**
     * The input projections of steps [from, to) of {@code ids} (at most {@link #STAGED_STEPS}) for
     * a share: step s's z at {@code stageOff + (s - from)·paddedWidth} floats in {@code stage}.
     */
    void stageInputs(int[] ids, int from, int to, Share share, MemorySegment stage, long stageOff) {
        long width = share.panels().paddedWidth();
        for (int s = from; s < to; s++) inputProjection(ids[s], share.from(), share.units(), stage, stageOff + (s - from) * width);
    }

    /**
     * One batch-1 step for a share of the units (all of them on one thread, half on two), on z at
     * {@code zOff} that holds the step's input projection: z += h_{t-1}·U, gates, then c_t into
     * {@code cNext} and h_t into {@code hNext}. h_{t-1} holds all H units; cPrev, cNext, hNext and
     * tanhC hold the share's n units from the given offsets, z its {@code paddedWidth} floats (gate
     * g of unit v at g·n + v). c_{t-1} and c_t must not overlap: then the cells past the last whole
     * vector run as one more vector (c in place would send them to a scalar tail, 4 of H = 100's
     * cells at 512 bits). {@code t} is the step's index: odd steps run U's panels backward (see
     * {@code Kernels.lstmRecurrentRow}).
     */
    void step(int t, Share share, MemorySegment z, long zOff, MemorySegment hPrev, long hPrevOff, MemorySegment cPrev, long cPrevOff,
              MemorySegment cNext, long cNextOff, MemorySegment hNext, long hNextOff, MemorySegment tanhC) {
        K.lstmRecurrentRow(share.panels(), share.u(), hPrev, hPrevOff, z, zOff, 0, units, (t & 1) != 0);
        K.lstmGatesForward(1, share.units(), z, zOff, cPrev, cPrevOff, cNext, cNextOff, tanhC, 0, hNext, hNextOff);
    }

    /**
     * {@link #step} in two parts, for a share that has only the units [0, kSplit) of h_{t-1} in
     * hand when the step starts (a two-thread scorer's caller, which computed them itself): the
     * product over those units.
     */
    void stepFirstPart(int t, Share share, MemorySegment z, long zOff, MemorySegment hPrev, long hPrevOff, int kSplit) {
        K.lstmRecurrentRow(share.panels(), share.u(), hPrev, hPrevOff, z, zOff, 0, kSplit, (t & 1) != 0);
    }

    /** The rest of {@link #stepFirstPart}'s step, once all of h_{t-1} is there: the same bits as {@link #step}. */
    void stepSecondPart(int t, Share share, int kSplit, MemorySegment z, long zOff, MemorySegment hPrev, long hPrevOff, MemorySegment cPrev, long cPrevOff,
                        MemorySegment cNext, long cNextOff, MemorySegment hNext, long hNextOff, MemorySegment tanhC) {
        K.lstmRecurrentRow(share.panels(), share.u(), hPrev, hPrevOff, z, zOff, kSplit, units, (t & 1) != 0);
        K.lstmGatesForward(1, share.units(), z, zOff, cPrev, cPrevOff, cNext, cNextOff, tanhC, 0, hNext, hNextOff);
    }
}
