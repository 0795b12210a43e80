package vectorlstm.spark;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The job's {@code --output}: checked on the driver before any stage, written as Parquet, and
 * removed again when the job fails while writing it.
 */
final class ParquetOutput {
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
     * behind, and the same command run again was refused for it ("path already exists").
     */
    static void write(SparkSession spark, Dataset<Row> rows, String output) {
        Path path = new Path(output);
        FileSystem fs;
        boolean existed;
        try {
            fs = fileSystem(spark, output);
            existed = fs.exists(path);
        } catch (IOException e) {
            throw refused(output, e.getMessage());
        }
        try {
            rows.write().parquet(output);
        } catch (Throwable t) {  // Spark's SparkException is checked but thrown from Scala undeclared: rethrown as it came
            // An AnalysisException is Spark refusing before it wrote anything (the path appeared meanwhile: someone else's).
            if (!existed && !(t instanceof AnalysisException)) {
                try {
                    fs.delete(path, true);
                } catch (IOException | RuntimeException e) {
                    t.addSuppressed(e);
                }
            }
            throw t;
        }
    }

    private static FileSystem fileSystem(SparkSession spark, String output) throws IOException {
        return new Path(output).getFileSystem(spark.sparkContext().hadoopConfiguration());
    }

    private static JobRefusedException refused(String output, String why) {
        return new JobRefusedException("--output " + output + ": " + why);
    }
}
