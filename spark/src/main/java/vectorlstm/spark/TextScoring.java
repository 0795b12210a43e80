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
 * of {@code TextClassifier}'s {@code Classification}. One {@code mapPartitions}: each executor maps
 * the model once and scores its partitions in batches on the engine's batch path.
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

    /** The scored rows (lazy, as any Dataset) and the counters its tasks fill when an action runs it. */
    public record Scored(Dataset<Row> rows, ScoringCounters counters) {}

    /**
     * @param batch   rows per call of the batch path (&gt;= 1)
     * @param threads cores per executor for the batch kernels; 0 for {@code spark.executor.cores}, else all
     * @throws JobRefusedException when the column is missing or not a string, or an output column exists
     * @throws IllegalArgumentException when {@code batch} or {@code threads} is out of range (the job's flags never are)
     */
    public static Scored score(Dataset<Row> input, String textColumn, ModelRef model, int batch, int threads) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        StructType schema = input.schema();
        int textIndex = textColumnIndex(schema, textColumn);
        // Spark resolves column names without case unless spark.sql.caseSensitive is set: there an input
        // column "Label" is "label" too, and the output failed later with Spark's "duplicate column(s)".
        boolean caseSensitive = Boolean.parseBoolean(input.sparkSession().conf().get("spark.sql.caseSensitive", "false"));
        for (String out : new String[] {LABEL, PROBABILITY, KNOWN_WORDS}) {
            for (String in : schema.fieldNames()) {
                if (caseSensitive ? in.equals(out) : in.equalsIgnoreCase(out)) {
                    throw new JobRefusedException("the input already has a column '" + in + "'" + (in.equals(out) ? "" : " (the same as '" + out + "' to Spark, which ignores case)")
                            + ", which scoring adds; rename or drop it first");
                }
            }
        }
        StructType scoredSchema = schema
                .add(LABEL, DataTypes.StringType, true)
                .add(PROBABILITY, DataTypes.FloatType, true)
                .add(KNOWN_WORDS, DataTypes.IntegerType, true);
        ScoringCounters counters = new ScoringCounters(input.sparkSession().sparkContext());
        Dataset<Row> rows = input.mapPartitions(new PartitionScorer(model, textIndex, batch, threads, counters), Encoders.row(scoredSchema));
        return new Scored(rows, counters);
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
