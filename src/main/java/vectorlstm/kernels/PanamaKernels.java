package vectorlstm.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels. Each loop is the scalar twin in {@link ScalarKernels} with the inner
 * dimension stepped by the lane count, followed by a scalar tail for the last {@code n % lanes}
 * elements. GEMM lives in {@link PanamaGemm}.
 */
public final class PanamaKernels implements Kernels {
    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final int L = VectorShape.LANES;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    /** Without hardware FMA, Vector API fma() is emulated and very slow; mul+add is then used. */
    static final boolean USE_FMA = hasHardwareFma();

    private final ScalarKernels scalar = new ScalarKernels();

    @Override
    public String description() {
        return "Panama Vector API, " + S.vectorBitSize() + "-bit (" + L + " floats), " + (USE_FMA ? "FMA" : "no FMA");
    }

    private static boolean hasHardwareFma() {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Boolean.parseBoolean(bean.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {
            return true;  // not HotSpot: assume a modern CPU
        }
    }

    private static FloatVector load(MemorySegment s, long floatIndex) {
        return FloatVector.fromMemorySegment(S, s, floatIndex * Float.BYTES, NO);
    }

    private static void store(FloatVector v, MemorySegment s, long floatIndex) {
        v.intoMemorySegment(s, floatIndex * Float.BYTES, NO);
    }

    @Override
    public void gemm(int m, int n, int k, MemorySegment a, long aOff, long aRowStride, long aColStride,
                     MemorySegment b, long bOff, long ldb, MemorySegment c, long cOff, long ldc) {
        PanamaGemm.gemm(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, ldb, c, cOff, ldc);
    }

    @Override
    public void transpose(int rows, int cols, MemorySegment in, long inOff, MemorySegment out, long outOff) {
        scalar.transpose(rows, cols, in, inOff, out, outOff);  // done once per step on weights: not hot
    }

    @Override
    public void lstmGatesForward(int batch, int units, MemorySegment z, long zOff, MemorySegment cPrev, long cPrevOff,
                                 MemorySegment c, long cOff, MemorySegment h, long hOff) {
        int uVec = units - units % L;
        for (int r = 0; r < batch; r++) {
            long zi = zOff + (long) r * 4 * units, zf = zi + units, zg = zf + units, zo = zg + units;
            long sr = (long) r * units;
            int j = 0;
            for (; j < uVec; j += L) {
                FloatVector i = FastMath.tanh(load(z, zi + j).mul(0.5f)).fma(0.5f, 0.5f);  // sigmoid(x) = (1 + tanh(x/2)) / 2
                FloatVector f = FastMath.tanh(load(z, zf + j).mul(0.5f)).fma(0.5f, 0.5f);
                FloatVector g = FastMath.tanh(load(z, zg + j));
                FloatVector o = FastMath.tanh(load(z, zo + j).mul(0.5f)).fma(0.5f, 0.5f);
                FloatVector ct = f.mul(load(cPrev, cPrevOff + sr + j)).add(i.mul(g));
                store(i, z, zi + j); store(f, z, zf + j); store(g, z, zg + j); store(o, z, zo + j);
                store(ct, c, cOff + sr + j);
                store(o.mul(FastMath.tanh(ct)), h, hOff + sr + j);
            }
            for (; j < units; j++) {
                float i = ScalarKernels.sigmoid(z.getAtIndex(F, zi + j));
                float f = ScalarKernels.sigmoid(z.getAtIndex(F, zf + j));
                float g = ScalarKernels.tanh(z.getAtIndex(F, zg + j));
                float o = ScalarKernels.sigmoid(z.getAtIndex(F, zo + j));
                float ct = f * cPrev.getAtIndex(F, cPrevOff + sr + j) + i * g;
                z.setAtIndex(F, zi + j, i); z.setAtIndex(F, zf + j, f); z.setAtIndex(F, zg + j, g); z.setAtIndex(F, zo + j, o);
                c.setAtIndex(F, cOff + sr + j, ct);
                h.setAtIndex(F, hOff + sr + j, o * ScalarKernels.tanh(ct));
            }
        }
    }

    @Override
    public void lstmGatesBackward(int batch, int units, MemorySegment gates, long gOff, MemorySegment cPrev, long cPrevOff,
                                  MemorySegment c, long cOff, MemorySegment dh, long dhOff, MemorySegment dc, long dcOff) {
        int uVec = units - units % L;
        for (int r = 0; r < batch; r++) {
            long gi = gOff + (long) r * 4 * units, gf = gi + units, gg = gf + units, go = gg + units;
            long sr = (long) r * units;
            int j = 0;
            for (; j < uVec; j += L) {
                FloatVector i = load(gates, gi + j), f = load(gates, gf + j), g = load(gates, gg + j), o = load(gates, go + j);
                FloatVector tc = FastMath.tanh(load(c, cOff + sr + j));
                FloatVector dhj = load(dh, dhOff + sr + j);
                FloatVector dct = load(dc, dcOff + sr + j).add(dhj.mul(o).mul(tc.mul(tc).neg().add(1f)));
                FloatVector di = dct.mul(g), df = dct.mul(load(cPrev, cPrevOff + sr + j)), dg = dct.mul(i), dO = dhj.mul(tc);
                store(di.mul(i).mul(i.neg().add(1f)), gates, gi + j);
                store(df.mul(f).mul(f.neg().add(1f)), gates, gf + j);
                store(dg.mul(g.mul(g).neg().add(1f)), gates, gg + j);
                store(dO.mul(o).mul(o.neg().add(1f)), gates, go + j);
                store(dct.mul(f), dc, dcOff + sr + j);
            }
            if (j < units) {
                // Tail: the scalar twin on the remaining units of this row (same formulas).
                for (; j < units; j++) {
                    float i = gates.getAtIndex(F, gi + j), f = gates.getAtIndex(F, gf + j);
                    float g = gates.getAtIndex(F, gg + j), o = gates.getAtIndex(F, go + j);
                    float tc = ScalarKernels.tanh(c.getAtIndex(F, cOff + sr + j));
                    float dhj = dh.getAtIndex(F, dhOff + sr + j);
                    float dct = dc.getAtIndex(F, dcOff + sr + j) + dhj * o * (1 - tc * tc);
                    float di = dct * g, df = dct * cPrev.getAtIndex(F, cPrevOff + sr + j), dg = dct * i, dO = dhj * tc;
                    gates.setAtIndex(F, gi + j, di * i * (1 - i));
                    gates.setAtIndex(F, gf + j, df * f * (1 - f));
                    gates.setAtIndex(F, gg + j, dg * (1 - g * g));
                    gates.setAtIndex(F, go + j, dO * o * (1 - o));
                    dc.setAtIndex(F, dcOff + sr + j, dct * f);
                }
            }
        }
    }

    @Override
    public void axpy(long n, float alpha, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        long nVec = n - n % L;
        FloatVector va = FloatVector.broadcast(S, alpha);
        long i = 0;
        for (; i < nVec; i += L) store(va.fma(load(x, xOff + i), load(y, yOff + i)), y, yOff + i);
        for (; i < n; i++) y.setAtIndex(F, yOff + i, Math.fma(alpha, x.getAtIndex(F, xOff + i), y.getAtIndex(F, yOff + i)));
    }

    @Override
    public void addRowVector(int rows, int cols, MemorySegment v, long vOff, MemorySegment x, long xOff) {
        int cVec = cols - cols % L;
        for (int r = 0; r < rows; r++) {
            long row = xOff + (long) r * cols;
            int j = 0;
            for (; j < cVec; j += L) store(load(x, row + j).add(load(v, vOff + j)), x, row + j);
            for (; j < cols; j++) x.setAtIndex(F, row + j, x.getAtIndex(F, row + j) + v.getAtIndex(F, vOff + j));
        }
    }

    @Override
    public void addColumnSums(int rows, int cols, MemorySegment x, long xOff, MemorySegment out, long outOff) {
        int cVec = cols - cols % L;
        for (int r = 0; r < rows; r++) {
            long row = xOff + (long) r * cols;
            int j = 0;
            for (; j < cVec; j += L) store(load(out, outOff + j).add(load(x, row + j)), out, outOff + j);
            for (; j < cols; j++) out.setAtIndex(F, outOff + j, out.getAtIndex(F, outOff + j) + x.getAtIndex(F, row + j));
        }
    }

    @Override
    public void adam(long n, MemorySegment w, MemorySegment g, MemorySegment m, MemorySegment v,
                     float lrT, float beta1, float beta2, float eps) {
        long nVec = n - n % L;
        long i = 0;
        for (; i < nVec; i += L) {
            FloatVector gi = load(g, i);
            FloatVector mi = load(m, i).mul(beta1).add(gi.mul(1 - beta1));
            FloatVector vi = load(v, i).mul(beta2).add(gi.mul(gi).mul(1 - beta2));
            store(mi, m, i);
            store(vi, v, i);
            store(load(w, i).sub(mi.mul(lrT).div(vi.sqrt().add(eps))), w, i);
        }
        for (; i < n; i++) {
            float gi = g.getAtIndex(F, i);
            float mi = beta1 * m.getAtIndex(F, i) + (1 - beta1) * gi;
            float vi = beta2 * v.getAtIndex(F, i) + (1 - beta2) * gi * gi;
            m.setAtIndex(F, i, mi);
            v.setAtIndex(F, i, vi);
            w.setAtIndex(F, i, w.getAtIndex(F, i) - lrT * mi / ((float) Math.sqrt(vi) + eps));
        }
    }
}
