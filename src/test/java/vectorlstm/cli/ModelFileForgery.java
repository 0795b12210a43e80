package vectorlstm.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;
import vectorlstm.text.Json;

/** Writes altered copies of a model file, as an attacker would (for HostileInputTest). */
final class ModelFileForgery {
    private ModelFileForgery() {}

    /** The safetensors JSON header edited as text and padded back to a 64-byte boundary (the checksum is left as it was). */
    static void rewriteHeader(Path from, Path to, UnaryOperator<String> edit) throws IOException {
        rewriteHeaderExactly(from, to, h -> {
            String e = edit.apply(h.stripTrailing());
            return e + " ".repeat((int) ((8 + e.length() + 63) / 64 * 64 - 8 - e.length()));
        });
    }

    /** The header edited as text, written as it comes out (no padding). */
    static void rewriteHeaderExactly(Path from, Path to, UnaryOperator<String> edit) throws IOException {
        byte[] file = Files.readAllBytes(from);
        int n = (int) ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] header = edit.apply(new String(file, 8, n, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + file.length - 8 - n).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header).put(file, 8 + n, file.length - 8 - n);
        Files.write(to, out.array());
    }

    /** The model description edited, with a valid checksum recomputed: only the loader's own checks can catch it. */
    @SuppressWarnings("unchecked")
    static void rewriteDescription(Path from, Path to, UnaryOperator<String> edit) throws IOException {
        byte[] file = Files.readAllBytes(from);
        int n = (int) ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Map<String, Object> header = (Map<String, Object>) Json.parse(new String(file, 8, n, StandardCharsets.UTF_8));
        Map<String, Object> meta = (Map<String, Object>) header.get("__metadata__");
        String description = edit.apply((String) meta.get("vlstm.model"));
        CRC32C crc = new CRC32C();
        crc.update(description.getBytes(StandardCharsets.UTF_8));
        crc.update(file, 8 + n, file.length - 8 - n);
        meta.put("vlstm.model", description);
        meta.put("vlstm.crc32c", HexFormat.of().toHexDigits((int) crc.getValue()));
        String json = Json.write(header);
        rewriteHeader(from, to, h -> json);
    }
}
