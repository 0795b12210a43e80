package vectorlstm.text.vectors;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import vectorlstm.text.StrictUtf8;

/**
 * Streams a word2vec binary file once: a header line {@code count dim\n}, then per word its UTF-8
 * bytes up to a space and {@code dim} little-endian float32, optionally followed by {@code \n}
 * (the original tool writes it, some others do not). Errors name the 1-based word index.
 */
final class Word2VecBinaryReader {
    private static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_HEADER_BYTES = 64;
    // Real words are short; a long run without a space means this is not a word2vec binary file.
    private static final int MAX_WORD_BYTES = 4096;

    private final Path file;
    private final DataInputStream in;
    private final EmbeddingBuilder builder;
    private byte[] wordBytes = new byte[64];
    private long wordIndex;
    private int dim;

    private Word2VecBinaryReader(Path file, InputStream in, EmbeddingBuilder builder) {
        this.file = file;
        this.in = new DataInputStream(new BufferedInputStream(in, VectorInput.BUFFER));
        this.builder = builder;
    }

    static void read(Path file, InputStream in, EmbeddingBuilder builder) {
        new Word2VecBinaryReader(file, in, builder).readAll();
    }

    private void readAll() {
        try {
            long[] header = readHeader();
            long count = header[0];
            dim = (int) header[1];
            builder.start(dim);
            byte[] raw = new byte[dim * Float.BYTES];
            float[] vector = new float[dim];
            for (wordIndex = 1; ; wordIndex++) {
                int first = skipNewlines();
                if (first < 0) {
                    if (wordIndex - 1 < count) {
                        throw error("file ends after " + (wordIndex - 1) + " of " + count + " vectors (or the header's dimension " + dim
                                + " is larger than the vectors')");
                    }
                    return;
                }
                if (wordIndex > count) {
                    // A dimension too small makes more, shorter vectors (their words mostly not UTF-8, so skipped).
                    throw error("more vectors than the header's count " + count + " (or its dimension " + dim + " is smaller than the vectors')");
                }
                String word = readWord(first);
                readVector(word, raw, vector);
                if (word != null) builder.offer(word, vector);
                else builder.skipNotUtf8();  // null: not UTF-8, so no vocabulary word
            }
        } catch (VectorInput.CorruptGzipException e) {
            throw VectorFileException.corruptGzip(file, wordIndex == 0 ? "header" : "word " + wordIndex, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** {@code count dim}, checked; the header is reported as line 1. */
    private long[] readHeader() throws IOException {
        byte[] line = new byte[MAX_HEADER_BYTES];
        int length = 0;
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0 && length == 0) throw VectorFileException.whole(file, "empty file");
            if (b < 0 || length == MAX_HEADER_BYTES) {
                throw VectorFileException.atLine(file, 1, "expected a header line 'count dim'");
            }
            line[length++] = (byte) b;
        }
        String[] fields = new String(line, 0, length, StandardCharsets.ISO_8859_1).trim().split("[ \t]+");
        long count;
        long dim;
        try {
            if (fields.length != 2) throw new NumberFormatException();
            count = Long.parseLong(fields[0]);
            dim = Long.parseLong(fields[1]);
        } catch (NumberFormatException e) {
            throw VectorFileException.atLine(file, 1, "expected a header line 'count dim', found '"
                    + new String(line, 0, length, StandardCharsets.UTF_8) + "'");
        }
        if (dim <= 0) throw VectorFileException.atLine(file, 1, "header claims dimension " + dim);
        if (dim > PretrainedVectors.MAX_DIM) {
            throw VectorFileException.atLine(file, 1, "header claims dimension " + dim + ", more than " + PretrainedVectors.MAX_DIM);
        }
        if (count < 0) throw VectorFileException.atLine(file, 1, "header claims a negative count " + count);
        return new long[] {count, dim};
    }

    /** The first byte that is not a line break, or -1 at end of file. */
    private int skipNewlines() throws IOException {
        int b;
        do {
            b = in.read();
        } while (b == '\n' || b == '\r');
        return b;
    }

    private String readWord(int first) throws IOException {
        int length = 0;
        for (int b = first; b != ' '; b = in.read()) {
            if (b < 0) throw misread("truncated: file ends inside the word");
            if (length == MAX_WORD_BYTES) {
                throw misread("no space after " + MAX_WORD_BYTES + " bytes; is this a word2vec binary file?");
            }
            if (b < 0x20 || b == 0x7f) {
                // word2vec never writes a control byte into a word: the read has lost its place.
                throw misread(String.format(java.util.Locale.ROOT, "a control byte (0x%02x) inside a word: the records do not line up with the header"
                        + " (a word holding a space, as gensim writes GloVe's '. . .' to .bin, or vectors of another byte order)", b));
            }
            if (length == wordBytes.length) wordBytes = Arrays.copyOf(wordBytes, length * 2);
            wordBytes[length++] = (byte) b;
        }
        if (length == 0) throw misread("empty word");
        return StrictUtf8.decodeOrNull(wordBytes, 0, length);
    }

    /** A word for a message: quoted, or said to be no UTF-8 (readWord's null). */
    private static String shown(String word) {
        return word == null ? "a word that is not UTF-8" : "'" + word + "'";
    }

    private void readVector(String word, byte[] raw, float[] vector) throws IOException {
        try {
            in.readFully(raw);
        } catch (EOFException e) {
            throw misread("truncated: file ends inside the vector of " + shown(word));
        }
        for (int k = 0; k < vector.length; k++) {
            float v = (float) FLOAT_LE.get(raw, k * Float.BYTES);
            if (!Float.isFinite(v)) {
                // In a word that is not UTF-8 too, the read has most likely lost its place (a wrong header dimension).
                String reason = "NaN or infinite value at position " + (k + 1) + " of " + shown(word);
                throw word == null ? misread(reason) : error(reason);
            }
            vector[k] = v;
        }
    }

    /**
     * An error in the file's layout. That is most often a header whose dimension is not the
     * vectors' (every vector then takes too many or too few bytes, and each word starts further
     * off), so the message asks; the read may go wrong only many words later (an empty word at
     * word 8, a NaN at word 67: the hint was given for the first two words only).
     */
    private VectorFileException misread(String reason) {
        return error(reason + " (does the header's dimension " + dim + " match the vectors? each vector was read as " + dim + " floats)");
    }

    private VectorFileException error(String reason) {
        return VectorFileException.atWord(file, wordIndex, reason);
    }
}
