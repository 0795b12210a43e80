package vectorlstm.layers;

import java.lang.foreign.MemorySegment;
import vectorlstm.memory.Tensor;

/** Keras' {@code GlobalAveragePooling1D}: each feature's mean over the real steps (Keras honours the mask too). */
public final class GlobalAveragePooling1D extends GlobalPooling1D {
    @Override public String typeName() { return "GlobalAveragePooling1D"; }
    @Override public String namePrefix() { return "global_average_pooling1d"; }

    // out[n, :] = Σ over real t of x[t, n, :] / (number of real steps)
    @Override
    void pool(PoolState s, MemorySegment x, MemorySegment out, int b, int f) {
        Tensor.zero(out, 0, (long) b * f);
        for (int n = 0; n < b; n++) {
            int count = 0;
            for (int t = 0; t < s.steps; t++) {
                if (!real(s, t, b, n)) continue;
                count++;
                K.axpy(f, 1f, x, ((long) t * b + n) * f, out, (long) n * f);
            }
            s.count.set(n, count);
            if (count < 2) continue;
            float inverse = 1f / count;
            for (int j = 0; j < f; j++) out.setAtIndex(F32, (long) n * f + j, out.getAtIndex(F32, (long) n * f + j) * inverse);
        }
    }

    // Each real step gets dOut / count.
    @Override
    void spread(PoolState s, MemorySegment dOut, MemorySegment dx, int b, int f) {
        for (int n = 0; n < b; n++) {
            float count = s.count.get(n);
            if (count == 0f) continue;
            for (int t = 0; t < s.steps; t++) {
                if (real(s, t, b, n)) K.axpy(f, 1f / count, dOut, (long) n * f, dx, ((long) t * b + n) * f);
            }
        }
    }
}
