package vectorlstm.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Strict UTF-8: bad bytes are an error that names the file, line and byte offset, never a silent
 * U+FFFD that would turn into a word of its own.
 */
final class Utf8Text {
    static final char BOM = '\uFEFF';

    private Utf8Text() {
    }

    /** The whole file's text, without a leading byte order mark (Windows editors add one; it is not text). */
    static String read(Path file) {
        try {
            long size = Files.size(file);
            if (size > TextDataset.MAX_TEXT_BYTES) throw tooBig(file, size);
            StringBuilder text = new StringBuilder((int) size);
            try (Utf8Reader in = new Utf8Reader(Files.newInputStream(file))) {
                char[] chunk = new char[1 << 14];
                for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                    text.append(chunk, 0, n);
                    if (text.length() > TextDataset.MAX_TEXT_BYTES) throw tooBig(file, Files.size(file));  // it grew since
                }
            }
            return !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text.toString();
        } catch (Utf8Reader.Malformed e) {
            throw invalid(file, e);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + DataException.reason(e), e);
        }
    }

    private static DataException tooBig(Path file, long size) {
        return new DataException(file + " holds " + size + " bytes, more than a text may (" + (TextDataset.MAX_TEXT_BYTES >> 20) + " MiB)");
    }

    /** The error for a file that is not UTF-8, with the place {@link Utf8Reader} found. */
    static DataException invalid(Object file, Utf8Reader.Malformed e) {
        return new DataException(file + ", " + e.getMessage() + "; re-save the file as UTF-8", e);
    }
}
