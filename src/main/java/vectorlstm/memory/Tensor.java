package vectorlstm.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A float32 view onto off-heap memory: a {@link MemorySegment} slice plus a row-major shape.
 * Tensors never own memory; the {@link Slab} they were cut from (and its arena) does.
 * Index arithmetic is in floats; kernels take the segment and a float offset.
 */
public final class Tensor {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;

    private final MemorySegment segment;
    private final int[] shape;
    private final long size;

    Tensor(MemorySegment segment, int[] shape) {
        this.segment = segment;
        this.shape = shape.clone();
        this.size = sizeOf(shape);
    }

    /**
     * A tensor over memory someone else owns (a mapped model file): the segment must hold exactly
     * size(shape) floats in native byte order, 4-byte aligned, and outlive the tensor.
     */
    public static Tensor wrap(MemorySegment segment, int... shape) {
        long bytes = sizeOf(shape) * Float.BYTES;
        if (segment.byteSize() != bytes) {
            throw new IllegalArgumentException(Arrays.toString(shape) + " needs " + bytes + " bytes, the segment has " + segment.byteSize());
        }
        if (!segment.isNative() || segment.address() % Float.BYTES != 0) {
            throw new IllegalArgumentException("a tensor needs off-heap memory aligned to 4 bytes");
        }
        return new Tensor(segment, shape);
    }


    /** The most floats a tensor may hold: its byte count still fits a long. */
    private static final long MAX_FLOATS = Long.MAX_VALUE / Float.BYTES;

    public static long sizeOf(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n = d == 0 || n <= MAX_FLOATS / d ? n * d : -1;  // the byte count must fit a long: a product that wrapped became a negative length
            if (n < 0) throw new IllegalArgumentException("a tensor of shape " + Arrays.toString(shape) + " holds more floats than any memory");
        }
        return n;
    }

    public MemorySegment segment() { return segment; }
    public int[] shape() { return shape.clone(); }
    public int dim(int i) { return shape[i]; }
    public int rank() { return shape.length; }
    public long size() { return size; }

    public float get(long i) { return segment.getAtIndex(F32, i); }
    public void set(long i, float v) { segment.setAtIndex(F32, i, v); }
    public int getInt(long i) { return segment.getAtIndex(ValueLayout.JAVA_INT, i); }
    public void setInt(long i, int v) { segment.setAtIndex(ValueLayout.JAVA_INT, i, v); }


    /**
     * The first size(shape) floats seen with {@code shape}: a state sized for maxBatch holds a
     * smaller batch packed at its start.
     */
    public Tensor prefix(int... newShape) {
        // The whole tensor as it is: itself. A scorer's batch-1 states are cut to their sequence's
        // length, so its layers' views are these, and a call makes no new ones (and no garbage).
        if (Arrays.equals(newShape, shape)) return this;
        return cut(newShape);
    }

    /** {@link #prefix(int...)} of rank 2, without an array when the shape is the tensor's own. */
    public Tensor prefix(int d0, int d1) {
        return shape.length == 2 && shape[0] == d0 && shape[1] == d1 ? this : cut(new int[] {d0, d1});
    }

    /** {@link #prefix(int...)} of rank 3, without an array when the shape is the tensor's own. */
    public Tensor prefix(int d0, int d1, int d2) {
        return shape.length == 3 && shape[0] == d0 && shape[1] == d1 && shape[2] == d2 ? this : cut(new int[] {d0, d1, d2});
    }

    private Tensor cut(int[] newShape) {
        long n = sizeOf(newShape);
        if (n > size) throw new IllegalArgumentException(Arrays.toString(newShape) + " does not fit in " + Arrays.toString(shape));
        return new Tensor(segment.asSlice(0, n * Float.BYTES), newShape);
    }

    /** The floats [offset, offset + size(shape)) seen with {@code shape}. */
    public Tensor slice(long offset, int... newShape) {
        long n = sizeOf(newShape);
        if (offset < 0 || offset + n > size) throw new IllegalArgumentException("slice out of range of " + Arrays.toString(shape));
        return new Tensor(segment.asSlice(offset * Float.BYTES, n * Float.BYTES), newShape);
    }


    public void zero() { zeroFirst(size); }

    /**
     * The first {@code count} floats set to 0 without making a view (a scorer's layers zero their
     * first batch row on every call: a view each time was garbage each time).
     */
    public void zeroFirst(long count) {
        if (count < 0 || count > size) throw new IllegalArgumentException("cannot zero " + count + " of " + size + " floats");
        if (count * Float.BYTES == segment.byteSize()) {
            segment.fill((byte) 0);
        } else {
            zero(segment, 0, count);
        }
    }

    /**
     * Floats {@code [from, from + count)} of {@code segment} set to 0. A short run (a row, a
     * scorer's batch-1 state) by stores, without a view: a slice to fill is a 40-byte object,
     * which a scoring call paid per masked row until C2's escape analysis removed it, and not
     * always in time (ScorerAllocationTest). A long run (a training batch's rows) by one memset,
     * where the view is nothing beside the work.
     */
    public static void zero(MemorySegment segment, long from, long count) {
        if (count > 4096) {
            segment.asSlice(from * Float.BYTES, count * Float.BYTES).fill((byte) 0);
        } else {
            for (long i = from, end = from + count; i < end; i++) segment.setAtIndex(F32, i, 0f);
        }
    }

    public void copyFrom(Tensor other) {
        if (other.size != size) throw new IllegalArgumentException("size mismatch " + other.size + " vs " + size);
        MemorySegment.copy(other.segment, 0, segment, 0, size * Float.BYTES);
    }

    public float[] toArray() {
        return segment.asSlice(0, size * Float.BYTES).toArray(F32);
    }

    public void copyFrom(float[] values) {
        if (values.length != size) throw new IllegalArgumentException("expected " + size + " values, got " + values.length);
        MemorySegment.copy(values, 0, segment, F32, 0, values.length);
    }

    @Override
    public String toString() { return "Tensor" + Arrays.toString(shape); }
}
