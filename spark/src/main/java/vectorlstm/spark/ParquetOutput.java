package vectorlstm.spark;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The job's {@code --output}: checked on the driver before any stage, written as Parquet, and
 * removed again when the job fails or is stopped while writing it.
 */
final class ParquetOutput {
    /**
     * Spark runs its hooks (the SparkContext's stop among them) in one Hadoop hook of priority
     * FileSystem's + 30; Hadoop closes the cached file systems at FileSystem's own. Higher runs first.
     */
    private static final int AFTER_SPARK_BEFORE_FILE_SYSTEMS = FileSystem.SHUTDOWN_HOOK_PRIORITY + 20;

    private ParquetOutput() {}

    /**
     * Refuses an output that exists or cannot be created, with the reason, before the model is
     * shipped and the input read: Spark found out only when a task opened its file, and failed the
     * job as if something had broken. The check creates the folder and removes it again (Spark
     * refuses a folder that exists), so it asks the file system itself: permissions, a read-only
     * mount, a file where a folder belongs, and the rules of HDFS or an object store alike.
     *
     * @throws JobRefusedException naming {@code --output} and what is wrong
     */
    static void requireCreatable(SparkSession spark, String output) {
        try {
            FileSystem fs = fileSystem(spark, output);
            Path path = fs.makeQualified(new Path(output));
            if (fs.exists(path)) throw refused(output, path + " already exists (the job does not overwrite: remove it or choose another path)");
            Path missing = path, existing = path.getParent();  // the outermost folder to create, and the one it goes in
            while (existing != null && !fs.exists(existing)) {
                missing = existing;
                existing = existing.getParent();
            }
            if (existing != null && !fs.getFileStatus(existing).isDirectory()) throw refused(output, existing + " is a file, not a folder");
            if (!fs.mkdirs(path)) throw refused(output, "cannot create it in " + existing + " (read-only, or no permission to write there)");
            // Removed again up to what was there, one empty folder at a time: the file system is left as it was found.
            Path created = path;
            while (fs.delete(created, false) && !created.equals(missing)) created = created.getParent();
        } catch (IOException e) {  // an AccessControlException on HDFS names the user and the folder
            throw refused(output, "cannot create it: " + e.getMessage());
        }
    }

    /**
     * Writes the rows as Parquet at {@code output}; when the job fails meanwhile (a task's model
     * check, an executor out of memory), removes what this write created: Spark leaves the folder
     * behind, and the same command run again was refused for it ("path already exists"). So does
     * a signal (Ctrl-C, kill, a scheduler's timeout) that ends the JVM during the write, when no
     * exception reaches this method: through Hadoop's shutdown hooks, after Spark's, which stop
     * the tasks that write into the folder, and before Hadoop's, which close the file systems.
     * (The engine's CleanupOnExit hook is a JVM hook of its own, run beside those at the same
     * time: it could delete while a task still wrote, or after HDFS had been closed.)
     */
    static void write(SparkSession spark, Dataset<Row> rows, String output) {
        Path path;
        FileSystem fs;
        boolean existed;
        Path missingTop;  // the outermost folder of the path that is not there yet: Spark makes it and its insides
        try {
            fs = fileSystem(spark, output);
            path = fs.makeQualified(new Path(output));
            existed = fs.exists(path);
            missingTop = path;
            while (missingTop.getParent() != null && !fs.exists(missingTop.getParent())) missingTop = missingTop.getParent();
        } catch (IOException e) {
            throw refused(output, e.getMessage());
        }
        Path top = missingTop;
        AtomicBoolean finished = new AtomicBoolean();
        Runnable removeUnfinished = () -> {
            if (!finished.get()) deleteQuietly(fs, path, top);
        };
        ShutdownHookManager hooks = ShutdownHookManager.get();
        if (!existed) hooks.addShutdownHook(removeUnfinished, AFTER_SPARK_BEFORE_FILE_SYSTEMS);
        try {
            rows.write().parquet(output);
            finished.set(true);
        } catch (Throwable t) {  // Spark's SparkException is checked but thrown from Scala undeclared: rethrown as it came
            // An AnalysisException is Spark refusing before it wrote anything (the path appeared meanwhile: someone else's).
            if (!existed && !(t instanceof AnalysisException)) {
                try {
                    delete(fs, path, missingTop);
                } catch (IOException | RuntimeException e) {
                    t.addSuppressed(e);
                }
            }
            finished.set(true);  // the path is no longer this write's to remove
            throw t;
        } finally {
            if (!existed && !hooks.isShutdownInProgress()) hooks.removeShutdownHook(removeUnfinished);
        }
    }

    /**
     * The output's path as a pattern naming only itself, for reading it back: Spark reads a path as
     * a glob, so "s[1].parquet" matched nothing and a job that had written everything failed its
     * accuracy with "Path does not exist" (exit 2, its output left behind).
     */
    static String asPattern(String output) {
        return output.replaceAll("([\\\\\\[\\]{}*?])", "\\\\$1");
    }

    /**
     * The output folder, then the folders Spark made for it up to {@code missingTop}, each only if
     * empty: a failed job into new/deeper/out left new/deeper behind (requireCreatable's trial
     * leaves none either). A folder someone else wrote into meanwhile stays.
     */
    private static void delete(FileSystem fs, Path path, Path missingTop) throws IOException {
        fs.delete(path, true);
        for (Path p = path; !p.equals(missingTop) && p.getParent() != null; ) {
            p = p.getParent();
            try {
                if (!fs.delete(p, false)) break;
            } catch (IOException notEmpty) {  // the local file system refuses a folder that is not empty so
                break;
            }
        }
    }

    private static void deleteQuietly(FileSystem fs, Path path, Path missingTop) {
        try {
            delete(fs, path, missingTop);
        } catch (IOException | RuntimeException e) {
            // the JVM is exiting: there is no one left to tell
        }
    }

    private static FileSystem fileSystem(SparkSession spark, String output) throws IOException {
        return new Path(output).getFileSystem(spark.sparkContext().hadoopConfiguration());
    }

    private static JobRefusedException refused(String output, String why) {
        return new JobRefusedException("--output " + output + ": " + why);
    }
}
