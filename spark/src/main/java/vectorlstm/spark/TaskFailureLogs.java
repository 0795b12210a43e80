package vectorlstm.spark;

import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.filter.AbstractFilter;

/**
 * Turns off, for the score job's run, Spark's loggers that report a failed task on the console:
 * the TaskSetManager's "Lost task" (with the task's stack trace) and "aborting job", the Executor's
 * "Exception in task" (the driver is the executor in local mode) and FileFormatWriter's "Aborting
 * job" (the stack once more). A bad input file failed one task and printed its stack three times
 * before the job's own line. Nothing a user needs is lost: {@link JobFailure} prints the reason of
 * every failure, and the stack trace, whose causes hold the task's, of every failure not the
 * user's. What goes is the warning for a task that failed and then succeeded when retried; the
 * Spark UI and event log still list it.
 *
 * <p>Spark's {@code Utils} logs "Aborting task" with the stack of a task that fails while writing
 * (in local mode on the driver's console). That logger stays on, since it also reports an uncaught
 * exception of any of Spark's threads ("Uncaught exception in thread ..."), which may be the only
 * trace of why the job then stopped; only that one message is dropped.
 */
final class TaskFailureLogs {
    private static final String UTILS = "org.apache.spark.util.Utils";
    /** Utils' whole message (Utils.tryWithSafeFinallyAndFailureCallbacks); if Spark rewords it, the line merely comes back. */
    private static final String ABORTING_TASK = "Aborting task";

    private TaskFailureLogs() {}

    /** In the job's main only: a notebook's or a test's session keeps its logging as configured. */
    static void quiet() {
        try {
            Configurator.setLevel(Map.of(
                    "org.apache.spark.scheduler.TaskSetManager", Level.OFF,
                    "org.apache.spark.executor.Executor", Level.OFF,
                    "org.apache.spark.sql.execution.datasources.FileFormatWriter", Level.OFF));
            dropAbortingTask();
        } catch (RuntimeException | LinkageError e) {
            // Spark logging through another backend than log4j 2's core: its logs stay as they are.
        }
    }

    private static void dropAbortingTask() {
        LoggerContext context = LoggerContext.getContext(false);
        Configuration config = context.getConfiguration();
        LoggerConfig utils = config.getLoggerConfig(UTILS);
        if (!utils.getName().equals(UTILS)) {
            // Utils logs through an ancestor's settings (the root's, by default): it gets its own, at the
            // same level and passing on to the same appenders, so that the filter applies to it alone.
            utils = LoggerConfig.newBuilder().withLoggerName(UTILS).withLevel(utils.getLevel()).withAdditivity(true).withConfig(config).build();
            config.addLogger(UTILS, utils);
        }
        utils.addFilter(new AbstractFilter() {
            @Override
            public Filter.Result filter(LogEvent event) {
                return ABORTING_TASK.equals(event.getMessage().getFormattedMessage()) ? Filter.Result.DENY : Filter.Result.NEUTRAL;
            }
        });
        context.updateLoggers();
    }
}
