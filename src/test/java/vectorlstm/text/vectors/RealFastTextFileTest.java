package vectorlstm.text.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static vectorlstm.text.vectors.VectorFiles.row;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import vectorlstm.TestEnvironment;

/**
 * Our IMDB fastText vectors stream through in one pass: the shared file (50,586 words, 100 d, 16 MB
 * gzip) where it is, else the committed slice of its first 2,000 words ({@link ImdbVectors}).
 */
class RealFastTextFileTest {
    @Test
    void loadsOurImdbVectors() {
        Path file = ImdbVectors.file();
        Map<String, Integer> index = Map.of("the", 1, "movie", 2, "great", 3, "zzzznotaword", 4);

        long start = System.nanoTime();
        EmbeddingMatrix m = PretrainedVectors.load(file, index, 5, MissingWords.ZEROS, 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("streamed %s in %.2f s: %s%n", file.getFileName(), seconds, m.coverageLine());

        assertEquals(100, m.dim());
        assertEquals(5, m.rows());
        assertEquals(3, m.found());
        assertEquals(List.of("zzzznotaword"), m.missingExamples());
        assertArrayEquals(new float[100], row(m, 0), "padding row");
        assertArrayEquals(new float[100], row(m, 4), "missing word with ZEROS");
        // The first values of the file's first vector line: "the 0.10267 0.092144 0.057329 -0.25012 ..."
        assertArrayEquals(new float[] {0.10267f, 0.092144f, 0.057329f, -0.25012f},
                java.util.Arrays.copyOf(row(m, 1), 4));
    }

    /** The committed slice is still the shared file's first lines (a clone alone tests what CI tests). */
    @Test
    void theCommittedSliceIsTheSharedFilesFirstWords() throws IOException {
        TestEnvironment.require(Files.isRegularFile(ImdbVectors.SHARED), "the shared vectors " + ImdbVectors.SHARED);
        try (BufferedReader whole = gunzip(ImdbVectors.SHARED); BufferedReader slice = gunzip(ImdbVectors.slice())) {
            assertEquals("50586 100", whole.readLine());
            assertEquals(ImdbVectors.SLICE_WORDS + " 100", slice.readLine());
            for (int i = 0; i < ImdbVectors.SLICE_WORDS; i++) assertEquals(whole.readLine(), slice.readLine(), "word " + (i + 1));
            assertEquals(null, slice.readLine(), "the slice ends after its words");
        }
    }

    private static BufferedReader gunzip(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8));
    }
}
