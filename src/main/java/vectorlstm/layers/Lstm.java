package vectorlstm.layers;

import java.lang.foreign.MemorySegment;
import java.util.List;
import vectorlstm.kernels.Kernels;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Keras {@code LSTM(units, returnSequences, goBackwards)} with Keras' defaults: tanh activation,
 * sigmoid recurrent activation, gate order i, f, c, o, glorot_uniform kernel, orthogonal recurrent
 * kernel, zero bias with unit_forget_bias (the f slice starts at 1). Masks, go_backwards, dropout
 * and recurrent_dropout as described in {@link RecurrentLayer}.
 *
 * <p>Weights: {@code kernel W [D, 4H]}, {@code recurrent_kernel U [H, 4H]}, {@code bias [4H]}.
 * Input {@code x [T, b, D]}; output {@code h_T [b, H]}, or {@code h_1..h_T [T, b, H]} with returnSequences.
 *
 * <p>Per step only the recurrent GEMM {@code h_{t-1}·U} remains: the input projection
 * {@code x·W + bias} for all T steps is one big GEMM before the loop. Backward runs the gate
 * gradients step by step (full BPTT) and leaves the weight gradients to three big GEMMs over all
 * T·b rows at the end.
 */
public final class Lstm extends RecurrentLayer {
    private Parameter kernel;
    private Parameter recurrentKernel;
    private Parameter bias;

    public Lstm(int units) { this(units, false); }

    public Lstm(int units, boolean returnSequences) { this(units, returnSequences, false); }

    public Lstm(int units, boolean returnSequences, boolean goBackwards) {
        super("LSTM", units, returnSequences, goBackwards);
    }

    @Override public String typeName() { return "LSTM"; }
    @Override public String namePrefix() { return "lstm"; }
    @Override
    public RecurrentLayer reversedCopy() {
        return withOptionsOf(new Lstm(units, returnSequences, !goBackwards));
    }

    @Override protected boolean supportsDropout() { return true; }


    public Parameter kernel() { return kernel; }
    public Parameter recurrentKernel() { return recurrentKernel; }
    public Parameter bias() { return bias; }

    @Override
    protected Shape doBuild(Shape input) {
        requireRank(input, 2, "LSTM", "(None, timesteps, features)");
        int features = input.dim(1);
        kernel = addParameter(new Parameter("kernel", Initializer.glorotUniform(), features, 4 * units));
        recurrentKernel = addParameter(new Parameter("recurrent_kernel", Initializer.orthogonal(), units, 4 * units));
        bias = addParameter(new Parameter("bias", (t, rng) -> {
            t.zero();
            for (int j = units; j < 2 * units; j++) t.set(j, 1f);  // unit_forget_bias
        }, 4 * units));
        return sequenceOutputShape(input);
    }

    static final class LstmState extends RecurrentState {
        final Tensor z;      // [T, maxB, 4H] pre-activations → activations → dz
        final Tensor c;      // [T+1, maxB, H], slot 0 is c_0 = 0
        final Tensor tanhC;  // [T+1, maxB, H], tanh(c_t), kept for backward
        final Tensor h;      // [T+1, maxB, H], slot 0 is h_0 = 0
        final Tensor dh;     // [maxB, H] gradient reaching h_t
        final Tensor dc;     // [maxB, H] gradient reaching c_t
        /** returnSequences with zeroOutputForMask: the output, zero at masked steps; else null. */
        final Tensor zeroedOut;
        /** The masked rows' dh and dc of the step being sent back, [maxB, H] each. */
        final Tensor dhKeep, dcKeep;
        /** Training with recurrent dropout: the dropped h_{t-1} per step [T, maxB, H], dh's recurrent part [maxB, H]. */
        final Tensor hDropped, dhRecurrent;
        /** Uᵀ [4H, paddedWidth(H)], made at the start of each backward: dh = dz·Uᵀ becomes a plain GEMM. */
        final Tensor uT;
        boolean viaPadding;  // the last forward ran LstmSharedPadding
        /** Backward's bulk products (dU, dW, dbias, dx), handed to the pass's TileRunner. */
        final LstmGradientTiles gradientTiles = new LstmGradientTiles();
        /** Set for a last-state LSTM: lets rows skip their shared padding (see skipLeadingPadding). */
        final LstmSharedPadding.Memory padding;

        LstmState(Slab slab, int steps, int maxB, int features, int units, boolean training, boolean needDx, boolean lastOnly,
                  boolean backwards, boolean zeroOutput, boolean inputDropout, boolean recurrentDropout) {
            super(slab, steps, maxB, features, 4 * units, training, needDx, backwards, inputDropout);
            z = slab.tensor(steps, maxB, 4 * units);
            c = slab.tensor(steps + 1, maxB, units);
            tanhC = slab.tensor(steps + 1, maxB, units);
            h = slab.tensor(steps + 1, maxB, units);
            dh = training ? slab.tensor(maxB, units) : null;
            dc = training ? slab.tensor(maxB, units) : null;
            uT = training ? slab.tensor(4 * units, Kernels.paddedWidth(units)) : null;
            padding = lastOnly && !backwards ? new LstmSharedPadding.Memory(slab, steps, maxB, features, units, training, needDx) : null;
            zeroedOut = zeroOutput ? slab.tensor(steps, maxB, units) : null;
            dhKeep = training ? slab.tensor(maxB, units) : null;
            dcKeep = training ? slab.tensor(maxB, units) : null;
            hDropped = training && recurrentDropout ? slab.tensor(steps, maxB, units) : null;
            dhRecurrent = training && recurrentDropout ? slab.tensor(maxB, units) : null;
        }
    }

    @Override
    public State newState(Slab slab, int maxBatch, int maxSteps, boolean training) {
        return new LstmState(slab, maxSteps, maxBatch, inputShape().dim(1), units, training, keepsInputGradient(training), !returnSequences,
                goBackwards, returnSequences && zeroOutputForMask, dropout > 0, recurrentDropout > 0);
    }

    /**
     * For the next forward/backward on this state: the b rows are pre-padded sequences whose first
     * real step is {@code joins[row]} (ascending), and {@code paddingInput} [1, D] is the embedded
     * padding token. The LSTM then computes their shared padding trajectory once instead of per
     * row ({@link LstmSharedPadding}); same math. Null turns it off. Last-state LSTMs only.
     */
    public void skipLeadingPadding(State state, int[] joins, Tensor paddingInput) {
        LstmState s = (LstmState) state;
        if (s.padding == null) throw new IllegalStateException("only an LSTM that returns its last state can skip padding");
        s.padding.joins = joins;
        s.padding.xPad = paddingInput;
    }

    /** True when this layer can skip shared leading padding (it returns only its last state, reading forwards). */
    public boolean canSkipLeadingPadding() { return !returnSequences && !goBackwards && sigmoidGates(); }

    // x [T, b, D] → z = x·W + bias for all steps; then per step z_t += h_{t-1}·U, gates, c_t, h_t;
    // masked rows then take c_{t-1}, h_{t-1} instead.
    @Override
    public Tensor forward(State state, Tensor x, Tensor mask, Pass pass) {
        LstmState s = (LstmState) state;
        int b = pass.batch(), steps = x.dim(0), d = inputShape().dim(1), g4 = 4 * units;
        x = processingOrder(s, x, mask, pass);
        mask = s.mask;
        // When the shared padding path can run, x is still the input as it came (no go_backwards: s.padding is null then; no dropout).
        s.viaPadding = s.padding != null && s.padding.joins != null && mask == null && !s.inputDropped && !s.recurrentDropped && sigmoidGates();
        TokenInput tok = s.tokens;
        if (tok != null) tok.active = false;
        if (s.viaPadding) {
            return LstmSharedPadding.forward(s, s.padding, x, b, steps, d, units,
                    kernel.value().segment(), recurrentKernel.value().segment(), bias.value().segment());
        }
        int rows = Math.multiplyExact(steps, b);
        long stepH = (long) b * units, stepZ = (long) b * g4;
        MemorySegment z = s.z.segment(), c = s.c.segment(), tc = s.tanhC.segment(), h = s.h.segment();
        MemorySegment u = recurrentKernel.value().segment();

        // Per token: x is the Embedding's output as it came (no mask, and canTakeTokenInput rules out reversal and input dropout).
        boolean perToken = tok != null && mask == null && tok.choose(b, rows);
        if (perToken) {
            tok.active = true;
            tok.buildTable(g4, kernel.value().segment(), bias.value().segment());
        } else {
            K.gemmOverwrite(rows, g4, d, x.segment(), 0, d, 1, kernel.value().segment(), 0, g4, z, 0, g4);
            K.addRowVector(rows, g4, bias.value().segment(), 0, z, 0);
        }

        s.c.zeroFirst((long) b * units);  // the initial states of the batch's rows
        s.h.zeroFirst((long) b * units);
        for (int t = 0; t < steps; t++) {
            int a = activeRows(mask, t, b);  // rows after a are masked: they only carry their state
            if (perToken) tok.gather(t, b, z, (long) t * b);  // z_t's input part, just before the step reads it
            if (s.recurrentDropped) {
                applyStepMask(h, t * stepH, s.hDropped.segment(), t * stepH, 1, b, units, s.recurrentKey, recurrentDropout);
                if (a > 0) K.gemm(a, g4, units, s.hDropped.segment(), t * stepH, units, 1, u, 0, g4, z, t * stepZ, g4);
            } else if (a > 0) {
                K.gemm(a, g4, units, h, t * stepH, units, 1, u, 0, g4, z, t * stepZ, g4);
            }
            if (a > 0 && sigmoidGates()) {
                K.lstmGatesForward(a, units, z, t * stepZ, c, t * stepH, c, (t + 1) * stepH, tc, (t + 1) * stepH, h, (t + 1) * stepH);
            } else if (a > 0) {
                K.lstmGatesForwardHard(a, units, recurrentActivation.slope(), z, t * stepZ, c, t * stepH, c, (t + 1) * stepH, tc, (t + 1) * stepH, h, (t + 1) * stepH);
            }
            if (anyMasked(mask, t, b)) {
                copyMaskedRows(mask, t, b, units, c, t * stepH, c, (t + 1) * stepH);
                copyMaskedRows(mask, t, b, units, h, t * stepH, h, (t + 1) * stepH);
            }
        }
        if (!returnSequences) return s.lastState.slice(s.h, steps * stepH, b, units);
        Tensor out = s.allStates.slice(s.h, stepH, steps, b, units);
        if (s.zeroedOut == null || mask == null) return out;
        Tensor zeroed = s.zeroedOut.prefix(steps, b, units);
        zeroed.copyFrom(out);
        for (int t = 0; t < steps; t++) zeroMaskedRows(mask, t, b, units, zeroed.segment(), t * stepH);
        return zeroed;
    }

    @Override
    public Tensor outputMask(State state) {
        return returnSequences ? ((LstmState) state).mask : null;
    }

    /**
     * {@code dh[rows, H] += dz[rows, 4H] · Uᵀ}, the per-step product of backward. The columns in
     * whole vectors run as a GEMM on the transposed copy {@code uT [4H, paddedWidth(H)]}; the last
     * {@code H mod lanes} (4 of 100 at 8 and 16 lanes) as dot products with U's rows, which need
     * no copy: as one whole vector per 4 columns, the GEMM's tail took a third of this product's
     * time at 512 bits (docs/performance-history.md).
     */
    static void addDzTimesUT(int rows, int units, MemorySegment dz, long dzOff, MemorySegment u, MemorySegment uT,
                             MemorySegment dh, long dhOff) {
        int g4 = 4 * units, whole = units - units % K.gateBlock();
        K.gemm(rows, whole, g4, dz, dzOff, g4, 1, uT, 0, Kernels.paddedWidth(units), dh, dhOff, units);
        K.gemmTransB(rows, units - whole, g4, dz, dzOff, g4, u, (long) whole * g4, g4, dh, dhOff + whole, units);
    }

    // dOut [b, H] (or [T, b, H]) → dz per step backwards in time; then dU, dW, dbias, dx in bulk.
    // A masked row's step passed its state through: its dz is zero and its dh, dc go on unchanged.
    @Override
    public Tensor backward(State state, Tensor gradOutput, List<Tensor> grads, int b) {
        LstmState s = (LstmState) state;
        int steps = s.steps, d = inputShape().dim(1), g4 = 4 * units;
        int ldU = Kernels.paddedWidth(units), ldW = Kernels.paddedWidth(d);
        K.transpose(units, g4, recurrentKernel.value().segment(), 0, g4, s.uT.segment(), 0, ldU);
        if (inputGradientNeeded) K.transpose(d, g4, kernel.value().segment(), 0, g4, s.wT.segment(), 0, ldW);
        TokenInput tok = s.tokens != null && s.tokens.active ? s.tokens : null;
        if (tok != null) tok.clearSums();  // the table is dead after forward: it collects Σ dz per word now
        if (s.viaPadding) {
            return LstmSharedPadding.backward(s, s.padding, tok, gradOutput, b, steps, d, units, recurrentKernel.value().segment(), s.wT, s.uT,
                    grads.get(0).segment(), grads.get(1).segment(), grads.get(2).segment(),
                    inputGradientNeeded ? s.dx.prefix(steps, b, d) : null);
        }
        int rows = Math.multiplyExact(steps, b);
        long stepH = (long) b * units, stepZ = (long) b * g4;
        MemorySegment z = s.z.segment(), c = s.c.segment(), tc = s.tanhC.segment(), h = s.h.segment();
        MemorySegment dh = s.dh.segment(), dc = s.dc.segment(), dOut = gradOutput.segment();
        MemorySegment dhKeep = s.dhKeep.segment(), dcKeep = s.dcKeep.segment();
        Tensor mask = s.mask;
        boolean zeroOutput = returnSequences && s.zeroedOut != null;

        s.dc.prefix(b, units).zero();
        MemorySegment.copy(dOut, returnSequences ? (steps - 1) * stepH * Float.BYTES : 0, dh, 0, stepH * Float.BYTES);
        if (zeroOutput) zeroMaskedRows(mask, steps - 1, b, units, dh, 0);
        for (int t = steps - 1; t >= 0; t--) {
            boolean anyMasked = anyMasked(mask, t, b);
            int a = activeRows(mask, t, b);
            if (anyMasked) {
                copyMaskedRows(mask, t, b, units, dh, 0, dhKeep, 0);
                copyMaskedRows(mask, t, b, units, dc, 0, dcKeep, 0);
            }
            if (a > 0 && sigmoidGates()) K.lstmGatesBackward(a, units, z, t * stepZ, c, t * stepH, tc, (t + 1) * stepH, dh, 0, dc, 0);
            else if (a > 0) K.lstmGatesBackwardHard(a, units, recurrentActivation.slope(), z, t * stepZ, c, t * stepH, tc, (t + 1) * stepH, dh, 0, dc, 0);
            if (anyMasked) {
                zeroMaskedRows(mask, t, b, g4, z, t * stepZ);
                copyMaskedRows(mask, t, b, units, dcKeep, 0, dc, 0);
            }
            if (tok != null) tok.addStepSums(t, b, g4, z, (long) t * b);  // while step t's dz is in cache
            if (t == 0) break;  // h_0 is a constant: no gradient needed for it
            if (returnSequences) {
                MemorySegment.copy(dOut, (t - 1) * stepH * Float.BYTES, dh, 0, stepH * Float.BYTES);
                if (zeroOutput) zeroMaskedRows(mask, t - 1, b, units, dh, 0);
            } else {
                s.dh.prefix(b, units).zero();
            }
            if (s.recurrentDropped) {   // dh_{t-1} += (dz_t · Uᵀ) ⊙ the recurrent dropout mask
                s.dhRecurrent.prefix(b, units).zero();
                if (a > 0) addDzTimesUT(a, units, z, t * stepZ, recurrentKernel.value().segment(), s.uT.segment(), s.dhRecurrent.segment(), 0);
                applyStepMask(s.dhRecurrent.segment(), 0, s.dhRecurrent.segment(), 0, 1, b, units, s.recurrentKey, recurrentDropout);
                K.axpy(stepH, 1f, s.dhRecurrent.segment(), 0, dh, 0);
            } else {
                if (a > 0) addDzTimesUT(a, units, z, t * stepZ, recurrentKernel.value().segment(), s.uT.segment(), dh, 0);   // dh_{t-1} += dz_t · Uᵀ
            }
            if (anyMasked) addMaskedRows(mask, t, b, units, dhKeep, 0, dh, 0);
        }

        MemorySegment dW = grads.get(0).segment(), dU = grads.get(1).segment(), dBias = grads.get(2).segment();
        MemorySegment hUsed = s.recurrentDropped ? s.hDropped.segment() : h;           // h_{t-1} as the product saw it
        // dU += h_{0..T-1}ᵀ · dz, dW += xᵀ · dz, dbias += Σ dz and dx = dz · Wᵀ, in tiles
        LstmGradientTiles tiles = s.gradientTiles.prepare(units, d, rows, hUsed, z, s.input.segment(), dU, dW, dBias);
        if (tok == null) return runGradientTiles(s, tiles, b);
        runPerTokenTiles(s, tiles, tok, inputGradientNeeded);
        return null;  // the embedding's gradient is added already: nothing for its backward to do
    }

}
