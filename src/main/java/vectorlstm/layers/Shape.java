package vectorlstm.layers;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * The shape of one sample, without the batch dimension: {@code (500, 32)} for a sequence. The
 * time axis of a sequence (dimension 0) may be {@link #VARIABLE}, Keras' {@code None}.
 */
public final class Shape {
    /** A time axis whose length varies from sample to sample, printed "None". */
    public static final int VARIABLE = -1;
    /**
     * The most steps a sequence may have: far beyond any text's words, and a bound on what one
     * input may allocate (steps times widths); layers, inputs and model files all use this one.
     */
    public static final int MAX_STEPS = 100_000;

    private final int[] dims;

    private Shape(int[] dims) {
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] <= 0 && !(i == 0 && dims[i] == VARIABLE)) {
                throw new IllegalArgumentException("dimensions must be positive (only a sequence's time axis may vary): " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
    }

    public static Shape of(int... dims) { return new Shape(dims.clone()); }

    public int rank() { return dims.length; }
    public int dim(int i) { return dims[i]; }
    public int last() { return dims[dims.length - 1]; }
    public int[] dims() { return dims.clone(); }

    /** True when the time axis varies ({@link #VARIABLE}). */
    public boolean variableLength() { return dims[0] == VARIABLE; }

    public long size() {
        if (variableLength()) throw new IllegalStateException("a variable-length shape has no fixed size: " + this);
        long n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    /** Keras' way of printing it, batch first: {@code (None, 500, 32)}. */
    public String withBatch() {
        StringJoiner j = new StringJoiner(", ", "(", ")");
        j.add("None");
        for (int d : dims) j.add(d == VARIABLE ? "None" : Integer.toString(d));
        return j.toString();
    }

    @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }
    @Override public int hashCode() { return Arrays.hashCode(dims); }
    @Override public String toString() { return withBatch(); }
}
