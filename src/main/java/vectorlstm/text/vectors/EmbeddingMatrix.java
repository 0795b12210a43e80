package vectorlstm.text.vectors;

import java.util.List;
import java.util.Locale;

/**
 * Initial weights for an {@code Embedding(rows, dim)}: row {@code id} holds the pre-trained vector
 * of the word with that tokenizer id; row 0 (padding) is zero.
 *
 * @param values          row-major {@code [rows, dim]}; handed over, not copied, so do not share it
 * @param found           vocabulary words (ids in {@code [1, rows)}) that had a vector in the file
 * @param wanted          vocabulary words with ids in {@code [1, rows)}
 * @param missingExamples up to the first 10 words without a vector, most frequent (lowest id) first
 */
public record EmbeddingMatrix(int rows, int dim, float[] values, int found, int wanted, List<String> missingExamples) {

    public EmbeddingMatrix {
        if ((long) rows * dim != values.length) {
            throw new IllegalArgumentException("values has " + values.length + " floats, not rows*dim = " + rows + "*" + dim);
        }
        missingExamples = List.copyOf(missingExamples);
    }

    /**
     * For example {@code found 4,873 of 4,999 words (97.5%)}. The percentage is rounded, except that
     * it never reads 100.0% while a word is missing, nor 0.0% while one was found.
     */
    public String coverageLine() {
        double percent = wanted == 0 ? 0 : Math.round(1000.0 * found / wanted) / 10.0;
        if (found < wanted) percent = Math.min(percent, 99.9);
        if (found > 0) percent = Math.max(percent, 0.1);
        return String.format(Locale.US, "found %,d of %,d words (%.1f%%)", found, wanted, percent);
    }
}
