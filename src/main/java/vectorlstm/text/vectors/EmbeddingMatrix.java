package vectorlstm.text.vectors;

import java.util.List;
import java.util.Locale;
import vectorlstm.text.Json;

/**
 * Initial weights for an {@code Embedding(rows, dim)}: row {@code id} holds the pre-trained vector
 * of the word with that tokenizer id; row 0 (padding) is zero.
 *
 * @param values          row-major {@code [rows, dim]}; handed over, not copied, so do not share it
 * @param found           vocabulary words (ids in {@code [1, rows)}) that had a vector in the file
 * @param wanted          vocabulary words with ids in {@code [1, rows)}
 * @param missingExamples up to the first 10 words without a vector, most frequent (lowest id) first
 * @param notUtf8         vectors in the file whose word is not UTF-8, skipped (texts are decoded
 *                        strictly, so such a word can be no vocabulary word): a Latin-1 file loses
 *                        every accented word, which the coverage alone does not explain
 */
public record EmbeddingMatrix(int rows, int dim, float[] values, int found, int wanted, List<String> missingExamples, long notUtf8) {

    public EmbeddingMatrix {
        if ((long) rows * dim != values.length) {
            throw new IllegalArgumentException("values has " + values.length + " floats, not rows*dim = " + rows + "*" + dim);
        }
        missingExamples = List.copyOf(missingExamples);
    }

    /** A matrix from a file whose every word was UTF-8. */
    public EmbeddingMatrix(int rows, int dim, float[] values, int found, int wanted, List<String> missingExamples) {
        this(rows, dim, values, found, wanted, missingExamples, 0);
    }

    /**
     * For example {@code found 4,873 of 4,999 words (97.5%)}. The percentage is rounded, except that
     * it never reads 100.0% while a word is missing, nor 0.0% while one was found.
     */
    public String coverageLine() {
        double percent = wanted == 0 ? 0 : Math.round(1000.0 * found / wanted) / 10.0;
        if (found < wanted) percent = Math.min(percent, 99.9);
        if (found > 0) percent = Math.max(percent, 0.1);
        return String.format(Locale.US, "found %,d of %,d words (%.1f%%)", found, wanted, percent)
                + (notUtf8 == 0 ? "" : notUtf8 == 1 ? "; 1 vector skipped, its word not UTF-8 (a file in another encoding?)"
                        : String.format(Locale.US, "; %,d vectors skipped, their words not UTF-8 (a file in another encoding?)", notUtf8));
    }

    /**
     * The missing words for a log line or a message, comma-separated: each as written, except a
     * word holding a control, format or space character (U+0085, a zero-width space), which is
     * shown quoted with escapes: raw, it printed as a blank or broke the line.
     */
    public String missingExamplesLine() { return examplesLine(missingExamples); }

    static String examplesLine(List<String> words) {
        StringBuilder line = new StringBuilder();
        for (String word : words) {
            if (!line.isEmpty()) line.append(", ");
            boolean hidden = word.isEmpty() || word.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.isSpaceChar(c)
                    || Character.isWhitespace(c) || Character.getType(c) == Character.FORMAT);
            line.append(hidden ? Json.quote(word) : word);
        }
        return line.toString();
    }
}
