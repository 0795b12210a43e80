package vectorlstm.data.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import vectorlstm.data.DataException;

/**
 * Reads a whole text file as strict UTF-8: bad bytes are an error that names the file and the
 * byte offset, never a silent U+FFFD that would turn into a word of its own.
 */
final class Utf8Text {
    static final char BOM = '\uFEFF';

    private Utf8Text() {
    }

    /** The file's text, without a leading byte order mark (Windows editors add one; it is not text). */
    static String read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e, e);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new DataException(file + " is not valid UTF-8 (bad byte at offset " + in.position()
                    + "); re-save it as UTF-8");
        }
        out.flip();
        if (out.hasRemaining() && out.get(0) == BOM) {
            out.position(1);
        }
        return out.toString();
    }
}
