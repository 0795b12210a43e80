package vectorlstm.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/**
 * Views that a scorer asks for on every call are the same objects each time: a GRU model's call
 * made 592 bytes of views (ScorerAllocationTest now bounds every such call at 64 and sees 0).
 */
class TensorViewsTest {
    @Test
    void aPrefixOfTheWholeShapeIsTheTensorItself() {
        try (Arena arena = Arena.ofConfined()) {
            Tensor t = Tensor.wrap(arena.allocate(2 * 3 * 4 * Float.BYTES, 64), 2, 3, 4);
            assertSame(t, t.prefix(2, 3, 4));
            assertSame(t, t.prefix(new int[] {2, 3, 4}));
            Tensor smaller = t.prefix(1, 3, 4);
            assertNotSame(t, smaller);
            assertArrayEquals(new int[] {1, 3, 4}, smaller.shape());
            assertEquals(12, smaller.size());
            Tensor flat = t.prefix(6, 4);
            assertArrayEquals(new int[] {6, 4}, flat.shape(), "the same floats seen with another shape is a new view");
            assertThrows(IllegalArgumentException.class, () -> t.prefix(3, 3, 4));
        }
    }

    @Test
    void aCachedSliceIsMadeAgainOnlyWhenItsArgumentsChange() {
        try (Arena arena = Arena.ofConfined()) {
            Tensor h = Tensor.wrap(arena.allocate(10 * Float.BYTES, 64), 10);
            Tensor other = Tensor.wrap(arena.allocate(10 * Float.BYTES, 64), 10);
            h.set(6, 7f);
            CachedSlice cache = new CachedSlice();
            Tensor a = cache.slice(h, 4, 2, 3);
            assertSame(a, cache.slice(h, 4, 2, 3));
            assertEquals(7f, a.get(2));
            assertNotSame(a, cache.slice(h, 2, 2, 3));
            assertNotSame(cache.slice(h, 2, 2, 3), cache.slice(other, 2, 2, 3));
            assertArrayEquals(new int[] {3, 2}, cache.slice(other, 2, 3, 2).shape());
        }
    }

    @Test
    void zeroFirstClearsExactlyTheFirstFloats() {
        try (Arena arena = Arena.ofConfined()) {
            Tensor t = Tensor.wrap(arena.allocate(6 * Float.BYTES, 64), 2, 3);
            for (int i = 0; i < 6; i++) t.set(i, i + 1);
            t.zeroFirst(4);
            assertArrayEquals(new float[] {0, 0, 0, 0, 5, 6}, t.toArray());
            t.zero();
            assertArrayEquals(new float[6], t.toArray());
            assertThrows(IllegalArgumentException.class, () -> t.zeroFirst(7));
            Tensor big = Tensor.wrap(arena.allocate(10_000 * Float.BYTES, 64), 10_000);
            for (int i = 0; i < 10_000; i++) big.set(i, 1f);
            big.zeroFirst(9_000);  // the long way: a memset of a view
            assertEquals(0f, big.get(8_999));
            assertEquals(1f, big.get(9_000));
        }
    }
}
