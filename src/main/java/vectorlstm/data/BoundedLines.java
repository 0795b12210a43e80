package vectorlstm.data;

import java.io.IOException;
import java.io.Reader;

/**
 * The lines of a text, as {@link java.io.BufferedReader#readLine()} gives them (ending at \n,
 * \r\n or \r), but each at most {@link TextDataset#MAX_TEXT_BYTES} characters: readLine reads a
 * 2 GB line whole and then fails for memory, naming no file or line.
 */
final class BoundedLines {
    /** A line longer than the bound; {@code line} is its 1-based number. */
    static final class TooLong extends IOException {
        final long line;

        TooLong(long line) {
            super("line " + line + " is longer than " + (TextDataset.MAX_TEXT_BYTES >> 20) + " Mi characters");
            this.line = line;
        }
    }

    private final Reader in;
    private final char[] buffer = new char[1 << 16];
    private int pos, limit;
    private long number;
    private boolean afterCr;  // the last line ended at \r: a \n right after it belongs to that end

    BoundedLines(Reader in) {
        this.in = in;
    }

    /** The next line without its end, or null at the end of the text. */
    String next() throws IOException {
        StringBuilder line = null;
        while (true) {
            if (pos == limit) {
                limit = in.read(buffer, 0, buffer.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (line == null) return null;
                    number++;
                    return line.toString();
                }
            }
            if (afterCr) {
                afterCr = false;
                if (buffer[pos] == '\n') pos++;
                continue;
            }
            int start = pos;
            while (pos < limit && buffer[pos] != '\n' && buffer[pos] != '\r') pos++;
            if (line == null) line = new StringBuilder(pos - start);
            line.append(buffer, start, pos - start);
            if (line.length() > TextDataset.MAX_TEXT_BYTES) throw new TooLong(number + 1);
            if (pos < limit) {
                afterCr = buffer[pos] == '\r';
                pos++;
                number++;
                return line.toString();
            }
        }
    }
}
