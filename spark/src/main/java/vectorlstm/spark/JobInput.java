package vectorlstm.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The job's {@code --input}, read as Parquet or CSV ({@link CsvInput}) once the driver has seen
 * that there is something to read: a missing path made Spark log an 86-frame stack
 * (FileStreamSink's warning) before its own one-line PATH_NOT_FOUND, and an empty folder was
 * "Unable to infer schema for Parquet. It must be specified manually", without the path.
 */
final class JobInput {
    /** Spark's condition for an input without one file to read the schema from. */
    private static final String NO_FILES = "UNABLE_TO_INFER_SCHEMA";

    private JobInput() {}

    /** @throws JobRefusedException naming {@code --input} and what is wrong */
    static Dataset<Row> read(SparkSession spark, JobArguments a) {
        requireExists(spark, a.input());
        try {
            return a.inputFormat().equals("csv") ? CsvInput.read(spark, a.input(), a.textColumn()) : spark.read().parquet(a.input());
        } catch (Exception e) {  // AnalysisException is checked, but thrown from Scala undeclared
            if (e instanceof AnalysisException s && NO_FILES.equals(s.getCondition())) {
                throw new JobRefusedException("--input " + a.input() + ": no " + a.inputFormat() + " files in it (files whose names start with _ or . are not read)");
            }
            throw e;
        }
    }

    private static final String GLOB_HINT = " (Spark reads --input as a pattern: write a [, ], {, }, * or ? of a file's own name as \\[ and so on)";

    /** A path, or a glob ({@code part-*.parquet}) Spark would expand, that names nothing is refused. */
    private static void requireExists(SparkSession spark, String input) {
        Path path = new Path(input);
        FileStatus[] found;
        boolean literal;
        try {
            org.apache.hadoop.fs.FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try {
                found = fs.globStatus(path);
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).startsWith("Illegal file pattern")) {  // a{b.csv: a bad argument, not a failed job
                    throw new JobRefusedException("--input " + input + ": " + e.getMessage() + GLOB_HINT);
                }
                throw e;
            }
            literal = (found == null || found.length == 0) && fs.exists(path);
        } catch (IOException e) {  // "No FileSystem for scheme" among them: UnreadableInput says it in one line
            throw new UncheckedIOException(e);
        }
        if (found == null || found.length == 0) {
            // a[1].csv exists, but as a pattern it names a1.csv
            throw new JobRefusedException("--input " + input + ": no such file or folder" + (literal ? GLOB_HINT : ""));
        }
    }
}
