package vectorlstm.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector tanh and sigmoid as inline FMA polynomials instead of calls into the SVML library.
 *
 * <p>Why: the LSTM step needs 3 sigmoids and 2 tanh per cell; the lanewise EXP/TANH operators
 * compile to out-of-line library calls whose overhead dominated the gate kernel. This is the
 * 13/6-degree rational approximation Eigen uses for float tanh, clamped where tanh(x) rounds to
 * ±1 in float; its error against {@link Math#tanh} is tested to stay below 1e-6 absolute.
 * sigmoid(x) = (1 + tanh(x/2)) / 2, with the constant factors folded into the coefficients.
 *
 * <p>The clamp is a compare and a blend per side, not {@code max}/{@code min}: those follow
 * {@link Math#max}'s rules for NaN and signed zeros, which x86 has no single instruction for, and
 * C2's longer sequences made the clamp a third of tanh's time (a row of 25 vectors: 93 ns with
 * max/min, 71 with blends). A NaN fails both compares and passes through, as it did. Near zero
 * the form needs no special case: x multiplies the quotient P/Q last, so no product goes
 * subnormal before it, and tiny inputs come back as x·(A1/B0), within one float ulp of x (passing
 * them through unchanged cost another 8 ns a row).
 */
final class FastMath {
    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final float CLAMP = 7.90531110763549805f;
    private static final float A1 = 4.89352455891786e-03f, A3 = 6.37261928875436e-04f, A5 = 1.48572235717979e-05f,
            A7 = 5.12229709037114e-08f, A9 = -8.60467152213735e-11f, A11 = 2.00018790482477e-13f, A13 = -2.76076847742355e-16f;
    private static final float B0 = 4.89352518554385e-03f, B2 = 2.26843463243900e-03f, B4 = 1.18534705686654e-04f,
            B6 = 1.19825839466702e-06f;

    private FastMath() {}

    static FloatVector tanh(FloatVector x) {
        FloatVector xc = x.blend(CLAMP, x.compare(VectorOperators.GT, CLAMP));
        xc = xc.blend(-CLAMP, xc.compare(VectorOperators.LT, -CLAMP));
        FloatVector x2 = xc.mul(xc);
        FloatVector p = x2.fma(A13, A11).fma(x2, FloatVector.broadcast(S, A9)).fma(x2, FloatVector.broadcast(S, A7))
                .fma(x2, FloatVector.broadcast(S, A5)).fma(x2, FloatVector.broadcast(S, A3)).fma(x2, FloatVector.broadcast(S, A1));
        FloatVector q = x2.fma(B6, B4).fma(x2, FloatVector.broadcast(S, B2)).fma(x2, FloatVector.broadcast(S, B0));
        return p.div(q).mul(xc);
    }

    /*
     * sigmoid(x) = 1/2 + tanh(x/2)/2 = (x·P(x²/4)/4 + Q(x²/4)/2) / Q(x²/4) with tanh(t) = t·P(t²)/Q(t²)
     * as above. The halvings and quarterings are powers of two, so they fold exactly into the
     * coefficients: with s = x², SP(s) = P(s/4)/4 and SQ(s) = Q(s/4)/2, sigmoid = (x·SP + SQ) / (2·SQ).
     * That is 15 vector operations (the division included) instead of 19: no x/2, no final fma, no
     * pass-through of tiny inputs (sigmoid near 0 is 1/2 + x/4 either way).
     */
    private static final float SP0 = A1 / 4, SP1 = A3 / 16, SP2 = A5 / 64, SP3 = A7 / 256, SP4 = A9 / 1024,
            SP5 = A11 / 4096, SP6 = A13 / 16384;
    private static final float SQ0 = B0 / 2, SQ1 = B2 / 8, SQ2 = B4 / 32, SQ3 = B6 / 128;
    private static final float SIGMOID_CLAMP = 2 * CLAMP;

    static FloatVector sigmoid(FloatVector x) {
        FloatVector xc = x.blend(SIGMOID_CLAMP, x.compare(VectorOperators.GT, SIGMOID_CLAMP));
        xc = xc.blend(-SIGMOID_CLAMP, xc.compare(VectorOperators.LT, -SIGMOID_CLAMP));
        FloatVector s = xc.mul(xc);
        FloatVector p = s.fma(SP6, SP5).fma(s, FloatVector.broadcast(S, SP4)).fma(s, FloatVector.broadcast(S, SP3))
                .fma(s, FloatVector.broadcast(S, SP2)).fma(s, FloatVector.broadcast(S, SP1)).fma(s, FloatVector.broadcast(S, SP0));
        FloatVector q = s.fma(SQ3, SQ2).fma(s, FloatVector.broadcast(S, SQ1)).fma(s, FloatVector.broadcast(S, SQ0));
        return xc.fma(p, q).div(q.add(q));
    }

    /*
     * The same two functions on one float, operation for operation (Math.fma where the vectors
     * fuse): the vector kernels' scalar tails use them, so a cell gets the same bits in a vector's
     * lane and in a tail. A two-thread scorer's share of a row starts elsewhere than one thread's
     * row, and a share narrower than a vector is all tail: with Math.tanh in the tails, 21 units
     * at 16 lanes scored other bits shared than alone (FastMathTest checks lane against scalar).
     */

    static float tanh(float x) {
        float xc = x > CLAMP ? CLAMP : x;
        xc = xc < -CLAMP ? -CLAMP : xc;
        float x2 = xc * xc;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(x2, A13, A11), x2, A9), x2, A7), x2, A5), x2, A3), x2, A1);
        float q = Math.fma(Math.fma(Math.fma(x2, B6, B4), x2, B2), x2, B0);
        return p / q * xc;
    }

    static float sigmoid(float x) {
        float xc = x > SIGMOID_CLAMP ? SIGMOID_CLAMP : x;
        xc = xc < -SIGMOID_CLAMP ? -SIGMOID_CLAMP : xc;
        float s = xc * xc;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(s, SP6, SP5), s, SP4), s, SP3), s, SP2), s, SP1), s, SP0);
        float q = Math.fma(Math.fma(Math.fma(s, SQ3, SQ2), s, SQ1), s, SQ0);
        return Math.fma(xc, p, q) / (q + q);
    }
}
