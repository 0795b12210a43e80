package vectorlstm.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import vectorlstm.data.DataException;

/**
 * The copy of a model file that the server maps instead of the file ({@link LoadedModel#load}
 * says why), made in java.io.tmpdir. Its failures are the temp folder's (missing, full) or the
 * model file's (unreadable), and each message names the one at fault: a full temp folder was
 * reported as "model.vlstm: No space left on device" while the model's own disk had room. A copy
 * larger than the folder's free space is refused before it starts.
 */
final class PrivateCopy {
    private static final int CHUNK = 1 << 20;

    private PrivateCopy() {}

    /** The folder copies are made in: java.io.tmpdir, read at each load (as the JDK's temp files do not: they keep the first). */
    static Path folder() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** A new file in {@code folder} holding {@code file}'s bytes; the caller deletes it. */
    static Path make(Path file, Path folder) {
        checkRoom(file, folder);
        Path copy;
        try {
            copy = Files.createTempFile(folder, "vlstm-serving-", ".vlstm");
        } catch (IOException e) {
            String why = Files.isDirectory(folder) ? DataException.reason(e) : Files.exists(folder) ? "not a folder" : "no such folder";
            throw new UncheckedIOException(cannotCopy(file, folder) + why + "; set -Djava.io.tmpdir to a folder the server can write to", e);
        }
        try {
            copy(file, copy);
            return copy;
        } catch (RuntimeException e) {
            deleteQuietly(copy);
            throw e;
        }
    }

    /**
     * Copies the file's bytes up to its size when opened: a file that keeps growing meanwhile (a
     * writer appending, or one swapped for something endless) cannot make the copy fill the disk.
     * Errors reading name the file; errors writing (a full disk) name {@code copy}'s folder.
     */
    static void copy(Path file, Path copy) {
        boolean writing = false;
        long size = -1;
        // The buffer's memory is freed when the copy ends, not when a garbage collection comes
        // (allocateDirect's was: a megabyte a reload, while a server's heap hardly grows).
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ); Arena memory = Arena.ofConfined()) {
            size = in.size();
            ByteBuffer buffer = memory.allocate(Math.max(1, Math.min(size, CHUNK))).asByteBuffer();
            writing = true;
            try (FileChannel out = FileChannel.open(copy, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (long at = 0; at < size; ) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), size - at));
                    writing = false;
                    int read = in.read(buffer, at);
                    if (read <= 0) break;  // the file shrank while copied: the model file's own checks refuse what is left
                    buffer.flip();
                    writing = true;
                    while (buffer.hasRemaining()) out.write(buffer);
                    at += read;
                }
                writing = true;  // closing the copy
            }
        } catch (IOException e) {
            if (!writing) throw new UncheckedIOException(file + ": " + DataException.reason(e), e);
            Path folder = copy.toAbsolutePath().getParent();
            throw new UncheckedIOException(cannotCopy(file, folder) + DataException.reason(e)
                    + (size >= 0 ? " (the copy needs " + size + " bytes there)" : ""), e);
        }
    }

    /**
     * Refuses, before a byte is written, a copy larger than the folder's free space: a sparse
     * file claiming a terabyte (4 KB on its own disk) was copied until the temp disk was full, for
     * every other program on it too.
     */
    private static void checkRoom(Path file, Path folder) {
        long size, free;
        try {
            size = Files.size(file);
            // Unallocated, not usable: root may write into the blocks ext4 reserves, and cp did where this refused.
            free = Files.getFileStore(folder).getUnallocatedSpace();
        } catch (IOException e) {
            return;  // the copy names what is wrong (a missing folder, an unreadable file) in its own words
        }
        if (free > 0 && size > free) {  // 0: a file system that does not say (the copy's own error stands)
            String message = cannotCopy(file, folder) + "it needs " + amount(size) + " there, only " + amount(free)
                    + " are free; set -Djava.io.tmpdir to a folder with room";
            throw new UncheckedIOException(message, new IOException(message));
        }
    }

    private static String amount(long bytes) {
        return bytes < 1 << 20 ? bytes + " bytes" : (bytes >> 20) + " MB";
    }

    private static String cannotCopy(Path file, Path folder) {
        return "cannot make the private copy of " + file + " in " + folder + " (java.io.tmpdir): ";
    }

    static void deleteQuietly(Path copy) {
        try {
            Files.deleteIfExists(copy);
        } catch (IOException e) {
            // a leftover temp file is harmless; the model is loaded (or refused) either way
        }
    }
}
