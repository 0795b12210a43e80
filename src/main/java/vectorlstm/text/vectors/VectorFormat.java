package vectorlstm.text.vectors;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The three common layouts of pre-trained word vectors. Whether a file is gzip-compressed is not
 * part of the format: it is read from the file's first two bytes.
 */
public enum VectorFormat {
    /** fastText {@code .vec}: a {@code count dim} header line, then {@code word v1 .. vdim} per line. */
    FASTTEXT_VEC,
    /**
     * GloVe {@code .txt}: {@code word v1 .. vdim} per line, the dimension the most common width of
     * the first lines (a word may hold spaces: the vector is a line's last dim fields). A first line
     * of exactly two integers is read as a {@code count dim} header when the lines after it have dim
     * values, because word2vec's text output is often saved as {@code .txt}; otherwise it is a
     * numeric word and its one value.
     */
    GLOVE_TXT,
    /** word2vec binary {@code .bin}: a {@code count dim} header line, then per word its bytes, a space and dim float32 LE. */
    WORD2VEC_BIN;

    /**
     * The format named by the file's extension ({@code .vec}, {@code .txt}, {@code .bin}), looking
     * past a trailing {@code .gz}.
     *
     * @throws VectorFileException if the name ends otherwise
     */
    public static VectorFormat fromFileName(Path file) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".vec")) return FASTTEXT_VEC;
        if (name.endsWith(".txt")) return GLOVE_TXT;
        if (name.endsWith(".bin")) return WORD2VEC_BIN;
        throw VectorFileException.whole(file,
                "cannot tell the format from the name (expected .vec, .txt or .bin, optionally .gz); pass a VectorFormat");
    }
}
