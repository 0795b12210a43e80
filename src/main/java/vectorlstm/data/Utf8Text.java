package vectorlstm.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import vectorlstm.text.StrictUtf8;

/**
 * Strict UTF-8: bad bytes are an error that names the file, line and byte offset, never a silent
 * U+FFFD that would turn into a word of its own.
 */
final class Utf8Text {
    static final char BOM = '\uFEFF';

    private Utf8Text() {
    }

    /**
     * The whole file's text, without a leading byte order mark (Windows editors add one; it is not
     * text). Decoded in one go (a folder dataset reads thousands of small files: a streaming
     * reader's buffers cost more than their text); the lines are counted only for an error.
     */
    static String read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > TextDataset.MAX_TEXT_BYTES) throw tooBig(file, size);
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + DataException.reason(e), e);
        }
        if (bytes.length > TextDataset.MAX_TEXT_BYTES) throw tooBig(file, bytes.length);  // it grew since
        int nul = firstNul(bytes, bytes.length);
        if (nul >= 0) {  // as the CSV, JSON-lines and IMDB loaders refuse one
            throw new DataException(file + " holds a NUL byte at " + nul + " of its " + bytes.length
                    + ": a text file holds none (a binary file, or zeros an interrupted copy left)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);  // UTF-8 never decodes to more chars than bytes
        if (StrictUtf8.decoder().decode(in, out, true).isError()) {
            Utf8Reader.Lines lines = new Utf8Reader.Lines();
            for (out.flip(); out.hasRemaining(); ) lines.count(out.get());
            throw invalid(file, new Utf8Reader.Malformed(lines.line, in.position()));
        }
        out.flip();
        if (out.hasRemaining() && out.get(0) == BOM) out.position(1);
        return out.toString();
    }

    /** The index of the first zero byte among the first {@code length}, or -1. */
    private static int firstNul(byte[] data, int length) {
        for (int i = 0; i < length; i++) if (data[i] == 0) return i;
        return -1;
    }

    private static DataException tooBig(Path file, long size) {
        return new DataException(file + " holds " + size + " bytes, more than a text may (" + (TextDataset.MAX_TEXT_BYTES >> 20) + " MiB)");
    }

    /** The error for a file that is not UTF-8, with the place {@link Utf8Reader} found. */
    static DataException invalid(Object file, Utf8Reader.Malformed e) {
        return new DataException(file + ", " + e.getMessage() + "; re-save the file as UTF-8", e);
    }
}
