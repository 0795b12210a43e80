package vectorlstm.text.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static vectorlstm.text.vectors.VectorFiles.row;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GloVe {@code .txt} whose first line is two integers: a word2vec {@code count dim} header if the
 * lines after it have that width, else a numeric word and its one value (a width-1 file).
 */
class HeaderOrDataTest {
    private static final Map<String, Integer> INDEX = Map.of("2", 1, "the", 2, "cat", 3);

    @TempDir
    Path dir;

    private EmbeddingMatrix load(String content) {
        return PretrainedVectors.load(VectorFiles.text(dir, "v.txt", content), INDEX, 4, MissingWords.ZEROS, 0);
    }

    @Test
    void aNumericWordAndItsValueBeforeLinesOfWidthOneIsData() {
        EmbeddingMatrix m = load("2 5\nthe 0.5\ncat 0.25\n");
        assertEquals(1, m.dim());
        assertArrayEquals(new float[] {0, 5, 0.5f, 0.25f}, m.values());
        assertEquals(3, m.found());
    }

    @Test
    void aNumericWordWithADecimalValueIsData() {
        assertArrayEquals(new float[] {0, 0.5f, 0.1f, 0}, load("2 0.5\nthe 0.1\n").values());
    }

    @Test
    void aNegativeValueIsNoDimension() {
        assertArrayEquals(new float[] {0, -5, 0.5f, 0}, load("2 -5\nthe 0.5\n").values());
    }

    @Test
    void aSingleLineOfTwoIntegersIsAWordAndItsValue() {
        assertArrayEquals(new float[] {0, 5, 0, 0}, load("2 5\n").values());
    }

    @Test
    void twoIntegersBeforeLinesOfThatWidthAreAHeader() {
        EmbeddingMatrix m = load("2 3\nthe 1 2 3\ncat 4 5 6\n");
        assertEquals(3, m.dim());
        assertArrayEquals(new float[] {1, 2, 3}, row(m, 2));
        assertArrayEquals(new float[] {4, 5, 6}, row(m, 3));
        assertEquals(2, m.found(), "no word '2'");
    }

    @Test
    void withWidthOneTheCountDecidesWhenTheWholeFileIsSeen() {
        // "2 1" fits both readings: a header if two vectors follow, else the word "2" and its value.
        EmbeddingMatrix header = load("2 1\nthe 0.5\ncat 0.25\n");
        assertArrayEquals(new float[] {0, 0, 0.5f, 0.25f}, header.values());
        EmbeddingMatrix data = load("2 1\nthe 0.5\n");
        assertArrayEquals(new float[] {0, 1, 0.5f, 0}, data.values());
    }

    @Test
    void aHeaderFollowedByADamagedLineNamesTheHeadersWidth() {
        VectorFiles.assertRefused(VectorFiles.text(dir, "e.txt", "2 3\nthe 1 2\ncat 1 2 3\n"), INDEX,
                "line 2: expected 3 values, found 2", "expected 3 values");
    }

    @Test
    void aSecondHeaderLineInATxtIsStillNamed() {
        VectorFiles.assertRefused(VectorFiles.text(dir, "e.txt", "2 3\n2 3\nthe 1 2 3\n"), INDEX,
                "line 2: a second header line", "a second header line");
    }
}
