package vectorlstm.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The polynomial tanh/sigmoid of the SIMD gate kernels against java.lang.Math. */
class FastMathTest {
    @Test
    void tanhIsWithinOneMillionthOfMathTanhEverywhere() {
        double worst = 0;
        for (double x = -30; x <= 30; x += 1e-4) {
            worst = Math.max(worst, Math.abs(FastMath.tanh((float) x) - Math.tanh((float) x)));
        }
        assertTrue(worst < 1e-6, "max |tanh error| " + worst);
        for (float tiny : new float[] {1e-5f, -3e-4f, 1e-20f, Float.MIN_NORMAL}) {
            assertEquals(tiny, FastMath.tanh(tiny), 2 * Math.ulp(tiny), "tiny inputs come back within two ulps: " + tiny);
        }
        assertEquals(0f, FastMath.tanh(0f), 0f);
        assertEquals(1f, FastMath.tanh(100f), 1e-6f);
        assertEquals(-1f, FastMath.tanh(Float.NEGATIVE_INFINITY), 1e-6f);
    }

    @Test
    void vectorFormsAgreeWithTheScalarFormAndWithMath() {
        var s = VectorShape.SPECIES;
        float[] xs = new float[s.length()];
        double worstTanh = 0, worstSigmoid = 0;
        for (float start = -25f; start < 25f; start += 0.37f) {
            for (int i = 0; i < xs.length; i++) xs[i] = start + i * 0.013f;
            float[] t = FastMath.tanh(FloatVector.fromArray(s, xs, 0)).toArray();
            float[] g = FastMath.sigmoid(FloatVector.fromArray(s, xs, 0)).toArray();
            for (int i = 0; i < xs.length; i++) {
                worstTanh = Math.max(worstTanh, Math.abs(t[i] - Math.tanh(xs[i])));
                worstSigmoid = Math.max(worstSigmoid, Math.abs(g[i] - 1 / (1 + Math.exp(-xs[i]))));
            }
        }
        assertTrue(worstTanh < 1e-6, "vector tanh error " + worstTanh);
        assertTrue(worstSigmoid < 1e-6, "vector sigmoid error " + worstSigmoid);
    }

    @Test
    void aLaneAndTheScalarFormGiveTheSameBits() {
        // Was: the kernels' scalar tails used Math.tanh and exp, so a cell computed in a tail (a two-thread
        // scorer's share narrower than a vector) had other bits than in a lane, and shared calls scored differently.
        var s = VectorShape.SPECIES;
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1e-30f, -1e-20f, Float.MIN_VALUE,
                7.9053111f, -7.9053111f, 15.810622f, -15.810622f, 8f, -16f, 1e30f};
        float[] xs = new float[s.length()];
        for (int round = 0; round < 20_000; round++) {
            for (int i = 0; i < xs.length; i++) {
                int pick = random.nextInt(4);
                xs[i] = pick == 0 ? special[random.nextInt(special.length)]
                        : pick == 1 ? (float) random.nextDouble(-0.01, 0.01) : (float) random.nextDouble(-20, 20);
            }
            float[] t = FastMath.tanh(FloatVector.fromArray(s, xs, 0)).toArray();
            float[] g = FastMath.sigmoid(FloatVector.fromArray(s, xs, 0)).toArray();
            for (int i = 0; i < xs.length; i++) {
                assertEquals(Float.floatToIntBits(FastMath.tanh(xs[i])), Float.floatToIntBits(t[i]), "tanh(" + xs[i] + ")");
                assertEquals(Float.floatToIntBits(FastMath.sigmoid(xs[i])), Float.floatToIntBits(g[i]), "sigmoid(" + xs[i] + ")");
            }
        }
    }

    @Test
    void theClampKeepsNanAndSendsInfinitiesToTheLimits() {
        var s = VectorShape.SPECIES;
        float[] xs = new float[s.length()];
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, -1e30f, 8f, -8f};
        for (int i = 0; i < xs.length; i++) xs[i] = special[i % special.length];
        float[] t = FastMath.tanh(FloatVector.fromArray(s, xs, 0)).toArray();
        float[] g = FastMath.sigmoid(FloatVector.fromArray(s, xs, 0)).toArray();
        for (int i = 0; i < xs.length; i++) {
            if (Float.isNaN(xs[i])) {
                assertTrue(Float.isNaN(t[i]) && Float.isNaN(g[i]), "NaN must stay NaN, got tanh " + t[i] + ", sigmoid " + g[i]);
                continue;
            }
            assertEquals(Math.tanh(xs[i]), t[i], 1e-6, "tanh(" + xs[i] + ")");
            assertEquals(1 / (1 + Math.exp(-xs[i])), g[i], 1e-6, "sigmoid(" + xs[i] + ")");
        }
        assertTrue(Float.isNaN(FastMath.tanh(Float.NaN)));
    }
}
