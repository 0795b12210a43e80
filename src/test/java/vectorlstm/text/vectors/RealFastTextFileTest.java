package vectorlstm.text.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vectorlstm.text.vectors.VectorFiles.row;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared IMDB fastText vectors (50,586 words, 100 d, 16 MB gzip) stream through in one pass. */
class RealFastTextFileTest {
    private static final Path FILE = Path.of("..", "shared", "data", "embeddings", "imdb-fasttext-100d.vec.gz");

    @Test
    void loadsTheSharedImdbVectors() {
        assertTrue(Files.isRegularFile(FILE), "the shared vector file is missing: " + FILE.toAbsolutePath()
                + " (see ../shared/data/embeddings/README.md)");
        Map<String, Integer> index = Map.of("the", 1, "movie", 2, "great", 3, "zzzznotaword", 4);

        long start = System.nanoTime();
        EmbeddingMatrix m = PretrainedVectors.load(FILE, index, 5, MissingWords.ZEROS, 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("streamed %s in %.2f s: %s%n", FILE.getFileName(), seconds, m.coverageLine());

        assertEquals(100, m.dim());
        assertEquals(5, m.rows());
        assertEquals(3, m.found());
        assertEquals(List.of("zzzznotaword"), m.missingExamples());
        assertArrayEquals(new float[100], row(m, 0), "padding row");
        assertArrayEquals(new float[100], row(m, 4), "missing word with ZEROS");
        // The first values of the file's first vector line: "the 0.10267 0.092144 0.057329 -0.25012 ..."
        assertArrayEquals(new float[] {0.10267f, 0.092144f, 0.057329f, -0.25012f},
                java.util.Arrays.copyOf(row(m, 1), 4));
        assertTrue(seconds < 10, "streaming took " + seconds + " s; a few seconds at most was expected");
    }
}
