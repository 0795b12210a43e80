package vectorlstm.text.vectors;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Hands out the lines of a stream as ranges of one reused byte buffer, so a million-line file
 * costs no String per line. Lines end at {@code \n}; a {@code \r} before it is dropped. Splitting
 * UTF-8 on bytes is safe: no multi-byte sequence contains {@code \n} or a space.
 */
final class ByteLineReader {
    /**
     * No line of a vector file is longer (a word and {@link PretrainedVectors#MAX_DIM} numbers of
     * at most a few dozen characters): a longer one is not a vector line (a file with CR-only line
     * ends, a binary file given as text) and is refused instead of growing the buffer to the heap.
     */
    static final int MAX_LINE_BYTES = 16 << 20;

    /** A line beyond {@link #MAX_LINE_BYTES}. */
    static final class LineTooLongException extends IOException {
        final long line;

        LineTooLongException(long line) {
            super("line " + line + " is longer than " + MAX_LINE_BYTES + " bytes");
            this.line = line;
        }
    }

    private final InputStream in;
    private byte[] buf = new byte[VectorInput.BUFFER];
    private int pos;          // start of the unread bytes
    private int limit;        // end of the valid bytes
    private boolean eof;
    private long lineNumber;
    private int lineStart;
    private int lineEnd;

    ByteLineReader(InputStream in) {
        this.in = in;
    }

    /** Advances to the next line; false at end of stream. A last line without {@code \n} still counts. */
    boolean next() throws IOException {
        int scanFrom = pos;
        while (true) {
            int newline = indexOfNewline(scanFrom);
            if (newline >= 0) {
                setLine(pos, newline);
                pos = newline + 1;
                return true;
            }
            if (eof) {
                if (pos == limit) return false;
                setLine(pos, limit);
                pos = limit;
                return true;
            }
            scanFrom = limit - pos;   // the bytes before were already searched
            fill();
            scanFrom += pos;
        }
    }

    byte[] buffer() { return buf; }
    int lineStart() { return lineStart; }
    int lineEnd() { return lineEnd; }
    long lineNumber() { return lineNumber; }

    /** Drops {@code n} bytes from the front of the current line (a byte order mark). */
    void skipLineStart(int n) {
        lineStart = Math.min(lineStart + n, lineEnd);
    }

    private void setLine(int start, int end) {
        if (end > start && buf[end - 1] == '\r') end--;
        lineStart = start;
        lineEnd = end;
        lineNumber++;
    }

    private int indexOfNewline(int from) {
        for (int i = from; i < limit; i++) {
            if (buf[i] == '\n') return i;
        }
        return -1;
    }

    /** Moves the unread bytes to the front, grows the buffer if a line fills it, and reads more. */
    private void fill() throws IOException {
        int unread = limit - pos;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, unread);
        } else if (unread == buf.length) {
            // Room for the longest line and its line end: a line is refused only when it is longer.
            if (buf.length > MAX_LINE_BYTES) throw new LineTooLongException(lineNumber + 1);
            buf = Arrays.copyOf(buf, Math.min(MAX_LINE_BYTES + 1, buf.length * 2));
        }
        pos = 0;
        limit = unread;
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }
}
