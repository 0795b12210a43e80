package vectorlstm.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/** The kernel tests' inputs: seeded uniform floats in [-1, 1) and copies, 64-byte aligned, from the test's arena. */
final class TestSegments {
    private TestSegments() {}

    /** n floats (at least one slot allocated) from {@code new Random(seed)}: {@code nextFloat() * 2 - 1}. */
    static MemorySegment random(Arena arena, long n, long seed) {
        MemorySegment s = arena.allocate(Math.max(1, n) * Float.BYTES, 64);
        Random r = new Random(seed);
        for (long i = 0; i < n; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, r.nextFloat() * 2 - 1);
        return s;
    }

    /** A copy of {@code s}. */
    static MemorySegment copy(Arena arena, MemorySegment s) {
        MemorySegment c = arena.allocate(s.byteSize(), 64);
        c.copyFrom(s);
        return c;
    }
}
