package vectorlstm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.errors.QueryExecutionErrors;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which failures are the user's (exit code 2, one line) and which a failed job's (exit code 1,
 * the reason and the stack trace), on real failures of the tests' session. The job's own process,
 * exit code and console are {@link UnusablePathsTest}'s.
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
                + " (it does not end with a Parquet footer: another format, or a copy cut short;"
                + " a CSV whose name does not end in .csv needs --input-format csv, and JSON is not read)", f.line());
        assertNull(f.trace());
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
        DamagedParquet.garbleFooter(file);

        JobFailure f = failure(input);
        assertEquals(JobFailure.BAD_INPUT, f.exitCode());
        assertTrue(f.line().startsWith("--input " + input + ": the Parquet footer of file:" + file + " cannot be read (a damaged file?): "), f.line());
    }

    @Test
    void aTaskThatBreaksIsAFailedJobWithItsStackTrace() {
        // Not the user's: exit code 1, and the stack, which Spark's quietened task-failure logs no longer show.
        var breaking = LocalSpark.get().range(4).map((MapFunction<Long, Long>) n -> {
            throw new IllegalStateException("an internal error in task " + n);
        }, Encoders.LONG());
        Exception e = assertThrows(Exception.class, breaking::collectAsList);
        JobFailure f = JobFailure.of(e, "in.parquet");
        assertEquals(JobFailure.FAILED, f.exitCode());
        assertTrue(f.line().startsWith("the job failed: Job aborted due to stage failure: "), f.line());
        assertTrue(f.line().contains("IllegalStateException: an internal error in task"), f.line());

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        f.print(new PrintStream(console, true, StandardCharsets.UTF_8));
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("vlstm-score: " + f.line() + System.lineSeparator()), printed);
        assertTrue(printed.contains("\tat "), "the stack trace follows the line:\n" + printed);
    }

    @Test
    void anIllegalArgumentExceptionNotTheJobsIsAFailedJobWithItsStackTrace() {
        // Spark's own (Scala's require) on the driver: no flag of the user's is wrong, so not exit code 2 with one line.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalSpark.get().range(4).repartition(0));
        JobFailure f = JobFailure.of(e, "in.parquet");
        assertEquals(JobFailure.FAILED, f.exitCode());
        assertEquals("the job failed: " + e.getMessage(), f.line());
        assertSame(e, f.trace());

        JobFailure refused = JobFailure.of(new JobRefusedException("--batch must be a whole number from 1 to 65536, got '0'"), "in.parquet");
        assertEquals(new JobFailure(JobFailure.BAD_INPUT, "--batch must be a whole number from 1 to 65536, got '0'", null), refused);
    }

    @Test
    void aFileDeletedAfterSparkListedItIsBadInput() throws IOException {
        // Spark lists the input once, when the query is planned; a task then opens each file. The job
        // cannot be paused between the two, so the test plans the read, deletes a file, then runs it.
        Path input = dir.resolve("reviews.parquet");
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("text", DataTypes.StringType, true);
        LocalSpark.get().createDataFrame(List.of(RowFactory.create(1, "a good film"), RowFactory.create(2, "a bad film")), schema)
                .repartition(2).write().parquet(input.toString());
        Dataset<Row> listed = LocalSpark.get().read().parquet(input.toString());
        Path gone;
        try (Stream<Path> files = Files.list(input)) {
            gone = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList().getLast();
        }
        Files.delete(gone);

        Exception e = assertThrows(Exception.class, listed::collectAsList);
        JobFailure f = JobFailure.of(e, input.toString());
        assertEquals(JobFailure.BAD_INPUT, f.exitCode(), f.line());
        assertEquals("--input " + input + ": file:" + gone + " was deleted or moved while the job ran (Spark had listed it when the job started)", f.line());
        assertNull(f.trace());
    }

    @Test
    void aReadFailureBeneathAParquetReaderIsAFailedJobButACodecsIsADamagedFile() {
        // Made-up chains with the frames Spark's vectorised reader leaves (the damaged page itself is
        // UnusablePathsTest's): what lies beneath the reader's exception decides.
        String path = "file:///data/reviews.parquet/part-0.parquet";
        IOException network = thrownBy(new SocketTimeoutException("Read timed out"), "java.net.SocketInputStream");
        IOException overNetwork = thrownBy(new IOException("could not read page Page [...] in col [text]", network),
                "org.apache.spark.sql.execution.datasources.parquet.VectorizedColumnReader");
        JobFailure failed = JobFailure.of((Exception) QueryExecutionErrors.cannotReadFilesError(overNetwork, path), "reviews.parquet");
        assertEquals(JobFailure.FAILED, failed.exitCode(), failed.line());

        IOException codec = thrownBy(new IOException("FAILED_TO_UNCOMPRESS(5)"), "org.xerial.snappy.SnappyNative");
        IOException damaged = thrownBy(new IOException("could not read page Page [...] in col [text]", codec),
                "org.apache.spark.sql.execution.datasources.parquet.VectorizedColumnReader");
        JobFailure bad = JobFailure.of((Exception) QueryExecutionErrors.cannotReadFilesError(damaged, path), "reviews.parquet");
        assertEquals(JobFailure.BAD_INPUT, bad.exitCode(), bad.line());
        assertEquals("--input reviews.parquet: the column data of file:/data/reviews.parquet/part-0.parquet cannot be read (a damaged file?):"
                + " could not read page Page [...] in col [text]: FAILED_TO_UNCOMPRESS(5)", bad.line());
    }

    /** {@code t} as if thrown by a method of {@code className}. */
    private static <T extends Throwable> T thrownBy(T t, String className) {
        t.setStackTrace(new StackTraceElement[] {new StackTraceElement(className, "read", null, -1)});
        return t;
    }

    @Test
    void anInputOfASchemeWithoutAFileSystemIsBadInput() {
        // A typing mistake, or a connector the cluster lacks (s3a: without hadoop-aws): Hadoop's UnsupportedFileSystemException.
        JobFailure f = failure("foo://bucket/reviews.parquet");
        assertEquals(JobFailure.BAD_INPUT, f.exitCode(), f.line());
        assertEquals("--input foo://bucket/reviews.parquet: No FileSystem for scheme \"foo\" (no file system of this Spark"
                + " reads that scheme: a typing mistake, or a connector missing from the class path)", f.line());
        assertNull(f.trace());
    }

    /** How the job ends when it scores {@code input} with the tiny model. */
    private JobFailure failure(Path input) {
        return failure(input.toString());
    }

    private JobFailure failure(String input) {
        String[] args = {"--model", TestModels.tiny().toString(), "--input", input, "--output", dir.resolve("out.parquet").toString()};
        Exception e = assertThrows(Exception.class, () -> ScoreJob.run(LocalSpark.get(), args));
        return JobFailure.of(e, input);
    }
}
