package vectorlstm.kernels;

import static vectorlstm.kernels.ScalarKernels.hardSigmoid;
import static vectorlstm.kernels.ScalarKernels.hardSigmoidSlope;
import static vectorlstm.kernels.ScalarKernels.sigmoid;
import static vectorlstm.kernels.ScalarKernels.tanh;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The GRU's gate kernels as plain loops: the scalar twins of {@link PanamaGru} and
 * {@link PanamaHardGates}' GRU part, behind {@link ScalarKernels}. Gates [b, 3H] in Keras' order
 * (z, r, h̃); {@code resetAfter} is Keras' {@code reset_after} (the reset applied to the
 * recurrent product, PyTorch's form) or not (to h before the product).
 */
final class ScalarGru {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    private ScalarGru() {}

    static void gruGatesForwardHard(int batch, int units, float slope, MemorySegment gates, long gOff, MemorySegment rec, long recOff,
                                    MemorySegment hPrev, long hpOff, MemorySegment rh, long rhOff) {
        for (int r = 0; r < batch; r++) {
            long gr = gOff + (long) r * 3 * units, rr = recOff + (long) r * 3 * units, sr = (long) r * units;
            for (int j = 0; j < 2 * units; j++) {
                gates.setAtIndex(F, gr + j, hardSigmoid(gates.getAtIndex(F, gr + j) + rec.getAtIndex(F, rr + j), slope));
            }
            if (rh == null) continue;
            for (int j = 0; j < units; j++) {
                rh.setAtIndex(F, rhOff + sr + j, gates.getAtIndex(F, gr + units + j) * hPrev.getAtIndex(F, hpOff + sr + j));
            }
        }
    }

    static void gruCandidateBackwardHard(int batch, int units, float slope, boolean resetAfter, MemorySegment gates, long gOff,
                                         MemorySegment rec, long recOff, MemorySegment hPrev, long hpOff, MemorySegment dh, long dhOff) {
        for (int r = 0; r < batch; r++) {
            long gr = gOff + (long) r * 3 * units, rr = recOff + (long) r * 3 * units, sr = (long) r * units;
            for (int j = 0; j < units; j++) {
                float z = gates.getAtIndex(F, gr + j), reset = gates.getAtIndex(F, gr + units + j);
                float hh = gates.getAtIndex(F, gr + 2L * units + j), hp = hPrev.getAtIndex(F, hpOff + sr + j);
                float g = dh.getAtIndex(F, dhOff + sr + j);
                float dz = g * (hp - hh) * hardSigmoidSlope(z, slope);
                float dhh = g * (1 - z) * (1 - hh * hh);
                gates.setAtIndex(F, gr + j, dz);
                gates.setAtIndex(F, gr + 2L * units + j, dhh);
                dh.setAtIndex(F, dhOff + sr + j, g * z);
                if (!resetAfter) continue;
                float dr = dhh * rec.getAtIndex(F, rr + 2L * units + j) * hardSigmoidSlope(reset, slope);
                gates.setAtIndex(F, gr + units + j, dr);
                rec.setAtIndex(F, rr + j, dz);
                rec.setAtIndex(F, rr + units + j, dr);
                rec.setAtIndex(F, rr + 2L * units + j, reset * dhh);
            }
        }
    }

    static void gruResetBackwardHard(int batch, int units, float slope, MemorySegment gates, long gOff, MemorySegment drh, long drhOff,
                                     MemorySegment hPrev, long hpOff, MemorySegment dh, long dhOff) {
        for (int r = 0; r < batch; r++) {
            long gr = gOff + (long) r * 3 * units + units, sr = (long) r * units;
            for (int j = 0; j < units; j++) {
                float reset = gates.getAtIndex(F, gr + j), d = drh.getAtIndex(F, drhOff + sr + j);
                gates.setAtIndex(F, gr + j, d * hPrev.getAtIndex(F, hpOff + sr + j) * hardSigmoidSlope(reset, slope));
                dh.setAtIndex(F, dhOff + sr + j, Math.fma(d, reset, dh.getAtIndex(F, dhOff + sr + j)));
            }
        }
    }

    static void gruGatesForward(int batch, int units, MemorySegment gates, long gOff, MemorySegment rec, long recOff,
                                MemorySegment hPrev, long hpOff, MemorySegment rh, long rhOff) {
        for (int r = 0; r < batch; r++) {
            long gr = gOff + (long) r * 3 * units, rr = recOff + (long) r * 3 * units, sr = (long) r * units;
            for (int j = 0; j < 2 * units; j++) {
                gates.setAtIndex(F, gr + j, sigmoid(gates.getAtIndex(F, gr + j) + rec.getAtIndex(F, rr + j)));
            }
            if (rh == null) continue;
            for (int j = 0; j < units; j++) {
                rh.setAtIndex(F, rhOff + sr + j, gates.getAtIndex(F, gr + units + j) * hPrev.getAtIndex(F, hpOff + sr + j));
            }
        }
    }

    static void gruCandidateForward(int batch, int units, boolean resetAfter, MemorySegment gates, long gOff,
                                    MemorySegment rec, long recOff, MemorySegment hPrev, long hpOff, MemorySegment h, long hOff) {
        for (int r = 0; r < batch; r++) {
            long gr = gOff + (long) r * 3 * units, rr = recOff + (long) r * 3 * units, sr = (long) r * units;
            for (int j = 0; j < units; j++) {
                float z = gates.getAtIndex(F, gr + j), reset = gates.getAtIndex(F, gr + units + j);
                float xh = gates.getAtIndex(F, gr + 2L * units + j), recH = rec.getAtIndex(F, rr + 2L * units + j);
                float hh = tanh(resetAfter ? xh + reset * recH : xh + recH);
                float hp = hPrev.getAtIndex(F, hpOff + sr + j);
                gates.setAtIndex(F, gr + 2L * units + j, hh);
                h.setAtIndex(F, hOff + sr + j, hh + z * (hp - hh));  // z·hPrev + (1 - z)·hh
            }
        }
    }

    static void gruCandidateBackward(int batch, int units, boolean resetAfter, MemorySegment gates, long gOff,
                                     MemorySegment rec, long recOff, MemorySegment hPrev, long hpOff, MemorySegment dh, long dhOff) {
        for (int r = 0; r < batch; r++) {
            long gr = gOff + (long) r * 3 * units, rr = recOff + (long) r * 3 * units, sr = (long) r * units;
            for (int j = 0; j < units; j++) {
                float z = gates.getAtIndex(F, gr + j), reset = gates.getAtIndex(F, gr + units + j);
                float hh = gates.getAtIndex(F, gr + 2L * units + j), hp = hPrev.getAtIndex(F, hpOff + sr + j);
                float g = dh.getAtIndex(F, dhOff + sr + j);
                float dz = g * (hp - hh) * z * (1 - z);
                float dhh = g * (1 - z) * (1 - hh * hh);
                gates.setAtIndex(F, gr + j, dz);
                gates.setAtIndex(F, gr + 2L * units + j, dhh);
                dh.setAtIndex(F, dhOff + sr + j, g * z);
                if (!resetAfter) continue;
                float dr = dhh * rec.getAtIndex(F, rr + 2L * units + j) * reset * (1 - reset);
                gates.setAtIndex(F, gr + units + j, dr);
                rec.setAtIndex(F, rr + j, dz);
                rec.setAtIndex(F, rr + units + j, dr);
                rec.setAtIndex(F, rr + 2L * units + j, reset * dhh);
            }
        }
    }

    static void gruResetBackward(int batch, int units, MemorySegment gates, long gOff, MemorySegment drh, long drhOff,
                                 MemorySegment hPrev, long hpOff, MemorySegment dh, long dhOff) {
        for (int r = 0; r < batch; r++) {
            long gr = gOff + (long) r * 3 * units + units, sr = (long) r * units;
            for (int j = 0; j < units; j++) {
                float reset = gates.getAtIndex(F, gr + j), d = drh.getAtIndex(F, drhOff + sr + j);
                gates.setAtIndex(F, gr + j, d * hPrev.getAtIndex(F, hpOff + sr + j) * reset * (1 - reset));
                dh.setAtIndex(F, dhOff + sr + j, Math.fma(d, reset, dh.getAtIndex(F, dhOff + sr + j)));
            }
        }
    }
}
