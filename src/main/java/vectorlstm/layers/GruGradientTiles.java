package vectorlstm.layers;

import java.lang.foreign.MemorySegment;

/**
 * A GRU's backward products in tiles ({@link RecurrentGradientTiles}). The input side's dG is the
 * gradient of x·W + input bias, [R, 3H]. The recurrent tile: reset_after, {@code dU += hᵀ·d(rec)}
 * and the recurrent bias {@code += Σ d(rec)}; reset_before, {@code dU_zr += hᵀ·[dz, dr]} and
 * {@code dU_h += (r ⊙ h)ᵀ·dhh}. h is h_{t-1} as the recurrent products saw it (dropped in training
 * with recurrent dropout).
 */
final class GruGradientTiles extends RecurrentGradientTiles {
    private boolean resetAfter;
    private int units;
    private MemorySegment h, gates, rec, rh, dU, dBias;

    GruGradientTiles prepare(boolean resetAfter, int units, int features, int rows, MemorySegment h, MemorySegment gates,
                             MemorySegment rec, MemorySegment rh, MemorySegment x,
                             MemorySegment dU, MemorySegment dW, MemorySegment dBias) {
        input(rows, features, 3 * units, x, gates, dW, dBias);
        this.resetAfter = resetAfter;
        this.units = units;
        this.h = h;
        this.gates = gates;
        this.rec = rec;
        this.rh = rh;
        this.dU = dU;
        this.dBias = dBias;
        return this;
    }

    @Override
    void recurrentProducts() {
        int g3 = 3 * units;
        if (resetAfter) {
            K.gemm(units, g3, rows, h, 0, 1, units, rec, 0, g3, dU, 0, g3);
            K.addColumnSums(rows, g3, rec, 0, g3, dBias, g3);   // the recurrent bias: dBias's second half
        } else {
            K.gemm(units, 2 * units, rows, h, 0, 1, units, gates, 0, g3, dU, 0, g3);
            K.gemm(units, units, rows, rh, 0, 1, units, gates, 2L * units, g3, dU, 2L * units, g3);
        }
    }
}
