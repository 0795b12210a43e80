package vectorlstm.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a model file, in hex. The driver takes it of the file it checked; each executor
 * takes it of the copy it is about to map, so a stale copy at a shared path, a half-shipped file or
 * a different model under the same name is refused before it scores a row. (The file's own CRC32C,
 * which {@code ModelFile.load} checks, finds damage; it cannot tell two valid models apart.)
 */
public final class ModelDigest {
    private ModelDigest() {}

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model file " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);  // every Java SE platform must have it
        }
    }
}
