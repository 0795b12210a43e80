package vectorlstm.kernels;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The optimizer updates of {@link PanamaKernels}: each loop is its twin in {@link ScalarKernels}
 * stepped by the lane count, and hands the last {@code n % lanes} elements to that twin, so a
 * tail computes exactly what the scalar kernel does. Operation for operation but one: Adam's
 * {@code v} multiplies (g·g)·(1 - β2) here and ((1 - β2)·g)·g in the twin, which can differ in the
 * last bit (the parity tests allow rounding). An element always lands in the same lane or tail
 * (every update starts at offset 0), so runs stay bit-identical; changing either order would move
 * every trained model's bits, and the documented results with them. They run once
 * per weight per batch, a small share of a step; the aim is plain code, not the last cycle.
 * Every kernel first forms the clipped gradient in place (no helper returning a vector: one C2
 * declined to inline would box it, see {@link PanamaKernels}).
 */
final class PanamaOptimizers {
    private static final VectorSpecies<Float> S = VectorShape.SPECIES;
    private static final int L = VectorShape.LANES;
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final long VEC_BYTES = (long) L * Float.BYTES;

    private PanamaOptimizers() {}

    static void adam(long n, MemorySegment w, MemorySegment grad, float gradScale, float clipValue, MemorySegment m, MemorySegment v,
                     float lrT, float beta1, float beta2, float eps) {
        long nVec = n - n % L;
        for (long at = 0, i = 0; i < nVec; i += L, at += VEC_BYTES) {
            FloatVector gi = FloatVector.fromMemorySegment(S, grad, at, NO).mul(gradScale).max(-clipValue).min(clipValue);
            FloatVector mi = FloatVector.fromMemorySegment(S, m, at, NO).mul(beta1).add(gi.mul(1 - beta1));
            FloatVector vi = FloatVector.fromMemorySegment(S, v, at, NO).mul(beta2).add(gi.mul(gi).mul(1 - beta2));
            mi.intoMemorySegment(m, at, NO);
            vi.intoMemorySegment(v, at, NO);
            FloatVector.fromMemorySegment(S, w, at, NO).sub(mi.mul(lrT).div(vi.sqrt().add(eps))).intoMemorySegment(w, at, NO);
        }
        if (nVec < n) ScalarKernels.adam(nVec, n, w, grad, gradScale, clipValue, m, v, lrT, beta1, beta2, eps);
    }

    static void sgd(long n, MemorySegment w, MemorySegment grad, float gradScale, float clipValue, MemorySegment velocity,
                    float lr, float momentum, boolean nesterov) {
        long nVec = n - n % L;
        for (long at = 0, i = 0; i < nVec; i += L, at += VEC_BYTES) {
            FloatVector gi = FloatVector.fromMemorySegment(S, grad, at, NO).mul(gradScale).max(-clipValue).min(clipValue);
            FloatVector wi = FloatVector.fromMemorySegment(S, w, at, NO);
            if (momentum == 0) {
                wi.sub(gi.mul(lr)).intoMemorySegment(w, at, NO);
                continue;
            }
            FloatVector vi = FloatVector.fromMemorySegment(S, velocity, at, NO).mul(momentum).sub(gi.mul(lr));
            vi.intoMemorySegment(velocity, at, NO);
            wi.add(nesterov ? vi.mul(momentum).sub(gi.mul(lr)) : vi).intoMemorySegment(w, at, NO);
        }
        if (nVec < n) ScalarKernels.sgd(nVec, n, w, grad, gradScale, clipValue, velocity, lr, momentum, nesterov);
    }

    static void rmsprop(long n, MemorySegment w, MemorySegment grad, float gradScale, float clipValue,
                        MemorySegment velocity, MemorySegment average, MemorySegment momentumBuffer,
                        float lr, float rho, float momentum, float eps, boolean centered) {
        long nVec = n - n % L;
        for (long at = 0, i = 0; i < nVec; i += L, at += VEC_BYTES) {
            FloatVector gi = FloatVector.fromMemorySegment(S, grad, at, NO).mul(gradScale).max(-clipValue).min(clipValue);
            FloatVector vi = FloatVector.fromMemorySegment(S, velocity, at, NO).mul(rho).add(gi.mul(gi).mul(1 - rho));
            vi.intoMemorySegment(velocity, at, NO);
            FloatVector denominator = vi.add(eps);
            if (centered) {
                FloatVector ai = FloatVector.fromMemorySegment(S, average, at, NO).mul(rho).add(gi.mul(1 - rho));
                ai.intoMemorySegment(average, at, NO);
                denominator = vi.sub(ai.mul(ai)).add(eps);
            }
            FloatVector step = gi.mul(lr).div(denominator.sqrt());
            if (momentum > 0) {
                step = FloatVector.fromMemorySegment(S, momentumBuffer, at, NO).mul(momentum).add(step);
                step.intoMemorySegment(momentumBuffer, at, NO);
            }
            FloatVector.fromMemorySegment(S, w, at, NO).sub(step).intoMemorySegment(w, at, NO);
        }
        if (nVec < n) ScalarKernels.rmsprop(nVec, n, w, grad, gradScale, clipValue, velocity, average, momentumBuffer, lr, rho, momentum, eps, centered);
    }
}
