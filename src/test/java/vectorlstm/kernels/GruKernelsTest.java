package vectorlstm.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One GRU step composed from the four kernels the way the layer runs them, against Keras' formulas
 * written out in double (keras/src/layers/rnn/gru.py, GRUCell.call) and against central finite
 * differences of that reference: forward h_t, and the gradients of L = Σ w·h_t with respect to the
 * input projection x·W + b and to h_{t-1}. KernelParityTest then ties the Panama twins to these.
 */
class GruKernelsTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final int H = 5;

    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    /** Keras' step in double: xp [3H] = x·W + input bias, u [H, 3H], bRec [3H] (reset_after only). */
    private static double[] reference(double[] xp, double[] h, double[] u, double[] bRec, boolean resetAfter) {
        double[] out = new double[H];
        double[] r = new double[H];
        for (int j = 0; j < H; j++) r[j] = sigmoid(xp[H + j] + dot(h, u, H + j) + (resetAfter ? bRec[H + j] : 0));
        for (int j = 0; j < H; j++) {
            double z = sigmoid(xp[j] + dot(h, u, j) + (resetAfter ? bRec[j] : 0));
            double recH;
            if (resetAfter) {
                recH = r[j] * (dot(h, u, 2 * H + j) + bRec[2 * H + j]);
            } else {
                double[] rh = new double[H];
                for (int k = 0; k < H; k++) rh[k] = r[k] * h[k];
                recH = dot(rh, u, 2 * H + j);
            }
            double hh = Math.tanh(xp[2 * H + j] + recH);
            out[j] = z * h[j] + (1 - z) * hh;
        }
        return out;
    }

    private static double dot(double[] h, double[] u, int col) {
        double s = 0;
        for (int k = 0; k < H; k++) s += h[k] * u[k * 3 * H + col];
        return s;
    }

    private static double loss(double[] xp, double[] h, double[] u, double[] b, double[] w, boolean resetAfter) {
        double[] out = reference(xp, h, u, b, resetAfter);
        double l = 0;
        for (int j = 0; j < H; j++) l += w[j] * out[j];
        return l;
    }

    private static double[] randoms(Random rng, int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);  // float-exact, as the kernels see them
        return a;
    }

    private static MemorySegment seg(Arena arena, double[] a) {
        MemorySegment s = arena.allocate((long) Math.max(1, a.length) * Float.BYTES, 64);
        for (int i = 0; i < a.length; i++) s.setAtIndex(F, i, (float) a[i]);
        return s;
    }

    /** c[0, col0 + j] (+)= Σ_k a[k] · u[k, col0 + j] for j < n: the recurrent GEMM of one row. */
    private static void rowTimesU(MemorySegment a, MemorySegment u, int col0, int n, MemorySegment c, boolean overwrite) {
        for (int j = 0; j < n; j++) {
            float s = overwrite ? 0 : c.getAtIndex(F, col0 + j);
            for (int k = 0; k < H; k++) s += a.getAtIndex(F, k) * u.getAtIndex(F, (long) k * 3 * H + col0 + j);
            c.setAtIndex(F, col0 + j, s);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void oneStepMatchesKerasAndItsFiniteDifferences(boolean resetAfter) {
        Kernels[] all = KernelProvider.vectorModulePresent()
                ? new Kernels[] {new ScalarKernels(), KernelProvider.panama()} : new Kernels[] {new ScalarKernels()};
        Random rng = new Random(7);
        double[] xp = randoms(rng, 3 * H, 1.5), h = randoms(rng, H, 1), u = randoms(rng, 3 * H * H, 0.8);
        double[] bRec = randoms(rng, 3 * H, 0.5), w = randoms(rng, H, 1);
        double[] want = reference(xp, h, u, bRec, resetAfter);
        for (Kernels k : all) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment gates = seg(arena, xp), hPrev = seg(arena, h), us = seg(arena, u);
                MemorySegment rec = seg(arena, resetAfter ? bRec : new double[3 * H]), rh = resetAfter ? null : seg(arena, new double[H]);
                MemorySegment hOut = seg(arena, new double[H]), dh = seg(arena, w);
                rowTimesU(hPrev, us, 0, resetAfter ? 3 * H : 2 * H, rec, false);
                k.gruGatesForward(1, H, gates, 0, rec, 0, hPrev, 0, rh, 0);
                if (!resetAfter) rowTimesU(rh, us, 2 * H, H, rec, true);
                k.gruCandidateForward(1, H, resetAfter, gates, 0, rec, 0, hPrev, 0, hOut, 0);
                for (int j = 0; j < H; j++) assertClose(want[j], hOut.getAtIndex(F, j), 1e-6, k.description() + " h[" + j + "]");

                k.gruCandidateBackward(1, H, resetAfter, gates, 0, rec, 0, hPrev, 0, dh, 0);
                if (!resetAfter) {
                    MemorySegment drh = seg(arena, new double[H]);
                    for (int i = 0; i < H; i++) {  // drh = dhh · U_hᵀ
                        float s = 0;
                        for (int j = 0; j < H; j++) s += gates.getAtIndex(F, 2 * H + j) * us.getAtIndex(F, (long) i * 3 * H + 2 * H + j);
                        drh.setAtIndex(F, i, s);
                    }
                    k.gruResetBackward(1, H, gates, 0, drh, 0, hPrev, 0, dh, 0);
                }
                // dh_{t-1} += d(rec)·Uᵀ over the columns that multiply h itself: all 3H (reset_after) or z, r.
                MemorySegment dRec = resetAfter ? rec : gates;
                for (int i = 0; i < H; i++) {
                    float s = dh.getAtIndex(F, i);
                    for (int c = 0; c < (resetAfter ? 3 * H : 2 * H); c++) s += dRec.getAtIndex(F, c) * us.getAtIndex(F, (long) i * 3 * H + c);
                    dh.setAtIndex(F, i, s);
                }
                double eps = 1e-5;
                for (int i = 0; i < 3 * H; i++) {
                    double[] plus = xp.clone(), minus = xp.clone();
                    plus[i] += eps;
                    minus[i] -= eps;
                    double fd = (loss(plus, h, u, bRec, w, resetAfter) - loss(minus, h, u, bRec, w, resetAfter)) / (2 * eps);
                    assertClose(fd, gates.getAtIndex(F, i), 1e-5, k.description() + " d(x·W)[" + i + "]");
                }
                for (int i = 0; i < H; i++) {
                    double[] plus = h.clone(), minus = h.clone();
                    plus[i] += eps;
                    minus[i] -= eps;
                    double fd = (loss(xp, plus, u, bRec, w, resetAfter) - loss(xp, minus, u, bRec, w, resetAfter)) / (2 * eps);
                    assertClose(fd, dh.getAtIndex(F, i), 1e-5, k.description() + " dh_prev[" + i + "]");
                }
            }
        }
    }

    private static void assertClose(double want, double got, double tol, String what) {
        assertTrue(Math.abs(want - got) <= tol * Math.max(1, Math.abs(want)), what + ": want " + want + ", got " + got);
    }
}
