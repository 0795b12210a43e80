package vectorlstm.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one UTF-8 decoder of the project that refuses bad bytes instead of replacing them with
 * U+FFFD: data files, model headers and predict's stdin lines all say "not UTF-8" rather than
 * reading something the user never wrote.
 */
public final class StrictUtf8 {
    private StrictUtf8() {}

    /** A new decoder (decoders keep state, so one per use): malformed or unmappable input throws. */
    public static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /**
     * The text of {@code bytes[off, off + len)}, or null when they are not UTF-8. The lenient
     * decoder runs first (it is the fast one); only a result holding U+FFFD, which either stood in
     * the bytes or replaced bad ones, is decoded again strictly to tell which.
     */
    public static String decodeOrNull(byte[] bytes, int off, int len) {
        String lenient = new String(bytes, off, len, StandardCharsets.UTF_8);
        if (lenient.indexOf('\uFFFD') < 0) return lenient;
        try {
            return decoder().decode(ByteBuffer.wrap(bytes, off, len)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
