package vectorlstm.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import vectorlstm.text.StrictUtf8;

/**
 * Standard input as the numbered lines {@code predict} scores, texts or token ids alike. Lines are
 * split at '\n' only and a CRLF's '\r' is dropped (a lone '\r' stays inside its line); a last line
 * without '\n' counts. A UTF-8 byte order mark at the very start (a file saved by Notepad) is not
 * text, as the CSV, JSON-lines and folder readers treat it: left in, it made line 1's first word
 * unknown. A line that is not UTF-8, or longer than {@link #MAX_LINE_BYTES}, is handed
 * over as a problem of its own and reading goes on: one bad line never ends a stream.
 */
final class StdinLines {
    /** Longer stdin lines are refused (with an error line) instead of filling memory. */
    static final int MAX_LINE_BYTES = vectorlstm.data.TextDataset.MAX_TEXT_BYTES;

    /** What to do with each line; called in input order, on the reading thread. */
    interface Handler {
        void line(long number, String text);

        void badLine(long number, String problem);
    }

    private StdinLines() {}

    /** Reads {@code stdin} to its end, one handler call per line. */
    static void read(InputStream stdin, Handler handler) {
        InputStream in = new BufferedInputStream(stdin, 1 << 16);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long number = 0;
        boolean tooLong = false;
        try {
            skipByteOrderMark(in);
            for (int b = in.read(); ; b = in.read()) {
                if (b == '\n' || (b < 0 && (line.size() > 0 || tooLong))) {
                    number++;
                    if (tooLong) handler.badLine(number, "line longer than " + (MAX_LINE_BYTES >> 20) + " MiB");
                    else hand(line.toByteArray(), number, handler);
                    line.reset();
                    tooLong = false;
                } else if (b >= 0) {
                    if (line.size() < MAX_LINE_BYTES) line.write(b);
                    else tooLong = true;
                }
                if (b < 0) break;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading stdin: " + e.getMessage(), e);
        }
    }

    /** Skips EF BB BF at the start of the stream; anything else is left to be read. */
    private static void skipByteOrderMark(InputStream in) throws IOException {
        in.mark(3);
        if (in.read() == 0xEF && in.read() == 0xBB && in.read() == 0xBF) return;
        in.reset();
    }

    private static void hand(byte[] bytes, long number, Handler handler) {
        int n = bytes.length;
        if (n > 0 && bytes[n - 1] == '\r') n--;  // CRLF input
        String text;
        try {
            text = StrictUtf8.decoder().decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            handler.badLine(number, "not valid UTF-8 text");
            return;
        }
        handler.line(number, text);
    }
}
