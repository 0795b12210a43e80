package vectorlstm.layers;

import java.lang.foreign.MemorySegment;

/**
 * An LSTM's backward products in tiles ({@link RecurrentGradientTiles}): dz [R, 4H] is both the
 * input projection's gradient and the recurrent product's, {@code dU += h_{t-1}ᵀ·dz} with h [R, H];
 * the shared-padding path adds the padding trajectory's {@code padHᵀ·padZ} after it.
 */
final class LstmGradientTiles extends RecurrentGradientTiles {
    private int units, padSteps;
    private MemorySegment h, dz, dU, padH, padZ;

    /** The rows' operands and the gradients they add to; clears any padding share and dx of the last use. */
    LstmGradientTiles prepare(int units, int features, int rows, MemorySegment h, MemorySegment dz, MemorySegment x,
                              MemorySegment dU, MemorySegment dW, MemorySegment dBias) {
        input(rows, features, 4 * units, x, dz, dW, dBias);
        this.units = units;
        this.h = h;
        this.dz = dz;
        this.dU = dU;
        this.padSteps = 0;
        return this;
    }

    /** The padding trajectory's share: {@code steps} steps of h and dz, and the padding token's x with Σ of its dz. */
    LstmGradientTiles padding(int steps, MemorySegment padH, MemorySegment padZ, MemorySegment xPad, MemorySegment padSum) {
        this.padSteps = steps;
        this.padH = padH;
        this.padZ = padZ;
        inputPadding(xPad, padSum);
        return this;
    }

    @Override
    void recurrentProducts() {
        int g4 = 4 * units;
        K.gemm(units, g4, rows, h, 0, 1, units, dz, 0, g4, dU, 0, g4);
        if (padSteps > 0) K.gemm(units, g4, padSteps, padH, 0, 1, units, padZ, 0, g4, dU, 0, g4);
    }
}
