package vectorlstm.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces a file in one step: the content goes to a temporary file beside the target, is forced
 * to disk and renamed over the target, so a crash or a full disk never leaves a half-written file
 * (and an existing one stays intact). A process stopped by a signal (kill, Ctrl-C) removes its
 * temporary files on the way out; only SIGKILL or a power cut can leave one behind.
 */
public final class AtomicFile {
    /** Writes the whole content to the channel (it is positioned at 0 and empty). */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : IN_PROGRESS) {
                try { Files.deleteIfExists(p); } catch (IOException ignored) { /* best effort while exiting */ }
            }
        }, "atomic-file-cleanup"));
    }

    /** Characters of the target's name kept in the temp file's name. */
    private static final int TEMP_NAME_CHARS = 40;

    private AtomicFile() {}

    public static void write(Path file, ByteBuffer content) throws IOException {
        write(file, ch -> { while (content.hasRemaining()) ch.write(content); });
    }

    public static void write(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // The target's name, shortened: with its random digits the temp name must fit where the target's fits.
        String name = file.getFileName().toString();
        Path tmp = Files.createTempFile(dir, "." + name.substring(0, Math.min(name.length(), TEMP_NAME_CHARS)) + ".", ".tmp");
        IN_PROGRESS.add(tmp);
        try {
            readableByOthers(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(ch);
                ch.force(true);
            }
            moveIntoPlace(tmp, file);
            tmp = null;
        } finally {
            if (tmp != null) {
                try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* best effort */ }
                IN_PROGRESS.remove(tmp);
            }
        }
    }

    /** Writes all of {@code buffer}: FileChannel.write may write less than asked. */
    public static void writeFully(FileChannel ch, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) ch.write(buffer);
    }

    /** createTempFile makes the file owner-only (0600); models and results are meant to be read by others too. */
    private static void readableByOthers(Path tmp) {
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: keep the default permissions
        }
    }

    private static void moveIntoPlace(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            IN_PROGRESS.remove(tmp);
        }
    }
}
