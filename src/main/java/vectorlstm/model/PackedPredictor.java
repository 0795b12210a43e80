package vectorlstm.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import vectorlstm.kernels.KernelProvider;
import vectorlstm.kernels.Kernels;
import vectorlstm.layers.Shape;

/**
 * {@code predict} for {@code Embedding → LSTM → Dense} models: many sequences stepped together on
 * the {@link PackedLstm} weights, with a small working set instead of training memory.
 *
 * <p>Each worker takes its share of the inputs in chunks of {@link #CHUNK} rows. A chunk keeps only
 * the current step: z [rows, 4·Hp], h_{t-1} and h_t [rows, Hp], c [rows, Hp] (about 160 KB for 64
 * rows at H = 100, next to U's 180 KB in L2). Rows are ordered by the step at which they join the
 * product: their first real token, starting from the shared padding states, so at step t the rows
 * still in their padding are neither stored nor computed, and the active rows are always the first
 * ones. A model of any length steps a chunk's rows aligned at their ends, so a shorter row simply
 * joins later; its bits are those of the row alone (the product's sums per row do not depend on
 * the other rows, see {@link #evenRows}).
 */
final class PackedPredictor implements AutoCloseable {
    private static final Kernels K = KernelProvider.get();
    /** Rows a worker steps together: enough to reuse each loaded block of U many times, small enough for L2. */
    static final int CHUNK = 64;

    private final Arena arena = Arena.ofShared();
    private final Crew crew;
    private final Scratch[] scratch;

    /** One worker's step memory and row order. */
    private static final class Scratch {
        final MemorySegment z, hA, hB, c, tanhC, out;
        final long[] keys = new long[CHUNK];   // (step the row joins at << 32) | row, sorted

        Scratch(Arena arena, int paddedUnits, int outputs) {
            z = arena.allocate(4L * CHUNK * paddedUnits * Float.BYTES, 64);
            hA = arena.allocate((long) CHUNK * paddedUnits * Float.BYTES, 64);
            hB = arena.allocate((long) CHUNK * paddedUnits * Float.BYTES, 64);
            c = arena.allocate((long) CHUNK * paddedUnits * Float.BYTES, 64);
            tanhC = arena.allocate((long) CHUNK * paddedUnits * Float.BYTES, 64);
            out = arena.allocate((long) outputs * Float.BYTES, 64);
        }
    }

    PackedPredictor(PackedLstm w, int threads) {
        crew = new Crew(threads, "vector-lstm-predict");
        scratch = new Scratch[crew.size()];
        int outputs = w.head.units();
        for (int i = 0; i < scratch.length; i++) scratch[i] = new Scratch(arena, w.paddedUnits, outputs);
    }

    /** The workers it shares rows out to. */
    int workers() { return crew.size(); }

    /**
     * Outputs [n, units] row-major for the n sequences of x (validated by the caller: of the model's
     * length, or of any lengths for a model without one).
     */
    float[] predict(PackedLstm w, int[][] x) {
        int outputs = w.head.units();
        if (w.timesteps == Shape.VARIABLE) {  // a model of any length grows its padding states here, once, not in the workers
            int mostPadding = 0;
            for (int[] seq : x) mostPadding = Math.max(mostPadding, leadingPadding(seq));
            w.paddingThrough(mostPadding);
        }
        float[] result = new float[Math.multiplyExact(x.length, outputs)];
        crew.run(x.length, (worker, from, count) -> {
            for (int r = from; r < from + count; r += CHUNK) chunk(w, x, r, Math.min(CHUNK, from + count - r), scratch[worker], result);
        });
        return result;
    }

    private static int leadingPadding(int[] seq) {
        int pads = 0;
        while (pads < seq.length && seq[pads] == 0) pads++;
        return pads;
    }

    /**
     * One chunk, its rows aligned at their ends: the chunk's steps are [0, end) for its longest
     * row's length {@code end}, and a row of length L reads its token i at step end - L + i
     * (shift end - L; all zero for a model of one length). A row joins at its first real token
     * with the padding states after its leading padding (as far as they reach: beyond, it steps
     * through the rest of its padding as tokens, as a scorer does).
     */
    private static void chunk(PackedLstm w, int[][] x, int first, int rows, Scratch s, float[] result) {
        int hp = w.paddedUnits, outputs = w.head.units();
        PackedLstm.Padding padding = w.padding();  // through every row's padding, or as far as they go (predict grew them)
        long width = 4L * hp;
        int end = 0;
        for (int i = 0; i < rows; i++) end = Math.max(end, x[first + i].length);
        for (int i = 0; i < rows; i++) {
            int[] seq = x[first + i];
            int pads = Math.min(leadingPadding(seq), padding.steps());
            s.keys[i] = ((long) (end - seq.length + pads) << 32) | i;
        }
        Arrays.sort(s.keys, 0, rows);

        MemorySegment hPrev = s.hA, hNext = s.hB;
        int active = 0;
        for (int t = (int) (s.keys[0] >>> 32); t < end; t++) {
            // Rows whose padding ends here join with the shared padding states after it.
            while (active < rows && (int) (s.keys[active] >>> 32) == t) {
                long pads = t - (end - x[first + (int) s.keys[active]].length);
                MemorySegment.copy(padding.h(), pads * hp * Float.BYTES, hPrev, (long) active * hp * Float.BYTES, (long) hp * Float.BYTES);
                MemorySegment.copy(padding.c(), pads * hp * Float.BYTES, s.c, (long) active * hp * Float.BYTES, (long) hp * Float.BYTES);
                active++;
            }
            for (int i = 0; i < active; i++) {
                int[] seq = x[first + (int) s.keys[i]];
                w.inputProjection(seq[t - (end - seq.length)], 0, hp, s.z, i * width);
            }
            K.lstmRecurrentPacked(evenRows(active), w.layout, 0, w.layout.blocks(), w.uPacked, hPrev, 0, hp, s.z, 0, width);
            K.lstmGatesForward(active, hp, s.z, 0, s.c, 0, s.c, 0, s.tanhC, 0, hNext, 0);
            MemorySegment swap = hPrev;
            hPrev = hNext;
            hNext = swap;
        }
        for (int i = 0; i < rows; i++) {
            int row = first + (int) s.keys[i];
            // A row of nothing but padding never joined: its state is the padding's h at its length.
            MemorySegment h = i < active ? hPrev : padding.h();
            long hOff = i < active ? (long) i * hp : (long) x[row].length * hp;
            w.head(h, hOff, s.out, 0);
            MemorySegment.copy(s.out, ValueLayout.JAVA_FLOAT, 0, result, row * outputs, outputs);
        }
    }

    /**
     * The row count the recurrent product runs on: the active rows, plus one idle row when they are
     * odd. The SIMD kernel sums a lone row in two chains over k (batch 1's latency) but rows in pairs
     * or fours in one chain, so without this a row's last bits would depend on how many other rows
     * are active beside it, that is on which sequences share its batch; Spark cuts the same texts
     * into other batches than one process does, and must get the same bits
     * (PredictBatchIndependenceTest). The idle row is the next slot of the chunk (odd active &lt;
     * rows or rows &lt; CHUNK, so it exists); its z and h are overwritten when a row joins there,
     * and its result is never read.
     */
    private static int evenRows(int active) {
        return active + (active & 1);
    }

    @Override
    public void close() {
        crew.close();
        arena.close();
    }
}
