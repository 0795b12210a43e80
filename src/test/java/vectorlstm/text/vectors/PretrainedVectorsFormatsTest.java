package vectorlstm.text.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static vectorlstm.text.vectors.VectorFiles.row;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.text.GzipBytes;

/** Each format, plain and gzip, yields the same matrix: the file's vectors in the tokenizer's rows. */
class PretrainedVectorsFormatsTest {
    private static final Map<String, Integer> INDEX = Map.of("the", 1, "cat", 2, "sat", 3, "dog", 4);
    private static final float[] THE = {0.5f, -1.25f, 3e-4f};
    private static final float[] CAT = {-0.0039297f, 2f, 1.5e2f};
    private static final float[] ZERO = new float[3];
    // fastText puts a blank after the last value of every line.
    private static final String LINES = "cat -0.0039297 2 1.5e2 \nthe 0.5 -1.25 0.0003 \nmat 1 1 1 \n";

    @TempDir
    Path dir;

    private static EmbeddingMatrix load(Path file) {
        return PretrainedVectors.load(file, INDEX, 5, MissingWords.ZEROS, 1);
    }

    private static void assertCatAndThe(EmbeddingMatrix m) {
        assertEquals(5, m.rows());
        assertEquals(3, m.dim());
        assertArrayEquals(ZERO, row(m, 0), "padding row");
        assertArrayEquals(THE, row(m, 1));
        assertArrayEquals(CAT, row(m, 2));
        assertArrayEquals(ZERO, row(m, 3), "sat is missing");
        assertArrayEquals(ZERO, row(m, 4), "dog is missing");
        assertEquals(2, m.found());
        assertEquals(4, m.wanted());
        assertEquals(List.of("sat", "dog"), m.missingExamples(), "missing words in id order");
    }

    @Test
    void fastTextVec() {
        assertCatAndThe(load(VectorFiles.text(dir, "v.vec", "3 3\n" + LINES)));
    }

    @Test
    void fastTextVecGzip() {
        assertCatAndThe(load(VectorFiles.gzipText(dir, "v.vec.gz", "3 3\n" + LINES)));
    }

    @Test
    void gloveTxt() {
        assertCatAndThe(load(VectorFiles.text(dir, "v.txt", LINES)));
    }

    @Test
    void gloveTxtGzip() {
        assertCatAndThe(load(VectorFiles.gzipText(dir, "v.txt.gz", LINES)));
    }

    @Test
    void gloveTxtWithAWord2vecTextHeaderReadsTheHeader() {
        assertCatAndThe(load(VectorFiles.text(dir, "v.txt", "3 3\n" + LINES)));
    }

    @Test
    void vectorsWhoseWordsAreNotUtf8AreCountedInTheCoverageLine() throws java.io.IOException {
        // A Latin-1 file: its accented words can be no vocabulary word and are skipped; the coverage line said nothing of it.
        Path latin1 = VectorFiles.write(dir.resolve("l.vec"), ("4 3\n" + LINES + "caf\u00e9 1 2 3 \n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        EmbeddingMatrix m = load(latin1);
        assertCatAndThe(m);
        assertEquals(1, m.notUtf8());
        assertEquals("found 2 of 4 words (50.0%); 1 vector skipped, its word not UTF-8 (a file in another encoding?)", m.coverageLine());
        byte[] bin = VectorFiles.word2vec(3, true, "cat", CAT, "the", THE, "mat", new float[] {1, 1, 1});
        byte[] withLatin1 = java.util.Arrays.copyOf(bin, bin.length + 5 + 12 + 1);
        System.arraycopy(new byte[] {'c', 'a', 'f', (byte) 0xe9, ' '}, 0, withLatin1, bin.length, 5);
        withLatin1[0] = '4';
        withLatin1[withLatin1.length - 1] = '\n';
        assertEquals(1, load(VectorFiles.write(dir.resolve("l.bin"), withLatin1)).notUtf8());
        assertEquals("found 2 of 4 words (50.0%)", load(VectorFiles.text(dir, "v.vec", "3 3\n" + LINES)).coverageLine());
    }

    @Test
    void word2vecBin() {
        byte[] bytes = VectorFiles.word2vec(3, true, "cat", CAT, "the", THE, "mat", new float[] {1, 1, 1});
        assertCatAndThe(load(VectorFiles.write(dir.resolve("v.bin"), bytes)));
    }

    @Test
    void word2vecBinWithoutNewlinesAfterVectors() {
        byte[] bytes = VectorFiles.word2vec(3, false, "cat", CAT, "the", THE, "mat", new float[] {1, 1, 1});
        assertCatAndThe(load(VectorFiles.write(dir.resolve("v.bin"), bytes)));
    }

    @Test
    void word2vecBinGzip() {
        byte[] bytes = VectorFiles.word2vec(3, true, "cat", CAT, "the", THE, "mat", new float[] {1, 1, 1});
        assertCatAndThe(load(VectorFiles.write(dir.resolve("v.bin.gz"), GzipBytes.gzip(bytes))));
    }

    @Test
    void gzipIsRecognisedByItsMagicBytesNotTheName() {
        assertCatAndThe(load(VectorFiles.write(dir.resolve("v.vec"), GzipBytes.gzip(("3 3\n" + LINES).getBytes()))));
    }

    @Test
    void explicitFormatOverridesTheName() {
        Path file = VectorFiles.text(dir, "vectors.data", "3 3\n" + LINES);
        assertCatAndThe(PretrainedVectors.load(file, VectorFormat.FASTTEXT_VEC, INDEX, 5, MissingWords.ZEROS, 1));
    }

    @Test
    void windowsLineEndingsTabsAndAByteOrderMarkAreTolerated() {
        String crlf = "\uFEFF3 3\r\n" + LINES.replace("\n", "\r\n").replace("the 0.5", "the\t0.5") + "\r\n\r\n";
        assertCatAndThe(load(VectorFiles.text(dir, "v.vec", crlf)));
        // A mark alone on the first line (Notepad's empty first line) is a blank line, as it is without the mark.
        assertCatAndThe(load(VectorFiles.text(dir, "v2.vec", "\uFEFF\r\n3 3\r\n" + LINES.replace("\n", "\r\n"))));
        assertCatAndThe(load(VectorFiles.text(dir, "v3.txt", "\uFEFF\r\n" + LINES.replace("\n", "\r\n"))));
    }

    @Test
    void formatFromFileName() {
        assertEquals(VectorFormat.FASTTEXT_VEC, VectorFormat.fromFileName(Path.of("a/b.VEC.gz")));
        assertEquals(VectorFormat.GLOVE_TXT, VectorFormat.fromFileName(Path.of("glove.6B.100d.txt")));
        assertEquals(VectorFormat.WORD2VEC_BIN, VectorFormat.fromFileName(Path.of("GoogleNews.bin.gz")));
    }

    @Test
    void unicodeWordsMatch() {
        Map<String, Integer> index = Map.of("café", 1, "日本", 2, "naïve", 3, "😀", 4);
        String text = "4 2\ncafé 1 2 \n日本 3 4 \nnaive 5 6 \n😀 7 8 \n";
        EmbeddingMatrix vec = PretrainedVectors.load(VectorFiles.text(dir, "u.vec", text), index, 5, MissingWords.ZEROS, 0);
        assertArrayEquals(new float[] {0, 0, 1, 2, 3, 4, 0, 0, 7, 8}, vec.values());
        assertEquals(List.of("naïve"), vec.missingExamples(), "NFD/ASCII spellings are not folded");

        byte[] bin = VectorFiles.word2vec(2, true, "café", new float[] {1, 2}, "日本", new float[] {3, 4},
                "😀", new float[] {7, 8});
        EmbeddingMatrix fromBin = PretrainedVectors.load(VectorFiles.write(dir.resolve("u.bin"), bin), index, 5,
                MissingWords.ZEROS, 0);
        assertArrayEquals(vec.values(), fromBin.values());
    }

    @Test
    void aWordThatOccursTwiceKeepsItsFirstVector() {
        String text = "3 2\nthe 1 2 \ncat 3 4 \nthe 5 6 \n";
        EmbeddingMatrix m = PretrainedVectors.load(VectorFiles.text(dir, "d.vec", text), INDEX, 3, MissingWords.ZEROS, 0);
        assertArrayEquals(new float[] {0, 0, 1, 2, 3, 4}, m.values());
        assertEquals(2, m.found());
    }

    @Test
    void idsAtOrAboveNumWordsAreNotWanted() {
        EmbeddingMatrix m = PretrainedVectors.load(VectorFiles.text(dir, "v.vec", "3 3\n" + LINES), INDEX, 2,
                MissingWords.ZEROS, 0);
        assertEquals(2, m.rows());
        assertEquals(1, m.wanted(), "only 'the' has an id below 2");
        assertEquals(1, m.found());
        assertArrayEquals(THE, row(m, 1));
        assertEquals(List.of(), m.missingExamples());
    }

    @Test
    void linesLongerThanTheReadBufferAreRead() {
        int dim = PretrainedVectors.MAX_DIM;   // 4,096 values of 18 characters: about 74 KB per line, more than the 64 KB buffer
        StringBuilder text = new StringBuilder("2 " + dim + "\n");
        for (String word : List.of("cat", "the")) {
            text.append(word);
            for (int k = 0; k < dim; k++) text.append(' ').append(k % 7).append(".125000000000000");
            text.append(" \n");
        }
        EmbeddingMatrix m = PretrainedVectors.load(VectorFiles.gzipText(dir, "long.vec.gz", text.toString()), INDEX, 3,
                MissingWords.ZEROS, 0);
        assertEquals(2, m.found());
        assertEquals(6.125f, row(m, 1)[6]);
        assertEquals((dim - 1) % 7 + 0.125f, row(m, 2)[dim - 1]);
    }
}
