package vectorlstm.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One off-heap block cut into 64-byte aligned tensors, as llm.c does with a single malloc.
 *
 * <p>Sizing is done by running the same allocation code twice: first against a
 * {@link #counting()} slab, which hands out tensors without memory and only adds up the bytes,
 * then against a real slab of exactly that size. So the size can never drift from the layout.
 */
public final class Slab {
    /** Cache-line alignment: keeps vector loads from splitting lines and rows from false sharing. */
    public static final long ALIGN = 64;

    private final MemorySegment block;   // null when counting
    private long used;

    private Slab(MemorySegment block) { this.block = block; }

    /** A slab that only measures: its tensors have no memory and must not be read or written. */
    public static Slab counting() { return new Slab(null); }

    /** A zeroed block of {@code bytes} from {@code arena}, 64-byte aligned. */
    public static Slab allocate(Arena arena, long bytes) {
        return new Slab(arena.allocate(Math.max(bytes, ALIGN), ALIGN));
    }

    /** Bytes handed out so far (including alignment padding). */
    public long used() { return used; }

    /** A zeroed float tensor of the given shape. */
    public Tensor tensor(int... shape) {
        long bytes = Tensor.sizeOf(shape) * Float.BYTES;
        long start = used;
        if (roundUp(bytes) < 0 || used > Long.MAX_VALUE - roundUp(bytes)) {
            throw new IllegalArgumentException("tensors of " + used + " and " + bytes + " bytes: more than any memory holds");
        }
        used += roundUp(bytes);
        if (block == null) return new Tensor(MemorySegment.NULL, shape);
        if (used > block.byteSize()) {
            throw new IllegalStateException("slab overflow: need " + used + " bytes, have " + block.byteSize());
        }
        return new Tensor(block.asSlice(start, bytes), shape);
    }

    /** An int32 tensor (token ids; read with {@link Tensor#getInt}); ints are 4 bytes like floats. */
    public Tensor intTensor(int... shape) {
        return tensor(shape);
    }

    private static long roundUp(long bytes) { return (bytes + ALIGN - 1) / ALIGN * ALIGN; }
}
