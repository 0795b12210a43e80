package vectorlstm.spark;

/** The model cannot be used on this executor: missing, not the driver's file, or damaged. The message says which. */
public final class ModelUnavailableException extends RuntimeException {
    public ModelUnavailableException(String message) {
        super(message);
    }

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
