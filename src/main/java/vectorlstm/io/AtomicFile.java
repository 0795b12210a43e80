package vectorlstm.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Replaces a file in one step: the content goes to a temporary file beside the target, is forced
 * to disk and renamed over the target, so a crash or a full disk never leaves a half-written file
 * (and an existing one stays intact). A process stopped by a signal (kill, Ctrl-C) removes its
 * temporary files on the way out ({@link CleanupOnExit}); only SIGKILL or a power cut can leave one behind.
 *
 * <p>What a user set up around the file is kept, as {@code cp} over it would: a target that is a
 * symbolic link is written through (the link stays, the file it leads to is replaced, its temporary
 * file beside that file so the rename stays on one file system); an existing file's permissions
 * carry over to its replacement, and a new file gets the usual ones (0666 less the umask), never
 * wider ones.
 */
public final class AtomicFile {
    /** Writes the whole content to the channel (it is positioned at 0 and empty). */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Characters of the target's name kept in the temp file's name. */
    private static final int TEMP_NAME_CHARS = 40;
    /** Links followed before giving up, as Linux's own limit (ELOOP). */
    private static final int MAX_LINKS = 40;
    private static final SecureRandom NAMES = new SecureRandom();

    private AtomicFile() {}

    public static void write(Path file, ByteBuffer content) throws IOException {
        write(file, ch -> { while (content.hasRemaining()) ch.write(content); });
    }

    public static void write(Path file, Content content) throws IOException {
        Path target = followLinks(file.toAbsolutePath());
        refuseSpecialFile(target);
        Path dir = target.getParent();
        Files.createDirectories(dir);
        // The target's name, shortened: with its random digits the temp name must fit where the target's fits.
        String name = target.getFileName().toString();
        int cut = Math.min(name.length(), TEMP_NAME_CHARS);
        if (cut < name.length() && Character.isHighSurrogate(name.charAt(cut - 1))) cut--;  // not half an emoji: no file system takes that
        Path tmp = createTemp(dir, "." + name.substring(0, cut) + ".");
        // Deleted after a failure or a signal; after the rename there is nothing left to delete.
        try (CleanupOnExit unfinished = CleanupOnExit.deleting(tmp)) {
            keepPermissions(target, tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(ch);
                ch.force(true);
            }
            moveIntoPlace(tmp, target);
        }
    }

    /** Writes all of {@code buffer}: FileChannel.write may write less than asked. */
    public static void writeFully(FileChannel ch, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) ch.write(buffer);
    }

    /**
     * Whether {@link #write} could put {@code file} in place, asked before slow work (a training run)
     * rather than found after it: the folder that {@code file}'s links lead to (or, when it is still
     * to be made, the nearest one above it that exists) must take a new file (a trial temporary
     * file, created and deleted: a read-only mount, a full inode table or a file in the folder's
     * place shows here). The space for the content is not checked.
     *
     * @throws IOException saying why not
     */
    public static void checkCanWrite(Path file) throws IOException {
        Path target = followLinks(file.toAbsolutePath());
        refuseSpecialFile(target);
        Path dir = target.getParent();
        if (dir == null) throw new NotDirectoryException(String.valueOf(target));
        // write() makes missing folders: the trial goes to the nearest one that exists, which they would be made in.
        while (dir.getParent() != null && !Files.exists(dir)) dir = dir.getParent();
        if (!Files.isDirectory(dir)) throw new NotDirectoryException(dir.toString());
        Files.delete(createTemp(dir, ".vlstm-write-check."));
    }

    /**
     * Where {@link #write} puts the bytes of {@code file}, whether or not it exists yet: its links
     * followed and its folder by its real path (through folder links and ".."). Two paths that
     * give the same answer name one file; compare these, not the paths as typed.
     */
    public static Path finalTarget(Path file) throws IOException {
        Path target = followLinks(file.toAbsolutePath());
        Path dir = target.getParent();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        Path realDir = existing == null ? dir : existing.toRealPath().resolve(existing.relativize(dir)).normalize();
        return realDir.resolve(target.getFileName());
    }

    /**
     * Deletes what {@link #write} wrote to {@code file}: the file at the end of its links (the
     * links themselves are the user's and stay, as a write keeps them). False if there was none.
     */
    public static boolean delete(Path file) throws IOException {
        return Files.deleteIfExists(followLinks(file.toAbsolutePath()));
    }

    /** The file a chain of symbolic links leads to (the path itself when it is not a link); it need not exist. */
    static Path followLinks(Path file) throws IOException {
        Path p = file;
        for (int links = 0; Files.isSymbolicLink(p); links++) {
            if (links == MAX_LINKS) throw new IOException(file + ": too many levels of symbolic links (a loop?)");
            p = p.getParent().resolve(Files.readSymbolicLink(p));
        }
        return p;
    }

    /**
     * The rename replaces whatever is at the target: a device (as root, {@code /dev/null} itself), a
     * named pipe, a socket or an empty folder became a regular file holding the content, and the
     * save returned as if it had written to it. Only a regular file (or nothing) is replaced.
     */
    private static void refuseSpecialFile(Path target) throws IOException {
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            throw new IOException(target + " exists and is not a regular file (a folder, device, pipe or socket): a save renames a new file"
                    + " into its place, which must not replace such a thing; give the name of a file");
        }
    }

    /**
     * A new, empty file in {@code dir}, created the way any new file is (mode 0666 less the
     * umask), not with {@code createTempFile}'s 0600, which a model meant for a server account
     * would keep after the rename.
     */
    private static Path createTemp(Path dir, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(prefix + Long.toUnsignedString(NAMES.nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) throw e;
            }
        }
    }

    /** An existing target's permission bits go to its replacement: a private model stays private. */
    private static void keepPermissions(Path target, Path tmp) {
        try {
            if (Files.exists(target)) Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system, or the target is not ours to read: the new file's default permissions
        }
    }

    private static void moveIntoPlace(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
