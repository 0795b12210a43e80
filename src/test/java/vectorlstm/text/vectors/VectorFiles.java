package vectorlstm.text.vectors;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vectorlstm.text.GzipBytes.gzip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** Writes small vector files for the tests, reads rows back out of a matrix, and checks refusals. */
final class VectorFiles {
    private VectorFiles() {
    }

    static Path text(Path dir, String name, String content) {
        return write(dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
    }

    static Path gzipText(Path dir, String name, String content) {
        return write(dir.resolve(name), gzip(content.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Asserts that loading {@code file} for {@code index} is refused with a message that names the
     * file, says where ({@code where}: a line or word) and why ({@code reason}).
     */
    static void assertRefused(Path file, Map<String, Integer> index, String where, String reason) {
        int rows = index.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        VectorFileException e = assertThrows(VectorFileException.class,
                () -> PretrainedVectors.load(file, index, rows, MissingWords.ZEROS, 0));
        String message = e.getMessage();
        assertTrue(message.startsWith(file.toString()), "names the file: " + message);
        assertTrue(message.contains(where), "says where (" + where + "): " + message);
        assertTrue(message.contains(reason), "says why (" + reason + "): " + message);
    }

    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A word2vec binary file's bytes: header, then per word its bytes, a space, dim float32 LE and, if asked, '\n'. */
    static byte[] word2vec(int dim, boolean newlineAfterVector, Object... wordsAndVectors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((wordsAndVectors.length / 2 + " " + dim + "\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < wordsAndVectors.length; i += 2) {
            out.writeBytes((wordsAndVectors[i] + " ").getBytes(StandardCharsets.UTF_8));
            float[] v = (float[]) wordsAndVectors[i + 1];
            ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            out.writeBytes(b.array());
            if (newlineAfterVector) out.write('\n');
        }
        return out.toByteArray();
    }

    static float[] row(EmbeddingMatrix m, int id) {
        return Arrays.copyOfRange(m.values(), id * m.dim(), (id + 1) * m.dim());
    }
}
