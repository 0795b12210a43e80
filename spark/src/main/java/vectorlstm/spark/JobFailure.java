package vectorlstm.spark;

import java.io.PrintStream;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;

/**
 * How the score job ends when it throws. The user's mistake (a flag, the model, a column, an
 * {@code --output} that cannot be written: the job's own {@link JobRefusedException}; an
 * {@code --input} that is not Parquet) is one line and exit code 2, as a bad flag is. Anything
 * else is a failed job, exit code 1: its reason, then its stack trace, since Spark's own report of
 * a failed task is quietened ({@link TaskFailureLogs}); only a model an executor could not use is
 * a line alone, the job's own message saying it all.
 *
 * @param trace printed after the line, or null
 */
record JobFailure(int exitCode, String line, Throwable trace) {
    static final int BAD_INPUT = 2, FAILED = 1;
    /** parquet-mr's words, in its RuntimeException, for a file that does not end with a Parquet footer. */
    private static final String NOT_PARQUET = " is not a Parquet file";
    /** Spark's condition for a footer it could not read, whatever parquet-mr said. */
    private static final String UNREADABLE_FOOTER = "FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER";

    /** @param input the job's {@code --input}, to name in the line */
    static JobFailure of(Exception e, String input) {
        // The job's own refusals only: an IllegalArgumentException from Spark or a library is a failed job, with its stack.
        if (e instanceof JobRefusedException) return new JobFailure(BAD_INPUT, e.getMessage(), null);
        // Spark's refusal of the job as asked (an --input that does not exist, a folder with nothing to read): bad input, not a failed job.
        if (e instanceof AnalysisException) return new JobFailure(BAD_INPUT, firstLine(e.getMessage()), null);
        String unreadable = unreadableInput(e);
        if (unreadable != null) return new JobFailure(BAD_INPUT, "--input " + input + ": " + unreadable, null);
        String ours = modelUnavailable(e);
        if (ours != null) return new JobFailure(FAILED, "the job failed: " + ours, null);
        return new JobFailure(FAILED, "the job failed: " + firstLine(e.getMessage()), e);
    }

    void print(PrintStream err) {
        err.println("vlstm-score: " + line);
        if (trace != null) trace.printStackTrace(err);
    }

    /**
     * What is wrong with a file of the input that is not Parquet (a text file, a copy cut short),
     * or null. Found by the exceptions themselves, which reach the driver as a task's failure's
     * cause (Spark serialises them), whether Spark met the file inferring the schema or in a task.
     */
    private static String unreadableInput(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String first = firstLine(t.getMessage());
            int at = first.indexOf(NOT_PARQUET);
            if (at > 0) {
                return first.substring(0, at + NOT_PARQUET.length()) + " (it does not end with a Parquet footer: another format, or a copy cut short)";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SparkThrowable s && UNREADABLE_FOOTER.equals(s.getCondition())) {
                String why = t.getCause() == null ? "" : ": " + firstLine(t.getCause().getMessage());  // parquet-mr's, e.g. "can not read FileMetaData"
                return "the Parquet footer of " + s.getMessageParameters().get("path") + " cannot be read (a damaged file?)" + why;
            }
        }
        return null;
    }

    /** The job's own message when an executor could not use the model, else null. */
    private static String modelUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ModelUnavailableException) return t.getMessage();
        }
        String message = String.valueOf(e.getMessage());
        int marker = message.indexOf(ModelUnavailableException.class.getName() + ": ");
        if (marker < 0) return null;
        // The executor's exception, as text in the stage failure.
        return firstLine(message.substring(marker + ModelUnavailableException.class.getName().length() + 2));
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message);
        return m.lines().findFirst().orElse(m);
    }
}
