package vectorlstm.importer;

/**
 * A model file from another framework that cannot be imported: not the kind of file claimed,
 * truncated or corrupt, a layer or operator the engine does not have, or weights whose shapes do
 * not fit the model's config. The message names the file part at fault and, for unsupported
 * parts, what is supported.
 */
public final class ImportException extends RuntimeException {
    public ImportException(String message) { super(message); }

    public ImportException(String message, Throwable cause) { super(message, cause); }
}
