package vectorlstm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vectorlstm.text.PadSequences.Padding.POST;
import static vectorlstm.text.PadSequences.Padding.PRE;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Expected values follow Keras' pad_sequences: s[-maxlen:] for pre truncation, s[:maxlen] for post. */
class PadSequencesTest {
    private static final int[][] SEQS = {{1, 2, 3}, {4, 5}, {}, {6, 7, 8, 9, 10}};

    @Test
    void defaultsPadAndTruncateAtTheFront() {
        assertArrayEquals(new int[][] {{0, 1, 2, 3}, {0, 0, 4, 5}, {0, 0, 0, 0}, {7, 8, 9, 10}},
                PadSequences.pad(SEQS, 4));
    }

    @Test
    void postPaddingAndTruncation() {
        assertArrayEquals(new int[][] {{1, 2, 3, 0}, {4, 5, 0, 0}, {0, 0, 0, 0}, {6, 7, 8, 9}},
                PadSequences.pad(SEQS, 4, POST, POST, 0));
    }

    @Test
    void paddingAndTruncatingSidesAreIndependent() {
        assertArrayEquals(new int[][] {{1, 2, 3, -1}, {4, 5, -1, -1}, {-1, -1, -1, -1}, {7, 8, 9, 10}},
                PadSequences.pad(SEQS, 4, POST, PRE, -1));
        assertArrayEquals(new int[][] {{9, 1, 2, 3}, {9, 9, 4, 5}, {9, 9, 9, 9}, {6, 7, 8, 9}},
                PadSequences.pad(SEQS, 4, PRE, POST, 9));
    }

    @Test
    void nullMaxlenMeansTheLongest() {
        int[][] out = PadSequences.pad(SEQS, null);
        assertArrayEquals(new int[][] {{0, 0, 1, 2, 3}, {0, 0, 0, 4, 5}, {0, 0, 0, 0, 0}, {6, 7, 8, 9, 10}}, out);
    }

    @Test
    void edgeLengths() {
        assertArrayEquals(new int[][] {{}, {}, {}, {}}, PadSequences.pad(SEQS, 0));
        assertArrayEquals(new int[0][], PadSequences.pad(new int[0][], null));
        assertArrayEquals(new int[][] {{1, 2, 3}}, PadSequences.pad(new int[][] {{1, 2, 3}}, 3));
        assertThrows(IllegalArgumentException.class, () -> PadSequences.pad(SEQS, -1));
        assertThrows(IllegalArgumentException.class, () -> PadSequences.pad(new int[][] {null}, 2));
    }

    @Test
    void leavesTheInputAlone() {
        int[][] copy = Arrays.stream(SEQS).map(int[]::clone).toArray(int[][]::new);
        PadSequences.pad(SEQS, 2, POST, POST, 7);
        assertArrayEquals(copy, SEQS);
    }

    @Test
    void flatLayoutIsTheRowsConcatenated() {
        for (var padding : PadSequences.Padding.values()) {
            for (var truncating : PadSequences.Padding.values()) {
                int[][] rows = PadSequences.pad(SEQS, 4, padding, truncating, 3);
                int[] flat = new int[SEQS.length * 4 + 2];
                flat[flat.length - 1] = 42;
                PadSequences.padFlat(SEQS, 4, padding, truncating, 3, flat);
                assertArrayEquals(Arrays.stream(rows).flatMapToInt(Arrays::stream).toArray(),
                        Arrays.copyOf(flat, SEQS.length * 4));
                assertEquals(42, flat[flat.length - 1], "writes nothing past n * maxlen");
            }
        }
        assertArrayEquals(new int[] {0, 1, 2, 3, 0, 0, 4, 5, 0, 0, 0, 0, 7, 8, 9, 10}, PadSequences.padFlat(SEQS, 4));
        assertThrows(IllegalArgumentException.class,
                () -> PadSequences.padFlat(SEQS, 4, PRE, PRE, 0, new int[15]));
        // Refused by name, not a NegativeArraySizeException or an ArithmeticException.
        assertEquals("maxlen must not be negative: -1", assertThrows(IllegalArgumentException.class, () -> PadSequences.padFlat(SEQS, -1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PadSequences.padFlat(new int[4][], Integer.MAX_VALUE)).getMessage()
                .endsWith("do not fit one array"));
        // pad's rows are arrays of their own: one of 2^31 - 1 ids was an OutOfMemoryError ("exceeds VM limit").
        assertEquals("maxlen 2147483647 is longer than one Java array holds",
                assertThrows(IllegalArgumentException.class, () -> PadSequences.pad(SEQS, Integer.MAX_VALUE, PRE, PRE, 0)).getMessage());
        // Rows that each fit, together more than the heap: refused before the first is allocated, not an OutOfMemoryError 7 s later.
        int rows = (int) Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / ((1 << 24) * 4L) + 1);
        String many = assertThrows(IllegalArgumentException.class, () -> PadSequences.pad(new int[rows][1], 1 << 24)).getMessage();
        assertTrue(many.startsWith(rows + " sequences padded to 16777216 ids need ") && many.endsWith("more than the Java heap's "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MB: pad them in parts, or to a shorter maxlen"), many);
    }
}
