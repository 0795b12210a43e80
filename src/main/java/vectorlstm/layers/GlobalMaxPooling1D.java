package vectorlstm.layers;

import java.lang.foreign.MemorySegment;

/**
 * {@code GlobalMaxPooling1D}: each feature's maximum over the real steps. Keras' own layer takes no
 * mask: its maximum runs over all steps, masked ones included (what the layer below wrote there:
 * 0 after Masking or inside a Bidirectional, the carried output after a plain LSTM). That is kept
 * as an option, {@code includeMaskedSteps}, which imported Keras models use so they score as in
 * Keras; the engine's default leaves padding out, so a sequence and the same sequence padded pool
 * alike.
 */
public final class GlobalMaxPooling1D extends GlobalPooling1D {
    private final boolean includeMaskedSteps;

    public GlobalMaxPooling1D() { this(false); }

    /** @param includeMaskedSteps Keras' behaviour: the maximum over every step, the mask ignored */
    public GlobalMaxPooling1D(boolean includeMaskedSteps) { this.includeMaskedSteps = includeMaskedSteps; }

    public boolean includeMaskedSteps() { return includeMaskedSteps; }

    @Override public String typeName() { return "GlobalMaxPooling1D"; }
    @Override public String namePrefix() { return "global_max_pooling1d"; }

    // out[n, j] = max over real t (with includeMaskedSteps every t of the row's own length) of x[t, n, j]; argmax remembers which t (the first, on ties).
    @Override
    void pool(PoolState s, MemorySegment x, MemorySegment out, int b, int f) {
        for (int n = 0; n < b; n++) {
            for (int j = 0; j < f; j++) {
                float best = Float.NEGATIVE_INFINITY;
                int at = -1;
                for (int t = 0; t < s.steps; t++) {
                    // Masked steps count for Keras' layer, but never the engine's padding of a ragged batch.
                    if (includeMaskedSteps ? s.rowLengths != null && t >= s.rowLengths[n] : !real(s, t, b, n)) continue;
                    float v = x.getAtIndex(F32, ((long) t * b + n) * f + j);
                    if (v > best) {
                        best = v;
                        at = t;
                    }
                }
                s.argmax.setInt((long) n * f + j, at);
                out.setAtIndex(F32, (long) n * f + j, at < 0 ? 0f : best);
            }
        }
    }

    // The gradient goes to the step that held the maximum.
    @Override
    void spread(PoolState s, MemorySegment dOut, MemorySegment dx, int b, int f) {
        for (int n = 0; n < b; n++) {
            for (int j = 0; j < f; j++) {
                int at = s.argmax.getInt((long) n * f + j);
                if (at >= 0) dx.setAtIndex(F32, ((long) at * b + n) * f + j, dOut.getAtIndex(F32, (long) n * f + j));
            }
        }
    }
}
