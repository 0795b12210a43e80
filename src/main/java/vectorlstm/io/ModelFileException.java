package vectorlstm.io;

/** A model file that cannot be read (missing, truncated, corrupt, incompatible) or written. */
public class ModelFileException extends RuntimeException {
    public ModelFileException(String message) { super(message); }

    public ModelFileException(String message, Throwable cause) { super(message, cause); }
}
