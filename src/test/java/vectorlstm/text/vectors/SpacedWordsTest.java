package vectorlstm.text.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static vectorlstm.text.vectors.VectorFiles.row;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GloVe 840B has words with spaces inside ({@code ". . ."}, {@code "at name@domain.com"}): a
 * line's vector is its last dim fields and the word everything before them, as written.
 */
class SpacedWordsTest {
    private static final Map<String, Integer> INDEX = Map.of("the", 1, ". . .", 2, "at name@domain.com", 3, "cat", 4);

    @TempDir
    Path dir;

    private EmbeddingMatrix load(String name, String content) {
        return PretrainedVectors.load(VectorFiles.text(dir, name, content), INDEX, 5, MissingWords.ZEROS, 0);
    }

    private void assertSpacedWords(EmbeddingMatrix m) {
        assertEquals(3, m.dim());
        assertArrayEquals(new float[] {1, 2, 3}, row(m, 1));
        assertArrayEquals(new float[] {4, 5, 6}, row(m, 2), "several spaces");
        assertArrayEquals(new float[] {7, 8, 9}, row(m, 3), "one space");
        assertArrayEquals(new float[] {-1, -2, -3}, row(m, 4));
        assertEquals(4, m.found());
    }

    private static final String SPACED = "the 1 2 3\n. . . 4 5 6\nat name@domain.com 7 8 9\ncat -1 -2 -3\n";

    @Test
    void wordsWithOneOrSeveralSpacesKeepTheirLastDimFieldsAsTheVector() {
        assertSpacedWords(load("v.txt", SPACED));
    }

    @Test
    void spacedWordsPastTheFirstLinesReadTheSameWay() {
        // The first lines decide the dimension and are read from a copy; the rest are streamed.
        String filler = "w 0 0 0\n".repeat(FirstLines.MAX_LINES + 2);
        assertSpacedWords(load("v.txt", filler + SPACED));
        assertSpacedWords(load("v.vec", (FirstLines.MAX_LINES + 6) + " 3\n" + filler + SPACED));
    }

    @Test
    void aFirstLineWhoseWordHasSpacesDoesNotFixTheDimension() {
        // The first line alone says 5 values; the lines after it say 3.
        assertSpacedWords(load("v.txt", ". . . 4 5 6\nthe 1 2 3\nat name@domain.com 7 8 9\ncat -1 -2 -3\n"));
    }

    @Test
    void twoLinesThatDisagreeTakeTheSmallerWidth() {
        // A word with spaces only adds fields: of a tie, the smaller count is the dimension.
        EmbeddingMatrix m = load("v.txt", "at name@domain.com 7 8 9\ncat -1 -2 -3\n");
        assertArrayEquals(new float[] {7, 8, 9}, row(m, 3));
        assertArrayEquals(new float[] {-1, -2, -3}, row(m, 4));
    }

    @Test
    void aHeaderThenSpacedWords() {
        assertSpacedWords(load("v.vec", "4 3\n" + SPACED.replace("\n", " \n")));
        assertSpacedWords(load("v.txt", "4 3\n. . . 4 5 6\nthe 1 2 3\nat name@domain.com 7 8 9\ncat -1 -2 -3\n"));
    }

    @Test
    void gzipCompressed() {
        Path file = VectorFiles.gzipText(dir, "v.txt.gz", ". . . 4 5 6\n" + SPACED);
        assertSpacedWords(PretrainedVectors.load(file, INDEX, 5, MissingWords.ZEROS, 0));
    }

    @Test
    void wordsWithNonBreakingAndOtherUnicodeSpacesAreOneField() {
        // Only ASCII space and tab separate fields: U+00A0 (840B's ". . ." as bytes C2 A0), U+2009, U+3000 are part of the word.
        Map<String, Integer> index = Map.of(".\u00a0.\u00a0.", 1, "\u00a0", 2, "a\u2009b\u3000c", 3);
        String text = "the 0 0 0 0\n.\u00a0.\u00a0. 1 2 3 4\n\u00a0 5 6 7 8\na\u2009b\u3000c 9 10 11 12\n";
        EmbeddingMatrix m = PretrainedVectors.load(VectorFiles.text(dir, "u.txt", text), index, 4, MissingWords.ZEROS, 0);
        assertEquals(4, m.dim());
        assertArrayEquals(new float[] {1, 2, 3, 4}, row(m, 1));
        assertArrayEquals(new float[] {5, 6, 7, 8}, row(m, 2));
        assertArrayEquals(new float[] {9, 10, 11, 12}, row(m, 3));
    }

    @Test
    void aSpacedWordIsKeptAsWrittenAndItsFirstVectorWins() {
        Map<String, Integer> index = Map.of("a  b", 1, "a b", 2);
        String text = "the 0 0\na  b 1 2\ncat 0 0\na b 3 4\nsat 0 0\na b 5 6\n";
        EmbeddingMatrix m = PretrainedVectors.load(VectorFiles.text(dir, "d.txt", text), index, 3, MissingWords.ZEROS, 0);
        assertArrayEquals(new float[] {1, 2}, row(m, 1), "two spaces stay two spaces");
        assertArrayEquals(new float[] {3, 4}, row(m, 2), "the first of a duplicate word wins");
    }

    private void assertRefused(String name, String content, String where, String reason) {
        VectorFiles.assertRefused(VectorFiles.text(dir, name, content), INDEX, where, reason);
    }

    @Test
    void tooFewFieldsAreStillRefused() {
        assertRefused("e.txt", "the 1 2 3\n. . . 4 5 6\nsat 1 2 3\ncat 1 2\n", "line 4", "expected 3 values, found 2");
        assertRefused("e.txt", "the 1 2 3\ncat 1 2 3\nword\n", "line 3", "expected 3 values, found 0");
        assertRefused("e.vec", "2 3\nthe 1 2 3\ncat 1 2\n", "line 3", "expected 3 values, found 2");
    }

    @Test
    void aNonNumberAmongTheLastDimFieldsIsStillRefused() {
        assertRefused("e.txt", "the 1 2 3\n. . . 4 x 6\ncat 1 2 3\n", "line 2", "value 2: not a number: 'x'");
        assertRefused("e.vec", "2 3\nthe 1 2 3\nat name@domain.com 7 8 9z\n", "line 3", "value 3: not a number: '9z'");
    }

    @Test
    void aNumberJustBeforeTheLastDimFieldsIsAValueTooMany() {
        // "cat 0 1 2 3" is a damaged line, not the word "cat 0": refused as before.
        assertRefused("e.txt", "the 1 2 3\ncat 0 1 2 3\nsat 1 2 3\n", "line 2", "expected 3 values, found 4");
        assertRefused("e.vec", "2 3\nthe 1 2 3\nat home 9 1 2 3\n", "line 3", "expected 3 values, found 4");
    }
}
