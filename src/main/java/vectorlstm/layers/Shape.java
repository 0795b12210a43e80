package vectorlstm.layers;

import java.util.Arrays;
import java.util.StringJoiner;

/** The shape of one sample, without the batch dimension: {@code (500, 32)} for a sequence. */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        for (int d : dims) if (d <= 0) throw new IllegalArgumentException("dimensions must be positive: " + Arrays.toString(dims));
        this.dims = dims;
    }

    public static Shape of(int... dims) { return new Shape(dims.clone()); }

    public int rank() { return dims.length; }
    public int dim(int i) { return dims[i]; }
    public int last() { return dims[dims.length - 1]; }
    public int[] dims() { return dims.clone(); }

    public long size() {
        long n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    /** Keras' way of printing it, batch first: {@code (None, 500, 32)}. */
    public String withBatch() {
        StringJoiner j = new StringJoiner(", ", "(", ")");
        j.add("None");
        for (int d : dims) j.add(Integer.toString(d));
        return j.toString();
    }

    @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }
    @Override public int hashCode() { return Arrays.hashCode(dims); }
    @Override public String toString() { return withBatch(); }
}
