package vectorlstm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.classifier.Classification;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.data.LabelMap;
import vectorlstm.data.TextDataset;
import vectorlstm.model.ConfusionMatrix;

/**
 * The 25,000 IMDB test reviews through the score job on {@code local[2]}, as Parquet, against the
 * single process: the accuracy the job reports ({@code --label-column}) is exactly the one
 * {@code ./lstm eval} computes (its code path:
 * {@code predictClasses} and a {@link ConfusionMatrix}), and every row's label, probability and
 * known-word count are bit for bit {@link TextClassifier#classify(List)}'s on all 25,000 at once.
 * The input is cut into 7 partitions of about 3,571 rows, scored in batches of 1,000, so no batch
 * of the job is a batch of the single process.
 */
class ImdbScoreJobTest {
    static final StructType REVIEWS = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("text", DataTypes.StringType, true)
            .add("truth", DataTypes.StringType, false);

    @TempDir Path dir;

    @Test
    void scoresTheImdbTestSetBitForBitAsTheSingleProcess() {
        SparkSession spark = LocalSpark.get();
        TextDataset test = TestData.imdb().test();
        Path model = TestModels.imdb();
        String input = dir.resolve("reviews.parquet").toString(), output = dir.resolve("scored.parquet").toString();
        spark.createDataFrame(rows(test), REVIEWS).repartition(7).write().parquet(input);

        ScoreJob.Report report;
        // Spark would pack these 7 files of ~3 MB into one partition per core; one file per partition
        // puts partition boundaries (and short last batches) inside the data as well.
        spark.conf().set("spark.sql.files.maxPartitionBytes", "4m");
        try {
            assertEquals(7, spark.read().parquet(input).rdd().getNumPartitions());
            report = ScoreJob.run(spark, "--model", model.toString(), "--input", input,
                    "--text-column", "text", "--label-column", "truth", "--output", output, "--batch", "1000");
        } finally {
            spark.conf().unset("spark.sql.files.maxPartitionBytes");
        }
        System.out.printf(Locale.ROOT, "ImdbScoreJobTest: %d rows in %.1f s on local[2] (task time: tokenize %.1f s, model %.1f s, waiting %.1f s)%n",
                report.rows(), report.seconds(), report.tokenizeSeconds(), report.modelSeconds(), report.waitSeconds());
        assertEquals(25_000, report.rows());
        assertEquals(0, report.nullTexts());

        List<Row> scored = spark.read().parquet(output).select("id", "truth", "label", "probability", "known_words").collectAsList();
        assertEquals(25_000, scored.size());
        try (TextClassifier single = TextClassifier.load(model)) {
            List<Classification> expected = single.classify(test.texts());
            Row[] byId = new Row[test.size()];
            long right = 0;
            for (Row r : scored) {
                int id = r.getInt(0);
                assertNull(byId[id], "row " + id + " came out twice");
                byId[id] = r;
                Classification e = expected.get(id);
                assertEquals(e.label(), r.getString(2), "label of review " + id);
                assertEquals(Float.floatToRawIntBits(e.probability()), Float.floatToRawIntBits(r.getFloat(3)),
                        "probability of review " + id + ": Spark " + r.getFloat(3) + ", single process " + e.probability());
                assertEquals(e.knownWords(), r.getInt(4), "known words of review " + id);
                if (r.getString(1).equals(r.getString(2))) right++;
            }
            double evalAccuracy = evalAccuracy(single, test);
            System.out.printf(Locale.ROOT, "ImdbScoreJobTest: accuracy: the job %.6f, eval %.6f%n", report.accuracy(), evalAccuracy);
            assertEquals(25_000, report.labelled());
            assertEquals(right, report.correct(), "the job's count of right labels against the rows it wrote");
            assertEquals(evalAccuracy, report.accuracy(), 0.0, "accuracy of the job against ./lstm eval's");
        }
    }

    /** What {@code ./lstm eval} does (EvalCommand): relabel to the model's labels, predictClasses, a confusion matrix. */
    private static double evalAccuracy(TextClassifier classifier, TextDataset data) {
        TextDataset relabelled = data.relabel(LabelMap.inOrder(classifier.labels()));
        int[] predicted = classifier.predictClasses(relabelled.texts());
        ConfusionMatrix cm = new ConfusionMatrix(classifier.labels().size());
        for (int i = 0; i < predicted.length; i++) cm.add(relabelled.label(i), predicted[i]);
        return cm.accuracy();
    }

    static List<Row> rows(TextDataset d) {
        List<Row> rows = new ArrayList<>(d.size());
        for (int i = 0; i < d.size(); i++) rows.add(RowFactory.create(i, d.text(i), d.labelMap().label(d.label(i))));
        return rows;
    }

    @Test
    void readsCsvWithQuotesCommasAndLineBreaksInTheTexts() throws IOException {
        SparkSession spark = LocalSpark.get();
        Path model = TestModels.imdb();
        List<String> texts = new ArrayList<>(TestData.imdb().test().balancedSample(150, 3).texts());
        texts.add("A \"great\", great film,\nwith a line break\r\nand \"\"doubled\"\" quotes");
        texts.add("");
        StringBuilder csv = new StringBuilder("id,text\n");  // RFC 4180: quotes doubled inside quoted fields
        for (int i = 0; i < texts.size(); i++) csv.append(i).append(",\"").append(texts.get(i).replace("\"", "\"\"")).append("\"\n");
        Path input = Files.writeString(dir.resolve("reviews.csv"), csv);
        String output = dir.resolve("scored-csv.parquet").toString();

        ScoreJob.Report report = ScoreJob.run(spark, "--model", model.toString(), "--input", input.toString(), "--output", output);
        assertEquals(texts.size(), report.rows());

        List<Row> scored = spark.read().parquet(output).select("id", "text", "label", "probability", "known_words").collectAsList();
        assertEquals(texts.size(), scored.size());
        try (TextClassifier single = TextClassifier.load(model)) {
            List<Classification> expected = single.classify(texts);
            for (Row r : scored) {
                int id = Integer.parseInt(r.getString(0));  // CSV columns are strings
                assertEquals(texts.get(id), r.getString(1), "text " + id + " read back as written (the empty one as \"\", not null)");
                assertEquals(expected.get(id).label(), r.getString(2));
                assertEquals(Float.floatToRawIntBits(expected.get(id).probability()), Float.floatToRawIntBits(r.getFloat(3)), "review " + id);
                assertEquals(expected.get(id).knownWords(), r.getInt(4));
            }
        }
    }
}
