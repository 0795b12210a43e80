package vectorlstm.text.vectors;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Our 100-d IMDB fastText vectors for the tests that need real ones: the whole file from the shared
 * data folder beside the checkout (our machines, CI), else the committed slice of its first 2,000
 * words (a clone on its own; the vectors have no public download). See
 * {@code src/test/resources/vectors/README.md}.
 */
public final class ImdbVectors {
    /** The whole file, 50,586 words. */
    public static final Path SHARED = Path.of("..", "shared", "data", "embeddings", "imdb-fasttext-100d.vec.gz");
    /** Words in the slice: the file's most frequent. */
    public static final int SLICE_WORDS = 2000;

    private ImdbVectors() {}

    /** The shared file when it is there, else the slice. */
    public static Path file() {
        return Files.isRegularFile(SHARED) ? SHARED : slice();
    }

    public static Path slice() {
        try {
            return Path.of(ImdbVectors.class.getResource("/vectors/imdb-fasttext-100d-top2000.vec.gz").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
