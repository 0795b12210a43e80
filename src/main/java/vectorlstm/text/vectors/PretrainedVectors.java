package vectorlstm.text.vectors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads pre-trained word vectors (fastText {@code .vec}, GloVe {@code .txt}, word2vec {@code .bin},
 * each optionally gzip-compressed) into initial weights for an {@code Embedding(numWords, dim)}.
 *
 * <p>The file is streamed once and only the vectors of wanted words are kept, so a file of a
 * million words costs the matrix and a read buffer, not its own size. Every line is still checked:
 * a damaged file is refused with a {@link VectorFileException} rather than loaded in part. When a
 * word occurs twice, its first vector is kept. In the text formats a word may hold spaces (GloVe
 * 840B's {@code ". . ."}): a line's vector is its last dim fields, the word everything before them.
 *
 * <pre>{@code
 * EmbeddingMatrix m = PretrainedVectors.load(path, tokenizer.wordIndex(), numWords, MissingWords.RANDOM, 42);
 * System.out.println(m.coverageLine());   // found 4,873 of 4,999 words (97.5%)
 * }</pre>
 */
public final class PretrainedVectors {
    /**
     * Larger dimensions are refused as a sign of a damaged header rather than allocated: the
     * table (words kept x dim floats) is sized by the header's dimension (allocated at the first
     * vector kept), and at 65,536 an 8-byte file asked 5 GB for 20,000 words. Published vectors are
     * 25-1,024 wide; 4,096 is also the widest learned embedding ({@code --embedding-dim}).
     */
    static final int MAX_DIM = 4096;

    private PretrainedVectors() {
    }

    /** {@link #load(Path, VectorFormat, Map, int, MissingWords, long)} with the format from the file name. */
    public static EmbeddingMatrix load(Path file, Map<String, Integer> wordIndex, int numWords,
                                       MissingWords missing, long seed) {
        if (file == null) throw new IllegalArgumentException("no vector file given (null)");
        return load(file, VectorFormat.fromFileName(file), wordIndex, numWords, missing, seed);
    }

    /**
     * @param wordIndex a tokenizer's word → id map, ids from 1 by rank; words with id {@code >= numWords}
     *                  are ignored, as the tokenizer ignores them when sequencing
     * @param numWords  the matrix's row count, the Embedding's {@code inputDim}; row 0 is padding and stays zero
     * @param missing   what rows of vocabulary words absent from the file get
     * @param seed      for {@link MissingWords#RANDOM}; the same seed gives the same matrix
     * @throws VectorFileException if the file is missing, unreadable as {@code format}, or damaged, or
     *                             holds a vector for none of the words kept (another language or tokenization)
     */
    public static EmbeddingMatrix load(Path file, VectorFormat format, Map<String, Integer> wordIndex, int numWords,
                                       MissingWords missing, long seed) {
        if (file == null) throw new IllegalArgumentException("no vector file given (null)");
        EmbeddingBuilder builder = new EmbeddingBuilder(wordIndex, numWords);
        try (InputStream in = VectorInput.open(file)) {
            switch (format) {
                case FASTTEXT_VEC -> TextVectorReader.read(file, in, true, builder);
                case GLOVE_TXT -> TextVectorReader.read(file, in, false, builder);
                case WORD2VEC_BIN -> Word2VecBinaryReader.read(file, in, builder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
        return builder.finish(file, missing, seed);
    }
}
