package vectorlstm.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GRU step kernels of {@link Kernels} on the Vector API (contract and formulas there); the
 * twins are {@link ScalarKernels}' gru* methods.
 *
 * <p>They work in place (gates, rec, dh) and a row's units need not be whole vectors, so each loop
 * ends in a scalar tail (FastMath's scalar sigmoid and tanh, as the LSTM kernels' tails). As for the LSTM, each
 * loop inlines at most one polynomial ({@link FastMath}), so C2 compiles it within its inlining
 * budget and no vector is boxed.
 */
final class PanamaGru {
    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final int L = VectorShape.LANES;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final long VEC_BYTES = (long) L * Float.BYTES;

    private PanamaGru() {}

    static void gatesForward(int batch, int units, MemorySegment gates, long gOff, MemorySegment rec, long recOff,
                             MemorySegment hPrev, long hpOff, MemorySegment rh, long rhOff) {
        for (int r = 0; r < batch; r++) {
            long gr = gOff + (long) r * 3 * units, sr = (long) r * units;
            sigmoidOfSum(2 * units, gates, gr, rec, recOff + (long) r * 3 * units);
            if (rh != null) multiply(units, gates, gr + units, hPrev, hpOff + sr, rh, rhOff + sr);
        }
    }

    /** {@code x[j] = σ(x[j] + y[j])} for n floats. */
    private static void sigmoidOfSum(int n, MemorySegment x, long x0, MemorySegment y, long y0) {
        int nVec = n - n % L, j = 0;
        for (long xb = x0 * Float.BYTES, yb = y0 * Float.BYTES; j < nVec; j += L, xb += VEC_BYTES, yb += VEC_BYTES) {
            FloatVector a = FloatVector.fromMemorySegment(S, x, xb, NO).add(FloatVector.fromMemorySegment(S, y, yb, NO));
            FastMath.sigmoid(a).intoMemorySegment(x, xb, NO);
        }
        for (; j < n; j++) x.setAtIndex(F, x0 + j, FastMath.sigmoid(x.getAtIndex(F, x0 + j) + y.getAtIndex(F, y0 + j)));
    }

    /** {@code out[j] = x[j] · y[j]} for n floats. */
    private static void multiply(int n, MemorySegment x, long x0, MemorySegment y, long y0, MemorySegment out, long o0) {
        int nVec = n - n % L, j = 0;
        for (long at = 0; j < nVec; j += L, at += VEC_BYTES) {
            FloatVector.fromMemorySegment(S, x, x0 * Float.BYTES + at, NO).mul(FloatVector.fromMemorySegment(S, y, y0 * Float.BYTES + at, NO))
                    .intoMemorySegment(out, o0 * Float.BYTES + at, NO);
        }
        for (; j < n; j++) out.setAtIndex(F, o0 + j, x.getAtIndex(F, x0 + j) * y.getAtIndex(F, y0 + j));
    }

    static void candidateForward(int batch, int units, boolean resetAfter, MemorySegment gates, long gOff,
                                 MemorySegment rec, long recOff, MemorySegment hPrev, long hpOff, MemorySegment h, long hOff) {
        for (int r = 0; r < batch; r++) {
            long sr = (long) r * units;
            candidateRow(units, resetAfter, gates, gOff + (long) r * 3 * units, rec, recOff + (long) r * 3 * units + 2L * units,
                    hPrev, hpOff + sr, h, hOff + sr);
        }
    }

    /** One row: hh = tanh(x_h + r·rec_h) (or x_h + rec_h) into the h slot, h = hh + z·(hPrev - hh). */
    private static void candidateRow(int n, boolean resetAfter, MemorySegment gates, long gz, MemorySegment rec, long rh0,
                                     MemorySegment hPrev, long hp0, MemorySegment h, long h0) {
        long gr = gz + n, gh = gr + n;
        int nVec = n - n % L, j = 0;
        for (long at = 0; j < nVec; j += L, at += VEC_BYTES) {
            FloatVector z = FloatVector.fromMemorySegment(S, gates, gz * Float.BYTES + at, NO);
            FloatVector xh = FloatVector.fromMemorySegment(S, gates, gh * Float.BYTES + at, NO);
            FloatVector recH = FloatVector.fromMemorySegment(S, rec, rh0 * Float.BYTES + at, NO);
            FloatVector hp = FloatVector.fromMemorySegment(S, hPrev, hp0 * Float.BYTES + at, NO);
            FloatVector a = resetAfter ? FloatVector.fromMemorySegment(S, gates, gr * Float.BYTES + at, NO).fma(recH, xh) : xh.add(recH);
            FloatVector hh = FastMath.tanh(a);
            hh.intoMemorySegment(gates, gh * Float.BYTES + at, NO);
            z.fma(hp.sub(hh), hh).intoMemorySegment(h, h0 * Float.BYTES + at, NO);
        }
        for (; j < n; j++) {
            float xh = gates.getAtIndex(F, gh + j), recH = rec.getAtIndex(F, rh0 + j), hp = hPrev.getAtIndex(F, hp0 + j);
            float hh = FastMath.tanh(resetAfter ? Math.fma(gates.getAtIndex(F, gr + j), recH, xh) : xh + recH);  // as the lanes
            gates.setAtIndex(F, gh + j, hh);
            h.setAtIndex(F, h0 + j, Math.fma(gates.getAtIndex(F, gz + j), hp - hh, hh));
        }
    }

    static void candidateBackward(int batch, int units, boolean resetAfter, MemorySegment gates, long gOff,
                                  MemorySegment rec, long recOff, MemorySegment hPrev, long hpOff, MemorySegment dh, long dhOff) {
        for (int r = 0; r < batch; r++) {
            long sr = (long) r * units;
            candidateBackwardRow(units, resetAfter, gates, gOff + (long) r * 3 * units, rec, recOff + (long) r * 3 * units,
                    hPrev, hpOff + sr, dh, dhOff + sr);
        }
    }

    /** dz = dh·(hPrev - hh)·z(1 - z), dhh = dh·(1 - z)(1 - hh²), dh = dh·z; resetAfter: dr = dhh·rec_h·r(1 - r) and rec = [dz, dr, r·dhh]. */
    private static void candidateBackwardRow(int n, boolean resetAfter, MemorySegment gates, long gz, MemorySegment rec, long rz,
                                             MemorySegment hPrev, long hp0, MemorySegment dh, long dh0) {
        long gr = gz + n, gh = gr + n, rr = rz + n, rh = rr + n;
        int nVec = n - n % L, j = 0;
        for (long at = 0; j < nVec; j += L, at += VEC_BYTES) {
            FloatVector z = FloatVector.fromMemorySegment(S, gates, gz * Float.BYTES + at, NO);
            FloatVector hh = FloatVector.fromMemorySegment(S, gates, gh * Float.BYTES + at, NO);
            FloatVector hp = FloatVector.fromMemorySegment(S, hPrev, hp0 * Float.BYTES + at, NO);
            FloatVector g = FloatVector.fromMemorySegment(S, dh, dh0 * Float.BYTES + at, NO);
            FloatVector dz = g.mul(hp.sub(hh)).mul(z).mul(z.neg().add(1f));
            FloatVector dhh = g.mul(z.neg().add(1f)).mul(hh.mul(hh).neg().add(1f));
            dz.intoMemorySegment(gates, gz * Float.BYTES + at, NO);
            dhh.intoMemorySegment(gates, gh * Float.BYTES + at, NO);
            g.mul(z).intoMemorySegment(dh, dh0 * Float.BYTES + at, NO);
            if (!resetAfter) continue;
            FloatVector r = FloatVector.fromMemorySegment(S, gates, gr * Float.BYTES + at, NO);
            FloatVector dr = dhh.mul(FloatVector.fromMemorySegment(S, rec, rh * Float.BYTES + at, NO)).mul(r).mul(r.neg().add(1f));
            dr.intoMemorySegment(gates, gr * Float.BYTES + at, NO);
            dz.intoMemorySegment(rec, rz * Float.BYTES + at, NO);
            dr.intoMemorySegment(rec, rr * Float.BYTES + at, NO);
            r.mul(dhh).intoMemorySegment(rec, rh * Float.BYTES + at, NO);
        }
        for (; j < n; j++) {
            float z = gates.getAtIndex(F, gz + j), hh = gates.getAtIndex(F, gh + j), hp = hPrev.getAtIndex(F, hp0 + j), g = dh.getAtIndex(F, dh0 + j);
            float dz = g * (hp - hh) * z * (1 - z), dhh = g * (1 - z) * (1 - hh * hh);
            gates.setAtIndex(F, gz + j, dz);
            gates.setAtIndex(F, gh + j, dhh);
            dh.setAtIndex(F, dh0 + j, g * z);
            if (!resetAfter) continue;
            float r = gates.getAtIndex(F, gr + j), dr = dhh * rec.getAtIndex(F, rh + j) * r * (1 - r);
            gates.setAtIndex(F, gr + j, dr);
            rec.setAtIndex(F, rz + j, dz);
            rec.setAtIndex(F, rr + j, dr);
            rec.setAtIndex(F, rh + j, r * dhh);
        }
    }

    static void resetBackward(int batch, int units, MemorySegment gates, long gOff, MemorySegment drh, long drhOff,
                              MemorySegment hPrev, long hpOff, MemorySegment dh, long dhOff) {
        int nVec = units - units % L;
        for (int row = 0; row < batch; row++) {
            long gr = gOff + (long) row * 3 * units + units, sr = (long) row * units;
            long d0 = drhOff + sr, hp0 = hpOff + sr, dh0 = dhOff + sr;
            int j = 0;
            for (long at = 0; j < nVec; j += L, at += VEC_BYTES) {
                FloatVector r = FloatVector.fromMemorySegment(S, gates, gr * Float.BYTES + at, NO);
                FloatVector d = FloatVector.fromMemorySegment(S, drh, d0 * Float.BYTES + at, NO);
                FloatVector hp = FloatVector.fromMemorySegment(S, hPrev, hp0 * Float.BYTES + at, NO);
                d.mul(hp).mul(r).mul(r.neg().add(1f)).intoMemorySegment(gates, gr * Float.BYTES + at, NO);
                d.fma(r, FloatVector.fromMemorySegment(S, dh, dh0 * Float.BYTES + at, NO)).intoMemorySegment(dh, dh0 * Float.BYTES + at, NO);
            }
            for (; j < units; j++) {
                float r = gates.getAtIndex(F, gr + j), d = drh.getAtIndex(F, d0 + j);
                gates.setAtIndex(F, gr + j, d * hPrev.getAtIndex(F, hp0 + j) * r * (1 - r));
                dh.setAtIndex(F, dh0 + j, Math.fma(d, r, dh.getAtIndex(F, dh0 + j)));
            }
        }
    }
}
