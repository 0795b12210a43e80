package vectorlstm.text.vectors;

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

/** Writes small vector files for the tests and reads rows back out of a matrix. */
final class VectorFiles {
    private VectorFiles() {
    }

    static Path text(Path dir, String name, String content) {
        return write(dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
    }

    static Path gzipText(Path dir, String name, String content) {
        return write(dir.resolve(name), gzip(content.getBytes(StandardCharsets.UTF_8)));
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
