package vectorlstm.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector tanh and sigmoid as inline FMA polynomials instead of calls into the SVML library.
 *
 * <p>Why: the LSTM step needs 3 sigmoids and 2 tanh per cell; the lanewise EXP/TANH operators
 * compile to out-of-line library calls whose overhead dominated the gate kernel. This is the
 * 13/6-degree rational approximation Eigen uses for float tanh, clamped where tanh(x) rounds to
 * ±1 in float; its error against {@link Math#tanh} is tested to stay below 1e-6 absolute.
 * sigmoid(x) = (1 + tanh(x/2)) / 2.
 */
final class FastMath {
    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final float CLAMP = 7.90531110763549805f;
    private static final float A1 = 4.89352455891786e-03f, A3 = 6.37261928875436e-04f, A5 = 1.48572235717979e-05f,
            A7 = 5.12229709037114e-08f, A9 = -8.60467152213735e-11f, A11 = 2.00018790482477e-13f, A13 = -2.76076847742355e-16f;
    private static final float B0 = 4.89352518554385e-03f, B2 = 2.26843463243900e-03f, B4 = 1.18534705686654e-04f,
            B6 = 1.19825839466702e-06f;
    private static final float TINY = 0.0004f;  // below this tanh(x) == x in float

    private FastMath() {}

    static FloatVector tanh(FloatVector x) {
        FloatVector xc = x.max(-CLAMP).min(CLAMP);
        FloatVector x2 = xc.mul(xc);
        FloatVector p = x2.fma(A13, A11).fma(x2, FloatVector.broadcast(S, A9)).fma(x2, FloatVector.broadcast(S, A7))
                .fma(x2, FloatVector.broadcast(S, A5)).fma(x2, FloatVector.broadcast(S, A3)).fma(x2, FloatVector.broadcast(S, A1))
                .mul(xc);
        FloatVector q = x2.fma(B6, B4).fma(x2, FloatVector.broadcast(S, B2)).fma(x2, FloatVector.broadcast(S, B0));
        FloatVector t = p.div(q);
        VectorMask<Float> tiny = x.lanewise(VectorOperators.ABS).lt(TINY);
        return t.blend(x, tiny);
    }

    static FloatVector sigmoid(FloatVector x) {
        return tanh(x.mul(0.5f)).fma(0.5f, 0.5f);
    }

    /** The same approximation on one float, for checking it against Math.tanh. */
    static float tanh(float x) {
        if (Math.abs(x) < TINY) return x;
        float xc = Math.max(-CLAMP, Math.min(CLAMP, x));
        float x2 = xc * xc;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(x2, A13, A11), x2, A9), x2, A7), x2, A5), x2, A3), x2, A1) * xc;
        float q = Math.fma(Math.fma(Math.fma(x2, B6, B4), x2, B2), x2, B0);
        return p / q;
    }
}
