package vectorlstm.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import vectorlstm.text.StrictUtf8;

/**
 * Strict UTF-8 text from a stream, for the loaders that read a file as they go. Every character
 * before a bad byte is handed out first; the read that meets the byte throws {@link Malformed}
 * with its offset and line. A JDK reader decodes ahead of its caller, so its error left the
 * caller's line behind the bad byte's, and the loaders had to decode the file a second time to
 * name the place (which a Spark task's decompressed stream cannot do).
 */
final class Utf8Reader extends Reader {
    /** Bytes that are not UTF-8, at {@link #line} (1-based; LF, CRLF and a lone CR each end one) and {@link #byteOffset} of the stream. */
    static final class Malformed extends CharacterCodingException {
        final long line, byteOffset;

        Malformed(long line, long byteOffset) {
            this.line = line;
            this.byteOffset = byteOffset;
        }

        @Override
        public String getMessage() {
            return "line " + line + ": not valid UTF-8 (bad byte at offset " + byteOffset + ")";
        }
    }

    private final InputStream in;
    private final CharsetDecoder decoder = StrictUtf8.decoder();
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();  // kept ready to decode from
    private long bytesBefore;  // stream offset of bytes' first byte
    private boolean endOfStream;
    private Malformed malformed;  // met, and thrown once the text before it has been read
    private final Lines lines = new Lines();

    Utf8Reader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] into, int off, int len) throws IOException {
        if (malformed != null) throw malformed;
        if (len == 0) return 0;
        CharBuffer out = CharBuffer.wrap(into, off, len);
        while (out.position() == off) {
            CoderResult result = decoder.decode(bytes, out, endOfStream);
            if (result.isError()) {
                count(into, off, out.position());
                malformed = new Malformed(lines.line, bytesBefore + bytes.position());
                if (out.position() == off) throw malformed;
                return out.position() - off;
            }
            if (result.isOverflow() || endOfStream) break;
            fill();
        }
        int n = out.position() - off;
        count(into, off, out.position());
        return n == 0 ? -1 : n;
    }

    /** Keeps the bytes not yet decoded (part of a character at most) and reads more after them. */
    private void fill() throws IOException {
        bytesBefore += bytes.position();
        bytes.compact();
        int n;
        do {
            n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        } while (n == 0);
        if (n < 0) endOfStream = true;
        else bytes.position(bytes.position() + n);
        bytes.flip();
    }

    private void count(char[] chars, int from, int to) {
        for (int i = from; i < to; i++) lines.count(chars[i]);
    }

    /** Lines as every loader counts them: LF, CRLF and a lone CR each end one. */
    static final class Lines {
        long line = 1;
        private boolean afterCr;

        void count(char c) {
            if (c == '\r' || (c == '\n' && !afterCr)) line++;
            afterCr = c == '\r';
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
