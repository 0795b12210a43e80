package vectorlstm.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Plain-loop kernels: the reference every SIMD kernel is tested against, and the fallback when
 * the Vector API module is absent. Clarity over speed. Products sum k in order, one chain per
 * output, where some SIMD twins keep two (the 1-row GEMM blocks: even and odd k) and the packed
 * recurrent twin below follows its twin's two chains; activations are exact (Math.tanh, exp)
 * where the SIMD kernels run FastMath's polynomials. So the twins agree to rounding, not bits.
 */
public final class ScalarKernels implements Kernels {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    @Override
    public String description() { return "scalar (no SIMD)"; }

    @Override
    public void gemm(int m, int n, int k, MemorySegment a, long aOff, long aRowStride, long aColStride,
                     MemorySegment b, long bOff, long ldb, MemorySegment c, long cOff, long ldc) {
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                float aip = a.getAtIndex(F, aOff + i * aRowStride + p * aColStride);
                long bRow = bOff + p * ldb;
                long cRow = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    float cij = c.getAtIndex(F, cRow + j);
                    c.setAtIndex(F, cRow + j, Math.fma(aip, b.getAtIndex(F, bRow + j), cij));
                }
            }
        }
    }

    @Override
    public void gemmOverwrite(int m, int n, int k, MemorySegment a, long aOff, long aRowStride, long aColStride,
                              MemorySegment b, long bOff, long ldb, MemorySegment c, long cOff, long ldc) {
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c.setAtIndex(F, cOff + i * ldc + j, 0f);  // no view per row: nothing allocated
        gemm(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, ldb, c, cOff, ldc);
    }

    @Override
    public void gemmTransB(int m, int n, int k, MemorySegment a, long aOff, long lda,
                           MemorySegment b, long bOff, long ldb, MemorySegment c, long cOff, long ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float dot = 0;
                for (int p = 0; p < k; p++) dot = Math.fma(a.getAtIndex(F, aOff + i * lda + p), b.getAtIndex(F, bOff + j * ldb + p), dot);
                long cij = cOff + i * ldc + j;
                c.setAtIndex(F, cij, c.getAtIndex(F, cij) + dot);
            }
        }
    }

    @Override
    public void transpose(int rows, int cols, MemorySegment src, long srcOff, long lds, MemorySegment dst, long dstOff, long ldd) {
        if (ldd < rows) throw new IllegalArgumentException("ldd " + ldd + " < rows " + rows);
        for (int j = 0; j < cols; j++) {
            long dRow = dstOff + j * ldd;
            for (int i = 0; i < rows; i++) dst.setAtIndex(F, dRow + i, src.getAtIndex(F, srcOff + i * lds + j));
            for (long i = rows; i < ldd; i++) dst.setAtIndex(F, dRow + i, 0f);
        }
    }

    static float sigmoid(float x) { return (float) (1.0 / (1.0 + Math.exp(-x))); }

    static float tanh(float x) { return (float) Math.tanh(x); }

    @Override
    public void lstmGatesForward(int batch, int units, MemorySegment z, long zOff, MemorySegment cPrev, long cPrevOff,
                                 MemorySegment c, long cOff, MemorySegment tanhC, long tcOff, MemorySegment h, long hOff) {
        for (int r = 0; r < batch; r++) {
            long zr = zOff + (long) r * 4 * units;
            long sr = (long) r * units;
            for (int j = 0; j < units; j++) {
                float i = sigmoid(z.getAtIndex(F, zr + j));
                float f = sigmoid(z.getAtIndex(F, zr + units + j));
                float g = tanh(z.getAtIndex(F, zr + 2L * units + j));
                float o = sigmoid(z.getAtIndex(F, zr + 3L * units + j));
                float ct = f * cPrev.getAtIndex(F, cPrevOff + sr + j) + i * g;
                z.setAtIndex(F, zr + j, i);
                z.setAtIndex(F, zr + units + j, f);
                z.setAtIndex(F, zr + 2L * units + j, g);
                z.setAtIndex(F, zr + 3L * units + j, o);
                float tc = tanh(ct);
                c.setAtIndex(F, cOff + sr + j, ct);
                tanhC.setAtIndex(F, tcOff + sr + j, tc);
                h.setAtIndex(F, hOff + sr + j, o * tc);
            }
        }
    }

    @Override
    public void lstmGatesBackward(int batch, int units, MemorySegment gates, long gOff, MemorySegment cPrev, long cPrevOff,
                                  MemorySegment tanhC, long tcOff, MemorySegment dh, long dhOff, MemorySegment dc, long dcOff) {
        for (int r = 0; r < batch; r++) {
            long gr = gOff + (long) r * 4 * units;
            long sr = (long) r * units;
            for (int j = 0; j < units; j++) {
                float i = gates.getAtIndex(F, gr + j);
                float f = gates.getAtIndex(F, gr + units + j);
                float g = gates.getAtIndex(F, gr + 2L * units + j);
                float o = gates.getAtIndex(F, gr + 3L * units + j);
                float tc = tanhC.getAtIndex(F, tcOff + sr + j);
                float dhj = dh.getAtIndex(F, dhOff + sr + j);
                // dc collects the carry from t+1 and the path through h = o*tanh(c).
                float dct = dc.getAtIndex(F, dcOff + sr + j) + dhj * o * (1 - tc * tc);
                float di = dct * g;
                float df = dct * cPrev.getAtIndex(F, cPrevOff + sr + j);
                float dg = dct * i;
                float dO = dhj * tc;
                gates.setAtIndex(F, gr + j, di * i * (1 - i));
                gates.setAtIndex(F, gr + units + j, df * f * (1 - f));
                gates.setAtIndex(F, gr + 2L * units + j, dg * (1 - g * g));
                gates.setAtIndex(F, gr + 3L * units + j, dO * o * (1 - o));
                dc.setAtIndex(F, dcOff + sr + j, dct * f);
            }
        }
    }

    @Override
    public void lstmGatesForwardHard(int batch, int units, float slope, MemorySegment z, long zOff, MemorySegment cPrev, long cPrevOff,
                                     MemorySegment c, long cOff, MemorySegment tanhC, long tcOff, MemorySegment h, long hOff) {
        for (int r = 0; r < batch; r++) {
            long zr = zOff + (long) r * 4 * units;
            long sr = (long) r * units;
            for (int j = 0; j < units; j++) {
                float i = hardSigmoid(z.getAtIndex(F, zr + j), slope);
                float f = hardSigmoid(z.getAtIndex(F, zr + units + j), slope);
                float g = tanh(z.getAtIndex(F, zr + 2L * units + j));
                float o = hardSigmoid(z.getAtIndex(F, zr + 3L * units + j), slope);
                float ct = f * cPrev.getAtIndex(F, cPrevOff + sr + j) + i * g;
                z.setAtIndex(F, zr + j, i);
                z.setAtIndex(F, zr + units + j, f);
                z.setAtIndex(F, zr + 2L * units + j, g);
                z.setAtIndex(F, zr + 3L * units + j, o);
                float tc = tanh(ct);
                c.setAtIndex(F, cOff + sr + j, ct);
                tanhC.setAtIndex(F, tcOff + sr + j, tc);
                h.setAtIndex(F, hOff + sr + j, o * tc);
            }
        }
    }

    @Override
    public void lstmGatesBackwardHard(int batch, int units, float slope, MemorySegment gates, long gOff, MemorySegment cPrev, long cPrevOff,
                                      MemorySegment tanhC, long tcOff, MemorySegment dh, long dhOff, MemorySegment dc, long dcOff) {
        for (int r = 0; r < batch; r++) {
            long gr = gOff + (long) r * 4 * units;
            long sr = (long) r * units;
            for (int j = 0; j < units; j++) {
                float i = gates.getAtIndex(F, gr + j);
                float f = gates.getAtIndex(F, gr + units + j);
                float g = gates.getAtIndex(F, gr + 2L * units + j);
                float o = gates.getAtIndex(F, gr + 3L * units + j);
                float tc = tanhC.getAtIndex(F, tcOff + sr + j);
                float dhj = dh.getAtIndex(F, dhOff + sr + j);
                float dct = dc.getAtIndex(F, dcOff + sr + j) + dhj * o * (1 - tc * tc);
                gates.setAtIndex(F, gr + j, dct * g * hardSigmoidSlope(i, slope));
                gates.setAtIndex(F, gr + units + j, dct * cPrev.getAtIndex(F, cPrevOff + sr + j) * hardSigmoidSlope(f, slope));
                gates.setAtIndex(F, gr + 2L * units + j, dct * i * (1 - g * g));
                gates.setAtIndex(F, gr + 3L * units + j, dhj * tc * hardSigmoidSlope(o, slope));
                dc.setAtIndex(F, dcOff + sr + j, dct * f);
            }
        }
    }

    @Override
    public void gruGatesForwardHard(int batch, int units, float slope, MemorySegment gates, long gOff, MemorySegment rec, long recOff,
                                    MemorySegment hPrev, long hpOff, MemorySegment rh, long rhOff) {
        ScalarGru.gruGatesForwardHard(batch, units, slope, gates, gOff, rec, recOff, hPrev, hpOff, rh, rhOff);
    }

    @Override
    public void gruCandidateBackwardHard(int batch, int units, float slope, boolean resetAfter, MemorySegment gates, long gOff,
                                         MemorySegment rec, long recOff, MemorySegment hPrev, long hpOff, MemorySegment dh, long dhOff) {
        ScalarGru.gruCandidateBackwardHard(batch, units, slope, resetAfter, gates, gOff, rec, recOff, hPrev, hpOff, dh, dhOff);
    }

    @Override
    public void gruResetBackwardHard(int batch, int units, float slope, MemorySegment gates, long gOff, MemorySegment drh, long drhOff,
                                     MemorySegment hPrev, long hpOff, MemorySegment dh, long dhOff) {
        ScalarGru.gruResetBackwardHard(batch, units, slope, gates, gOff, drh, drhOff, hPrev, hpOff, dh, dhOff);
    }

    /** Keras' hard sigmoid: 0 below, 1 above, a straight line of the given slope through (0, 0.5). */
    static float hardSigmoid(float x, float slope) {
        return Math.max(0f, Math.min(1f, Math.fma(slope, x, 0.5f)));
    }

    /** Its derivative, from its output s: the slope on the line, 0 where it is clipped. */
    static float hardSigmoidSlope(float s, float slope) {
        return s > 0f && s < 1f ? slope : 0f;
    }

    @Override
    public void gruGatesForward(int batch, int units, MemorySegment gates, long gOff, MemorySegment rec, long recOff,
                                MemorySegment hPrev, long hpOff, MemorySegment rh, long rhOff) {
        ScalarGru.gruGatesForward(batch, units, gates, gOff, rec, recOff, hPrev, hpOff, rh, rhOff);
    }

    @Override
    public void gruCandidateForward(int batch, int units, boolean resetAfter, MemorySegment gates, long gOff,
                                    MemorySegment rec, long recOff, MemorySegment hPrev, long hpOff, MemorySegment h, long hOff) {
        ScalarGru.gruCandidateForward(batch, units, resetAfter, gates, gOff, rec, recOff, hPrev, hpOff, h, hOff);
    }

    @Override
    public void gruCandidateBackward(int batch, int units, boolean resetAfter, MemorySegment gates, long gOff,
                                     MemorySegment rec, long recOff, MemorySegment hPrev, long hpOff, MemorySegment dh, long dhOff) {
        ScalarGru.gruCandidateBackward(batch, units, resetAfter, gates, gOff, rec, recOff, hPrev, hpOff, dh, dhOff);
    }

    @Override
    public void gruResetBackward(int batch, int units, MemorySegment gates, long gOff, MemorySegment drh, long drhOff,
                                 MemorySegment hPrev, long hpOff, MemorySegment dh, long dhOff) {
        ScalarGru.gruResetBackward(batch, units, gates, gOff, drh, drhOff, hPrev, hpOff, dh, dhOff);
    }

    @Override
    public void axpy(long n, float alpha, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        for (long i = 0; i < n; i++) {
            y.setAtIndex(F, yOff + i, Math.fma(alpha, x.getAtIndex(F, xOff + i), y.getAtIndex(F, yOff + i)));
        }
    }

    @Override
    public void addRowVector(int rows, int cols, MemorySegment v, long vOff, MemorySegment x, long xOff) {
        for (int r = 0; r < rows; r++) {
            long row = xOff + (long) r * cols;
            for (int j = 0; j < cols; j++) {
                x.setAtIndex(F, row + j, x.getAtIndex(F, row + j) + v.getAtIndex(F, vOff + j));
            }
        }
    }

    @Override
    public void addColumnSums(int rows, int cols, MemorySegment x, long xOff, long ldx, MemorySegment out, long outOff) {
        for (int r = 0; r < rows; r++) {
            long row = xOff + r * ldx;
            for (int j = 0; j < cols; j++) {
                out.setAtIndex(F, outOff + j, out.getAtIndex(F, outOff + j) + x.getAtIndex(F, row + j));
            }
        }
    }

    /** Keras' clipvalue after the clipnorm factor; a limit of +Infinity leaves g as it is. */
    static float clip(float grad, float gradScale, float limit) {
        return Math.min(Math.max(grad * gradScale, -limit), limit);
    }

    @Override
    public void adam(long n, MemorySegment w, MemorySegment grad, float gradScale, float clipValue, MemorySegment m, MemorySegment v,
                     float lrT, float beta1, float beta2, float eps) {
        adam(0, n, w, grad, gradScale, clipValue, m, v, lrT, beta1, beta2, eps);
    }

    /**
     * {@link #adam} on elements {@code [from, to)}: the SIMD kernels' tails, which took slices
     * for it (views made on every optimizer step).
     */
    static void adam(long from, long to, MemorySegment w, MemorySegment grad, float gradScale, float clipValue, MemorySegment m, MemorySegment v,
                     float lrT, float beta1, float beta2, float eps) {
        for (long i = from; i < to; i++) {
            float gi = clip(grad.getAtIndex(F, i), gradScale, clipValue);
            float mi = beta1 * m.getAtIndex(F, i) + (1 - beta1) * gi;
            float vi = beta2 * v.getAtIndex(F, i) + (1 - beta2) * gi * gi;
            m.setAtIndex(F, i, mi);
            v.setAtIndex(F, i, vi);
            w.setAtIndex(F, i, w.getAtIndex(F, i) - lrT * mi / ((float) Math.sqrt(vi) + eps));
        }
    }

    @Override
    public void sgd(long n, MemorySegment w, MemorySegment grad, float gradScale, float clipValue, MemorySegment velocity,
                    float lr, float momentum, boolean nesterov) {
        sgd(0, n, w, grad, gradScale, clipValue, velocity, lr, momentum, nesterov);
    }

    /** {@link #sgd} on elements {@code [from, to)} (the SIMD kernels' tails). */
    static void sgd(long from, long to, MemorySegment w, MemorySegment grad, float gradScale, float clipValue, MemorySegment velocity,
                    float lr, float momentum, boolean nesterov) {
        for (long i = from; i < to; i++) {
            float gi = clip(grad.getAtIndex(F, i), gradScale, clipValue);
            if (momentum == 0) {
                w.setAtIndex(F, i, w.getAtIndex(F, i) - gi * lr);
                continue;
            }
            float vi = velocity.getAtIndex(F, i) * momentum - gi * lr;
            velocity.setAtIndex(F, i, vi);
            w.setAtIndex(F, i, w.getAtIndex(F, i) + (nesterov ? vi * momentum - gi * lr : vi));
        }
    }

    @Override
    public void rmsprop(long n, MemorySegment w, MemorySegment grad, float gradScale, float clipValue,
                        MemorySegment velocity, MemorySegment average, MemorySegment momentumBuffer,
                        float lr, float rho, float momentum, float eps, boolean centered) {
        rmsprop(0, n, w, grad, gradScale, clipValue, velocity, average, momentumBuffer, lr, rho, momentum, eps, centered);
    }

    /** {@link #rmsprop} on elements {@code [from, to)} (the SIMD kernels' tails). */
    static void rmsprop(long from, long to, MemorySegment w, MemorySegment grad, float gradScale, float clipValue,
                        MemorySegment velocity, MemorySegment average, MemorySegment momentumBuffer,
                        float lr, float rho, float momentum, float eps, boolean centered) {
        for (long i = from; i < to; i++) {
            float gi = clip(grad.getAtIndex(F, i), gradScale, clipValue);
            float vi = rho * velocity.getAtIndex(F, i) + (1 - rho) * (gi * gi);
            velocity.setAtIndex(F, i, vi);
            float denominator = vi + eps;
            if (centered) {
                float ai = rho * average.getAtIndex(F, i) + (1 - rho) * gi;
                average.setAtIndex(F, i, ai);
                denominator = vi - ai * ai + eps;
            }
            float step = lr * gi / (float) Math.sqrt(denominator);
            if (momentum > 0) {
                step = momentum * momentumBuffer.getAtIndex(F, i) + step;
                momentumBuffer.setAtIndex(F, i, step);
            }
            w.setAtIndex(F, i, w.getAtIndex(F, i) - step);
        }
    }

    /** Plain loops use any block width; 8 keeps the packed layout's padding small. */
    @Override
    public int gateBlock() { return 8; }

    /**
     * Twin of {@code PanamaRecurrent}: per row and lane of a full block, even k in one sum and odd k
     * in another, as its single-row path does; a compact block's lane, one chain from zero added to
     * z at the end, as every path of it does.
     */
    @Override
    public void lstmRecurrentPacked(int rows, GateLayout layout, int from, int to, MemorySegment u,
                                    MemorySegment h, long hOff, long ldh, MemorySegment z, long zOff, long ldz) {
        int units = layout.units(), block = layout.block(), tail = layout.tail();
        long n = (long) (to - from) * block;
        for (int r = 0; r < rows; r++) {
            for (int j = from; j < to; j++) {
                boolean compact = j == layout.fullBlocks() && layout.compactTail();
                long zj = zOff + r * ldz + (long) (j - from) * block;
                for (int lane = 0; lane < (compact ? 4 * tail : 4 * block); lane++) {
                    // A full block's lane is (gate, l) = (lane / block, lane % block); a compact one's (lane / tail, lane % tail).
                    int g = compact ? lane / tail : lane / block, l = compact ? lane % tail : lane % block;
                    long uLane = layout.blockOffset(j) + (compact ? lane : (long) g * block + l);
                    long step = compact ? block : 4L * block;
                    long zi = zj + g * n + l;
                    // As the vector kernel: a full block seeds the first of its two k-chains with z; a
                    // compact block runs one chain from zero and adds it to z at the end.
                    int chains = compact ? 1 : 2, whole = units - units % chains;
                    float s0 = compact ? 0 : z.getAtIndex(F, zi), s1 = 0;
                    for (int k = 0; k < units; k++) {
                        float p = h.getAtIndex(F, hOff + r * ldh + k), w = u.getAtIndex(F, uLane + k * step);
                        if (k < whole && k % chains == 1) s1 = Math.fma(p, w, s1);
                        else s0 = Math.fma(p, w, s0);
                    }
                    float total = compact ? s0 : s0 + s1;
                    z.setAtIndex(F, zi, compact ? z.getAtIndex(F, zi) + total : total);
                }
            }
        }
    }

    /** Twin of {@code PanamaRowStep.row}: each column one FMA chain over k in order, seeded with z; panels in either order. */
    @Override
    public void lstmRecurrentRow(RowPanels layout, MemorySegment u, MemorySegment h, long hOff,
                                 MemorySegment z, long zOff, int kFrom, int kTo, boolean backward) {
        layout.checkPart(kFrom, kTo);
        int lanes = layout.lanes();
        for (int q = 0; q < layout.panels(); q++) {
            int p = backward ? layout.panels() - 1 - q : q;
            int cols = layout.panelVectors(p) * lanes;
            long first = zOff + (long) layout.panelStart(p) * lanes;
            for (int i = 0; i < cols; i++) {
                float sum = z.getAtIndex(F, first + i);
                for (int k = kFrom; k < kTo; k++) sum = Math.fma(h.getAtIndex(F, hOff + k), u.getAtIndex(F, layout.panelOffset(p) + (long) k * cols + i), sum);
                z.setAtIndex(F, first + i, sum);
            }
        }
    }
}
