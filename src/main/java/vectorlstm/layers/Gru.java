package vectorlstm.layers;

import java.lang.foreign.MemorySegment;
import java.util.List;
import vectorlstm.kernels.Kernels;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Keras {@code GRU(units, returnSequences, goBackwards, resetAfter)} with Keras' defaults: tanh
 * activation, sigmoid recurrent activation, gate order z, r, h, glorot_uniform kernel, orthogonal
 * recurrent kernel, zero bias, and {@code reset_after = True} (Keras 2.x's and 3's default, and
 * torch's GRU); {@code resetAfter = false} is the form of older Keras files
 * (keras/src/layers/rnn/gru.py, GRUCell). Masks, go_backwards and dropout as described in
 * {@link RecurrentLayer}; the recurrent activation of z and r may be Keras 2's or 3's hard sigmoid
 * ({@link RecurrentActivation}). Recurrent dropout drops h_{t-1} where it enters the recurrent products
 * (h·U, and r ⊙ h before U_h with reset_before) but not in {@code z ⊙ h_{t-1}}: Keras'
 * implementation 1 does that, with one mask per gate where we use one for all three (recent
 * Keras 3 switches to implementation 1 whenever recurrent_dropout is above 0; earlier Keras 3
 * releases' default implementation 2 ignored it).
 *
 * <p>Weights: {@code kernel W [D, 3H]}, {@code recurrent_kernel U [H, 3H]}, and {@code bias [2, 3H]}
 * (row 0 for the input, row 1 for the recurrent projection) with resetAfter, else {@code bias [3H]}.
 * Input {@code x [T, b, D]}; output {@code h_T [b, H]}, or {@code h_1..h_T [T, b, H]} with returnSequences.
 * Per step, with rec = h_{t-1}·U (+ bias row 1):
 * <pre>
 *   z = σ(x_z + rec_z),  r = σ(x_r + rec_r)
 *   hh = tanh(x_h + r ⊙ rec_h)               resetAfter
 *   hh = tanh(x_h + (r ⊙ h_{t-1})·U_h)       reset_before
 *   h_t = z ⊙ h_{t-1} + (1 - z) ⊙ hh
 * </pre>
 * As in {@link Lstm}: the input projection for all T steps is one GEMM before the loop, backward is
 * full BPTT step by step, and the weight gradients are bulk GEMMs over all T·b rows at the end.
 */
public final class Gru extends RecurrentLayer {
    private final boolean resetAfter;
    private Parameter kernel;
    private Parameter recurrentKernel;
    private Parameter bias;

    public Gru(int units) { this(units, false); }

    public Gru(int units, boolean returnSequences) { this(units, returnSequences, false); }

    public Gru(int units, boolean returnSequences, boolean goBackwards) { this(units, returnSequences, goBackwards, true); }

    public Gru(int units, boolean returnSequences, boolean goBackwards, boolean resetAfter) {
        super("GRU", units, returnSequences, goBackwards);
        this.resetAfter = resetAfter;
    }

    @Override protected boolean supportsDropout() { return true; }

    @Override public String typeName() { return "GRU"; }
    @Override public String namePrefix() { return "gru"; }
    @Override public RecurrentLayer reversedCopy() { return withOptionsOf(new Gru(units, returnSequences, !goBackwards, resetAfter)); }
    public boolean resetAfter() { return resetAfter; }
    public Parameter kernel() { return kernel; }
    public Parameter recurrentKernel() { return recurrentKernel; }
    public Parameter bias() { return bias; }

    @Override
    protected Shape doBuild(Shape input) {
        requireRank(input, 2, "GRU", "(None, timesteps, features)");
        int features = input.dim(1);
        kernel = addParameter(new Parameter("kernel", Initializer.glorotUniform(), features, 3 * units));
        recurrentKernel = addParameter(new Parameter("recurrent_kernel", Initializer.orthogonal(), units, 3 * units));
        bias = addParameter(resetAfter ? new Parameter("bias", Initializer.zeros(), 2, 3 * units) : new Parameter("bias", Initializer.zeros(), 3 * units));
        return sequenceOutputShape(input);
    }

    static final class GruState extends RecurrentState {
        final Tensor gates;  // [T, maxB, 3H] x·W + input bias → activations z, r, hh → their pre-activation gradients
        final Tensor rec;    // [T, maxB, 3H] h·U (+ recurrent bias) → resetAfter: its gradient
        final Tensor h;      // [T+1, maxB, H], slot 0 is h_0 = 0
        final Tensor rh;     // [T, maxB, H] r ⊙ h_{t-1}, reset_before only (dU_h = rhᵀ·dhh)
        final Tensor dh;     // [maxB, H] gradient reaching h_t
        final Tensor drh;    // [maxB, H] gradient of r ⊙ h_{t-1}, reset_before only
        /** returnSequences with zeroOutputForMask: the output, zero at masked steps; else null. */
        final Tensor zeroedOut;
        /** The masked rows' dh of the step being sent back, [maxB, H]. */
        final Tensor dhKeep;
        /** Uᵀ [3H, paddedWidth(H)], made at the start of each backward (see Kernels.transpose). */
        final Tensor uT;
        /** Training with recurrent dropout: the dropped h_{t-1} per step [T, maxB, H], dh's recurrent part [maxB, H]. */
        final Tensor hDropped, dhRecurrent;
        /** Backward's bulk products (dU, dW, dbias, dx), handed to the pass's TileRunner. */
        final GruGradientTiles gradientTiles = new GruGradientTiles();

        GruState(Slab slab, int steps, int maxB, int features, int units, boolean training, boolean needDx, boolean resetAfter,
                 boolean backwards, boolean zeroOutput, boolean inputDropout, boolean recurrentDropout) {
            super(slab, steps, maxB, features, 3 * units, training, needDx, backwards, inputDropout);
            gates = slab.tensor(steps, maxB, 3 * units);
            rec = slab.tensor(steps, maxB, 3 * units);
            h = slab.tensor(steps + 1, maxB, units);
            rh = resetAfter ? null : slab.tensor(steps, maxB, units);
            dh = training ? slab.tensor(maxB, units) : null;
            drh = training && !resetAfter ? slab.tensor(maxB, units) : null;
            zeroedOut = zeroOutput ? slab.tensor(steps, maxB, units) : null;
            dhKeep = training ? slab.tensor(maxB, units) : null;
            uT = training ? slab.tensor(3 * units, Kernels.paddedWidth(units)) : null;
            hDropped = training && recurrentDropout ? slab.tensor(steps, maxB, units) : null;
            dhRecurrent = training && recurrentDropout ? slab.tensor(maxB, units) : null;
        }
    }

    @Override
    public State newState(Slab slab, int maxBatch, int maxSteps, boolean training) {
        return new GruState(slab, maxSteps, maxBatch, inputShape().dim(1), units, training, keepsInputGradient(training), resetAfter,
                goBackwards, returnSequences && zeroOutputForMask, dropout > 0, recurrentDropout > 0);
    }

    // x [T, b, D] → gates = x·W + bias for all steps; then per step rec = h_{t-1}·U, z and r, hh, h_t;
    // masked rows then take h_{t-1} instead.
    @Override
    public Tensor forward(State state, Tensor x, Tensor mask, Pass pass) {
        GruState s = (GruState) state;
        int b = pass.batch(), steps = x.dim(0), d = inputShape().dim(1), g3 = 3 * units;
        x = processingOrder(s, x, mask, pass);
        mask = s.mask;
        int rows = Math.multiplyExact(steps, b);
        long stepH = (long) b * units, stepG = (long) b * g3;
        // h_{t-1} as the recurrent products see it: dropped in training with recurrent dropout
        MemorySegment hRec = s.recurrentDropped ? s.hDropped.segment() : s.h.segment();
        MemorySegment gates = s.gates.segment(), rec = s.rec.segment(), h = s.h.segment();
        MemorySegment u = recurrentKernel.value().segment(), bs = bias.value().segment();

        // Per token: x is the Embedding's output as it came (no mask, and canTakeTokenInput rules out reversal and input dropout).
        TokenInput tok = s.tokens;
        if (tok != null) tok.active = false;
        boolean perToken = tok != null && mask == null && tok.choose(b, rows);
        if (perToken) {
            tok.active = true;
            tok.buildTable(g3, kernel.value().segment(), bs);  // the input bias: bias row 0 with resetAfter, all of it without
        } else {
            K.gemmOverwrite(rows, g3, d, x.segment(), 0, d, 1, kernel.value().segment(), 0, g3, gates, 0, g3);
            K.addRowVector(rows, g3, bs, 0, gates, 0);
        }
        if (resetAfter) {  // rec starts as the recurrent bias; each step's GEMM adds h·U onto it
            s.rec.zeroFirst((long) steps * b * g3);
            K.addRowVector(rows, g3, bs, g3, rec, 0);
        }

        s.h.zeroFirst((long) b * units);
        for (int t = 0; t < steps; t++) {
            long gt = t * stepG, hPrev = t * stepH;
            if (s.recurrentDropped) applyStepMask(h, hPrev, hRec, hPrev, 1, b, units, s.recurrentKey, recurrentDropout);
            int a = activeRows(mask, t, b);  // rows after a are masked: they only carry their state
            if (perToken) tok.gather(t, b, gates, (long) t * b);  // step t's input part, just before the step reads it
            if (a > 0 && resetAfter) {
                K.gemm(a, g3, units, hRec, hPrev, units, 1, u, 0, g3, rec, gt, g3);
                gatesForward(a, gates, gt, rec, hRec, hPrev, null);
            } else if (a > 0) {
                K.gemmOverwrite(a, 2 * units, units, hRec, hPrev, units, 1, u, 0, g3, rec, gt, g3);
                gatesForward(a, gates, gt, rec, hRec, hPrev, s.rh.segment());
                K.gemmOverwrite(a, units, units, s.rh.segment(), hPrev, units, 1, u, 2L * units, g3, rec, gt + 2L * units, g3);
            }
            if (a > 0) K.gruCandidateForward(a, units, resetAfter, gates, gt, rec, gt, h, hPrev, h, hPrev + stepH);
            if (anyMasked(mask, t, b)) copyMaskedRows(mask, t, b, units, h, hPrev, h, hPrev + stepH);
        }
        if (!returnSequences) return s.lastState.slice(s.h, steps * stepH, b, units);
        Tensor out = s.allStates.slice(s.h, stepH, steps, b, units);
        if (s.zeroedOut == null || mask == null) return out;
        Tensor zeroed = s.zeroedOut.prefix(steps, b, units);
        zeroed.copyFrom(out);
        for (int t = 0; t < steps; t++) zeroMaskedRows(mask, t, b, units, zeroed.segment(), t * stepH);
        return zeroed;
    }

    /** z and r at offset gt with the recurrent activation (and rh = r ⊙ h_{t-1} for reset_before). */
    private void gatesForward(int b, MemorySegment gates, long gt, MemorySegment rec, MemorySegment hRec, long hPrev, MemorySegment rh) {
        if (sigmoidGates()) K.gruGatesForward(b, units, gates, gt, rec, gt, hRec, hPrev, rh, hPrev);
        else K.gruGatesForwardHard(b, units, recurrentActivation.slope(), gates, gt, rec, gt, hRec, hPrev, rh, hPrev);
    }

    @Override
    public Tensor outputMask(State state) {
        return returnSequences ? ((GruState) state).mask : null;
    }

    /** {@code dh += dOut[t]}, leaving out the rows masked at t when {@code zeroedMask} is given (their output was a constant zero). */
    private void addOutputGradient(Tensor zeroedMask, int t, int b, MemorySegment dOut, MemorySegment dh) {
        long at = (long) t * b * units;
        if (!anyMasked(zeroedMask, t, b)) {
            K.axpy((long) b * units, 1f, dOut, at, dh, 0);
            return;
        }
        for (int r = 0; r < b; r++) {
            if (!masked(zeroedMask, t, b, r)) K.axpy(units, 1f, dOut, at + (long) r * units, dh, (long) r * units);
        }
    }

    // dOut [b, H] (or [T, b, H]) → gate gradients per step backwards in time; then dU, dW, dbias, dx in bulk.
    // A masked row's step passed its state through: its gate gradients are zero and its dh goes on unchanged.
    @Override
    public Tensor backward(State state, Tensor gradOutput, List<Tensor> grads, int b) {
        GruState s = (GruState) state;
        int steps = s.steps, d = inputShape().dim(1), g3 = 3 * units;
        int ldU = Kernels.paddedWidth(units), ldW = Kernels.paddedWidth(d);
        K.transpose(units, g3, recurrentKernel.value().segment(), 0, g3, s.uT.segment(), 0, ldU);
        if (inputGradientNeeded) K.transpose(d, g3, kernel.value().segment(), 0, g3, s.wT.segment(), 0, ldW);
        int rows = Math.multiplyExact(steps, b);
        long stepH = (long) b * units, stepG = (long) b * g3;
        MemorySegment gates = s.gates.segment(), rec = s.rec.segment(), h = s.h.segment();
        MemorySegment dh = s.dh.segment(), dOut = gradOutput.segment(), uT = s.uT.segment(), dhKeep = s.dhKeep.segment();
        Tensor mask = s.mask;
        boolean zeroOutput = returnSequences && s.zeroedOut != null;
        // The recurrent products saw hRec (h_{t-1} dropped in training): their gradients go to
        // dRec, and reach dh through the same mask; without dropout they go to dh directly.
        MemorySegment hRec = s.recurrentDropped ? s.hDropped.segment() : h;
        MemorySegment dRec = s.recurrentDropped ? s.dhRecurrent.segment() : dh;
        TokenInput tok = s.tokens != null && s.tokens.active ? s.tokens : null;
        if (tok != null) tok.clearSums();  // the table is dead after forward: it collects Σ d(x·W) per word now

        MemorySegment.copy(dOut, returnSequences ? (steps - 1) * stepH * Float.BYTES : 0, dh, 0, stepH * Float.BYTES);
        if (zeroOutput) zeroMaskedRows(mask, steps - 1, b, units, dh, 0);
        for (int t = steps - 1; t >= 0; t--) {
            long gt = t * stepG, hPrev = t * stepH;
            boolean anyMasked = anyMasked(mask, t, b);
            int a = activeRows(mask, t, b);
            if (anyMasked) copyMaskedRows(mask, t, b, units, dh, 0, dhKeep, 0);
            if (a > 0 && sigmoidGates()) K.gruCandidateBackward(a, units, resetAfter, gates, gt, rec, gt, h, hPrev, dh, 0);   // dh = dh ⊙ z
            else if (a > 0) K.gruCandidateBackwardHard(a, units, recurrentActivation.slope(), resetAfter, gates, gt, rec, gt, h, hPrev, dh, 0);
            if (s.recurrentDropped) s.dhRecurrent.prefix(b, units).zero();
            if (!resetAfter && a > 0) {
                MemorySegment drh = s.drh.segment();
                K.gemmOverwrite(a, units, units, gates, gt + 2L * units, g3, 1, uT, 2L * units * ldU, ldU, drh, 0, units);  // drh = dhh·U_hᵀ
                if (sigmoidGates()) K.gruResetBackward(a, units, gates, gt, drh, 0, hRec, hPrev, dRec, 0);   // dhRec += drh ⊙ r
                else K.gruResetBackwardHard(a, units, recurrentActivation.slope(), gates, gt, drh, 0, hRec, hPrev, dRec, 0);
            }
            if (anyMasked) {
                zeroMaskedRows(mask, t, b, g3, gates, gt);
                if (resetAfter) zeroMaskedRows(mask, t, b, g3, rec, gt);
                if (s.recurrentDropped && !resetAfter) zeroMaskedRows(mask, t, b, units, dRec, 0);
                copyMaskedRows(mask, t, b, units, dhKeep, 0, dh, 0);
            }
            if (tok != null) tok.addStepSums(t, b, g3, gates, (long) t * b);  // step t's d(x·W) is complete, and in cache
            if (t == 0) break;  // h_0 is a constant: no gradient needed for it
            if (returnSequences) addOutputGradient(zeroOutput ? mask : null, t - 1, b, dOut, dh);
            if (a > 0 && resetAfter) {
                K.gemm(a, units, g3, rec, gt, g3, 1, uT, 0, ldU, dRec, 0, units);                   // dhRec += d(rec)·Uᵀ
            } else if (a > 0) {
                K.gemm(a, units, 2 * units, gates, gt, g3, 1, uT, 0, ldU, dRec, 0, units);          // dhRec += [dz, dr]·[U_z, U_r]ᵀ
            }
            if (s.recurrentDropped) {                                                              // dh += dhRec ⊙ the dropout mask
                applyStepMask(dRec, 0, dRec, 0, 1, b, units, s.recurrentKey, recurrentDropout);
                K.axpy(stepH, 1f, dRec, 0, dh, 0);
            }
        }

        MemorySegment dW = grads.get(0).segment(), dU = grads.get(1).segment(), dBias = grads.get(2).segment();
        // dW += xᵀ · d(x·W), dbias(input) += Σ d(x·W), dx = d(x·W) · Wᵀ and the recurrent side, in tiles
        GruGradientTiles tiles = s.gradientTiles.prepare(resetAfter, units, d, rows, hRec, gates, rec,
                resetAfter ? null : s.rh.segment(), s.input.segment(), dU, dW, dBias);
        if (tok == null) return runGradientTiles(s, tiles, b);
        runPerTokenTiles(s, tiles, tok, inputGradientNeeded);
        return null;  // the embedding's gradient is added already: nothing for its backward to do
    }
}
