package vectorlstm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --text-column} and {@code --label-column} name a column as written: a dot is part of the
 * name (not a nested field), a backtick is a character like any other.
 */
class ColumnNamesTest {
    @TempDir Path dir;

    @Test
    void dottedNamesInACsvHeaderAreColumnsNotNestedFields() throws Exception {
        // Was: the label column's accuracy pass read "stars.truth" as field truth of a column stars and
        // failed with UNRESOLVED_COLUMN (exit 2) after every row was scored and written.
        Path csv = Files.writeString(dir.resolve("reviews.csv"), "id,review.text,stars.truth\n1,good film,pos\n2,bad film,neg\n3,good,\n4,film,neg\n");
        assertScoresAndCounts(csv.toString(), "review.text", "stars.truth");
    }

    @Test
    void backticksAndDotsInParquetColumnNames() {
        // Was: as above, and a name in backticks was read as the name inside them (UNRESOLVED_COLUMN `true.label`).
        String input = dir.resolve("reviews.parquet").toString();
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false)
                .add("re`view.text", DataTypes.StringType, true).add("`true.label`", DataTypes.StringType, true);
        LocalSpark.get().createDataFrame(List.of(RowFactory.create(1, "good film", "pos"), RowFactory.create(2, "bad film", "neg"),
                RowFactory.create(3, "good", null), RowFactory.create(4, "film", "neg")), schema).repartition(2).write().parquet(input);
        assertScoresAndCounts(input, "re`view.text", "`true.label`");
    }

    @Test
    void anUnknownLabelInADottedColumnIsRefusedByItsName() {
        // The labels check reads the column through Spark too: the dotted name must reach it as one name.
        String input = dir.resolve("numbers.parquet").toString();
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("text", DataTypes.StringType, true).add("stars.truth", DataTypes.IntegerType, true);
        LocalSpark.get().createDataFrame(List.of(RowFactory.create(1, "good film", 1), RowFactory.create(2, "bad film", 0)), schema).write().parquet(input);
        JobRefusedException e = assertThrows(JobRefusedException.class, () -> ScoreJob.run(LocalSpark.get(), "--model", TestModels.tiny().toString(),
                "--input", input, "--output", dir.resolve("out.parquet").toString(), "--label-column", "stars.truth"));
        assertEquals("--label-column 'stars.truth' does not fit the model: its labels include [\"0\", \"1\"], the model's are [\"neg\", \"pos\"]"
                + " (an imported model takes names with import --labels)", e.getMessage());
    }

    /** Runs the job on {@code input} and checks its report against the rows it wrote, read back by the columns' literal names. */
    private void assertScoresAndCounts(String input, String textColumn, String labelColumn) {
        String output = dir.resolve("scored.parquet").toString();
        ScoreJob.Report r = ScoreJob.run(LocalSpark.get(), "--model", TestModels.tiny().toString(), "--input", input,
                "--text-column", textColumn, "--label-column", labelColumn, "--output", output);
        List<Row> written = LocalSpark.get().read().parquet(output).collectAsList();
        assertEquals(4, r.rows());
        assertEquals(4, written.size());
        long right = 0;
        for (Row row : written) {
            assertEquals(false, row.isNullAt(row.fieldIndex(TextScoring.LABEL)), "every text is scored: " + row);
            right += Objects.equals(row.getAs(labelColumn), row.getAs(TextScoring.LABEL)) ? 1 : 0;
        }
        assertEquals(3, r.labelled(), "rows with a true label");
        assertEquals(right, r.correct());
    }
}
