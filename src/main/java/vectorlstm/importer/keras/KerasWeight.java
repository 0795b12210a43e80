package vectorlstm.importer.keras;

import io.jhdf.AbstractNode;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.message.DataLayoutMessage.ContiguousDataLayoutMessage;
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
        checkStorage();
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

    /**
     * A contiguous dataset records where its values are and how many bytes they take; jhdf reads
     * as many bytes as the shape needs. A shape larger than the storage would read on into the
     * bytes after it (other weights, heaps) as weights, a smaller one would drop values: both are
     * a corrupt file, refused before any value is read. (Every Keras weight is contiguous.)
     */
    private void checkStorage() {
        if (dataset.isEmpty()) throw new ImportException("weight " + path + " has shape " + Arrays.toString(shape()) + " but no values stored");
        if (dataset instanceof ContiguousDataset && dataset instanceof AbstractNode node) {
            long stored = node.getHeader().getMessageOfType(ContiguousDataLayoutMessage.class).getSize();
            if (stored != dataset.getSizeInBytes()) {
                throw new ImportException("weight " + path + " has shape " + Arrays.toString(shape()) + " (" + dataset.getSizeInBytes() + " bytes) but stores "
                        + stored + " bytes: corrupt");
            }
        }
    }
}
