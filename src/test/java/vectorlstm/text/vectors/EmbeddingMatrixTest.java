package vectorlstm.text.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vectorlstm.text.vectors.VectorFiles.row;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coverage report and what missing words get. */
class EmbeddingMatrixTest {
    private static final String VEC = "2 4\nthe 1 2 3 4 \ncat 5 6 7 8 \n";
    private static final Map<String, Integer> INDEX = Map.of("the", 1, "dog", 2, "cat", 3, "emu", 4);

    @TempDir
    Path dir;

    private static EmbeddingMatrix matrix(int found, int wanted) {
        return new EmbeddingMatrix(1, 1, new float[1], found, wanted, List.of());
    }

    @Test
    void missingWordsThatWouldPrintBlankAreShownQuoted() {
        // Before, U+0085 (which some terminals take for a line break) and a zero-width space printed raw: a blank entry.
        EmbeddingMatrix m = new EmbeddingMatrix(1, 1, new float[1], 0, 4, List.of("the", "\u0085", "a\u200bb", "amélie"));
        assertEquals("the, \"\\u0085\", \"a\\u200bb\", amélie", m.missingExamplesLine());
    }

    @Test
    void coverageLineUsesUsGroupingAndOneDecimal() {
        assertEquals("found 4,873 of 4,999 words (97.5%)", matrix(4873, 4999).coverageLine());
        assertEquals("found 1,234,567 of 2,000,000 words (61.7%)", matrix(1_234_567, 2_000_000).coverageLine());
        assertEquals("found 3 of 3 words (100.0%)", matrix(3, 3).coverageLine());
        assertEquals("found 0 of 0 words (0.0%)", matrix(0, 0).coverageLine());
    }

    @Test
    void coverageLineNeverRoundsToAllOrNothingFalsely() {
        assertEquals("found 9,999 of 10,000 words (99.9%)", matrix(9_999, 10_000).coverageLine());
        assertEquals("found 1 of 10,000 words (0.1%)", matrix(1, 10_000).coverageLine());
    }

    @Test
    void zerosLeaveMissingRowsZero() {
        EmbeddingMatrix m = PretrainedVectors.load(VectorFiles.text(dir, "v.vec", VEC), INDEX, 5, MissingWords.ZEROS, 7);
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 5, 6, 7, 8, 0, 0, 0, 0}, m.values());
        assertEquals(List.of("dog", "emu"), m.missingExamples());
        assertEquals("found 2 of 4 words (50.0%)", m.coverageLine());
    }

    @Test
    void randomFillsOnlyMissingRowsWithinKerasRangeReproducibly() {
        Path file = VectorFiles.text(dir, "v.vec", VEC);
        EmbeddingMatrix m = PretrainedVectors.load(file, INDEX, 5, MissingWords.RANDOM, 7);
        assertArrayEquals(new float[4], row(m, 0), "padding stays zero");
        assertArrayEquals(new float[] {1, 2, 3, 4}, row(m, 1));
        assertArrayEquals(new float[] {5, 6, 7, 8}, row(m, 3));
        for (int missing : new int[] {2, 4}) {
            float[] r = row(m, missing);
            assertFalse(Arrays.equals(new float[4], r), "row " + missing + " was drawn");
            for (float v : r) assertTrue(Math.abs(v) <= 0.05f, "within ±0.05: " + v);
        }
        assertArrayEquals(m.values(), PretrainedVectors.load(file, INDEX, 5, MissingWords.RANDOM, 7).values(),
                "same seed, same matrix");
        assertFalse(Arrays.equals(m.values(), PretrainedVectors.load(file, INDEX, 5, MissingWords.RANDOM, 8).values()),
                "another seed, another matrix");
    }

    @Test
    void aMissingWordsRandomRowDoesNotDependOnWhichOtherWordsWereFound() {
        Path withCat = VectorFiles.text(dir, "a.vec", VEC);
        Path withoutCat = VectorFiles.text(dir, "b.vec", "1 4\nthe 1 2 3 4 \n");
        EmbeddingMatrix a = PretrainedVectors.load(withCat, INDEX, 5, MissingWords.RANDOM, 3);
        EmbeddingMatrix b = PretrainedVectors.load(withoutCat, INDEX, 5, MissingWords.RANDOM, 3);
        assertArrayEquals(row(a, 4), row(b, 4));
    }

    @Test
    void randomRangeOverManyRows() {
        Map<String, Integer> big = new java.util.HashMap<>();
        for (int id = 1; id < 1_999; id++) big.put("w" + id, id);
        big.put("the", 1_999);  // one word found (a file with none is refused), in the last row, left out below
        EmbeddingMatrix m = PretrainedVectors.load(VectorFiles.text(dir, "v.vec", VEC), big, 2_000, MissingWords.RANDOM, 1);
        double min = 1, max = -1, sum = 0;
        for (int i = m.dim(); i < m.values().length - m.dim(); i++) {
            min = Math.min(min, m.values()[i]);
            max = Math.max(max, m.values()[i]);
            sum += m.values()[i];
        }
        assertTrue(min >= -0.05f && min < -0.049, "min " + min);
        assertTrue(max <= 0.05f && max > 0.049, "max " + max);
        assertEquals(0, sum / (m.values().length - 2 * m.dim()), 0.002, "mean");
        assertEquals(List.of("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9", "w10"), m.missingExamples());
    }

    @Test
    void badArgumentsAreRefused() {
        Path file = VectorFiles.text(dir, "v.vec", VEC);
        assertThrows(IllegalArgumentException.class, () -> PretrainedVectors.load(file, INDEX, 0, MissingWords.ZEROS, 0));
        assertThrows(IllegalArgumentException.class,
                () -> PretrainedVectors.load(file, Map.of("pad", 0), 3, MissingWords.ZEROS, 0));
    }
}
