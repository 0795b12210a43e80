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
 * <p>Lines are {@code word v1 .. vdim}, fields separated by spaces or tabs; the vector is a line's
 * last dim fields and the word everything before them ({@link VectorLine}). Trailing blanks (every
 * fastText line has one) and blank lines are ignored. A header {@code count dim} is two integer
 * fields: required for {@code .vec}; on the first line of a {@code .txt} a header only when the
 * lines after it agree ({@link FirstLines#isHeader}). Without a header the dimension is the most
 * common width of the first lines, so one line with a spaced word cannot set it.
 */
final class TextVectorReader {
    private final Path file;
    private final EmbeddingBuilder builder;
    private final ByteLineReader lines;
    private byte[] buf;
    private int dim;
    private float[] vector;
    private long count = Long.MAX_VALUE;   // the header's, if there is one
    private boolean hasHeader;
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
            readFirstLines(headerRequired);
            while (nextNonBlank()) {
                readVectorLine(buf, lines.lineStart(), trimmedEnd(), lines.lineNumber());
            }
            if (hasHeader && vectorsRead < count) {
                throw error(lines.lineNumber(), "file ends after " + vectorsRead + " of " + count + " vectors");
            }
        } catch (VectorInput.CorruptGzipException e) {
            throw VectorFileException.corruptGzip(file, "line " + (lines.lineNumber() + 1), e);
        } catch (ByteLineReader.LineTooLongException e) {
            throw VectorFileException.atLine(file, e.line, "longer than " + ByteLineReader.MAX_LINE_BYTES + " bytes: not a line of word vectors (line ends other than \\n?)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Copies the first lines, decides header and dimension from them, then reads their vectors. */
    private void readFirstLines(boolean headerRequired) throws IOException {
        FirstLines first = new FirstLines();
        while (first.wantsMore()) {
            if (!nextNonBlank()) {
                first.reachedEnd();
                break;
            }
            if (first.size() == 0) {
                skipByteOrderMark();
                if (trimmedEnd() <= lines.lineStart()) continue;  // a line of nothing but the mark is a blank line
            }
            first.add(buf, lines.lineStart(), trimmedEnd(), lines.lineNumber());
        }
        if (first.size() == 0) throw VectorFileException.whole(file, "empty file");
        startFrom(first, headerRequired);
        for (int i = hasHeader ? 1 : 0; i < first.size(); i++) {
            readVectorLine(first.bytes(), first.start(i), first.end(i), first.lineNumber(i));
        }
    }

    /** Decides header or not and the dimension from the first lines. */
    private void startFrom(FirstLines first, boolean headerRequired) {
        long line = first.lineNumber(0);
        long[] header = VectorLine.header(first.bytes(), first.start(0), first.end(0));
        if (headerRequired && header == null) {
            throw error(line, "expected a header line 'count dim', found '" + shown(first.bytes(), first.start(0), first.end(0)) + "'");
        }
        hasHeader = header != null && (headerRequired || first.isHeader(header[0], header[1]));
        if (hasHeader) {
            long headerDim = header[1];
            count = header[0];
            if (headerDim <= 0) throw error(line, "header claims dimension " + headerDim);
            if (count < 0) throw error(line, "header claims a negative count " + count);
            if (headerDim > PretrainedVectors.MAX_DIM) {
                throw error(line, "header claims dimension " + headerDim + ", more than " + PretrainedVectors.MAX_DIM);
            }
            start((int) headerDim);
        } else {
            int width = first.commonWidth();
            long widthLine = first.firstLineOfWidth(width);
            if (width <= 0) throw error(widthLine, "a word without values; cannot infer the dimension");
            if (width > PretrainedVectors.MAX_DIM) throw error(widthLine, width + " values, more than " + PretrainedVectors.MAX_DIM);
            start(width);
        }
    }

    private void start(int dim) {
        this.dim = dim;
        this.vector = new float[dim];
        builder.start(dim);
    }

    private void readVectorLine(byte[] b, int start, int end, long line) {
        // With dim 1 a numeric word and its value look like a header, so only then it is allowed.
        if (hasHeader && vectorsRead == 0 && dim != 1 && VectorLine.header(b, start, end) != null) {
            throw error(line, "a second header line; expected the first vector");
        }
        if (vectorsRead == count) throw error(line, "more vectors than the header's count " + count);
        int wordEnd;
        try {
            wordEnd = VectorLine.parse(b, start, end, vector);
        } catch (VectorLine.MalformedLineException e) {
            throw error(line, e.getMessage());
        }
        vectorsRead++;
        // A word that is not UTF-8 can be no vocabulary word (texts are decoded strictly): skipped, not guessed at.
        String word = StrictUtf8.decodeOrNull(b, start, wordEnd - start);
        if (word != null) builder.offer(word, vector);
        else builder.skipNotUtf8();
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

    private int trimmedEnd() {
        return VectorLine.trimmedEnd(buf, lines.lineStart(), lines.lineEnd());
    }

    private static String shown(byte[] b, int from, int to) {
        int length = Math.min(to - from, 60);
        return new String(b, from, length, StandardCharsets.UTF_8) + (to - from > 60 ? "..." : "");
    }

    private VectorFileException error(long line, String reason) {
        return VectorFileException.atLine(file, line, reason);
    }
}
