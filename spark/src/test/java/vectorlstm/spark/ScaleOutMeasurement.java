package vectorlstm.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.data.TextDataset;

/**
 * Not a test: the measurement behind docs/scale-out.md's table (the command is there). In one
 * warm JVM, round after round on the 25,000 IMDB test reviews:
 * <ol>
 *   <li>the single-process batch path, {@code TextClassifier.classify(List)} (what eval and predict
 *       run), with its tokenizing and its model time apart;</li>
 *   <li>the score job on {@code local[2]}: Parquet in (8 files, which Spark reads as one partition
 *       per core), scores, Parquet out;</li>
 *   <li>the same job with the scoring left out (rows read, passed through, written): Spark's own
 *       share of the job's time.</li>
 * </ol>
 * Round 0 warms the JIT and is not counted; the medians of the others are printed.
 *
 * <p>Arguments: MODEL [ROUNDS (default 5)] [FILES (default 8)].
 */
public final class ScaleOutMeasurement {
    private ScaleOutMeasurement() {}

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5, files = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        TextDataset test = TestData.imdb().test();
        SparkSession spark = LocalSpark.get();
        Path dir = Files.createTempDirectory("vlstm-scale-out");
        String input = dir.resolve("reviews.parquet").toString();
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("text", DataTypes.StringType, true);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) rows.add(RowFactory.create(i, test.text(i)));
        spark.createDataFrame(rows, schema).repartition(files).write().parquet(input);

        int n = test.size();
        double[] single = new double[rounds], tokenize = new double[rounds], job = new double[rounds],
                jobTokenize = new double[rounds], jobModel = new double[rounds], jobWait = new double[rounds], passthrough = new double[rounds];
        try (TextClassifier classifier = TextClassifier.load(model)) {
            for (int r = 0; r <= rounds; r++) {
                long t0 = System.nanoTime();
                classifier.classify(test.texts());
                double s = seconds(t0);
                long t1 = System.nanoTime();
                for (String text : test.texts()) classifier.sequence(text);
                double tok = seconds(t1);

                ScoreJob.Report report = ScoreJob.run(spark, "--model", model.toString(), "--input", input,
                        "--output", dir.resolve("scored-" + r + ".parquet").toString());
                if (report.rows() != n) throw new IllegalStateException("the job scored " + report.rows() + " rows, not " + n);

                long t2 = System.nanoTime();
                Dataset<Row> read = spark.read().parquet(input);
                read.mapPartitions((MapPartitionsFunction<Row, Row>) it -> it, Encoders.row(read.schema()))
                        .write().parquet(dir.resolve("passthrough-" + r + ".parquet").toString());
                double p = seconds(t2);

                System.out.printf(Locale.ROOT, "round %d%s: single process %.2f s (tokenize %.2f s); job %.2f s (task time: tokenize %.2f s, model %.2f s, wait %.2f s); passthrough %.2f s%n",
                        r, r == 0 ? " (warm-up)" : "", s, tok, report.seconds(), report.tokenizeSeconds(), report.modelSeconds(), report.waitSeconds(), p);
                if (r == 0) continue;
                single[r - 1] = s;
                tokenize[r - 1] = tok;
                job[r - 1] = report.seconds();
                jobTokenize[r - 1] = report.tokenizeSeconds();
                jobModel[r - 1] = report.modelSeconds();
                jobWait[r - 1] = report.waitSeconds();
                passthrough[r - 1] = p;
            }
        }
        System.out.printf(Locale.ROOT, "median of %d rounds, %,d reviews, %d files:%n", rounds, n, files);
        System.out.printf(Locale.ROOT, "  single process classify(List): %.2f s = %,.0f reviews/s (tokenize %.2f s on one thread, model %.2f s on all cores)%n",
                median(single), n / median(single), median(tokenize), median(single) - median(tokenize));
        System.out.printf(Locale.ROOT, "  Spark local[2] score job:      %.2f s = %,.0f reviews/s (task time: tokenize %.2f s, model %.2f s, waiting for the model %.2f s)%n",
                median(job), n / median(job), median(jobTokenize), median(jobModel), median(jobWait));
        System.out.printf(Locale.ROOT, "  Spark local[2] passthrough:    %.2f s (read, rows, write; no scoring)%n", median(passthrough));
        spark.stop();
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
