package vectorlstm.text.vectors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import vectorlstm.text.StrictUtf8;

/**
 * Streams a text vector file (fastText {@code .vec} or GloVe {@code .txt}) once, checking every
 * line, and offers each word's vector to the {@link EmbeddingBuilder}.
 *
 * <p>Lines are {@code word v1 .. vdim}, fields separated by spaces or tabs; trailing blanks (every
 * fastText line has one) and blank lines are ignored. A header {@code count dim} is two integer
 * fields: required for {@code .vec}, recognised on the first line of a {@code .txt}.
 */
final class TextVectorReader {
    private final Path file;
    private final EmbeddingBuilder builder;
    private final ByteLineReader lines;
    private byte[] buf;
    private int dim;
    private float[] vector;
    private long vectorsRead;

    private TextVectorReader(Path file, InputStream in, EmbeddingBuilder builder) {
        this.file = file;
        this.builder = builder;
        this.lines = new ByteLineReader(in);
    }

    static void read(Path file, InputStream in, boolean headerRequired, EmbeddingBuilder builder) {
        new TextVectorReader(file, in, builder).readAll(headerRequired);
    }

    private void readAll(boolean headerRequired) {
        try {
            if (!nextNonBlank()) {
                throw VectorFileException.whole(file, "empty file");
            }
            skipByteOrderMark();
            long[] header = headerFields();
            if (header != null) {
                readWithHeader(header[0], header[1]);
            } else if (headerRequired) {
                throw error("expected a header line 'count dim', found '" + shown(lines.lineStart(), lines.lineEnd()) + "'");
            } else {
                readWithoutHeader();
            }
        } catch (VectorInput.CorruptGzipException e) {
            throw VectorFileException.corruptGzip(file, "line " + (lines.lineNumber() + 1), e);
        } catch (ByteLineReader.LineTooLongException e) {
            throw VectorFileException.atLine(file, e.line, "longer than " + ByteLineReader.MAX_LINE_BYTES + " bytes: not a line of word vectors (line ends other than \\n?)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void readWithHeader(long count, long headerDim) throws IOException {
        if (headerDim <= 0) throw error("header claims dimension " + headerDim);
        if (count < 0) throw error("header claims a negative count " + count);
        if (headerDim > PretrainedVectors.MAX_DIM) {
            throw error("header claims dimension " + headerDim + ", more than " + PretrainedVectors.MAX_DIM);
        }
        start((int) headerDim);
        boolean first = true;
        while (nextNonBlank()) {
            // With dim 1 a numeric word and its value look like a header, so only then it is allowed.
            if (first && dim != 1 && headerFields() != null) {
                throw error("a second header line; expected the first vector");
            }
            first = false;
            if (vectorsRead == count) {
                throw error("more vectors than the header's count " + count);
            }
            readVectorLine();
        }
        if (vectorsRead < count) {
            throw error("file ends after " + vectorsRead + " of " + count + " vectors");
        }
    }

    private void readWithoutHeader() throws IOException {
        int wordEnd = wordEnd();
        int fields = countFields(wordEnd, trimmedEnd());
        if (fields == 0) throw error("a word without values; cannot infer the dimension");
        if (fields > PretrainedVectors.MAX_DIM) throw error(fields + " values, more than " + PretrainedVectors.MAX_DIM);
        start(fields);
        readVectorLine();
        while (nextNonBlank()) {
            readVectorLine();
        }
    }

    private void start(int dim) {
        this.dim = dim;
        this.vector = new float[dim];
        builder.start(dim);
    }

    private void readVectorLine() {
        int wordEnd = wordEnd();
        int end = trimmedEnd();
        if (wordEnd == lines.lineStart()) throw error("line starts with a blank: empty word");
        int at = wordEnd;
        int k = 0;
        while (true) {
            while (at < end && isBlank(buf[at])) at++;
            if (at == end) break;
            int fieldEnd = at;
            while (fieldEnd < end && !isBlank(buf[fieldEnd])) fieldEnd++;
            if (k < dim) {
                try {
                    vector[k] = FloatParser.parse(buf, at, fieldEnd);
                } catch (NumberFormatException e) {
                    throw error("value " + (k + 1) + ": " + e.getMessage());
                }
            }
            k++;
            at = fieldEnd;
        }
        if (k != dim) throw error("expected " + dim + " values, found " + k);
        vectorsRead++;
        // A word that is not UTF-8 can be no vocabulary word (texts are decoded strictly): skipped, not guessed at.
        String word = StrictUtf8.decodeOrNull(buf, lines.lineStart(), wordEnd - lines.lineStart());
        if (word != null) builder.offer(word, vector);
    }

    /** The two numbers of the current line if it is a {@code count dim} line, else null. */
    private long[] headerFields() {
        int end = trimmedEnd();
        long[] result = new long[2];
        int at = lines.lineStart();
        for (int k = 0; k < 2; k++) {
            if (k > 0) {
                if (at == end || !isBlank(buf[at])) return null;
                while (at < end && isBlank(buf[at])) at++;
            }
            int numberStart = at;
            if (at < end && buf[at] == '-') at++;
            int digitsStart = at;
            while (at < end && buf[at] >= '0' && buf[at] <= '9') at++;
            if (at == digitsStart || at - digitsStart > 18) return null;
            result[k] = Long.parseLong(new String(buf, numberStart, at - numberStart, StandardCharsets.ISO_8859_1));
        }
        return at == end ? result : null;
    }

    private boolean nextNonBlank() throws IOException {
        while (lines.next()) {
            buf = lines.buffer();   // the only place it can change: next() may grow it
            if (trimmedEnd() > lines.lineStart()) return true;
        }
        return false;
    }

    /** A UTF-8 byte order mark on the first line is not part of the first word. */
    private void skipByteOrderMark() {
        int s = lines.lineStart();
        if (lines.lineEnd() - s >= 3 && buf[s] == (byte) 0xEF && buf[s + 1] == (byte) 0xBB && buf[s + 2] == (byte) 0xBF) {
            lines.skipLineStart(3);
        }
    }

    private int wordEnd() {
        int end = trimmedEnd();
        int at = lines.lineStart();
        while (at < end && !isBlank(buf[at])) at++;
        return at;
    }

    private int trimmedEnd() {
        int end = lines.lineEnd();
        while (end > lines.lineStart() && isBlank(buf[end - 1])) end--;
        return end;
    }

    private int countFields(int from, int end) {
        int fields = 0;
        for (int at = from; at < end; ) {
            while (at < end && isBlank(buf[at])) at++;
            if (at == end) break;
            fields++;
            while (at < end && !isBlank(buf[at])) at++;
        }
        return fields;
    }

    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t';
    }

    private String shown(int from, int to) {
        int length = Math.min(to - from, 60);
        return new String(buf, from, length, StandardCharsets.UTF_8) + (to - from > 60 ? "..." : "");
    }

    private VectorFileException error(String reason) {
        return VectorFileException.atLine(file, lines.lineNumber(), reason);
    }
}
