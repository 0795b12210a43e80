package vectorlstm.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Every numeric kernel the engine runs, in one small interface.
 *
 * <p>Two implementations: {@link ScalarKernels} (plain loops: the reference, and the fallback when
 * {@code jdk.incubator.vector} is absent) and {@link PanamaKernels} (Vector API). One is chosen
 * once at start-up by {@link KernelProvider}, so each call site stays monomorphic.
 *
 * <p>All tensors are float32 in off-heap segments; offsets and strides count floats, not bytes.
 * Matrices are row-major. No kernel allocates.
 */
public interface Kernels {

    /** One line for the start-up log: implementation, vector width, FMA. */
    String description();

    /**
     * Tiles of a product: {@link #gemm} and {@link #gemmOverwrite} cut into blocks of C's columns
     * starting at multiples of this many columns, or into blocks of its rows starting at multiples
     * of this many rows, give every element of C the bits of the whole product (each element is
     * summed over k in an order that depends on k alone). Layers hand such tiles to other threads
     * ({@code layers.TileRunner}); {@code KernelParityTest} checks the promise at every width.
     * 32: two vectors at 16 lanes, the width of gemmOverwrite's 8 x 2 block (a narrower block of
     * columns would take another kernel, whose lone last row sums k in another order).
     */
    int TILE_ALIGN = 32;

    /**
     * {@code C[m,n] += A[m,k] · B[k,n]}.
     * A is addressed through strides, {@code A(i,p) = a[aOff + i*aRowStride + p*aColStride]}, so the
     * same kernel computes {@code A·B} (strides k, 1) and {@code Aᵀ·B} (strides 1, m) — the weight
     * gradients of backward. B and C are row-major with leading dimensions ldb and ldc.
     * For {@code A·Bᵀ} prefer a transposed copy of B made by {@link #transpose} (see there); C's
     * columns past the last whole vector run as whole vectors too when B's rows can be read that
     * far (such a padded copy), else as scalar loops.
     */
    void gemm(int m, int n, int k,
              MemorySegment a, long aOff, long aRowStride, long aColStride,
              MemorySegment b, long bOff, long ldb,
              MemorySegment c, long cOff, long ldc);

    /**
     * {@code C[m,n] = A[m,k] · B[k,n]}: {@link #gemm} on a C it overwrites, the same as zeroing
     * C first (within rounding). Faster where C would be zeroed anyway (backward's {@code dx = dz·Wᵀ}, forward's
     * {@code x·W} before the bias is added):
     * with nothing to load from C, the SIMD kernel affords a taller register block. Meant for k up
     * to a few hundred.
     */
    void gemmOverwrite(int m, int n, int k,
                       MemorySegment a, long aOff, long aRowStride, long aColStride,
                       MemorySegment b, long bOff, long ldb,
                       MemorySegment c, long cOff, long ldc);

    /**
     * {@code C[m,n] += A[m,k] · B[n,k]ᵀ}: both operands row-major and contiguous along k, so each
     * element of C is a dot product of two rows. Needs no copy of B, but its fixed-order lane sums
     * make it slower than {@link #gemm} on a transposed copy of B: for {@code dh = dz·Uᵀ} about
     * 3.5x at 16 lanes, 1.2x at 8 (docs/performance-history.md).
     */
    void gemmTransB(int m, int n, int k,
                    MemorySegment a, long aOff, long lda,
                    MemorySegment b, long bOff, long ldb,
                    MemorySegment c, long cOff, long ldc);

    /**
     * {@code dst[cols, ldd] = src[rows, cols]ᵀ} (src with leading dimension lds), and columns
     * {@code rows .. ldd-1} of every dst row set to zero. Made once per weight update, it turns
     * {@code C += A·srcᵀ} into a plain {@link #gemm} with B = dst, which is how backward's
     * {@code dh = dz·Uᵀ} and {@code dx = dz·Wᵀ} run fastest: with {@code ldd = paddedWidth(rows)}
     * even the columns past the last whole vector (H = 100 at 16 lanes: 4) run as a vector.
     * E.g. Uᵀ for U [H, 4H]: {@code transpose(H, 4H, u, 0, 4H, uT, 0, paddedWidth(H))}, then
     * {@code gemm(b, H, 4H, dz, off, 4H, 1, uT, 0, paddedWidth(H), dh, 0, H)}.
     */
    void transpose(int rows, int cols, MemorySegment src, long srcOff, long lds, MemorySegment dst, long dstOff, long ldd);

    /**
     * Row length for a transposed copy of {@code n} columns: n rounded up to 16 floats, a whole
     * number of vectors at every width up to 512 bits (and one cache line), so the layout does not
     * depend on the machine.
     */
    static int paddedWidth(int n) { return Math.addExact(n, 15) & ~15; }

    /**
     * The element-wise part of one LSTM step for {@code batch} rows of {@code units} cells.
     * {@code z} holds the pre-activations {@code [batch, 4*units]} in Keras gate order i, f, c, o
     * and is overwritten with the activations (sigmoid i, f, o and tanh g), which backward needs.
     * Then {@code c = f*cPrev + i*g}, {@code tanhC = tanh(c)} (kept so backward needs no
     * transcendental) and {@code h = o*tanhC}, each {@code [batch, units]}.
     */
    void lstmGatesForward(int batch, int units,
                          MemorySegment z, long zOff,
                          MemorySegment cPrev, long cPrevOff,
                          MemorySegment c, long cOff,
                          MemorySegment tanhC, long tcOff,
                          MemorySegment h, long hOff);

    /**
     * Backward of {@link #lstmGatesForward} for one step.
     * In: gate activations in {@code gates} [batch, 4*units], {@code cPrev}, {@code tanhC}, the gradient
     * {@code dh} reaching h_t, and in {@code dc} the gradient reaching c_t from step t+1.
     * Out: {@code gates} is overwritten with the pre-activation gradients dz (same layout) and
     * {@code dc} with the gradient for c_{t-1}.
     */
    void lstmGatesBackward(int batch, int units,
                           MemorySegment gates, long gOff,
                           MemorySegment cPrev, long cPrevOff,
                           MemorySegment tanhC, long tcOff,
                           MemorySegment dh, long dhOff,
                           MemorySegment dc, long dcOff);

    /**
     * {@link #lstmGatesForward} with Keras' hard sigmoid as the recurrent activation of i, f and o:
     * {@code max(0, min(1, slope·x + 0.5))} (Keras 2's hard_sigmoid has slope 0.2, Keras 3's 1/6).
     */
    void lstmGatesForwardHard(int batch, int units, float slope,
                              MemorySegment z, long zOff,
                              MemorySegment cPrev, long cPrevOff,
                              MemorySegment c, long cOff,
                              MemorySegment tanhC, long tcOff,
                              MemorySegment h, long hOff);

    /** Backward of {@link #lstmGatesForwardHard}: a gate's derivative is the slope where 0 &lt; s &lt; 1, else 0. */
    void lstmGatesBackwardHard(int batch, int units, float slope,
                               MemorySegment gates, long gOff,
                               MemorySegment cPrev, long cPrevOff,
                               MemorySegment tanhC, long tcOff,
                               MemorySegment dh, long dhOff,
                               MemorySegment dc, long dcOff);

    /*
     * GRU, Keras semantics (keras/src/layers/rnn/gru.py, GRUCell.call): gate order z, r, h;
     * z = σ(x_z + rec_z), r = σ(x_r + rec_r), h_t = z ⊙ h_{t-1} + (1 - z) ⊙ hh, with
     * reset_after (Keras' default, torch's form): hh = tanh(x_h + r ⊙ rec_h), rec = h_{t-1}·U + recurrent bias;
     * reset_before: hh = tanh(x_h + (r ⊙ h_{t-1})·U_h), rec_{z,r} = h_{t-1}·U_{z,r}.
     * A step is two kernels around the recurrent GEMMs, because reset_before's (r ⊙ h)·U_h needs r
     * first: gruGatesForward (z, r), then gruCandidateForward (hh, h). Backward runs them in
     * reverse: gruCandidateBackward, then (reset_before only) gruResetBackward.
     * Rows: gates and rec [batch, 3H] with gate slots at 0, H, 2H; hPrev, h, rh, dh, drh [batch, H].
     */

    /**
     * z and r of one GRU step. {@code gates} holds x·W + input bias; its z and r slots are overwritten
     * with σ(gates + rec). With {@code rh} non-null (reset_before) also {@code rh = r ⊙ hPrev}, the
     * left operand of the candidate's recurrent GEMM.
     */
    void gruGatesForward(int batch, int units,
                         MemorySegment gates, long gOff,
                         MemorySegment rec, long recOff,
                         MemorySegment hPrev, long hpOff,
                         MemorySegment rh, long rhOff);

    /**
     * The candidate and the new state, after {@link #gruGatesForward}: {@code hh = tanh(x_h + r ⊙ rec_h)}
     * (resetAfter) or {@code tanh(x_h + rec_h)} with rec_h = (r ⊙ h_{t-1})·U_h (reset_before), kept in
     * the h slot of {@code gates} for backward; {@code h = z ⊙ hPrev + (1 - z) ⊙ hh}.
     * h may be hPrev itself (an in-place state update).
     */
    void gruCandidateForward(int batch, int units, boolean resetAfter,
                             MemorySegment gates, long gOff,
                             MemorySegment rec, long recOff,
                             MemorySegment hPrev, long hpOff,
                             MemorySegment h, long hOff);

    /**
     * Backward of {@link #gruCandidateForward} and of z. In: activations z, r, hh in {@code gates},
     * hPrev, {@code dh} the gradient reaching h_t (and, resetAfter, rec_h in {@code rec}).
     * Out: {@code dh = dh ⊙ z}, the direct part of the gradient for h_{t-1}; in {@code gates} the
     * pre-activation gradients of the z and h slots (which are also those of x·W + input bias).
     * resetAfter: also the r slot's, and {@code rec} becomes the gradient of h_{t-1}·U + recurrent
     * bias: {@code [dz, dr, r ⊙ dh_h]}. reset_before: r stays in its slot for {@link #gruResetBackward}.
     */
    void gruCandidateBackward(int batch, int units, boolean resetAfter,
                              MemorySegment gates, long gOff,
                              MemorySegment rec, long recOff,
                              MemorySegment hPrev, long hpOff,
                              MemorySegment dh, long dhOff);

    /**
     * reset_before only, after {@link #gruCandidateBackward} and {@code drh = dh_h·U_hᵀ} (the gradient of
     * r ⊙ hPrev): the r slot of {@code gates} becomes {@code drh ⊙ hPrev ⊙ r(1 - r)} and
     * {@code dh += drh ⊙ r}.
     */
    void gruResetBackward(int batch, int units,
                          MemorySegment gates, long gOff,
                          MemorySegment drh, long drhOff,
                          MemorySegment hPrev, long hpOff,
                          MemorySegment dh, long dhOff);

    /** {@link #gruGatesForward} with Keras' hard sigmoid for z and r (see {@link #lstmGatesForwardHard}). */
    void gruGatesForwardHard(int batch, int units, float slope,
                             MemorySegment gates, long gOff,
                             MemorySegment rec, long recOff,
                             MemorySegment hPrev, long hpOff,
                             MemorySegment rh, long rhOff);

    /** {@link #gruCandidateBackward} after {@link #gruGatesForwardHard}: z's and r's derivative is the slope where 0 &lt; s &lt; 1, else 0. */
    void gruCandidateBackwardHard(int batch, int units, float slope, boolean resetAfter,
                                  MemorySegment gates, long gOff,
                                  MemorySegment rec, long recOff,
                                  MemorySegment hPrev, long hpOff,
                                  MemorySegment dh, long dhOff);

    /** {@link #gruResetBackward} after {@link #gruGatesForwardHard}. */
    void gruResetBackwardHard(int batch, int units, float slope,
                              MemorySegment gates, long gOff,
                              MemorySegment drh, long drhOff,
                              MemorySegment hPrev, long hpOff,
                              MemorySegment dh, long dhOff);

    /** {@code y[i] += alpha * x[i]} for n floats. */
    void axpy(long n, float alpha, MemorySegment x, long xOff, MemorySegment y, long yOff);

    /** {@code x[r, :] += v} for every row r of {@code x[rows, cols]}. */
    void addRowVector(int rows, int cols, MemorySegment v, long vOff, MemorySegment x, long xOff);

    /** {@code out[j] += Σ_r x[r, j]} over {@code x[rows, cols]} whose rows are {@code ldx} floats apart (r in order). */
    void addColumnSums(int rows, int cols, MemorySegment x, long xOff, long ldx, MemorySegment out, long outOff);

    /*
     * The optimizer updates (Keras 3, keras/src/optimizers/*.py). Each first forms the gradient
     * g = clamp(gradScale · grad, -clipValue, clipValue): gradScale is 1 or a clipnorm factor,
     * clipValue is Keras' clipvalue or +Infinity (then the clamp changes nothing). State tensors
     * an optimizer does not use (no momentum, not centered) may be MemorySegment.NULL.
     */

    /**
     * One Adam step in Keras' form: {@code m = β1 m + (1-β1) g; v = β2 v + (1-β2) g²;
     * w -= lrT * m / (sqrt(v) + eps)}, where the caller folds the bias corrections into
     * {@code lrT = lr * sqrt(1-β2^t) / (1-β1^t)}.
     */
    void adam(long n, MemorySegment w, MemorySegment grad, float gradScale, float clipValue, MemorySegment m, MemorySegment v,
              float lrT, float beta1, float beta2, float eps);

    /**
     * One SGD step (keras/src/optimizers/sgd.py). Momentum 0: {@code w -= lr g} (velocity unused).
     * Else {@code velocity = momentum velocity - lr g}, then {@code w += velocity}, or with Nesterov
     * {@code w += momentum velocity - lr g}.
     */
    void sgd(long n, MemorySegment w, MemorySegment grad, float gradScale, float clipValue, MemorySegment velocity,
             float lr, float momentum, boolean nesterov);

    /**
     * One RMSprop step (keras/src/optimizers/rmsprop.py): {@code v = ρ v + (1-ρ) g²}; centered,
     * also {@code a = ρ a + (1-ρ) g} and the denominator {@code v - a² + eps}, else {@code v + eps};
     * {@code step = lr g / sqrt(denominator)}. Momentum 0: {@code w -= step}; else
     * {@code mom = momentum mom + step; w -= mom}.
     */
    void rmsprop(long n, MemorySegment w, MemorySegment grad, float gradScale, float clipValue,
                 MemorySegment velocity, MemorySegment average, MemorySegment momentumBuffer,
                 float lr, float rho, float momentum, float eps, boolean centered);

    /** The unit block width these kernels expect in a {@link GateLayout}: the lane count of vector kernels, 8 for the plain loops. */
    int gateBlock();

    /**
     * The recurrent product of one LSTM inference step on the packed layout ({@link GateLayout}),
     * for {@code rows} sequences and the unit blocks [from, to):
     * {@code z[r, g·n + v] += Σ_k h[r, k] · U[k, g·H + from·B + v]}, with n = (to - from)·B the
     * padded width of those blocks, g the gate (i, f, c, o), B = {@code layout.block()}.
     * Rows of h hold H floats ({@code ldh} apart); rows of z hold 4n floats ({@code ldz} apart).
     * z arrives holding the input projection (x·W + bias) and leaves holding the pre-activations;
     * its padding (units H and up, which {@code padRow} fills with zeros) must be zero on arrival,
     * and is zero again on return.
     */
    void lstmRecurrentPacked(int rows, GateLayout layout, int from, int to, MemorySegment uPacked,
                             MemorySegment h, long hOff, long ldh, MemorySegment z, long zOff, long ldz);

    /**
     * The recurrent product of one batch-1 LSTM step for the share of units in {@code layout}
     * ({@link RowPanels}), over the units k in [kFrom, kTo) of h:
     * {@code z[c] += Σ_k h[hOff + k] · U'[k, c]} for the {@code layout.paddedWidth()} floats of z at
     * zOff (gate g of the share's unit v at g·n + v; the padding columns of U' are zero). Each column
     * is one FMA chain over k in order, seeded with z, so a product run in parts over k (z carries
     * the sums between them) leaves the bits of one call; an empty part changes nothing.
     * {@code backward} runs the panels last to first, which changes no bits: a scorer alternates it
     * from step to step, so that the panel a step streams last (about 40 KB at H = 100) is still
     * in L1 when the next step starts with it.
     */
    void lstmRecurrentRow(RowPanels layout, MemorySegment uPanels, MemorySegment h, long hOff,
                          MemorySegment z, long zOff, int kFrom, int kTo, boolean backward);
}
