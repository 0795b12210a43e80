package vectorlstm.spark;

import java.io.PrintStream;
import org.apache.spark.sql.AnalysisException;

/**
 * How the score job ends when it throws. The user's mistake is one line and exit code 2, as a bad
 * flag is: the job's own refusals ({@link JobRefusedException}: a flag, the model, a column, an
 * {@code --input} with nothing to read or a malformed CSV, an {@code --output} that cannot be
 * written), Spark's refusal of the query ({@link AnalysisException}: an {@code --input} removed
 * after the job's own check) and an input file Spark could not read
 * ({@link UnreadableInput}). Anything else is a failed job, exit code 1: its reason, then its stack
 * trace, since Spark's own report of a failed task is quietened ({@link TaskFailureLogs}); only a
 * model an executor could not use is a line alone, the job's own message saying it all.
 *
 * @param trace printed after the line, or null
 */
record JobFailure(int exitCode, String line, Throwable trace) {
    static final int BAD_INPUT = 2, FAILED = 1;

    /** @param input the job's {@code --input}, to name in the line */
    static JobFailure of(Exception e, String input) {
        // The job's own refusals only: an IllegalArgumentException from Spark or a library is a failed job, with its stack.
        if (e instanceof JobRefusedException) return new JobFailure(BAD_INPUT, e.getMessage(), null);
        // Spark's refusal of the job as asked (an --input gone since JobInput looked): bad input, not a failed job.
        if (e instanceof AnalysisException) return new JobFailure(BAD_INPUT, firstLine(e.getMessage()), null);
        String unreadable = UnreadableInput.reason(e);
        if (unreadable != null) return new JobFailure(BAD_INPUT, "--input " + input + ": " + unreadable, null);
        String ours = modelUnavailable(e);
        if (ours != null) return new JobFailure(FAILED, "the job failed: " + ours, null);
        return new JobFailure(FAILED, "the job failed: " + firstLine(e.getMessage()), e);
    }

    void print(PrintStream err) {
        err.println("vlstm-score: " + line);
        if (trace != null) trace.printStackTrace(err);
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

    static String firstLine(String message) {
        String m = String.valueOf(message);
        return m.lines().findFirst().orElse(m);
    }
}
