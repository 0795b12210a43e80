package vectorlstm.io;

/** A model file that cannot be read (missing, truncated, corrupt, incompatible) or written. */
public class ModelFileException extends RuntimeException {
    public ModelFileException(String message) { super(message); }

    public ModelFileException(String message, Throwable cause) { super(message, cause); }

    /**
     * The JDK's answer to reading a mapped file that shrank under it: the weights are mapped from
     * the model file (see {@link ModelFile}), so rewriting that file in place breaks a loaded
     * model. For every caller that scores on a loaded model while its file may be replaced.
     */
    public static ModelFileException changedOnDisk(InternalError e) {
        return new ModelFileException("the model's weights could not be read (" + e.getMessage()
                + "): the model file changed on disk after it was loaded? Replace model files by renaming a new file over them, then load again", e);
    }
}
