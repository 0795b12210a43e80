package vectorlstm.io;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.Map;
import vectorlstm.text.Json;
import vectorlstm.text.StrictUtf8;

/**
 * The JSON texts in a file's header (a {@link ModelFile} of either version, a
 * {@link CheckpointFile}), read strictly: bytes that are not UTF-8, JSON that does not parse and
 * JSON that is not an object are each refused as such, naming the file.
 */
final class HeaderJson {
    private HeaderJson() {}

    static String decodeUtf8(ByteBuffer bytes, Path file) {
        try {
            return StrictUtf8.decoder().decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFileException(file + ": the header is not UTF-8 text (corrupt file?)");
        }
    }

    static Map<String, Object> parseJson(String json, Path file, String what) {
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file + ": unreadable " + what + " (" + e.getMessage() + ")");
        }
        if (!(parsed instanceof Map<?, ?>)) throw new ModelFileException(file + ": the " + what + " is not a JSON object (damaged or forged)");
        return LayerSpecs.map(parsed);
    }
}
