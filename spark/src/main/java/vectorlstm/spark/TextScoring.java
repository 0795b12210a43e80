package vectorlstm.spark;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a DataFrame's text column with a model file: every input column, then {@value #LABEL}
 * (string), {@value #PROBABILITY} (float, of that label) and {@value #KNOWN_WORDS} (int), the fields
 * of {@code TextClassifier}'s {@code Classification}, each name after a prefix when one is given
 * (an input that has a column {@code label} of its own). One {@code mapPartitions}: each executor
 * loads the model once and scores its partitions in batches on the engine's batch path.
 *
 * <pre>{@code
 * ModelRef model = DriverModel.ship(spark.sparkContext(), Path.of("imdb.vlstm"));
 * TextScoring.Scored s = TextScoring.score(spark.read().parquet("reviews.parquet"), "text", model, 1024, 0);
 * s.rows().write().parquet("scored.parquet");
 * }</pre>
 */
public final class TextScoring {
    public static final String LABEL = "label", PROBABILITY = "probability", KNOWN_WORDS = "known_words";
    /** Rows per call of the batch path: enough to keep every core of an executor busy on one call. */
    public static final int DEFAULT_BATCH = 1024;

    private TextScoring() {}

    /**
     * The scored rows (lazy, as any Dataset), the counters its tasks fill when an action runs it
     * (each action that runs the rows again adds to them: count them once, as the job does, by
     * writing the rows), and the name of the column the predicted label is in.
     */
    public record Scored(Dataset<Row> rows, ScoringCounters counters, String labelColumn) {}

    /** {@link #score(Dataset, String, ModelRef, int, int, String)} with the output columns named as they are. */
    public static Scored score(Dataset<Row> input, String textColumn, ModelRef model, int batch, int threads) {
        return score(input, textColumn, model, batch, threads, "");
    }

    /**
     * @param batch        rows per call of the batch path, 1 to {@value JobArguments#MAX_BATCH}
     * @param threads      cores per executor for the batch kernels, up to {@value JobArguments#MAX_THREADS};
     *                     0 for {@code spark.executor.cores}, else all
     * @param outputPrefix put before each output column's name ("" for none)
     * @throws JobRefusedException when the column is missing or not a string, or an output column exists
     * @throws IllegalArgumentException when {@code batch} or {@code threads} is out of range (the job's flags never are)
     */
    public static Scored score(Dataset<Row> input, String textColumn, ModelRef model, int batch, int threads, String outputPrefix) {
        // Here, not in a task: out of range they failed the first action on an executor, after its model was loaded.
        if (batch < 1 || batch > JobArguments.MAX_BATCH) throw new IllegalArgumentException("batch must be 1 to " + JobArguments.MAX_BATCH + ", got " + batch);
        if (threads < 0 || threads > JobArguments.MAX_THREADS) throw new IllegalArgumentException("threads must be 0 to " + JobArguments.MAX_THREADS + ", got " + threads);
        if (outputPrefix == null) throw new IllegalArgumentException("no output prefix given (null): \"\" for none");
        String label = outputPrefix + LABEL, probability = outputPrefix + PROBABILITY, knownWords = outputPrefix + KNOWN_WORDS;
        StructType schema = input.schema();
        int textIndex = textColumnIndex(schema, textColumn);
        // Spark resolves column names without case unless spark.sql.caseSensitive is set: there an input
        // column "Label" is "label" too, and the output failed later with Spark's "duplicate column(s)".
        boolean caseSensitive = Boolean.parseBoolean(input.sparkSession().conf().get("spark.sql.caseSensitive", "false"));
        for (String out : new String[] {label, probability, knownWords}) {
            for (String in : schema.fieldNames()) {
                if (caseSensitive ? in.equals(out) : in.equalsIgnoreCase(out)) {
                    throw new JobRefusedException("the input already has a column '" + in + "'" + (in.equals(out) ? "" : " (the same as '" + out + "' to Spark, which ignores case)")
                            + ", which scoring adds; rename or drop it first, or give the output columns a prefix (--output-prefix, e.g. predicted_)");
                }
            }
        }
        StructType scoredSchema = schema
                .add(label, DataTypes.StringType, true)
                .add(probability, DataTypes.FloatType, true)
                .add(knownWords, DataTypes.IntegerType, true);
        ScoringCounters counters = new ScoringCounters(input.sparkSession().sparkContext());
        Dataset<Row> rows = input.mapPartitions(new PartitionScorer(model, textIndex, batch, threads, counters), Encoders.row(scoredSchema));
        return new Scored(rows, counters, label);
    }

    private static int textColumnIndex(StructType schema, String name) {
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new JobRefusedException("--text-column: no column '" + name + "' in the input; it has " + String.join(", ", schema.fieldNames()));
        }
        StructField field = schema.apply(name);
        if (!field.dataType().equals(DataTypes.StringType)) {
            throw new JobRefusedException("--text-column: column '" + name + "' holds " + field.dataType().simpleString() + ", not text (string)");
        }
        return schema.fieldIndex(name);
    }
}
