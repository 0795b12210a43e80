package vectorlstm.importer.onnx;

import java.util.Arrays;
import vectorlstm.importer.ImportException;

/**
 * A tensor whose values the file gives: an initializer or a Constant node's value. Exactly one of
 * {@code floats} (float32) and {@code longs} (int64, or int32 when {@code int64} is false) is set;
 * row-major, {@code dims} as the file declares them (checked against the data before anything was
 * allocated).
 */
record NumericTensor(String name, long[] dims, float[] floats, long[] longs, boolean int64) {
    boolean isFloat() { return floats != null; }

    int rank() { return dims.length; }

    long size() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    boolean hasDims(long... expected) { return Arrays.equals(dims, expected); }

    String dimsText() { return Arrays.toString(dims); }

    /** The integers of a 0-d or 1-d int tensor (axes, indices, shapes), for the small graph-plumbing constants. */
    long[] ints(String role) {
        if (longs == null) throw new ImportException(role + " '" + name + "' must hold integers, it holds float32");
        if (rank() > 1) throw new ImportException(role + " '" + name + "' must be a scalar or a list, it has dims " + dimsText());
        return longs;
    }
}
