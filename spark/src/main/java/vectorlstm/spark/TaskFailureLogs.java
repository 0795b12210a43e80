package vectorlstm.spark;

import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Turns off, for the score job's run, Spark's loggers that report a failed task on the console:
 * the TaskSetManager's "Lost task" (with the task's stack trace) and "aborting job", the Executor's
 * "Exception in task" (the driver is the executor in local mode) and FileFormatWriter's "Aborting
 * job" (the stack once more). A bad input file failed one task and printed its stack three times
 * before the job's own line. Nothing a user needs is lost: {@link JobFailure} prints the reason of
 * every failure, and the stack trace, whose causes hold the task's, of every failure not the
 * user's. What goes is the warning for a task that failed and then succeeded when retried; the
 * Spark UI and event log still list it.
 */
final class TaskFailureLogs {
    private TaskFailureLogs() {}

    /** In the job's main only: a notebook's or a test's session keeps its logging as configured. */
    static void quiet() {
        try {
            Configurator.setLevel(Map.of(
                    "org.apache.spark.scheduler.TaskSetManager", Level.OFF,
                    "org.apache.spark.executor.Executor", Level.OFF,
                    "org.apache.spark.sql.execution.datasources.FileFormatWriter", Level.OFF));
        } catch (RuntimeException | LinkageError e) {
            // Spark logging through another backend than log4j 2's core: its logs stay as they are.
        }
    }
}
