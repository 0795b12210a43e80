package vectorlstm.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import vectorlstm.io.AtomicFile;

/** Output files a command writes (--out): checked before any slow work, written atomically. */
final class OutputFiles {
    private OutputFiles() {}

    /**
     * {@code --out} must be a new file or a regular file in an existing, writable folder; the
     * write itself goes through a temporary file, so nothing is half-written.
     */
    static void checkWritableTarget(Path out) {
        Path target = out.toAbsolutePath();
        if (Files.isDirectory(target)) throw new IllegalArgumentException("--out " + out + " is a folder; give a file name");
        if (Files.exists(target) && !Files.isRegularFile(target)) throw new IllegalArgumentException("--out " + out + " exists and is not a regular file");
        Path folder = target.getParent();
        if (folder == null || !Files.isDirectory(folder) || !Files.isWritable(folder)) {
            throw new IllegalArgumentException("--out " + out + ": folder " + folder + " does not exist or is not writable");
        }
    }

    /** Writes {@code text} as UTF-8, atomically; a failed write (a full disk) is an output failure, exit 3. */
    static void write(Path out, String text) {
        try {
            AtomicFile.write(out, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new Output.Failed(new IOException(out + ": " + e.getMessage(), e));
        }
    }
}
