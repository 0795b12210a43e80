package vectorlstm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --label-column} holding labels the model does not have is refused before any row is
 * scored, as {@code ./lstm eval} refuses such data: there is no accuracy to report. The model is
 * {@link TestModels#tiny()}, whose labels are neg and pos.
 */
class TrueLabelsTest {
    @TempDir Path dir;

    @Test
    void numbersForAModelOfNamesAreRefusedAsEvalRefusesThem() {
        // Was: every row scored and written, then "accuracy: 0.0000 (0 of 3 rows with a true label)" and exit 0.
        String expected = "--label-column 'truth' does not fit the model: its labels include [\"0\", \"1\"], the model's are [\"neg\", \"pos\"]"
                + " (an imported model takes names with import --labels)";
        assertEquals(expected, refusal(input("strings", DataTypes.StringType, "1", "0", null, "1")));
        assertEquals(expected, refusal(input("integers", DataTypes.LongType, 1L, 0L, null, 1L)));
    }

    @Test
    void oneUnknownLabelAmongKnownOnesIsRefusedByName() {
        // Was: the "neutral" rows counted as wrong answers in an accuracy printed as if it meant something.
        String message = refusal(input("three", DataTypes.StringType, "neg", "pos", "neutral", null, "pos"));
        assertTrue(message.startsWith("--label-column 'truth' does not fit the model: its labels include [\"neutral\"], the model's"), message);
    }

    @Test
    void aColumnOfTextsTakenForLabelsIsRefusedInOneShortLine() {
        // Was: an accuracy of 0; the refusal must not quote whole reviews.
        String review = "a long review ".repeat(500);
        List<Object> texts = new ArrayList<>();
        for (int i = 0; i < 30; i++) texts.add(i + " " + review);
        String message = refusal(input("texts", DataTypes.StringType, texts.toArray()));
        assertTrue(message.contains("] and more, the model's are [\"neg\", \"pos\"]"), message);
        assertTrue(message.length() < 1500, "one short line, got " + message.length() + " characters");
    }

    @Test
    void knownLabelsAndNullsAreScored() {
        String in = input("known", DataTypes.StringType, "neg", null, "pos", "pos");
        String out = dir.resolve("scored.parquet").toString();
        ScoreJob.Report r = ScoreJob.run(LocalSpark.get(), "--model", TestModels.tiny().toString(), "--input", in, "--output", out, "--label-column", "truth");
        assertEquals(4, r.rows());
        assertEquals(3, r.labelled(), "a null true label is not counted");
        long right = LocalSpark.get().read().parquet(out).collectAsList().stream()
                .filter(row -> !row.isNullAt(2) && row.getString(2).equals(row.getString(3))).count();
        assertEquals(right, r.correct());
    }

    /**
     * The usual labelled table, text and label: its "label" is a column scoring adds, and no flag
     * got around the refusal. With --output-prefix the scores go to predicted_label, ... and the
     * accuracy compares the two.
     */
    @Test
    void aTrueLabelColumnNamedLabelIsScoredWithAnOutputPrefix() {
        StructType schema = new StructType().add("text", DataTypes.StringType, true).add("label", DataTypes.StringType, true);
        List<Row> rows = List.of(RowFactory.create("good film", "pos"), RowFactory.create("bad film", "neg"), RowFactory.create("a film", "pos"));
        String in = dir.resolve("text-label.parquet").toString();
        LocalSpark.get().createDataFrame(rows, schema).write().parquet(in);
        String out = dir.resolve("prefixed.parquet").toString();
        JobRefusedException clash = assertThrows(JobRefusedException.class, () -> ScoreJob.run(LocalSpark.get(),
                "--model", TestModels.tiny().toString(), "--input", in, "--output", out, "--label-column", "label"));
        assertTrue(clash.getMessage().endsWith("or give the output columns a prefix (--output-prefix, e.g. predicted_)"), clash.getMessage());
        ScoreJob.Report r = ScoreJob.run(LocalSpark.get(), "--model", TestModels.tiny().toString(), "--input", in, "--output", out,
                "--label-column", "label", "--output-prefix", "predicted_");
        List<Row> written = LocalSpark.get().read().parquet(out).collectAsList();
        assertEquals(List.of("text", "label", "predicted_label", "predicted_probability", "predicted_known_words"),
                List.of(written.get(0).schema().fieldNames()));
        assertEquals(3, r.labelled());
        long right = written.stream().filter(row -> row.getString(1).equals(row.getString(2))).count();
        assertEquals(right, r.correct(), "the accuracy compares label with predicted_label");
    }

    @Test
    void anOutputNamedLikeAPatternIsReadBackForItsAccuracy() {
        // "s[1].parquet" is a glob to Spark: reading it back for the accuracy found nothing, and the job that had
        // written every row exited 2 with "Path does not exist", its output left behind.
        String in = input("brackets", DataTypes.StringType, "neg", "pos", "pos");
        for (String name : new String[] {"s[1].parquet", "s{a}.parquet", "s*.parquet"}) {
            String out = dir.resolve(name).toString();
            ScoreJob.Report r = ScoreJob.run(LocalSpark.get(), "--model", TestModels.tiny().toString(), "--input", in, "--output", out, "--label-column", "truth");
            assertEquals(3, r.labelled(), name);
            assertTrue(Files.isDirectory(Path.of(out)), name);
        }
    }

    /** The job's refusal (checked: exit code 2, its message as the one line) of {@code input}; asserts nothing was written. */
    private String refusal(String input) {
        Path out = dir.resolve("refused.parquet");
        JobRefusedException e = assertThrows(JobRefusedException.class, () -> ScoreJob.run(LocalSpark.get(),
                "--model", TestModels.tiny().toString(), "--input", input, "--output", out.toString(), "--label-column", "truth"));
        JobFailure failure = JobFailure.of(e, input);
        assertEquals(JobFailure.BAD_INPUT, failure.exitCode());
        assertEquals(e.getMessage(), failure.line());
        assertFalse(Files.exists(out), "refused before anything was written");
        return e.getMessage();
    }

    /** Parquet of (id, text, truth) with these true labels, in two files. */
    private String input(String name, DataType truthType, Object... truths) {
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("text", DataTypes.StringType, true).add("truth", truthType, true);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < truths.length; i++) rows.add(RowFactory.create(i, i % 2 == 0 ? "good film" : "bad film", truths[i]));
        String path = dir.resolve(name + ".parquet").toString();
        LocalSpark.get().createDataFrame(rows, schema).repartition(2).write().parquet(path);
        return path;
    }
}
