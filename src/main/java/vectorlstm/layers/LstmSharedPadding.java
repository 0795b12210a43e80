package vectorlstm.layers;

import java.lang.foreign.MemorySegment;
import vectorlstm.kernels.KernelProvider;
import vectorlstm.kernels.Kernels;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Training forward and backward of an {@link Lstm} fed by an Embedding, for pre-padded sequences,
 * without computing their padding more than once. Exact: the same math as running every step.
 *
 * <p>Every row starts from the zero state and reads the padding token until its first real token
 * (its <em>join</em> step), so all rows share one state trajectory through the padding. It is
 * computed once per batch at batch size 1 (the "padding trajectory"). Rows are sorted by join
 * step, so at step t the rows that have joined are the first {@code active[t]}; only those are
 * stored and computed, packed step after step into one row space of {@code Σ active[t]} rows
 * ({@code offset[t]} is where step t's rows start). The big GEMMs (x·W, dU, dW, dx) then run once
 * over the packed rows with no padding in them.
 *
 * <p>Backward takes Uᵀ and Wᵀ (transposed, padded copies made by the caller) so that
 * {@code dh = dz·Uᵀ} and {@code dx = dz·Wᵀ} are plain GEMMs (dh's last columns as dot products
 * with U's rows, see {@link Lstm#addDzTimesUT}). A row's gradient at its join step (for h and c there) belongs to the padding
 * trajectory; those are summed over rows per step and sent back through the trajectory at batch
 * size 1, adding its share to dU, dW, dbias and to the padding token's embedding.
 *
 * <p>Shapes: x [T, b, D] (time-major, rows sorted by join), packed rows zP [R, 4H], hP/cP [R, H]
 * (state before each packed step), tanhCP [R, H] (tanh of c after it), trajectory padH/padC/padTanhC
 * [T+1, H] and padZ [T, 4H].
 */
final class LstmSharedPadding {
    private static final Kernels K = KernelProvider.get();

    /** Per-thread memory beyond {@code Lstm.LstmState}'s (whose buffers are reused for the packed rows). */
    static final class Memory {
        final int[] active, offset;
        /** dx of the packed rows [R, D], or null when no layer below needs dx. */
        final Tensor dxP;
        /** padGH, padGC, pdh, pdc and dxPad serve backward only: null in a state made for inference. */
        final Tensor xP, hFinal, cFinal, padZ, padH, padC, padTanhC, padGH, padGC, pdh, pdc, padSum, dxPad;
        int[] joins;
        Tensor xPad;
        int maxJoin, rows;

        Memory(Slab slab, int steps, int maxB, int features, int units, boolean training, boolean needDx) {
            active = new int[steps];
            dxP = needDx ? slab.tensor(steps, maxB, features) : null;
            offset = new int[steps + 1];
            xP = slab.tensor(steps, maxB, features);
            hFinal = slab.tensor(maxB, units);
            cFinal = slab.tensor(maxB, units);
            padZ = slab.tensor(steps, 4 * units);
            padH = slab.tensor(steps + 1, units);
            padC = slab.tensor(steps + 1, units);
            padTanhC = slab.tensor(steps + 1, units);
            padGH = training ? slab.tensor(steps + 1, units) : null;
            padGC = training ? slab.tensor(steps + 1, units) : null;
            pdh = training ? slab.tensor(units) : null;
            pdc = training ? slab.tensor(units) : null;
            padSum = slab.tensor(4 * units);
            dxPad = training ? slab.tensor(features) : null;
        }
    }

    private LstmSharedPadding() {}

    private static long bytes(long floats) { return floats * Float.BYTES; }

    /** Forward for b rows whose join steps are {@code m.joins} (ascending); returns h_T [b, H]. */
    static Tensor forward(Lstm.LstmState s, Memory m, Tensor x, int b, int steps, int d, int units,
                          MemorySegment w, MemorySegment u, MemorySegment bias) {
        int g4 = 4 * units;
        countActiveRows(m, b, steps);
        paddingTrajectory(m, d, units, w, u, bias);
        MemorySegment xs = x.segment(), xP = m.xP.segment(), zP = s.z.segment(), hP = s.h.segment(), cP = s.c.segment(), tcP = s.tanhC.segment();
        int rows = m.rows;
        TokenInput tok = s.tokens;
        boolean perToken = tok != null && rows > 0 && tok.choose(b, rows);
        if (perToken) {
            tok.active = true;
            tok.buildTable(g4, w, bias);
        } else if (rows > 0) {
            for (int t = 0; t < steps; t++) {
                MemorySegment.copy(xs, bytes((long) t * b * d), xP, bytes((long) m.offset[t] * d), bytes((long) m.active[t] * d));
            }
            K.gemmOverwrite(rows, g4, d, xP, 0, d, 1, w, 0, g4, zP, 0, g4);  // z = x·W + bias
            K.addRowVector(rows, g4, bias, 0, zP, 0);
        }
        for (int t = 0; t < steps; t++) {
            int a = m.active[t], joined = t == 0 ? 0 : m.active[t - 1];
            if (a == 0) continue;
            long off = m.offset[t];
            if (perToken) tok.gather(t, a, zP, off);  // step t's input part: the table rows of its active rows' tokens
            for (int i = joined; i < a; i++) {  // rows joining now start from the padding's h_t, c_t
                MemorySegment.copy(m.padH.segment(), bytes((long) t * units), hP, bytes((off + i) * units), bytes(units));
                MemorySegment.copy(m.padC.segment(), bytes((long) t * units), cP, bytes((off + i) * units), bytes(units));
            }
            K.gemm(a, g4, units, hP, off * units, units, 1, u, 0, g4, zP, off * g4, g4);
            boolean last = t == steps - 1;
            MemorySegment hOut = last ? m.hFinal.segment() : hP, cOut = last ? m.cFinal.segment() : cP;
            long outOff = last ? 0 : (long) m.offset[t + 1] * units;
            K.lstmGatesForward(a, units, zP, off * g4, cP, off * units, cOut, outOff, tcP, off * units, hOut, outOff);
        }
        int done = m.active[steps - 1];
        for (int i = done; i < b; i++) {  // rows of nothing but padding end on the padding's h_T
            MemorySegment.copy(m.padH.segment(), bytes((long) steps * units), m.hFinal.segment(), bytes((long) i * units), bytes(units));
        }
        return m.hFinal.prefix(b, units);
    }

    /** active[t] = rows with join <= t; offset[t] = packed rows before step t. */
    private static void countActiveRows(Memory m, int b, int steps) {
        int a = 0, off = 0;
        for (int i = 1; i < b; i++) {
            if (m.joins[i] < m.joins[i - 1]) throw new IllegalStateException("rows must be sorted by their first real step");
        }
        for (int t = 0; t < steps; t++) {
            while (a < b && m.joins[a] <= t) a++;
            m.active[t] = a;
            m.offset[t] = off;
            off += a;
        }
        m.offset[steps] = off;
        m.rows = off;
        m.maxJoin = Math.min(m.joins[b - 1], steps);
    }

    /** The states through maxJoin padding steps, batch 1, kept (with gate activations) for backward. */
    private static void paddingTrajectory(Memory m, int d, int units, MemorySegment w, MemorySegment u, MemorySegment bias) {
        int g4 = 4 * units;
        MemorySegment z = m.padZ.segment(), h = m.padH.segment(), c = m.padC.segment(), tc = m.padTanhC.segment();
        m.padH.slice(0, units).zero();
        m.padC.slice(0, units).zero();
        if (m.maxJoin == 0) return;
        // The padding token's projection xPad·W + bias is the same at every step: compute it once.
        m.padSum.zero();
        K.addRowVector(1, g4, bias, 0, m.padSum.segment(), 0);
        K.gemm(1, g4, d, m.xPad.segment(), 0, d, 1, w, 0, g4, m.padSum.segment(), 0, g4);
        for (int t = 0; t < m.maxJoin; t++) {
            MemorySegment.copy(m.padSum.segment(), 0, z, bytes((long) t * g4), bytes(g4));
            K.gemm(1, g4, units, h, (long) t * units, units, 1, u, 0, g4, z, (long) t * g4, g4);
            K.lstmGatesForward(1, units, z, (long) t * g4, c, (long) t * units, c, (long) (t + 1) * units, tc, (long) (t + 1) * units, h, (long) (t + 1) * units);
        }
    }

    /**
     * Backward from dOut [b, H] (the gradient reaching h_T): weight gradients into dW, dU, dBias;
     * returns dx [T, b, D] when {@code dx} is given (padding positions get zero, except one that
     * carries the whole padding trajectory's input gradient: the embedding adds them all to the
     * padding token's row anyway). With {@code tok} (the forward ran per token) the input side
     * runs per token and the embedding's gradient is added here: returns null.
     */
    static Tensor backward(Lstm.LstmState s, Memory m, TokenInput tok, Tensor dOut, int b, int steps, int d, int units,
                           MemorySegment u, Tensor wT, Tensor uT, MemorySegment dW, MemorySegment dU, MemorySegment dBias, Tensor dx) {
        int g4 = 4 * units, ldW = Kernels.paddedWidth(d);
        MemorySegment zP = s.z.segment(), hP = s.h.segment(), cP = s.c.segment(), tcP = s.tanhC.segment();
        MemorySegment dh = s.dh.segment(), dc = s.dc.segment(), gH = m.padGH.segment(), gC = m.padGC.segment();
        m.padGH.prefix(m.maxJoin + 1, units).zero();
        m.padGC.prefix(m.maxJoin + 1, units).zero();
        MemorySegment.copy(dOut.segment(), 0, dh, 0, bytes((long) b * units));
        s.dc.prefix(b, units).zero();
        for (int i = m.active[steps - 1]; i < b; i++) K.axpy(units, 1f, dh, (long) i * units, gH, (long) steps * units);

        for (int t = steps - 1; t >= 0; t--) {
            int a = m.active[t], joined = t == 0 ? 0 : m.active[t - 1];
            if (a == 0) break;  // active counts only grow with t: nothing earlier either
            long off = m.offset[t];
            K.lstmGatesBackward(a, units, zP, off * g4, cP, off * units, tcP, off * units, dh, 0, dc, 0);
            if (tok != null) tok.addStepSums(t, a, g4, zP, off);  // while step t's dz is in cache
            if (t == 0) break;  // h_0, c_0 are constants
            dh.asSlice(0, bytes((long) a * units)).fill((byte) 0);
            Lstm.addDzTimesUT(a, units, zP, off * g4, u, uT.segment(), dh, 0);   // dh_t = dz_t · Uᵀ
            for (int i = joined; i < a; i++) {  // rows that joined at t hand h_t, c_t's gradient to the padding
                K.axpy(units, 1f, dh, (long) i * units, gH, (long) t * units);
                K.axpy(units, 1f, dc, (long) i * units, gC, (long) t * units);
            }
        }
        paddingBackward(m, units, u, uT.segment());

        int rows = m.rows, mj = m.maxJoin;
        m.padSum.zero();
        K.addColumnSums(mj, g4, m.padZ.segment(), 0, g4, m.padSum.segment(), 0);
        LstmGradientTiles tiles = s.gradientTiles.prepare(units, d, rows, hP, zP, m.xP.segment(), dU, dW, dBias);
        if (tok != null) {
            // The padding trajectory reads the padding token (id 0, whose embedding row xPad is) at each of its steps.
            K.axpy(g4, 1f, m.padSum.segment(), 0, tok.table.segment(), tok.rowOffset(0, g4));
            if (mj > 0) tiles.padding(mj, m.padH.segment(), m.padZ.segment(), null, null);
            RecurrentLayer.runPerTokenTiles(s, tiles, tok, dx != null);
            return null;
        }
        if (mj > 0) tiles.padding(mj, m.padH.segment(), m.padZ.segment(), m.xPad.segment(), m.padSum.segment());
        if (dx != null) tiles.inputGradient(wT.segment(), ldW, m.dxP.segment());
        tiles.run(s.tiles);   // dU, dW, dbias (+ the padding's share) and dx for the packed rows
        if (dx == null) return null;

        // dx of the packed rows back to the [T, b, D] layout.
        MemorySegment dxP = m.dxP.segment(), dxs = dx.segment();
        dx.zero();
        for (int t = 0; t < steps; t++) {
            MemorySegment.copy(dxP, bytes((long) m.offset[t] * d), dxs, bytes((long) t * b * d), bytes((long) m.active[t] * d));
        }
        if (mj > 0) {
            // Row b-1 joins last (at mj >= 1), so (t = 0, row b-1) is a padding position.
            m.dxPad.zero();
            K.gemm(1, d, g4, m.padSum.segment(), 0, g4, 1, wT.segment(), 0, ldW, m.dxPad.segment(), 0, d);
            K.axpy(d, 1f, m.dxPad.segment(), 0, dxs, (long) (b - 1) * d);
        }
        return dx;
    }

    /** The summed join gradients back through the padding trajectory (batch 1); padZ becomes dz. */
    private static void paddingBackward(Memory m, int units, MemorySegment u, MemorySegment uT) {
        int g4 = 4 * units;
        MemorySegment pdh = m.pdh.segment(), pdc = m.pdc.segment(), padZ = m.padZ.segment();
        m.pdh.zero();
        m.pdc.zero();
        for (int s = m.maxJoin; s >= 1; s--) {
            K.axpy(units, 1f, m.padGH.segment(), (long) s * units, pdh, 0);
            K.axpy(units, 1f, m.padGC.segment(), (long) s * units, pdc, 0);
            // padding step s-1 took (h_{s-1}, c_{s-1}) to (h_s, c_s)
            K.lstmGatesBackward(1, units, padZ, (long) (s - 1) * g4, m.padC.segment(), (long) (s - 1) * units,
                    m.padTanhC.segment(), (long) s * units, pdh, 0, pdc, 0);
            m.pdh.zero();
            if (s > 1) Lstm.addDzTimesUT(1, units, padZ, (long) (s - 1) * g4, u, uT, pdh, 0);
        }
    }
}
