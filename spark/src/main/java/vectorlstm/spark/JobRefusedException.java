package vectorlstm.spark;

/**
 * The score job refuses what it was asked to do: a flag, the model, a column, or an {@code --output}
 * it cannot create. The message names the flag or path and says what is wrong; the job prints it
 * as its one line and exits with code 2 ({@link JobFailure}). A type of its own because an
 * {@link IllegalArgumentException} reaching the job's top may be Spark's or a library's, which is
 * a failed job, not the user's mistake. It stays an {@code IllegalArgumentException} for the
 * callers of {@link TextScoring} and {@link DriverModel} that catch one.
 */
public final class JobRefusedException extends IllegalArgumentException {
    public JobRefusedException(String message) {
        super(message);
    }

    public JobRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
