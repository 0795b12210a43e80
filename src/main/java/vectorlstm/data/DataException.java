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
}
