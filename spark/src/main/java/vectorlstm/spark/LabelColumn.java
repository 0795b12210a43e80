package vectorlstm.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StringType;
import vectorlstm.data.LabelMap;
import vectorlstm.text.Json;

/**
 * The job's {@code --label-column}: checked on the driver before any row is scored, then compared
 * with the written labels for the accuracy. Its values are compared as text with the model's
 * labels: a whole number reads as "1", but 1.0 would read as "1.0" and true as "true".
 */
final class LabelColumn {
    /** Values named in a refusal, and rows read to find them: a column of reviews taken for labels must not make a long line. */
    private static final int LISTED = 10, SAMPLED_ROWS = 100, LABEL_CHARS = 40;

    private LabelColumn() {}

    /**
     * Refuses a column that is missing, of a type that never equals a label as text, or that holds
     * a label the model does not have ({@code ./lstm eval} refuses such data the same way: an
     * accuracy against labels the model never answers with is no accuracy). The last check is one
     * pass over the column; it stops early when it finds unknown labels.
     *
     * @throws JobRefusedException naming the column and what is wrong
     */
    static void requireFits(Dataset<Row> input, String name, List<String> modelLabels) {
        if (!Arrays.asList(input.columns()).contains(name)) {
            throw new JobRefusedException("--label-column: no column '" + name + "' in the input; it has " + String.join(", ", input.columns()));
        }
        DataType type = input.schema().apply(name).dataType();
        if (!(type instanceof StringType || type instanceof IntegralType)) {
            throw new JobRefusedException("--label-column '" + name + "' holds " + type.simpleString()
                    + " values; the model's labels are text (or whole numbers): give a string or integer column");
        }
        Column truth = column(name).cast("string");
        // No distinct(): that would shuffle the column (all of it, for a column of reviews); a limit stops at the first rows it needs.
        List<Row> unknown = input.select(truth).where(truth.isNotNull().and(not(truth.isin(modelLabels.toArray())))).limit(SAMPLED_ROWS).collectAsList();
        if (unknown.isEmpty()) return;
        List<String> found = new ArrayList<>();
        for (Row r : unknown) found.add(r.getString(0));
        throw new JobRefusedException("--label-column '" + name + "' does not fit the model: its labels include "
                + listed(LabelMap.fromLabels(found).labels()) + ", the model's are " + listed(modelLabels)
                + " (an imported model takes names with import --labels)");
    }

    /**
     * {labelled rows, right ones} of the written output: a second, cheap pass over two columns, so
     * the count is exact even when a task was retried (the counters are not).
     */
    static long[] accuracy(Dataset<Row> written, String name, String predicted) {
        Column truth = column(name), label = column(predicted);
        Row r = written.where(truth.isNotNull().and(label.isNotNull()))
                .agg(count(lit(1)), sum(when(truth.cast("string").equalTo(label), 1).otherwise(0)))
                .first();
        return new long[] {r.getLong(0), r.isNullAt(1) ? 0 : r.getLong(1)};
    }

    /**
     * The column of that name as written: col() parses its argument, so "stars.truth" was field
     * truth of a column stars, and a name in backticks the name inside them.
     */
    static Column column(String name) {
        return col("`" + name.replace("`", "``") + "`");
    }

    /** ["a", "b"], at most {@value #LISTED} of them, each at most {@value #LABEL_CHARS} characters. */
    private static String listed(List<String> labels) {
        List<String> quoted = new ArrayList<>();
        for (String label : labels.subList(0, Math.min(LISTED, labels.size()))) quoted.add(Json.quoteShort(label, LABEL_CHARS));
        return "[" + String.join(", ", quoted) + "]" + (labels.size() > LISTED ? " and more" : "");
    }
}
