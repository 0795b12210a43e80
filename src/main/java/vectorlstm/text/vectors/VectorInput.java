package vectorlstm.text.vectors;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.ZipException;
import vectorlstm.text.StrictGzipInputStream;

/**
 * Opens a vector file as a stream of its (decompressed) bytes. Gzip is recognised by its magic
 * bytes {@code 1f 8b}, not by the name, so a renamed file still reads; bytes after the gzip data
 * other than zero padding are refused ({@link StrictGzipInputStream}).
 */
final class VectorInput {
    static final int BUFFER = 1 << 16;

    private VectorInput() {
    }

    /**
     * Thrown by the opened stream instead of the {@link EOFException} or {@link ZipException} of a
     * damaged gzip stream, so readers can tell it from a file that is merely too short. It is
     * deliberately not an {@code EOFException}.
     */
    static final class CorruptGzipException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptGzipException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    static InputStream open(Path file) {
        // A FIFO would block the open until someone writes to it, a device (/dev/zero) be read without end.
        if (Files.isDirectory(file)) throw VectorFileException.whole(file, "a folder, not a vector file");
        if (Files.exists(file) && !Files.isRegularFile(file)) throw VectorFileException.whole(file, "not a regular file (a device or a pipe?), not a vector file");
        try {
            BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
            if (!startsWithGzipMagic(raw)) {
                return raw;
            }
            try {
                return new GzipGuard(new StrictGzipInputStream(raw, BUFFER));
            } catch (EOFException | ZipException e) {
                raw.close();
                throw VectorFileException.corruptGzip(file, "header", e);
            }
        } catch (NoSuchFileException e) {
            throw VectorFileException.whole(file, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static boolean startsWithGzipMagic(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    /** Turns the decompressor's end-of-data and format errors into {@link CorruptGzipException}. */
    private static final class GzipGuard extends FilterInputStream {
        GzipGuard(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (EOFException | ZipException e) {
                throw new CorruptGzipException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (EOFException | ZipException e) {
                throw new CorruptGzipException(e);
            }
        }
    }
}
