package vectorlstm.kernels;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The LSTM and GRU steps' element-wise parts with Keras' hard sigmoid as the recurrent activation
 * (models saved by Keras 2 use it): the vector twins of ScalarKernels' {@code *Hard} methods. The
 * sigmoid kernels stay as they are (their loop bodies are tuned to C2's inlining budget); these
 * are plain loops, the last partial vector of a row under a mask.
 */
final class PanamaHardGates {
    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final int L = VectorShape.LANES;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private PanamaHardGates() {}

    private static FloatVector load(MemorySegment m, long floatIndex, VectorMask<Float> k) {
        return FloatVector.fromMemorySegment(S, m, floatIndex * Float.BYTES, NATIVE, k);
    }

    private static void store(FloatVector v, MemorySegment m, long floatIndex, VectorMask<Float> k) {
        v.intoMemorySegment(m, floatIndex * Float.BYTES, NATIVE, k);
    }

    /** max(0, min(1, slope·x + 0.5)) */
    private static FloatVector hardSigmoid(FloatVector x, float slope) {
        return x.fma(slope, 0.5f).max(0f).min(1f);
    }

    /** d hard_sigmoid from its output s: the slope where 0 < s < 1, else 0. */
    private static FloatVector slopeOf(FloatVector s, float slope) {
        VectorMask<Float> linear = s.compare(VectorOperators.GT, 0f).and(s.compare(VectorOperators.LT, 1f));
        return FloatVector.zero(S).blend(slope, linear);
    }

    static void forward(int batch, int units, float slope, MemorySegment z, long zOff, MemorySegment cPrev, long cPrevOff,
                        MemorySegment c, long cOff, MemorySegment tanhC, long tcOff, MemorySegment h, long hOff) {
        for (int r = 0; r < batch; r++) {
            long zr = zOff + (long) r * 4 * units, sr = (long) r * units;
            for (int j = 0; j < units; j += L) {
                VectorMask<Float> k = S.indexInRange(j, units);
                FloatVector i = hardSigmoid(load(z, zr + j, k), slope);
                FloatVector f = hardSigmoid(load(z, zr + units + j, k), slope);
                FloatVector g = FastMath.tanh(load(z, zr + 2L * units + j, k));
                FloatVector o = hardSigmoid(load(z, zr + 3L * units + j, k), slope);
                FloatVector ct = f.mul(load(cPrev, cPrevOff + sr + j, k)).add(i.mul(g));
                FloatVector tc = FastMath.tanh(ct);
                store(i, z, zr + j, k);
                store(f, z, zr + units + j, k);
                store(g, z, zr + 2L * units + j, k);
                store(o, z, zr + 3L * units + j, k);
                store(ct, c, cOff + sr + j, k);
                store(tc, tanhC, tcOff + sr + j, k);
                store(o.mul(tc), h, hOff + sr + j, k);
            }
        }
    }

    static void backward(int batch, int units, float slope, MemorySegment gates, long gOff, MemorySegment cPrev, long cPrevOff,
                         MemorySegment tanhC, long tcOff, MemorySegment dh, long dhOff, MemorySegment dc, long dcOff) {
        for (int r = 0; r < batch; r++) {
            long gr = gOff + (long) r * 4 * units, sr = (long) r * units;
            for (int j = 0; j < units; j += L) {
                VectorMask<Float> k = S.indexInRange(j, units);
                FloatVector i = load(gates, gr + j, k);
                FloatVector f = load(gates, gr + units + j, k);
                FloatVector g = load(gates, gr + 2L * units + j, k);
                FloatVector o = load(gates, gr + 3L * units + j, k);
                FloatVector tc = load(tanhC, tcOff + sr + j, k);
                FloatVector dhj = load(dh, dhOff + sr + j, k);
                // dc collects the carry from t+1 and the path through h = o*tanh(c)
                FloatVector dct = load(dc, dcOff + sr + j, k).add(dhj.mul(o).mul(tc.mul(tc).neg().add(1f)));
                store(dct.mul(g).mul(slopeOf(i, slope)), gates, gr + j, k);
                store(dct.mul(load(cPrev, cPrevOff + sr + j, k)).mul(slopeOf(f, slope)), gates, gr + units + j, k);
                store(dct.mul(i).mul(g.mul(g).neg().add(1f)), gates, gr + 2L * units + j, k);
                store(dhj.mul(tc).mul(slopeOf(o, slope)), gates, gr + 3L * units + j, k);
                store(dct.mul(f), dc, dcOff + sr + j, k);
            }
        }
    }

    static void gruGatesForward(int batch, int units, float slope, MemorySegment gates, long gOff, MemorySegment rec, long recOff,
                                MemorySegment hPrev, long hpOff, MemorySegment rh, long rhOff) {
        for (int r = 0; r < batch; r++) {
            long gr = gOff + (long) r * 3 * units, rr = recOff + (long) r * 3 * units, sr = (long) r * units;
            for (int j = 0; j < 2 * units; j += L) {
                VectorMask<Float> k = S.indexInRange(j, 2 * units);
                store(hardSigmoid(load(gates, gr + j, k).add(load(rec, rr + j, k)), slope), gates, gr + j, k);
            }
            if (rh == null) continue;
            for (int j = 0; j < units; j += L) {
                VectorMask<Float> k = S.indexInRange(j, units);
                store(load(gates, gr + units + j, k).mul(load(hPrev, hpOff + sr + j, k)), rh, rhOff + sr + j, k);
            }
        }
    }

    static void gruCandidateBackward(int batch, int units, float slope, boolean resetAfter, MemorySegment gates, long gOff,
                                     MemorySegment rec, long recOff, MemorySegment hPrev, long hpOff, MemorySegment dh, long dhOff) {
        for (int row = 0; row < batch; row++) {
            long gz = gOff + (long) row * 3 * units, gr = gz + units, gh = gr + units;
            long rz = recOff + (long) row * 3 * units, rr = rz + units, rh = rr + units, sr = (long) row * units;
            for (int j = 0; j < units; j += L) {
                VectorMask<Float> k = S.indexInRange(j, units);
                FloatVector z = load(gates, gz + j, k), hh = load(gates, gh + j, k);
                FloatVector hp = load(hPrev, hpOff + sr + j, k), g = load(dh, dhOff + sr + j, k);
                FloatVector dz = g.mul(hp.sub(hh)).mul(slopeOf(z, slope));
                FloatVector dhh = g.mul(z.neg().add(1f)).mul(hh.mul(hh).neg().add(1f));
                store(dz, gates, gz + j, k);
                store(dhh, gates, gh + j, k);
                store(g.mul(z), dh, dhOff + sr + j, k);
                if (!resetAfter) continue;
                FloatVector r = load(gates, gr + j, k);
                FloatVector dr = dhh.mul(load(rec, rh + j, k)).mul(slopeOf(r, slope));
                store(dr, gates, gr + j, k);
                store(dz, rec, rz + j, k);
                store(dr, rec, rr + j, k);
                store(r.mul(dhh), rec, rh + j, k);
            }
        }
    }

    static void gruResetBackward(int batch, int units, float slope, MemorySegment gates, long gOff, MemorySegment drh, long drhOff,
                                 MemorySegment hPrev, long hpOff, MemorySegment dh, long dhOff) {
        for (int row = 0; row < batch; row++) {
            long gr = gOff + (long) row * 3 * units + units, sr = (long) row * units;
            for (int j = 0; j < units; j += L) {
                VectorMask<Float> k = S.indexInRange(j, units);
                FloatVector r = load(gates, gr + j, k), d = load(drh, drhOff + sr + j, k);
                store(d.mul(load(hPrev, hpOff + sr + j, k)).mul(slopeOf(r, slope)), gates, gr + j, k);
                store(d.fma(r, load(dh, dhOff + sr + j, k)), dh, dhOff + sr + j, k);
            }
        }
    }
}
