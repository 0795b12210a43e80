package vectorlstm.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job stopped by a signal while it writes (Ctrl-C, kill, a scheduler's timeout) removes the
 * output folder it had started, as a job that fails does, so the same command can run again.
 */
class InterruptedWriteTest {
    @TempDir Path dir;

    @Test
    void aJobStoppedWhileWritingLeavesNoOutputFolder() throws Exception {
        // Was: the folder stayed (empty, or with _temporary), and the same command run again was refused as "already exists".
        String input = dir.resolve("reviews.parquet").toString();
        LocalSpark.get().range(400_000).selectExpr("id", "concat('a good film number ', id) AS text").write().parquet(input);
        Path output = dir.resolve("scored.parquet");
        Process job = JobProcess.start(dir, List.of(), "--model", TestModels.tiny().toString(), "--input", input, "--output", output.toString(), "--batch", "16");
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            // _temporary is the write's own (the output check's trial folder has none): the write is under way.
            while (job.isAlive() && !Files.exists(output.resolve("_temporary")) && System.nanoTime() < deadline) Thread.sleep(10);
            assertTrue(job.isAlive(), "the job ended before its write could be interrupted:\n" + Files.readString(dir.resolve("job.stderr")));
            assertTrue(Files.exists(output.resolve("_temporary")), "the write did not start in 2 minutes");
            // SIGTERM: the JVM's shutdown hooks run as for Ctrl-C's SIGINT, which a test JVM started in the background may have ignored.
            job.destroy();
            assertTrue(job.waitFor(1, TimeUnit.MINUTES), "the job did not stop within a minute of SIGTERM");
        } finally {
            job.destroyForcibly();
        }
        assertNotEquals(0, job.exitValue(), "stopped, not finished");
        assertFalse(Files.exists(output), "the output folder the write had started is removed:\n" + Files.readString(dir.resolve("job.stderr")));
    }
}
