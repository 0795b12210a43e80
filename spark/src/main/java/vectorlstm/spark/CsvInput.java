package vectorlstm.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;

import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A CSV {@code --input}, read as {@code ./lstm eval} reads CSV. Before any row is scored, each of
 * its files is checked in a task of its own ({@link CsvFileCheck}: eval's parser over the file), one
 * pass that Spark's reader then parses again: Spark would score a Latin-1 file,
 * a quote never closed or a row with a comma too many silently. An empty field of the text column
 * is an empty text (scored as padding, as eval scores it): Spark reads an empty field, quoted or
 * not, as null.
 */
final class CsvInput {
    private CsvInput() {}

    /** @throws JobRefusedException naming {@code --input}, the file and the line at fault */
    static Dataset<Row> read(SparkSession spark, String input, String textColumn) {
        // FAILFAST: should Spark still meet a record the check let through, the job fails rather than scoring a shifted row.
        Dataset<Row> rows = spark.read().option("header", true).option("multiLine", true).option("escape", "\"")
                .option("mode", "FAILFAST").csv(input);
        requireWellFormed(spark, input, rows.inputFiles());
        return emptyTextsNotNull(rows, textColumn);
    }

    private static void requireWellFormed(SparkSession spark, String input, String[] files) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // The session's Hadoop settings (spark.hadoop.*: credentials of an object store) reach the tasks with it.
        Broadcast<SerializableWritable<Configuration>> conf = sc.broadcast(new SerializableWritable<>(spark.sparkContext().hadoopConfiguration()));
        List<CsvFileCheck.Verdict> verdicts;
        try {
            verdicts = checked(sc, conf, files);
        } finally {
            conf.destroy();  // a failed check too: in a long-lived session each one kept its copy of the configuration
        }
        CsvFileCheck.Verdict header = null;
        for (CsvFileCheck.Verdict v : verdicts) {
            if (v.problem() != null) throw new JobRefusedException("--input " + input + ": " + v.problem());
            if (v.empty()) continue;  // Spark reads no row from it
            if (header == null) header = v;
            // Spark maps every file's fields to the first header by position: columns in another order were scored as
            // each other (a label read as the text).
            if (!v.header().equals(header.header())) {
                throw new JobRefusedException("--input " + input + ": " + v.file() + " has the header " + v.header() + ", "
                        + header.file() + " has " + header.header() + " (every file of a CSV input has the same columns in the same order)");
            }
        }
        if (header == null) {
            throw new JobRefusedException("--input " + input + (verdicts.size() == 1 ? " is empty" : ": all its " + verdicts.size() + " files are empty")
                    + ": a CSV input needs a header line naming its columns");
        }
    }

    /** The text column with "" for Spark's nulls; a CSV has no null, only empty fields. */
    private static Dataset<Row> emptyTextsNotNull(Dataset<Row> rows, String textColumn) {
        String[] names = rows.columns();
        if (!Arrays.asList(names).contains(textColumn)) return rows;  // TextScoring names what it does have
        Column[] columns = new Column[names.length];
        for (int i = 0; i < names.length; i++) {
            Column c = LabelColumn.column(names[i]);
            columns[i] = names[i].equals(textColumn) ? coalesce(c, lit("")).as(names[i]) : c;
        }
        return rows.select(columns);
    }

    /** Each file checked by a task of its own ({@link CsvFileCheck}), decompressed as Spark's reader decompresses it. */
    private static List<CsvFileCheck.Verdict> checked(JavaSparkContext sc, Broadcast<SerializableWritable<Configuration>> conf, String[] files) {
        return sc.parallelize(Arrays.asList(files), Math.max(files.length, 1)).map(uri -> {
            Path file = new Path(new URI(uri));
            Configuration c = conf.value().value();
            // Decompressed as Spark's reader decompresses it (part-00000.csv.gz): the raw bytes were refused as not UTF-8.
            CompressionCodec codec = new CompressionCodecFactory(c).getCodec(file);
            InputStream raw = file.getFileSystem(c).open(file);
            try (InputStream in = codec == null ? raw : codec.createInputStream(raw)) {
                return CsvFileCheck.check(file.toString(), in);
            } finally {
                raw.close();
            }
        }).collect();
    }
}
