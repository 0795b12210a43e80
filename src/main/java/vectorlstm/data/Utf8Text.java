package vectorlstm.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
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

    /** The whole file's text, without a leading byte order mark (Windows editors add one; it is not text). */
    static String read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > TextDataset.MAX_TEXT_BYTES) {
                throw new DataException(file + " holds " + size + " bytes, more than a text may (" + (TextDataset.MAX_TEXT_BYTES >> 20) + " MiB)");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + DataException.reason(e), e);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        LineCounter lines = new LineCounter();
        CoderResult result = strictDecoder().decode(in, out, true);
        if (result.isError()) {
            lines.count(out.flip());
            throw invalid(file, lines.line, in.position());
        }
        out.flip();
        if (out.hasRemaining() && out.get(0) == BOM) {
            out.position(1);
        }
        return out.toString();
    }

    /**
     * The error for a file a streaming reader found not to be UTF-8. Readers decode ahead of the
     * parser, so the parser's line would be wrong: this decodes the file again up to the bad byte.
     */
    static DataException invalid(Path file, Exception cause) {
        CharsetDecoder decoder = strictDecoder();
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        LineCounter lines = new LineCounter();
        long offset = 0;
        boolean eof = false;
        try (InputStream stream = Files.newInputStream(file)) {
            while (true) {
                int n = eof ? -1 : stream.read(in.array(), in.position(), in.remaining());
                eof |= n < 0;
                in.position(in.position() + Math.max(n, 0)).flip();
                CoderResult result = decoder.decode(in, out, eof);
                lines.count(out.flip());
                out.clear();
                if (result.isError()) {
                    return invalid(file, lines.line, offset + in.position());
                }
                offset += in.position();
                in.compact();
                if (eof && result.isUnderflow()) {
                    break;
                }
            }
        } catch (IOException e) {
            // fall through to the message without a place
        }
        return new DataException(file + " is not valid UTF-8; re-save it as UTF-8", cause);
    }

    private static DataException invalid(Path file, long line, long byteOffset) {
        return new DataException(file + ", line " + line + ": not valid UTF-8 (bad byte at offset " + byteOffset
                + "); re-save the file as UTF-8");
    }

    private static CharsetDecoder strictDecoder() {
        return StrictUtf8.decoder();
    }

    /** Counts lines as the loaders do: LF, CRLF and a lone CR each end one. */
    private static final class LineCounter {
        long line = 1;
        boolean afterCr;

        void count(CharBuffer chars) {
            while (chars.hasRemaining()) {
                char c = chars.get();
                if (c == '\r' || (c == '\n' && !afterCr)) {
                    line++;
                }
                afterCr = c == '\r';
            }
        }
    }
}
