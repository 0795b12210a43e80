package vectorlstm.data;

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
     * What went wrong in words, for a message that already names the path: "no such file",
     * "permission denied", the system's reason ("Is a directory"), never a Java class name.
     */
    public static String reason(java.io.IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException n -> "no such file";
            case java.nio.file.AccessDeniedException a -> "permission denied";
            case java.nio.file.FileSystemException f when f.getReason() != null -> f.getReason();
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
    }
}
