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

    /**
     * What a library's exception says, for a message that already says what went wrong: its own
     * text without the Java class name ("integer overflow", not
     * "java.lang.ArithmeticException: integer overflow"), or the class's simple name when it has none.
     */
    public static String readerSaid(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /**
     * What an import that ran out of heap says: a small hostile file can ask for more than any
     * heap (its sizes are checked where the format allows, not everywhere), so "give the JVM more"
     * is only half the advice.
     */
    public static ImportException outOfMemory(java.nio.file.Path file, OutOfMemoryError e) {
        return new ImportException(file + ": reading it needs more memory than this JVM has (" + e.getMessage() + ", at most "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MB): a damaged file, or one made to ask for that; or a model larger than this heap holds"
                + " (VLSTM_JAVA_OPTS=-Xmx...)", e);
    }
}
