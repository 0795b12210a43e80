package vectorlstm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input files that are not Parquet, as the tests' session meets them, are the user's mistake:
 * exit code 2 and one line naming the file. The job's own process, exit code and console are
 * {@link UnusablePathsTest}'s.
 */
class JobFailureTest {
    @TempDir Path dir;

    @Test
    void aFolderOfFilesThatAreNotParquetIsBadInput() throws IOException {
        Path junk = Files.createDirectory(dir.resolve("junk"));
        Files.writeString(junk.resolve("part-0.parquet"), "not Parquet at all");
        JobFailure f = failure(junk);
        assertEquals(JobFailure.BAD_INPUT, f.exitCode());
        assertEquals("--input " + junk + ": file:" + junk.resolve("part-0.parquet") + " is not a Parquet file"
                + " (it does not end with a Parquet footer: another format, or a copy cut short)", f.line());
    }

    @Test
    void aParquetFileWithADamagedFooterIsBadInput() throws IOException {
        Path input = dir.resolve("reviews.parquet");
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("text", DataTypes.StringType, true);
        LocalSpark.get().createDataFrame(List.of(RowFactory.create(1, "a good film")), schema).coalesce(1).write().parquet(input.toString());
        Path file;
        try (Stream<Path> files = Files.list(input)) {
            file = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        // The footer's metadata sits before its length and the closing "PAR1": garbled, the file still ends as Parquet does.
        for (int i = bytes.length - 68; i < bytes.length - 8; i++) bytes[i] ^= 0x5a;
        Files.write(file, bytes);
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));

        JobFailure f = failure(input);
        assertEquals(JobFailure.BAD_INPUT, f.exitCode());
        assertTrue(f.line().startsWith("--input " + input + ": the Parquet footer of file:" + file + " cannot be read (a damaged file?): "), f.line());
    }

    /** How the job ends when it scores {@code input} with the tiny model. */
    private JobFailure failure(Path input) {
        String[] args = {"--model", TestModels.tiny().toString(), "--input", input.toString(), "--output", dir.resolve("out.parquet").toString()};
        Exception e = assertThrows(Exception.class, () -> ScoreJob.run(LocalSpark.get(), args));
        return JobFailure.of(e, input.toString());
    }
}
