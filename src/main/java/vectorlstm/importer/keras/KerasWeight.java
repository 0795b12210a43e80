package vectorlstm.importer.keras;

import io.jhdf.api.Dataset;
import java.util.Arrays;
import vectorlstm.importer.ImportException;

/** One stored weight array: where it is in the file, its shape, and its values on demand (read once shapes are checked). */
record KerasWeight(String path, Dataset dataset) {
    /** The largest single weight read: 2^28 floats (1 GiB), far above any text RNN, far below what would exhaust a server. */
    static final long MAX_ELEMENTS = 1L << 28;

    int[] shape() { return dataset.isScalar() ? new int[0] : dataset.getDimensions(); }

    float[] values() {
        long n = dataset.getSize();
        if (n > MAX_ELEMENTS) throw new ImportException("weight " + path + " holds " + n + " values, more than the limit of " + MAX_ELEMENTS);
        Object flat = dataset.getDataFlat();
        float[] out = switch (flat) {
            case float[] f -> f;
            case double[] d -> {  // float64 weights (rare): read at float32, the engine's precision
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
                yield f;
            }
            default -> throw new ImportException("weight " + path + " holds " + dataset.getJavaType().getSimpleName() + " values, expected float32");
        };
        if (out.length != n) throw new ImportException("weight " + path + " holds " + out.length + " values, its shape " + Arrays.toString(shape()) + " says " + n);
        for (int i = 0; i < out.length; i++) {
            if (!Float.isFinite(out[i])) throw new ImportException("weight " + path + " holds " + out[i] + " at index " + i + ": weights must be finite");
        }
        return out;
    }
}
