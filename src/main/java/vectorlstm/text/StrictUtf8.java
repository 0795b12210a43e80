package vectorlstm.text;

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
}
