package vectorlstm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code --input} that is not Parquet (or whose files are damaged or disagree on a column's
 * type) or an {@code --output} that cannot be written is the user's mistake, like a bad flag: the
 * job, run as spark-submit runs it ({@link JobProcess}), ends with exit code 2 and one line naming
 * the path and what is wrong, not as a failed job (exit 1) under Spark's task-failure logs.
 */
class UnusablePathsTest {
    /** Spark's reports of a failed task, each with its stack: the job's own line says it once. */
    static final Pattern TASK_FAILURE_LOG = Pattern.compile(" (WARN|ERROR) (TaskSetManager|Executor|FileFormatWriter): | ERROR Utils: Aborting task");
    private static final StructType TEXTS = new StructType().add("id", DataTypes.IntegerType, false).add("text", DataTypes.StringType, true);

    @TempDir Path dir;

    @Test
    void aTextFileAsInputIsBadInput() throws Exception {
        Path text = Files.writeString(dir.resolve("reviews.txt"), "id,text\n1,a good film\n");
        JobProcess.Result r = score(text.toString(), "scored.parquet");
        assertBadInput(r, "vlstm-score: --input " + text + ": file:" + text + " is not a Parquet file");
        assertFalse(Files.exists(dir.resolve("scored.parquet")));
    }

    @Test
    void aTruncatedParquetFileIsBadInput() throws Exception {
        // Two files: Spark may infer the schema from the good one and meet the cut one only while
        // writing, in a task, or read the cut one first; either way it is the input's fault.
        Path input = dir.resolve("reviews.parquet");
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("text", DataTypes.StringType, true);
        LocalSpark.get().createDataFrame(List.of(RowFactory.create(1, "a good film"), RowFactory.create(2, "a bad film")), schema)
                .repartition(2).write().parquet(input.toString());
        Path cut;
        try (Stream<Path> files = Files.list(input)) {
            cut = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList().getLast();
        }
        byte[] bytes = Files.readAllBytes(cut);
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));  // as a copy that stopped halfway
        Files.deleteIfExists(cut.resolveSibling("." + cut.getFileName() + ".crc"));  // else Hadoop reports a checksum error instead

        JobProcess.Result r = score(input.toString(), "scored.parquet");
        assertBadInput(r, "vlstm-score: --input " + input + ": file:" + cut + " is not a Parquet file");
        assertFalse(Files.exists(dir.resolve("scored.parquet")), "the output folder the write had started is removed");
    }

    @Test
    void aDamagedFooterMetInATaskIsBadInput() throws Exception {
        // Spark infers the schema from the first file by name; the second one's footer is read only in a task.
        Path input = Files.createDirectory(dir.resolve("reviews.parquet"));
        parquetFile(input.resolve("part-0.parquet"), TEXTS, RowFactory.create(1, "a good film"));
        Path damaged = parquetFile(input.resolve("part-1.parquet"), TEXTS, RowFactory.create(2, "a bad film"));
        DamagedParquet.garbleFooter(damaged);

        JobProcess.Result r = score(input.toString(), "scored.parquet");
        assertBadInput(r, "vlstm-score: --input " + input + ": the Parquet metadata of file:" + damaged + " cannot be read (a damaged file?): ");
        assertFalse(Files.exists(dir.resolve("scored.parquet")), "the output folder the write had started is removed");
    }

    @Test
    void damagedColumnDataIsBadInput() throws Exception {
        Path input = Files.createDirectory(dir.resolve("reviews.parquet"));
        Row[] rows = new Row[400];
        for (int i = 0; i < rows.length; i++) rows[i] = RowFactory.create(i, "review " + i + " of a film that was " + (i % 3 == 0 ? "good" : "bad"));
        Path damaged = parquetFile(input.resolve("part-0.parquet"), TEXTS, rows);
        DamagedParquet.garbleData(damaged);

        JobProcess.Result r = score(input.toString(), "scored.parquet");
        assertBadInput(r, "vlstm-score: --input " + input + ": the column data of file:" + damaged + " cannot be read (a damaged file?): ");
        assertFalse(Files.exists(dir.resolve("scored.parquet")), "the output folder the write had started is removed");
    }

    @Test
    void filesThatDisagreeOnAColumnsTypeAreBadInput() throws Exception {
        // The schema comes from part-0, where text is a string; part-1's text is an int, met only in a task.
        Path input = Files.createDirectory(dir.resolve("reviews.parquet"));
        parquetFile(input.resolve("part-0.parquet"), TEXTS, RowFactory.create(1, "a good film"));
        Path numbers = parquetFile(input.resolve("part-1.parquet"),
                new StructType().add("id", DataTypes.IntegerType, false).add("text", DataTypes.IntegerType, true), RowFactory.create(2, 7));

        JobProcess.Result r = score(input.toString(), "scored.parquet");
        assertBadInput(r, "vlstm-score: --input " + input + ": its files disagree on the type of column [text]: file:" + numbers
                + " holds INT32 where the input's schema (read from another of its files) has string");
    }

    @Test
    void anOutputUnderAFileIsBadInput() throws Exception {
        Path file = Files.writeString(dir.resolve("scores"), "a file, not a folder");
        JobProcess.Result r = score(csv().toString(), "scores/scored.parquet");
        assertBadInput(r, "vlstm-score: --output scores/scored.parquet: file:" + file + " is a file, not a folder");
    }

    @Test
    void anOutputInAReadOnlyFolderIsBadInput() throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (Files.isWritable(readOnly)) {
            // root (as in CI) writes into any folder whatever its permissions; /proc takes no new
            // folder from anyone, so the same refusal is checked there. The skip below is reached only
            // by root on a system without /proc (not Linux): there no path refuses root, so this case
            // cannot be set up. CI runs as root on Linux and so always runs it.
            Path proc = Path.of("/proc");
            assumeTrue(Files.isDirectory(proc), "neither a folder this user cannot write to nor /proc (Linux) is available");
            JobProcess.Result r = score(csv().toString(), "/proc/vlstm-test/scored.parquet");
            assertBadInput(r, "vlstm-score: --output /proc/vlstm-test/scored.parquet: cannot create it in file:/proc");
            return;
        }
        JobProcess.Result r = score(csv().toString(), "read-only/scored.parquet");
        assertBadInput(r, "vlstm-score: --output read-only/scored.parquet: cannot create it in file:" + readOnly);
    }

    private JobProcess.Result score(String input, String output) throws IOException, InterruptedException {
        return JobProcess.run(dir, "--model", TestModels.tiny().toString(), "--input", input, "--output", output);
    }

    /** One Parquet file at {@code file} holding {@code rows}, as Spark writes it. */
    private Path parquetFile(Path file, StructType schema, Row... rows) throws IOException {
        Path folder = dir.resolve("written-" + file.getFileName());
        LocalSpark.get().createDataFrame(List.of(rows), schema).coalesce(1).write().parquet(folder.toString());
        try (Stream<Path> files = Files.list(folder)) {
            return Files.copy(files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow(), file);
        }
    }

    private Path csv() throws IOException {
        return Files.writeString(dir.resolve("reviews.csv"), "id,text\n1,a good film\n2,a bad film\n");
    }

    /** Exit code 2, nothing on stdout, one line of the job's own that starts with {@code line}, no task-failure log. */
    private static void assertBadInput(JobProcess.Result r, String line) {
        String console = "stdout:\n" + r.stdout() + "\nstderr (without Spark's INFO lines):\n"
                + String.join("\n", r.stderr().lines().filter(l -> !l.contains(" INFO ")).toList());
        assertEquals(2, r.exitCode(), console);
        assertEquals("", r.stdout(), console);
        assertEquals(1, r.jobLines().size(), console);
        assertTrue(r.jobLines().getFirst().startsWith(line), "expected a line starting with\n" + line + "\ngot\n" + r.jobLines().getFirst());
        assertFalse(TASK_FAILURE_LOG.matcher(r.stderr()).find(), "Spark's task-failure log reached the console:\n" + console);
    }
}
