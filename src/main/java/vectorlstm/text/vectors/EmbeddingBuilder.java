package vectorlstm.text.vectors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Collects, while a vector file streams past, the vectors of the wanted vocabulary words straight
 * into the final {@code [numWords, dim]} matrix, so memory never depends on the file's size.
 */
final class EmbeddingBuilder {
    private static final int MISSING_EXAMPLES = 10;
    private static final float RANDOM_LIMIT = 0.05f;

    private final Map<String, Integer> rowOfWord;
    private final String[] wordOfRow;        // [numWords], null where no vocabulary word has that id
    private final boolean[] filled;          // [numWords]; the first vector of a word wins
    private final int numWords;
    private float[] values;                  // [numWords, dim], allocated at the first vector kept (or at the end)
    private int dim = -1;
    private int found;
    private long notUtf8;

    /** Keeps the words of {@code wordIndex} whose id is in {@code [1, numWords)}. */
    EmbeddingBuilder(Map<String, Integer> wordIndex, int numWords) {
        if (numWords < 1) {
            throw new IllegalArgumentException("numWords must be at least 1 (row 0 is padding): " + numWords);
        }
        this.numWords = numWords;
        this.wordOfRow = new String[numWords];
        this.filled = new boolean[numWords];
        this.rowOfWord = new HashMap<>();
        for (Map.Entry<String, Integer> e : wordIndex.entrySet()) {
            int id = e.getValue();
            if (id < 1) {
                throw new IllegalArgumentException("word ids start at 1 (0 is padding), but '" + e.getKey() + "' has " + id);
            }
            if (id < numWords) {
                rowOfWord.put(e.getKey(), id);
                wordOfRow[id] = e.getKey();
            }
        }
    }

    /**
     * Called once, before the first {@link #offer}, when the file has told its dimension. The matrix
     * is allocated only when a vector of that dimension has been read (or the file ended whole): a
     * 7-byte file claiming 4,096 dimensions took 330 MB before it was found to hold no vector.
     */
    void start(int dim) {
        this.dim = dim;
        long size = (long) numWords * dim;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(numWords + " words x " + dim + " dims is too large for one float[]");
        }
    }

    /** Keeps {@code vector[0, dim)} if {@code word} is wanted and has no vector yet. */
    void offer(String word, float[] vector) {
        Integer row = rowOfWord.get(word);
        if (row == null || filled[row]) {
            return;
        }
        filled[row] = true;
        found++;
        System.arraycopy(vector, 0, values(), row * dim, dim);
    }

    /** A vector whose word is not UTF-8: no vocabulary word, so skipped, but counted for the coverage line. */
    void skipNotUtf8() { notUtf8++; }

    private float[] values() {
        if (values == null) values = new float[numWords * dim];  // its size checked in start
        return values;
    }

    /**
     * Fills the rows of words that had no vector. With {@code RANDOM}, every row draws its values in
     * id order whether it is used or not, so a missing word's vector depends only on seed, id and
     * dim, not on which other words the file happened to contain (Keras also initialises the whole
     * matrix first). Rows of ids that no vocabulary word has stay zero, like row 0.
     */
    EmbeddingMatrix finish(Path file, MissingWords missing, long seed) {
        List<String> examples = new ArrayList<>();
        for (int row = 1; row < numWords && examples.size() < MISSING_EXAMPLES; row++) {
            if (wordOfRow[row] != null && !filled[row]) examples.add(wordOfRow[row]);
        }
        // Refused before the matrix is allocated: a 7-byte header "0 4096" still took numWords x 4,096 floats here.
        if (found == 0 && !rowOfWord.isEmpty()) {
            throw VectorFileException.whole(file, "a vector for none of the " + rowOfWord.size() + " words kept (e.g. "
                    + EmbeddingMatrix.examplesLine(examples) + "): not vectors for these texts (another language, or another tokenization)");
        }
        if (missing == MissingWords.RANDOM) {
            SplittableRandom random = new SplittableRandom(seed);
            for (int row = 1; row < numWords; row++) {
                boolean isMissing = wordOfRow[row] != null && !filled[row];
                for (int j = 0; j < dim; j++) {
                    float r = (float) random.nextDouble(-RANDOM_LIMIT, RANDOM_LIMIT);
                    if (isMissing) values()[row * dim + j] = r;
                }
            }
        }
        return new EmbeddingMatrix(numWords, dim, values(), found, rowOfWord.size(), examples, notUtf8);
    }
}
