package vectorlstm.data;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * A problem with the training data (missing, truncated or malformed) that the user must fix.
 *
 * <p>Unchecked because callers cannot recover from it: the message is what matters, so it always
 * names the path involved and says what was wrong.
 */
public final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Refuses a device given as a data file: {@code /dev/zero} would be read until memory ran out,
     * a terminal until someone typed a data set. Regular files and pipes ({@code /dev/stdin} fed by
     * a pipe, {@code <(...)}) are read.
     */
    public static void requireNotADevice(Path file) {
        try {
            Object mode = Files.readAttributes(file, "unix:mode").get("mode");
            int type = mode instanceof Integer m ? m & 0170000 : 0;
            if (type == 0020000 || type == 0060000) {  // S_IFCHR, S_IFBLK
                throw new DataException(file + " is a device, not a data file");
            }
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            // no unix attributes here, or the file cannot be read: the loader's own open says so
        }
    }

    /**
     * What went wrong in words, for a message that already names the path: "no such file",
     * "permission denied", the system's reason ("Is a directory"); a Java class name only beside
     * words, for an exception that came without a message.
     */
    public static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> n.getReason() != null ? n.getReason() : "no such file";
            case AccessDeniedException a -> "permission denied";
            // These two carry only a path as their message.
            case FileAlreadyExistsException x when x.getReason() == null -> "a file is in the way: " + x.getFile();
            case NotDirectoryException x when x.getReason() == null -> "not a folder: " + x.getFile();
            case FileSystemException f when f.getReason() != null -> f.getReason();
            // A file channel closes itself when its thread is interrupted: said so, not "failed (...)".
            case java.nio.channels.ClosedByInterruptException c -> "interrupted (the calling thread's interrupt flag was set, which closes a file channel)";
            default -> e.getMessage() != null ? e.getMessage() : withoutMessage(e);
        };
    }

    /**
     * An exception thrown without a message: the JDK's HTTP client throws a ConnectException with
     * none when there is no network (its cause, an UnresolvedAddressException, has none either),
     * and "could not download ...: java.net.ConnectException" was all a user got. What it means in
     * words, then the class names when nothing else is known, so the line can still be looked up.
     */
    private static String withoutMessage(IOException e) {
        String what = e instanceof ConnectException ? "could not connect" : e instanceof EOFException ? "the data ended early" : "failed";
        Throwable cause = e.getCause();
        for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof UnresolvedAddressException) return what + ": the host name could not be resolved (no network?)";
            if (c.getMessage() != null) return what + ": " + c.getMessage();
        }
        return what + " (" + e.getClass().getName() + (cause == null ? "" : ", caused by " + cause.getClass().getName()) + ")";
    }
}
