package vectorlstm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure that is not the user's, met by a task while it writes: the job, run as spark-submit
 * runs it ({@link JobProcess}), ends with exit code 1, and its line and the stack trace are the
 * last on the console, with none of Spark's own reports of the failed task before them (in local
 * mode Utils' "Aborting task" printed the same stack once more).
 */
class FailedWriteTest {
    /** A line of Spark's default log layout ("26/12/04 19:20:52 ERROR Utils: ..."). */
    private static final Pattern LOG_LINE = Pattern.compile("^\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d [A-Z]+ ");

    @TempDir Path dir;

    @Test
    void aTaskThatFailsWhileWritingIsAFailedJobWithItsStackTraceLast() throws Exception {
        Path csv = Files.writeString(dir.resolve("reviews.csv"), "id,text\n1,a good film\n2,a bad film\n");  // one partition: no other task to cancel
        // Spark takes the codec's name; the writing task then finds no BrotliCodec class (Spark does not ship one).
        JobProcess.Result r = JobProcess.run(dir, List.of("-Dspark.sql.parquet.compression.codec=brotli"),
                "--model", TestModels.tiny().toString(), "--input", csv.toString(), "--output", "new/deeper/scored.parquet");

        String console = "stdout:\n" + r.stdout() + "\nstderr:\n" + r.stderr();
        assertEquals(1, r.exitCode(), console);
        assertEquals(1, r.jobLines().size(), console);
        String line = r.jobLines().getFirst();
        assertTrue(line.startsWith("vlstm-score: the job failed: ") && line.contains("BrotliCodec"), line);
        List<String> lines = r.stderr().lines().toList();
        List<String> after = lines.subList(lines.indexOf(line) + 1, lines.size());
        assertTrue(after.contains("Caused by: java.lang.ClassNotFoundException: org.apache.hadoop.io.compress.BrotliCodec"), "the stack trace follows the line:\n" + console);
        assertTrue(after.stream().noneMatch(l -> LOG_LINE.matcher(l).find()), "nothing logged after the line and its stack:\n" + console);
        assertFalse(UnusablePathsTest.TASK_FAILURE_LOG.matcher(r.stderr()).find(), "Spark's task-failure log reached the console:\n" + console);
        assertFalse(Files.exists(dir.resolve("new")), "the output folder the write had started is removed, and the folders made for it");
    }
}
