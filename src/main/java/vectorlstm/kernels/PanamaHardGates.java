package vectorlstm.kernels;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward element-wise parts of the LSTM and GRU steps with Keras' hard sigmoid as the
 * recurrent activation (models saved by Keras 2 use it): the vector twins of ScalarKernels'
 * {@code lstmGatesForwardHard} and {@code gruGatesForwardHard}. The backward kernels stay scalar
 * (PanamaKernels delegates): their vector versions, with the derivative as a compare-and-blend,
 * measured 3.4x slower than the scalar loop (JMH GateKernelBenchmark, 2026-12-02: backward
 * 43 us against 12.6 us at b = 32, H = 100), while this forward measured 3.3x faster (34 against
 * 113 us). The
 * sigmoid kernels stay as they are (their loop bodies are tuned to C2's inlining budget); these
 * are plain loops over whole vectors, and the last partial vector of a row runs once under a
 * mask. (A mask on every iteration, the first version, measured 3x slower than the scalar twin in
 * backward: JMH GateKernelBenchmark.)
 */
final class PanamaHardGates {
    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final int L = VectorShape.LANES;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private PanamaHardGates() {}

    /** A whole vector ({@code k} null, the loop body) or the masked last part of a row. */
    private static FloatVector load(MemorySegment m, long floatIndex, VectorMask<Float> k) {
        return k == null ? FloatVector.fromMemorySegment(S, m, floatIndex * Float.BYTES, NATIVE)
                : FloatVector.fromMemorySegment(S, m, floatIndex * Float.BYTES, NATIVE, k);
    }

    private static void store(FloatVector v, MemorySegment m, long floatIndex, VectorMask<Float> k) {
        if (k == null) v.intoMemorySegment(m, floatIndex * Float.BYTES, NATIVE);
        else v.intoMemorySegment(m, floatIndex * Float.BYTES, NATIVE, k);
    }

    /** null (no mask) while a whole vector fits before n, else the mask of the lanes left. */
    private static VectorMask<Float> tail(int j, int n) {
        return j + L <= n ? null : S.indexInRange(j, n);
    }

    /** max(0, min(1, slope·x + 0.5)) */
    private static FloatVector hardSigmoid(FloatVector x, float slope) {
        return x.fma(slope, 0.5f).max(0f).min(1f);
    }

    static void forward(int batch, int units, float slope, MemorySegment z, long zOff, MemorySegment cPrev, long cPrevOff,
                        MemorySegment c, long cOff, MemorySegment tanhC, long tcOff, MemorySegment h, long hOff) {
        for (int r = 0; r < batch; r++) {
            long zr = zOff + (long) r * 4 * units, sr = (long) r * units;
            for (int j = 0; j < units; j += L) {
                VectorMask<Float> k = tail(j, units);
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

    static void gruGatesForward(int batch, int units, float slope, MemorySegment gates, long gOff, MemorySegment rec, long recOff,
                                MemorySegment hPrev, long hpOff, MemorySegment rh, long rhOff) {
        for (int r = 0; r < batch; r++) {
            long gr = gOff + (long) r * 3 * units, rr = recOff + (long) r * 3 * units, sr = (long) r * units;
            for (int j = 0; j < 2 * units; j += L) {
                VectorMask<Float> k = tail(j, 2 * units);
                store(hardSigmoid(load(gates, gr + j, k).add(load(rec, rr + j, k)), slope), gates, gr + j, k);
            }
            if (rh == null) continue;
            for (int j = 0; j < units; j += L) {
                VectorMask<Float> k = tail(j, units);
                store(load(gates, gr + units + j, k).mul(load(hPrev, hpOff + sr + j, k)), rh, rhOff + sr + j, k);
            }
        }
    }

}
