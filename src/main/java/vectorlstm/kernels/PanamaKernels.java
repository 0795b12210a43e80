package vectorlstm.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels. Each loop is the scalar twin in {@link ScalarKernels} with the inner
 * dimension stepped by the lane count, followed by a scalar tail for the last {@code n % lanes}
 * elements (the LSTM gate kernels, where H = 100 leaves 4 at 8 and 16 lanes, end on one more
 * whole vector overlapping the one before where they can). A tail computes what a lane computes,
 * with {@link FastMath}'s polynomials on one float, so a cell's bits do not depend on where its
 * vector starts (rows narrower than a vector, a two-thread scorer's shares, are all tail). The Vector API is called directly, not through load/store helpers: whether C2 inlines
 * such a helper depends on the caller, and a refused one boxes every vector crossing it (seen in
 * the two-thread scorer, 244 KB per call). GEMMs live in {@link PanamaGemm}, the GRU step in {@link PanamaGru},
 * optimizer updates in {@link PanamaOptimizers}, tanh/sigmoid in {@link FastMath}.
 */
public final class PanamaKernels implements Kernels {
    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final int L = VectorShape.LANES;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final long VEC_BYTES = (long) L * Float.BYTES;
    /** Reported in the start-up line: without hardware FMA the Vector API emulates fma() slowly. */
    static final boolean USE_FMA = hasHardwareFma();
    private static final ScalarKernels LAYOUT = new ScalarKernels();

    @Override
    public String description() {
        return "Panama Vector API, " + S.vectorBitSize() + "-bit (" + L + " floats" + VectorShape.forcedNote() + "), " + (USE_FMA ? "FMA" : "no FMA");
    }

    private static boolean hasHardwareFma() {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Boolean.parseBoolean(bean.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {
            return true;  // not HotSpot: assume a modern CPU
        }
    }

    @Override
    public void gemm(int m, int n, int k, MemorySegment a, long aOff, long aRowStride, long aColStride,
                     MemorySegment b, long bOff, long ldb, MemorySegment c, long cOff, long ldc) {
        PanamaGemm.gemm(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, ldb, c, cOff, ldc);
    }

    @Override
    public void gemmOverwrite(int m, int n, int k, MemorySegment a, long aOff, long aRowStride, long aColStride,
                              MemorySegment b, long bOff, long ldb, MemorySegment c, long cOff, long ldc) {
        PanamaGemmOverwrite.gemmOverwrite(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, ldb, c, cOff, ldc);
    }

    @Override
    public void gemmTransB(int m, int n, int k, MemorySegment a, long aOff, long lda,
                           MemorySegment b, long bOff, long ldb, MemorySegment c, long cOff, long ldc) {
        PanamaDotProducts.gemmTransB(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    }

    /** Plain loops, as in the scalar twin: a layout copy made once per weight update (U: 40,000 floats). */
    @Override
    public void transpose(int rows, int cols, MemorySegment src, long srcOff, long lds, MemorySegment dst, long dstOff, long ldd) {
        LAYOUT.transpose(rows, cols, src, srcOff, lds, dst, dstOff, ldd);
    }

    /*
     * The gate kernel runs in two passes, the activations and then the cell update, each loop
     * inlining exactly one polynomial. One fused loop with five inlined polynomials hit C2's
     * inlining node limit, and the vectors that were left un-inlined boxed.
     */

    /**
     * One row of z [4H] in place: sigmoid on the i, f and o gates, tanh on g, in one pass over all
     * 4H floats, so a gate's last {@code H mod lanes} units are no scalar tail (with H = 100 they
     * were 16 of the row's 400, each a Math.exp or Math.tanh call). Since
     * sigmoid(x) = tanh(x/2)/2 + 1/2, every cell is {@code y = a·tanh(a·x) + (1 - a)} with a = 1 on
     * g's cells and 1/2 elsewhere: the same operations, so the same bits, for a cell of a gate
     * wherever its vector starts (the two-thread scorer's shares start elsewhere than one thread's
     * row, and must give the same bits). Vectors inside one gate take a as a constant; only the
     * two vectors that hold g's edges build it lane by lane (building it for every vector made the
     * row 1.6x slower).
     */
    private static void activateRow(MemorySegment z, long zi, int units) {
        int n = 4 * units, nVec = n - n % L, gFrom = 2 * units, gTo = 3 * units;
        // The vectors holding g's first cell and o's first cell (edgeG, edgeO) build the factor lane
        // by lane even when a gate starts exactly there, so every row runs the same paths: batched
        // predict's padded rows (H = 112, edges on vector boundaries) as well as a scorer's
        // (H = 100), and code compiled for one has run the other's path too.
        int edgeG = gFrom - gFrom % L, edgeO = gTo - gTo % L;
        long row = zi * Float.BYTES;
        activateSpan(z, row, 0, Math.min(edgeG, nVec), 0.5f);              // i and f
        if (edgeG < nVec) activateEdge(z, row, edgeG, gFrom, gTo);
        activateSpan(z, row, edgeG + L, Math.min(edgeO, nVec), 1f);        // g
        if (edgeO != edgeG && edgeO < nVec) activateEdge(z, row, edgeO, gFrom, gTo);
        activateSpan(z, row, edgeO + L, nVec, 0.5f);                        // o
        for (int j = nVec; j < n; j++) {  // the vectors' arithmetic on one float: the same bits as in a lane
            float a = j >= gFrom && j < gTo ? 1f : 0.5f;
            z.setAtIndex(F, zi + j, Math.fma(FastMath.tanh(z.getAtIndex(F, zi + j) * a), a, 1f - a));
        }
    }

    /** Row floats [from, to) (whole vectors; nothing when to <= from) of one gate: y = a·tanh(a·x) + (1 - a). */
    private static void activateSpan(MemorySegment z, long row, int from, int to, float a) {
        FloatVector av = FloatVector.broadcast(S, a), bv = FloatVector.broadcast(S, 1f).sub(av);
        for (long at = row + (long) from * Float.BYTES, end = row + (long) to * Float.BYTES; at < end; at += VEC_BYTES) {
            FloatVector x = FloatVector.fromMemorySegment(S, z, at, NO);
            FastMath.tanh(x.mul(av)).fma(av, bv).intoMemorySegment(z, at, NO);
        }
    }

    /** The vector of row floats [j, j + lanes), which holds g's first or o's first cell: a lane by lane. */
    private static void activateEdge(MemorySegment z, long row, int j, int gFrom, int gTo) {
        long at = row + (long) j * Float.BYTES;
        FloatVector p = FloatVector.zero(S).addIndex(1).add((float) j), one = FloatVector.broadcast(S, 1f);
        FloatVector a = FloatVector.broadcast(S, 0.5f).blend(one, p.compare(VectorOperators.GE, gFrom).and(p.compare(VectorOperators.LT, gTo)));
        FloatVector x = FloatVector.fromMemorySegment(S, z, at, NO);
        FastMath.tanh(x.mul(a)).fma(a, one.sub(a)).intoMemorySegment(z, at, NO);
    }

    /**
     * c = f*cPrev + i*g; tanhC = tanh(c); h = o*tanhC for one row of n cells. The last
     * {@code n mod lanes} cells run as one more whole vector ending at n, overlapping the one
     * before (its lanes get the same values again), unless c overlaps cPrev (inference updates c
     * in place, then at a padded, whole-vector width): then as a scalar tail.
     */
    private static void cellUpdate(int n, MemorySegment z, long zi, MemorySegment cPrev, long cp,
                                   MemorySegment c, long co, MemorySegment tanhC, long tco, MemorySegment h, long ho) {
        long zf = zi + n, zg = zf + n, zo = zg + n;
        int nVec = n - n % L, last = n - L;
        int end = nVec < n && n >= L && !overlap(c, co, cPrev, cp, n) ? nVec + L : nVec;
        for (int step = 0; step < end; step += L) {
            long at = (long) Math.min(step, last) * Float.BYTES;
            FloatVector i = FloatVector.fromMemorySegment(S, z, zi * Float.BYTES + at, NO);
            FloatVector f = FloatVector.fromMemorySegment(S, z, zf * Float.BYTES + at, NO);
            FloatVector g = FloatVector.fromMemorySegment(S, z, zg * Float.BYTES + at, NO);
            FloatVector o = FloatVector.fromMemorySegment(S, z, zo * Float.BYTES + at, NO);
            FloatVector ct = f.mul(FloatVector.fromMemorySegment(S, cPrev, cp * Float.BYTES + at, NO)).add(i.mul(g));
            FloatVector tc = FastMath.tanh(ct);
            ct.intoMemorySegment(c, co * Float.BYTES + at, NO);
            tc.intoMemorySegment(tanhC, tco * Float.BYTES + at, NO);
            o.mul(tc).intoMemorySegment(h, ho * Float.BYTES + at, NO);
        }
        for (int j = Math.min(end, n); j < n; j++) {
            float ct = z.getAtIndex(F, zf + j) * cPrev.getAtIndex(F, cp + j) + z.getAtIndex(F, zi + j) * z.getAtIndex(F, zg + j);
            float tc = FastMath.tanh(ct);
            c.setAtIndex(F, co + j, ct);
            tanhC.setAtIndex(F, tco + j, tc);
            h.setAtIndex(F, ho + j, z.getAtIndex(F, zo + j) * tc);
        }
    }

    /** Whether n floats at x[xOff] and at y[yOff] share memory (off-heap by address, on-heap within one array). */
    private static boolean overlap(MemorySegment x, long xOff, MemorySegment y, long yOff, int n) {
        if (x.isNative() != y.isNative()) return false;
        if (!x.isNative() && x.heapBase().orElse(null) != y.heapBase().orElse(null)) return false;
        long xa = x.address() + xOff * Float.BYTES, ya = y.address() + yOff * Float.BYTES, bytes = (long) n * Float.BYTES;
        return xa < ya + bytes && ya < xa + bytes;
    }

    @Override
    public void lstmGatesForward(int batch, int units, MemorySegment z, long zOff, MemorySegment cPrev, long cPrevOff,
                                 MemorySegment c, long cOff, MemorySegment tanhC, long tcOff, MemorySegment h, long hOff) {
        for (int r = 0; r < batch; r++) {
            long zi = zOff + (long) r * 4 * units, sr = (long) r * units;
            activateRow(z, zi, units);
            cellUpdate(units, z, zi, cPrev, cPrevOff + sr, c, cOff + sr, tanhC, tcOff + sr, h, hOff + sr);
        }
    }

    @Override
    public void lstmGatesForwardHard(int batch, int units, float slope, MemorySegment z, long zOff, MemorySegment cPrev, long cPrevOff,
                                     MemorySegment c, long cOff, MemorySegment tanhC, long tcOff, MemorySegment h, long hOff) {
        PanamaHardGates.forward(batch, units, slope, z, zOff, cPrev, cPrevOff, c, cOff, tanhC, tcOff, h, hOff);
    }

    @Override
    public void lstmGatesBackwardHard(int batch, int units, float slope, MemorySegment gates, long gOff, MemorySegment cPrev, long cPrevOff,
                                      MemorySegment tanhC, long tcOff, MemorySegment dh, long dhOff, MemorySegment dc, long dcOff) {
        LAYOUT.lstmGatesBackwardHard(batch, units, slope, gates, gOff, cPrev, cPrevOff, tanhC, tcOff, dh, dhOff, dc, dcOff);  // see PanamaHardGates
    }

    @Override
    public void gruGatesForwardHard(int batch, int units, float slope, MemorySegment gates, long gOff, MemorySegment rec, long recOff,
                                    MemorySegment hPrev, long hpOff, MemorySegment rh, long rhOff) {
        PanamaHardGates.gruGatesForward(batch, units, slope, gates, gOff, rec, recOff, hPrev, hpOff, rh, rhOff);
    }

    @Override
    public void gruCandidateBackwardHard(int batch, int units, float slope, boolean resetAfter, MemorySegment gates, long gOff,
                                         MemorySegment rec, long recOff, MemorySegment hPrev, long hpOff, MemorySegment dh, long dhOff) {
        LAYOUT.gruCandidateBackwardHard(batch, units, slope, resetAfter, gates, gOff, rec, recOff, hPrev, hpOff, dh, dhOff);  // see PanamaHardGates
    }

    @Override
    public void gruResetBackwardHard(int batch, int units, float slope, MemorySegment gates, long gOff, MemorySegment drh, long drhOff,
                                     MemorySegment hPrev, long hpOff, MemorySegment dh, long dhOff) {
        LAYOUT.gruResetBackwardHard(batch, units, slope, gates, gOff, drh, drhOff, hPrev, hpOff, dh, dhOff);  // see PanamaHardGates
    }

    @Override
    public void lstmGatesBackward(int batch, int units, MemorySegment gates, long gOff, MemorySegment cPrev, long cPrevOff,
                                  MemorySegment tanhC, long tcOff, MemorySegment dh, long dhOff, MemorySegment dc, long dcOff) {
        for (int r = 0; r < batch; r++) {
            long gi = gOff + (long) r * 4 * units, sr = (long) r * units;
            outputGateBackward(units, gates, gi + 3L * units, tanhC, tcOff + sr, dh, dhOff + sr, dc, dcOff + sr);
            inputGatesBackward(units, gates, gi, cPrev, cPrevOff + sr, dc, dcOff + sr);
        }
    }

    /*
     * Backward is split in two loops, each its own method, for the same reason as forward: C2
     * compiles each within its inlining budget; one big loop left vector ops un-inlined and boxed.
     * Both loops work in place (on gates and dc), so a gate's last n mod lanes cells cannot run as
     * an overlapping vector inside the loop: the inputs of the last whole vector ending at n are
     * loaded before the loop and its results stored after it (the lanes it shares with the loop's
     * last vector get the same values again). Rows shorter than a vector run as scalar loops.
     */

    /** dct = dc + dh·o·(1 - tanh²c), parked in dc; dz_o = dh·tanh(c)·o(1 - o) in place of o. */
    private static void outputGateBackward(int n, MemorySegment gates, long go, MemorySegment tanhC, long tc0,
                                           MemorySegment dh, long dh0, MemorySegment dc, long dc0) {
        if (n < L) {
            scalarOutputGateBackward(n, gates, go, tanhC, tc0, dh, dh0, dc, dc0);
            return;
        }
        int nVec = n - n % L;
        long lastAt = (long) (n - L) * Float.BYTES;
        FloatVector oT = FloatVector.fromMemorySegment(S, gates, go * Float.BYTES + lastAt, NO);
        FloatVector tcT = FloatVector.fromMemorySegment(S, tanhC, tc0 * Float.BYTES + lastAt, NO);
        FloatVector dhT = FloatVector.fromMemorySegment(S, dh, dh0 * Float.BYTES + lastAt, NO);
        FloatVector dcT = FloatVector.fromMemorySegment(S, dc, dc0 * Float.BYTES + lastAt, NO);
        int j = 0;
        for (; j < nVec; j += L) {
            long at = (long) j * Float.BYTES;
            FloatVector o = FloatVector.fromMemorySegment(S, gates, go * Float.BYTES + at, NO);
            FloatVector tc = FloatVector.fromMemorySegment(S, tanhC, tc0 * Float.BYTES + at, NO);
            FloatVector dhj = FloatVector.fromMemorySegment(S, dh, dh0 * Float.BYTES + at, NO);
            FloatVector dcj = FloatVector.fromMemorySegment(S, dc, dc0 * Float.BYTES + at, NO);
            dcj.add(dhj.mul(o).mul(tc.mul(tc).neg().add(1f))).intoMemorySegment(dc, dc0 * Float.BYTES + at, NO);
            dhj.mul(tc).mul(o).mul(o.neg().add(1f)).intoMemorySegment(gates, go * Float.BYTES + at, NO);
        }
        if (nVec < n) {
            dcT.add(dhT.mul(oT).mul(tcT.mul(tcT).neg().add(1f))).intoMemorySegment(dc, dc0 * Float.BYTES + lastAt, NO);
            dhT.mul(tcT).mul(oT).mul(oT.neg().add(1f)).intoMemorySegment(gates, go * Float.BYTES + lastAt, NO);
        }
    }

    private static void scalarOutputGateBackward(int n, MemorySegment gates, long go, MemorySegment tanhC, long tc0,
                                                 MemorySegment dh, long dh0, MemorySegment dc, long dc0) {
        for (int j = 0; j < n; j++) {
            float o = gates.getAtIndex(F, go + j), tc = tanhC.getAtIndex(F, tc0 + j), dhj = dh.getAtIndex(F, dh0 + j);
            dc.setAtIndex(F, dc0 + j, dc.getAtIndex(F, dc0 + j) + dhj * o * (1 - tc * tc));
            gates.setAtIndex(F, go + j, dhj * tc * o * (1 - o));
        }
    }

    /** From dct (in dc): dz_i = dct·g·i(1-i), dz_f = dct·cPrev·f(1-f), dz_g = dct·i·(1-g²); dc = dct·f. */
    private static void inputGatesBackward(int n, MemorySegment gates, long gi, MemorySegment cPrev, long cp0,
                                           MemorySegment dc, long dc0) {
        long gf = gi + n, gg = gf + n;
        if (n < L) {
            scalarInputGatesBackward(n, gates, gi, cPrev, cp0, dc, dc0);
            return;
        }
        int nVec = n - n % L;
        long lastAt = (long) (n - L) * Float.BYTES;
        FloatVector dctT = FloatVector.fromMemorySegment(S, dc, dc0 * Float.BYTES + lastAt, NO);
        FloatVector iT = FloatVector.fromMemorySegment(S, gates, gi * Float.BYTES + lastAt, NO);
        FloatVector fT = FloatVector.fromMemorySegment(S, gates, gf * Float.BYTES + lastAt, NO);
        FloatVector gT = FloatVector.fromMemorySegment(S, gates, gg * Float.BYTES + lastAt, NO);
        FloatVector cpT = FloatVector.fromMemorySegment(S, cPrev, cp0 * Float.BYTES + lastAt, NO);
        int j = 0;
        for (; j < nVec; j += L) {
            long at = (long) j * Float.BYTES;
            FloatVector dct = FloatVector.fromMemorySegment(S, dc, dc0 * Float.BYTES + at, NO);
            FloatVector i = FloatVector.fromMemorySegment(S, gates, gi * Float.BYTES + at, NO);
            FloatVector f = FloatVector.fromMemorySegment(S, gates, gf * Float.BYTES + at, NO);
            FloatVector g = FloatVector.fromMemorySegment(S, gates, gg * Float.BYTES + at, NO);
            FloatVector cp = FloatVector.fromMemorySegment(S, cPrev, cp0 * Float.BYTES + at, NO);
            dct.mul(g).mul(i).mul(i.neg().add(1f)).intoMemorySegment(gates, gi * Float.BYTES + at, NO);
            dct.mul(cp).mul(f).mul(f.neg().add(1f)).intoMemorySegment(gates, gf * Float.BYTES + at, NO);
            dct.mul(i).mul(g.mul(g).neg().add(1f)).intoMemorySegment(gates, gg * Float.BYTES + at, NO);
            dct.mul(f).intoMemorySegment(dc, dc0 * Float.BYTES + at, NO);
        }
        if (nVec < n) {
            dctT.mul(gT).mul(iT).mul(iT.neg().add(1f)).intoMemorySegment(gates, gi * Float.BYTES + lastAt, NO);
            dctT.mul(cpT).mul(fT).mul(fT.neg().add(1f)).intoMemorySegment(gates, gf * Float.BYTES + lastAt, NO);
            dctT.mul(iT).mul(gT.mul(gT).neg().add(1f)).intoMemorySegment(gates, gg * Float.BYTES + lastAt, NO);
            dctT.mul(fT).intoMemorySegment(dc, dc0 * Float.BYTES + lastAt, NO);
        }
    }

    private static void scalarInputGatesBackward(int n, MemorySegment gates, long gi, MemorySegment cPrev, long cp0,
                                                 MemorySegment dc, long dc0) {
        long gf = gi + n, gg = gf + n;
        for (int j = 0; j < n; j++) {
            float dct = dc.getAtIndex(F, dc0 + j), i = gates.getAtIndex(F, gi + j), f = gates.getAtIndex(F, gf + j), g = gates.getAtIndex(F, gg + j);
            gates.setAtIndex(F, gi + j, dct * g * i * (1 - i));
            gates.setAtIndex(F, gf + j, dct * cPrev.getAtIndex(F, cp0 + j) * f * (1 - f));
            gates.setAtIndex(F, gg + j, dct * i * (1 - g * g));
            dc.setAtIndex(F, dc0 + j, dct * f);
        }
    }

    @Override
    public void gruGatesForward(int batch, int units, MemorySegment gates, long gOff, MemorySegment rec, long recOff,
                                MemorySegment hPrev, long hpOff, MemorySegment rh, long rhOff) {
        PanamaGru.gatesForward(batch, units, gates, gOff, rec, recOff, hPrev, hpOff, rh, rhOff);
    }

    @Override
    public void gruCandidateForward(int batch, int units, boolean resetAfter, MemorySegment gates, long gOff,
                                    MemorySegment rec, long recOff, MemorySegment hPrev, long hpOff, MemorySegment h, long hOff) {
        PanamaGru.candidateForward(batch, units, resetAfter, gates, gOff, rec, recOff, hPrev, hpOff, h, hOff);
    }

    @Override
    public void gruCandidateBackward(int batch, int units, boolean resetAfter, MemorySegment gates, long gOff,
                                     MemorySegment rec, long recOff, MemorySegment hPrev, long hpOff, MemorySegment dh, long dhOff) {
        PanamaGru.candidateBackward(batch, units, resetAfter, gates, gOff, rec, recOff, hPrev, hpOff, dh, dhOff);
    }

    @Override
    public void gruResetBackward(int batch, int units, MemorySegment gates, long gOff, MemorySegment drh, long drhOff,
                                 MemorySegment hPrev, long hpOff, MemorySegment dh, long dhOff) {
        PanamaGru.resetBackward(batch, units, gates, gOff, drh, drhOff, hPrev, hpOff, dh, dhOff);
    }

    @Override
    public void axpy(long n, float alpha, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        long nVec = n - n % L;
        FloatVector va = FloatVector.broadcast(S, alpha);
        long i = 0;
        for (long xb = xOff * Float.BYTES, yb = yOff * Float.BYTES; i < nVec; i += L, xb += VEC_BYTES, yb += VEC_BYTES) {
            va.fma(FloatVector.fromMemorySegment(S, x, xb, NO), FloatVector.fromMemorySegment(S, y, yb, NO)).intoMemorySegment(y, yb, NO);
        }
        for (; i < n; i++) y.setAtIndex(F, yOff + i, Math.fma(alpha, x.getAtIndex(F, xOff + i), y.getAtIndex(F, yOff + i)));
    }

    @Override
    public void addRowVector(int rows, int cols, MemorySegment v, long vOff, MemorySegment x, long xOff) {
        int cVec = cols - cols % L;
        for (int r = 0; r < rows; r++) {
            long row = xOff + (long) r * cols;
            int j = 0;
            for (long xb = row * Float.BYTES, vb = vOff * Float.BYTES; j < cVec; j += L, xb += VEC_BYTES, vb += VEC_BYTES) {
                FloatVector.fromMemorySegment(S, x, xb, NO).add(FloatVector.fromMemorySegment(S, v, vb, NO)).intoMemorySegment(x, xb, NO);
            }
            for (; j < cols; j++) x.setAtIndex(F, row + j, x.getAtIndex(F, row + j) + v.getAtIndex(F, vOff + j));
        }
    }

    @Override
    public void addColumnSums(int rows, int cols, MemorySegment x, long xOff, long ldx, MemorySegment out, long outOff) {
        int cVec = cols - cols % L;
        for (int r = 0; r < rows; r++) {
            long row = xOff + r * ldx;
            int j = 0;
            for (long xb = row * Float.BYTES, ob = outOff * Float.BYTES; j < cVec; j += L, xb += VEC_BYTES, ob += VEC_BYTES) {
                FloatVector.fromMemorySegment(S, out, ob, NO).add(FloatVector.fromMemorySegment(S, x, xb, NO)).intoMemorySegment(out, ob, NO);
            }
            for (; j < cols; j++) out.setAtIndex(F, outOff + j, out.getAtIndex(F, outOff + j) + x.getAtIndex(F, row + j));
        }
    }

    @Override
    public void adam(long n, MemorySegment w, MemorySegment grad, float gradScale, float clipValue, MemorySegment m, MemorySegment v,
                     float lrT, float beta1, float beta2, float eps) {
        PanamaOptimizers.adam(n, w, grad, gradScale, clipValue, m, v, lrT, beta1, beta2, eps);
    }

    @Override
    public void sgd(long n, MemorySegment w, MemorySegment grad, float gradScale, float clipValue, MemorySegment velocity,
                    float lr, float momentum, boolean nesterov) {
        PanamaOptimizers.sgd(n, w, grad, gradScale, clipValue, velocity, lr, momentum, nesterov);
    }

    @Override
    public void rmsprop(long n, MemorySegment w, MemorySegment grad, float gradScale, float clipValue,
                        MemorySegment velocity, MemorySegment average, MemorySegment momentumBuffer,
                        float lr, float rho, float momentum, float eps, boolean centered) {
        PanamaOptimizers.rmsprop(n, w, grad, gradScale, clipValue, velocity, average, momentumBuffer, lr, rho, momentum, eps, centered);
    }

    @Override
    public int gateBlock() { return L; }

    @Override
    public void lstmRecurrentPacked(int rows, GateLayout layout, int from, int to, MemorySegment uPacked,
                                    MemorySegment h, long hOff, long ldh, MemorySegment z, long zOff, long ldz) {
        PanamaRecurrent.step(rows, layout, from, to, uPacked, h, hOff, ldh, z, zOff, ldz);
    }

    @Override
    public void lstmRecurrentRow(RowPanels layout, MemorySegment uPanels, MemorySegment h, long hOff,
                                 MemorySegment z, long zOff, int kFrom, int kTo, boolean backward) {
        PanamaRowStep.row(layout, uPanels, h, hOff, z, zOff, kFrom, kTo, backward);
    }
}
