package vectorlstm.spark;

import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code spark-submit vector-lstm-spark.jar --model M --input reviews.parquet --output scored.parquet}:
 * reads the texts, scores them on the executors ({@link TextScoring}) and writes Parquet. The master,
 * executors and memory come from spark-submit as for any job; the JVM options the engine needs are
 * in docs/scale-out.md. Prints one summary line per measure at the end; bad flags, a bad model or
 * an unusable input or output end with one line and exit code 2, a failed job with exit code 1
 * ({@link JobFailure}).
 */
public final class ScoreJob {
    private ScoreJob() {}

    /**
     * What a run did, for the summary and the tests. {@code labelled} and {@code correct} count the
     * rows with both a true label and a score, and those whose label is the true one (-1 without
     * {@code --label-column}).
     */
    public record Report(long rows, long nullTexts, long refusedTexts, double seconds, double tokenizeSeconds, double waitSeconds, double modelSeconds,
                         long labelled, long correct) {
        public double accuracy() {
            return correct / (double) labelled;
        }
    }

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(JobArguments.USAGE);
            return;
        }
        JobArguments parsed;
        try {
            parsed = JobArguments.parse(args);
        } catch (JobRefusedException e) {
            System.err.println("vlstm-score: " + e.getMessage());
            System.err.print(JobArguments.USAGE);
            System.exit(2);
            return;
        }
        SparkSession.Builder builder = SparkSession.builder().appName("vector-lstm score");
        // Spark's own progress bar, unless the user chose otherwise (spark-submit --conf sets the property).
        if (System.getProperty("spark.ui.showConsoleProgress") == null) builder.config("spark.ui.showConsoleProgress", "true");
        SparkSession spark = builder.getOrCreate();
        TaskFailureLogs.quiet();
        JobFailure failure = null;
        try {
            print(run(spark, parsed));
        } catch (Exception e) {  // SparkException is checked, but Scala throws it from methods that do not declare it
            failure = JobFailure.of(e, parsed.input());
        } finally {
            spark.stop();
        }
        if (failure != null) {
            // After the stop: the job's line is the console's last, below what Spark logs as it cancels the other tasks.
            failure.print(System.err);
            System.exit(failure.exitCode());
        }
    }

    /** Runs the job in a session that already exists (tests, notebooks). */
    public static Report run(SparkSession spark, String... args) {
        return run(spark, JobArguments.parse(args));
    }

    static Report run(SparkSession spark, JobArguments a) {
        ParquetOutput.requireCreatable(spark, a.output());
        DriverModel.Checked checked = DriverModel.check(a.model());
        ModelRef model = a.sharedModel() ? DriverModel.shared(checked) : DriverModel.ship(spark.sparkContext(), checked);
        Dataset<Row> input = JobInput.read(spark, a);
        TextScoring.Scored scored = TextScoring.score(input, a.textColumn(), model, a.batch(), a.threads(), a.outputPrefix());
        // After the text column's checks, which cost nothing: this one reads the label column.
        if (a.labelColumn() != null) LabelColumn.requireFits(input, a.labelColumn(), checked.labels());
        long start = System.nanoTime();  // the rows/s are the scoring's: the label check's pass is not in them
        ParquetOutput.write(spark, scored.rows(), a.output());
        double seconds = (System.nanoTime() - start) / 1e9;
        ScoringCounters c = scored.counters();
        long[] accuracy = a.labelColumn() == null ? new long[] {-1, -1} : LabelColumn.accuracy(spark.read().parquet(ParquetOutput.asPattern(a.output())), a.labelColumn(), scored.labelColumn());
        return new Report(c.rows(), c.nullTexts(), c.refusedTexts(), seconds, c.tokenizeSeconds(), c.waitSeconds(), c.modelSeconds(), accuracy[0], accuracy[1]);
    }

    private static void print(Report r) {
        System.out.printf(Locale.ROOT, "scored %,d %s (%,d null texts%s) in %.1f s: %,.0f rows/s%n",
                r.rows(), r.rows() == 1 ? "row" : "rows", r.nullTexts(), r.refusedTexts() == 0 ? "" : String.format(Locale.ROOT, ", %,d refused as longer than a model of any length reads", r.refusedTexts()),
                r.seconds(), r.rows() / r.seconds());
        if (r.labelled() == 0) {
            System.out.println("accuracy: no row has both a true label and a text to score");
        } else if (r.labelled() > 0) {
            System.out.printf(Locale.ROOT, "accuracy: %.4f (%,d of %,d rows with a true label)%n", r.accuracy(), r.correct(), r.labelled());
        }
        System.out.printf(Locale.ROOT, "summed over tasks: tokenize %.1f s, model %.1f s (one call at a time per executor, on its cores), waiting for the model %.1f s%n",
                r.tokenizeSeconds(), r.modelSeconds(), r.waitSeconds());
    }
}
