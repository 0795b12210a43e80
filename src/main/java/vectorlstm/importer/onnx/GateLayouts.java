package vectorlstm.importer.onnx;

import vectorlstm.importer.ImportException;

/**
 * ONNX recurrent weights to Keras' layouts, one direction at a time.
 *
 * <p>ONNX keeps each direction's gates as row blocks, {@code W [dirs, G·H, D]} and {@code R [dirs, G·H, H]},
 * and two biases {@code B [dirs, 2·G·H] = Wb ‖ Rb}. Keras keeps the transpose, {@code kernel [D, G·H]}
 * and {@code recurrent_kernel [H, G·H]}, with gate blocks as column blocks. The gate orders:
 * <pre>
 *   LSTM  ONNX i, o, f, c    Keras i, f, c, o
 *   GRU   ONNX z, r, h       Keras z, r, h
 * </pre>
 * Keras' LSTM has one bias, and Wb + Rb is exactly it: both are added to the same pre-activation.
 * A GRU with linear_before_reset = 1 is Keras' reset_after GRU, whose bias [2, 3H] keeps Wb and Rb
 * apart (the recurrent h-gate bias is multiplied by r); with linear_before_reset = 0, ONNX adds
 * Rbh outside the reset product, so Wb + Rb is Keras' single reset_before bias.
 */
final class GateLayouts {
    /** For each Keras gate block, the ONNX block it comes from. */
    static final int[] LSTM_FROM_ONNX = {0, 2, 3, 1};
    static final int[] GRU_FROM_ONNX = {0, 1, 2};

    private GateLayouts() {}

    /** ONNX {@code [dirs, G·H, cols]} → Keras {@code [cols, G·H]} for direction {@code dir}, gates reordered. */
    static float[] kernel(NumericTensor w, int dir, int units, int cols, int[] fromOnnx) {
        int gates = fromOnnx.length, width = gates * units;
        float[] src = w.floats();
        long base = (long) dir * width * cols;
        float[] out = new float[cols * width];
        for (int g = 0; g < gates; g++) {
            for (int j = 0; j < units; j++) {
                long row = base + (long) (fromOnnx[g] * units + j) * cols;
                for (int c = 0; c < cols; c++) out[c * width + g * units + j] = finite(w, src[(int) (row + c)], row + c);
            }
        }
        return out;
    }

    /**
     * The bias of direction {@code dir} from ONNX {@code B [dirs, 2·G·H]} (null: zeros): Wb + Rb
     * ({@code G·H}), or with {@code keepApart} the rows Wb and Rb ({@code [2, G·H]}).
     */
    static float[] bias(NumericTensor b, int dir, int units, int[] fromOnnx, boolean keepApart) {
        int gates = fromOnnx.length, width = gates * units;
        float[] out = new float[keepApart ? 2 * width : width];
        if (b == null) return out;
        float[] src = b.floats();
        int base = dir * 2 * width;
        for (int g = 0; g < gates; g++) {
            for (int j = 0; j < units; j++) {
                int wb = base + fromOnnx[g] * units + j, rb = wb + width;
                float input = finite(b, src[wb], wb), recurrent = finite(b, src[rb], rb);
                if (keepApart) {
                    out[g * units + j] = input;
                    out[width + g * units + j] = recurrent;
                } else {
                    out[g * units + j] = input + recurrent;
                    // Each half finite, their sum not: the engine keeps one bias, which would be infinite.
                    if (!Float.isFinite(out[g * units + j])) {
                        throw new ImportException("initializer '" + b.name() + "' holds " + input + " and " + recurrent + " at flat indexes " + wb + " and " + rb
                                + ", whose sum (the one bias the engine keeps) overflows float32; weights must be finite");
                    }
                }
            }
        }
        return out;
    }

    static float finite(NumericTensor t, float v, long index) {
        if (!Float.isFinite(v)) throw new ImportException("weight '" + t.name() + "' holds " + v + " at flat index " + index + "; weights must be finite");
        return v;
    }

    /** The whole tensor, checked finite (embedding table, Dense kernel and bias). */
    static float[] finiteCopy(NumericTensor t) {
        float[] src = t.floats();
        for (int i = 0; i < src.length; i++) finite(t, src[i], i);
        return src.clone();
    }
}
