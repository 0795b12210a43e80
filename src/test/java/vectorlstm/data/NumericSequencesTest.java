package vectorlstm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NumericSequencesTest {
    private static final List<String> NAMES = List.of("a", "b");

    /** A sequence of {@code steps} steps of two features, each value {@code v}. */
    private static float[][] seq(int steps, float v) {
        float[][] s = new float[steps][2];
        for (float[] step : s) java.util.Arrays.fill(step, v);
        return s;
    }

    private static NumericSequences make(float[][][] x, int... labels) {
        return new NumericSequences(x, labels, NAMES, 2);
    }

    @Test
    void lengthsAndStableLengthOrder() {
        NumericSequences data = make(new float[][][] {seq(3, 0), seq(1, 1), seq(3, 2), seq(2, 3), seq(1, 4)},
                0, 1, 0, 1, 1);
        assertEquals(5, data.size());
        assertEquals(3, data.maxLength());
        assertEquals(1, data.minLength());
        assertEquals(10, data.totalSteps());
        assertEquals(2, data.length(3));
        // Equal lengths keep their original order: 1 before 4, 0 before 2.
        assertArrayEquals(new int[] {1, 4, 3, 0, 2}, data.indicesByLength());
        assertEquals(3, data.count(1));
        assertTrue(data.toString().contains("5 sequences, 2 features, lengths 1..3"), data.toString());
    }

    @Test
    void copiesOnTheWayInAndOut() {
        float[][][] x = {seq(2, 1)};
        int[] labels = {0};
        NumericSequences data = make(x, labels);
        x[0][0][0] = Float.NaN;
        labels[0] = 7;
        data.x()[0][0][1] = 5;
        data.sequence(0)[1][0] = 5;
        data.labels()[0] = 1;
        assertArrayEquals(seq(2, 1), data.sequence(0));
        assertEquals(0, data.label(0));
    }

    @Test
    void emptyIsAllowed() {
        NumericSequences data = make(new float[0][][]);
        assertEquals(0, data.maxLength());
        assertEquals(0, data.minLength());
        assertArrayEquals(new int[0], data.indicesByLength());
    }

    @Test
    void rejectsBadShapesValuesAndLabels() {
        assertMessage("sequence 1 has no steps", () -> make(new float[][][] {seq(1, 0), new float[0][]}, 0, 0));
        assertMessage("sequence 0, step 1 has 3 features, expected 2",
                () -> make(new float[][][] {{{1, 2}, {1, 2, 3}}}, 0));
        assertMessage("sequence 0, step 0, feature 1 is NaN", () -> make(new float[][][] {{{1, Float.NaN}}}, 0));
        assertMessage("sequence 0, step 0, feature 0 is Infinity",
                () -> make(new float[][][] {{{Float.POSITIVE_INFINITY, 0}}}, 0));
        assertMessage("label 2 of sequence 0 is not in 0..1", () -> make(new float[][][] {seq(1, 0)}, 2));
        assertMessage("label -1 of sequence 0", () -> make(new float[][][] {seq(1, 0)}, -1));
        assertMessage("1 sequences but 2 labels", () -> make(new float[][][] {seq(1, 0)}, 0, 1));
        assertMessage("features must be at least 1",
                () -> new NumericSequences(new float[0][][], new int[0], NAMES, 0));
        assertMessage("distinct", () -> new NumericSequences(new float[0][][], new int[0], List.of("a", "a"), 2));
        assertMessage("non-empty", () -> new NumericSequences(new float[0][][], new int[0], List.of(), 2));
    }

    private static void assertMessage(String part, Runnable construct) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
