package vectorlstm.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import vectorlstm.kernels.KernelProvider;
import vectorlstm.kernels.Kernels;

/**
 * {@code predict} for {@code Embedding → LSTM → Dense} models: many sequences stepped together on
 * the {@link PackedLstm} weights, with a small working set instead of training memory.
 *
 * <p>Each worker takes its share of the inputs in chunks of {@link #CHUNK} rows. A chunk keeps only
 * the current step: z [rows, 4·Hp], h_{t-1} and h_t [rows, Hp], c [rows, Hp] (about 160 KB for 64
 * rows at H = 100, next to U's 180 KB in L2). Rows are ordered by their amount of leading padding:
 * a row joins the product at its first real token, starting from the shared padding states, so at
 * step t the rows still in their padding are neither stored nor computed, and the active rows are
 * always the first ones.
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
        final long[] keys = new long[CHUNK];   // (leading pads << 32) | row, sorted

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

    /** Outputs [n, units] row-major for the n sequences of x (validated by the caller). */
    float[] predict(PackedLstm w, int[][] x) {
        int outputs = w.head.units();
        float[] result = new float[Math.multiplyExact(x.length, outputs)];
        crew.run(x.length, (worker, from, count) -> {
            for (int r = from; r < from + count; r += CHUNK) chunk(w, x, r, Math.min(CHUNK, from + count - r), scratch[worker], result);
        });
        return result;
    }

    private static void chunk(PackedLstm w, int[][] x, int first, int rows, Scratch s, float[] result) {
        int hp = w.paddedUnits, steps = w.timesteps, outputs = w.head.units();
        long width = 4L * hp;
        for (int i = 0; i < rows; i++) {
            int[] seq = x[first + i];
            int pads = 0;
            while (pads < steps && seq[pads] == 0) pads++;
            s.keys[i] = ((long) pads << 32) | i;
        }
        Arrays.sort(s.keys, 0, rows);

        MemorySegment hPrev = s.hA, hNext = s.hB;
        int active = 0;
        for (int t = (int) (s.keys[0] >>> 32); t < steps; t++) {
            // Rows whose padding ends here join with the shared padding states h_t, c_t.
            while (active < rows && (int) (s.keys[active] >>> 32) == t) {
                MemorySegment.copy(w.padH, (long) t * hp * Float.BYTES, hPrev, (long) active * hp * Float.BYTES, (long) hp * Float.BYTES);
                MemorySegment.copy(w.padC, (long) t * hp * Float.BYTES, s.c, (long) active * hp * Float.BYTES, (long) hp * Float.BYTES);
                active++;
            }
            for (int i = 0; i < active; i++) w.inputProjection(x[first + (int) s.keys[i]][t], 0, hp, s.z, i * width);
            K.lstmRecurrentPacked(evenRows(active), w.layout, 0, w.layout.blocks(), w.uPacked, hPrev, 0, hp, s.z, 0, width);
            K.lstmGatesForward(active, hp, s.z, 0, s.c, 0, s.c, 0, s.tanhC, 0, hNext, 0);
            MemorySegment swap = hPrev;
            hPrev = hNext;
            hNext = swap;
        }
        for (int i = 0; i < rows; i++) {
            // A row of nothing but padding never joined: its state is the padding's h_T.
            MemorySegment h = i < active ? hPrev : w.padH;
            long hOff = i < active ? (long) i * hp : (long) steps * hp;
            w.head.forwardRow(h, hOff, s.out, 0);
            int row = first + (int) s.keys[i];
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
