package vectorlstm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.classifier.Classification;
import vectorlstm.classifier.TextClassifier;

/**
 * What a user gets wrong, through real stages on {@code local[2]}: texts that are null or hold no
 * word score to a defined result in a stage that succeeds; a model that is missing, another file
 * or damaged on an executor fails the job with a message naming the file and what is wrong with
 * it; the driver refuses a bad model, column or flag before any stage runs.
 */
class BadInputTest {
    private static final StructType TEXTS = new StructType().add("id", DataTypes.IntegerType, false).add("text", DataTypes.StringType, true);

    @TempDir Path dir;

    private static Dataset<Row> texts(String... texts) {
        Row[] rows = new Row[texts.length];
        for (int i = 0; i < texts.length; i++) rows[i] = RowFactory.create(i, texts[i]);
        return LocalSpark.get().createDataFrame(Arrays.asList(rows), TEXTS).repartition(2);
    }

    @Test
    void nullTextsGiveNullsAndWordlessTextsScoreAsPadding() {
        Path model = TestModels.imdb();
        String[] in = {null, "", "   ", "qqqzx vvvyy", "A wonderful, moving film.", null};
        TextScoring.Scored s = TextScoring.score(texts(in), "text", DriverModel.shared(model), 4, 0);
        List<Row> out = new ArrayList<>(s.rows().collectAsList());  // one action: an orderBy would sample first and run the scoring twice
        out.sort(Comparator.comparingInt(r -> r.getInt(0)));

        assertEquals(in.length, out.size());
        assertEquals(2, s.counters().nullTexts());
        try (TextClassifier single = TextClassifier.load(model)) {
            Classification padding = single.classify("");
            for (int i : new int[] {0, 5}) {
                Row r = out.get(i);
                assertTrue(r.isNullAt(2) && r.isNullAt(3) && r.isNullAt(4), "null text " + i + " gives nulls, got " + r);
            }
            for (int i : new int[] {1, 2, 3}) {
                Row r = out.get(i);
                assertEquals(0, r.getInt(4), "known words of " + r);
                assertEquals(padding.label(), r.getString(2));
                assertEquals(Float.floatToRawIntBits(padding.probability()), Float.floatToRawIntBits(r.getFloat(3)));
            }
            Classification film = single.classify(List.of(in[4])).get(0);
            assertEquals(film.label(), out.get(4).getString(2));
            assertEquals(Float.floatToRawIntBits(film.probability()), Float.floatToRawIntBits(out.get(4).getFloat(3)));
            assertTrue(out.get(4).getInt(4) > 0);
        }
    }

    @Test
    void aSharedModelOverwrittenInPlaceDoesNotChangeAnExecutorsScores() throws IOException {
        // Executors map a private copy of a shared file: an overwrite in place (cp, rsync --inplace)
        // used to change the weights under them, giving scores of neither model with exit 0.
        Path shared = Files.copy(TestModels.imdb(), dir.resolve("shared.vlstm"));
        ModelRef ref = ModelRef.sharedPath(shared, ModelDigest.sha256(shared));
        String text = "A wonderful, moving film with a dull ending.";
        float before = ExecutorModels.get(ref, 1).classify(text).probability();
        byte[] other = Files.readAllBytes(shared);
        for (int i = other.length / 2; i < other.length - 64; i += 97) other[i] ^= 0x11;  // other weights, same size
        Files.write(shared, other);  // truncates and writes, as cp does
        assertEquals(Float.floatToRawIntBits(before), Float.floatToRawIntBits(ExecutorModels.get(ref, 1).classify(text).probability()));
        try (var stream = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertTrue(stream.noneMatch(p -> p.getFileName().toString().startsWith("vlstm-executor-model-")), "the private copy is unlinked once mapped");
        }
    }

    @Test
    void aJobThatFailsWhileWritingLeavesNoOutputFolderBehind() {
        // Spark left an empty folder, and the same command run again was refused for it.
        Path out = dir.resolve("out.parquet");
        Dataset<Row> failing = texts("a", "b", "c").filter((org.apache.spark.api.java.function.FilterFunction<Row>) r -> {
            throw new IllegalStateException("a task failed");
        });
        assertThrows(Exception.class, () -> ParquetOutput.write(LocalSpark.get(), failing, out.toString()));
        assertTrue(!java.nio.file.Files.exists(out), "the failed write's folder is removed");
        // A folder that was there before is not the job's to remove (Spark refuses to write into it anyway).
        Path existing = dir.resolve("existing");
        assertDoesNotThrow(() -> java.nio.file.Files.createDirectories(existing));
        assertThrows(Exception.class, () -> ParquetOutput.write(LocalSpark.get(), failing, existing.toString()));
        assertTrue(java.nio.file.Files.isDirectory(existing));
    }

    @Test
    void aModelMissingOnAnExecutorFailsTheJobSayingSo() {
        Path nowhere = dir.resolve("not-there.vlstm");
        String message = failure(ModelRef.sharedPath(nowhere, ModelDigest.sha256(TestModels.imdb())));
        assertTrue(message.contains("the model file " + nowhere.toAbsolutePath() + " does not exist"), message);
    }

    @Test
    void aShippedNameThatWasNeverShippedFailsTheJobSayingSo() {
        String message = failure(ModelRef.shipped("never-added.vlstm", ModelDigest.sha256(TestModels.imdb())));
        assertTrue(message.contains("never-added.vlstm does not exist"), message);
        assertTrue(message.contains("shipped with SparkContext.addFile"), message);
    }

    @Test
    void anotherFileUnderTheModelsPathFailsTheJobByItsDigest() throws IOException {
        Path copy = damagedCopy();
        String good = ModelDigest.sha256(TestModels.imdb());
        String message = failure(ModelRef.sharedPath(copy, good));
        assertTrue(message.contains("has SHA-256 " + ModelDigest.sha256(copy) + " but the driver checked " + good), message);
    }

    @Test
    void aDamagedModelWhoseDigestMatchesStillFailsOnItsOwnChecksum() throws IOException {
        Path copy = damagedCopy();
        String message = failure(ModelRef.sharedPath(copy, ModelDigest.sha256(copy)));  // the driver was handed the damaged file too
        assertTrue(message.contains("the model file " + copy + " cannot be loaded"), message);
        assertTrue(message.toLowerCase().contains("checksum"), message);
    }

    @Test
    void aTextTooLongForAModelOfAnyLengthLosesItsRowNotTheJob() {
        // A model that takes any length reads a text's ids as they are, up to the engine's limit:
        // a longer text gets null scores and a count, the other rows of its batch their scores.
        Path model = dir.resolve("any-length.vlstm");
        vectorlstm.text.Tokenizer tokenizer = vectorlstm.text.Tokenizer.builder().numWords(10).build();
        tokenizer.fitOnTexts(List.of("good film", "bad film"));
        try (vectorlstm.model.Sequential m = new vectorlstm.model.Sequential(new vectorlstm.layers.Embedding(10, 4, vectorlstm.layers.Shape.VARIABLE),
                new vectorlstm.layers.Lstm(3), new vectorlstm.layers.Dense(1, "sigmoid")).seed(2)) {
            m.compile("binary_crossentropy", new vectorlstm.model.Adam());
            try (TextClassifier c = TextClassifier.of(m, tokenizer, vectorlstm.text.TextPreprocessing.NONE, List.of("neg", "pos"), 0)) {
                c.save(model);
            }
        }
        String tooLong = "good ".repeat(vectorlstm.model.Sequential.MAX_SEQUENCE_STEPS + 1);
        TextScoring.Scored s = TextScoring.score(texts("good film", tooLong, "bad film", null), "text", DriverModel.shared(model), 8, 0);
        List<Row> out = new ArrayList<>(s.rows().collectAsList());
        out.sort(Comparator.comparingInt(r -> r.getInt(0)));
        assertTrue(!out.get(0).isNullAt(3) && !out.get(2).isNullAt(3), "the other rows are scored: " + out.get(0) + ", " + out.get(2));
        assertTrue(out.get(1).isNullAt(2) && out.get(1).isNullAt(3) && out.get(1).isNullAt(4), "the long text's scores are null");
        assertEquals(1, s.counters().refusedTexts());
        assertEquals(1, s.counters().nullTexts());
    }

    @Test
    void theDriverRefusesABadModelBeforeAnyStage() throws IOException {
        String in = dir.resolve("in.parquet").toString(), out = dir.resolve("out.parquet").toString();
        JobRefusedException missing = assertThrows(JobRefusedException.class,
                () -> ScoreJob.run(LocalSpark.get(), "--model", dir.resolve("nope.vlstm").toString(), "--input", in, "--output", out));
        assertTrue(missing.getMessage().startsWith("--model: no model file at "), missing.getMessage());

        Path damaged = damagedCopy();
        JobRefusedException corrupt = assertThrows(JobRefusedException.class,
                () -> ScoreJob.run(LocalSpark.get(), "--model", damaged.toString(), "--input", in, "--output", out));
        assertTrue(corrupt.getMessage().startsWith("--model: " + damaged + " is not a usable model: "), corrupt.getMessage());
        assertFalse(Files.exists(Path.of(out)), "nothing was written");

        LocalSpark.get().createDataFrame(List.of(RowFactory.create(1, "fine")), TEXTS).write().parquet(in);
        JobRefusedException label = assertThrows(JobRefusedException.class,
                () -> ScoreJob.run(LocalSpark.get(), "--model", TestModels.imdb().toString(), "--input", in, "--output", out, "--label-column", "stars"));
        assertEquals("--label-column: no column 'stars' in the input; it has id, text", label.getMessage());
        assertFalse(Files.exists(Path.of(out)), "nothing was written");

        // A label column of fractions: 1.0 would never equal the label "1", and the accuracy would be silently wrong.
        String fractions = dir.resolve("fractions.parquet").toString();
        StructType withScore = new StructType().add("id", DataTypes.IntegerType, false).add("text", DataTypes.StringType, true).add("truth", DataTypes.DoubleType, true);
        LocalSpark.get().createDataFrame(List.of(RowFactory.create(1, "fine", 1.0)), withScore).write().parquet(fractions);
        JobRefusedException doubles = assertThrows(JobRefusedException.class,
                () -> ScoreJob.run(LocalSpark.get(), "--model", TestModels.imdb().toString(), "--input", fractions, "--output", out, "--label-column", "truth"));
        assertTrue(doubles.getMessage().startsWith("--label-column 'truth' holds double values"), doubles.getMessage());
        assertFalse(Files.exists(Path.of(out)), "nothing was written");
    }

    @Test
    void aMissingOrNonTextColumnIsRefusedByName() {
        ModelRef model = DriverModel.shared(TestModels.imdb());
        JobRefusedException missing = assertThrows(JobRefusedException.class, () -> TextScoring.score(texts("a"), "review", model, 8, 0));
        assertEquals("--text-column: no column 'review' in the input; it has id, text", missing.getMessage());
        JobRefusedException numbers = assertThrows(JobRefusedException.class, () -> TextScoring.score(texts("a"), "id", model, 8, 0));
        assertEquals("--text-column: column 'id' holds int, not text (string)", numbers.getMessage());
        Dataset<Row> once = texts("a");
        Dataset<Row> scoredTwice = once.withColumn("label", once.col("text"));
        JobRefusedException clash = assertThrows(JobRefusedException.class, () -> TextScoring.score(scoredTwice, "text", model, 8, 0));
        assertTrue(clash.getMessage().contains("already has a column 'label'"), clash.getMessage());
        // Spark ignores case in column names by default: "Probability" is the column scoring adds (it failed later, in Spark's words).
        Dataset<Row> capitalised = once.withColumn("Probability", once.col("id"));
        JobRefusedException sameToSpark = assertThrows(JobRefusedException.class, () -> TextScoring.score(capitalised, "text", model, 8, 0));
        assertEquals("the input already has a column 'Probability' (the same as 'probability' to Spark, which ignores case), which scoring adds;"
                + " rename or drop it first, or give the output columns a prefix (--output-prefix, e.g. predicted_)", sameToSpark.getMessage());
        // A prefix takes the clash away: the input's label stays, the scores go beside it.
        List<String> prefixed = List.of(TextScoring.score(scoredTwice, "text", model, 8, 0, "scored_").rows().schema().fieldNames());
        assertEquals(List.of("id", "text", "label", "scored_label", "scored_probability", "scored_known_words"), prefixed);
    }

    /** Out of range, batch and threads failed the first action inside a task (after its executor loaded the model); now the call. */
    @Test
    void aBatchOrThreadsOutOfRangeIsRefusedByTheCall() {
        ModelRef model = DriverModel.shared(TestModels.imdb());
        assertThrows(IllegalArgumentException.class, () -> TextScoring.score(texts("a"), "text", model, JobArguments.MAX_BATCH + 1, 0));
        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class, () -> TextScoring.score(texts("a"), "text", model, 8, 100_000));
        assertEquals("threads must be 0 to 1024, got 100000", threads.getMessage());
    }

    /** Scores two texts with {@code model} and returns the job's failure as the score job reports it (a line alone, exit code 1). */
    private String failure(ModelRef model) {
        Dataset<Row> scored = TextScoring.score(texts("good film", "bad film"), "text", model, 8, 0).rows();
        Exception e = assertThrows(Exception.class, scored::collectAsList);  // Spark's SparkException, checked but thrown from Scala
        JobFailure failure = JobFailure.of(e, "in.parquet");
        assertEquals(JobFailure.FAILED, failure.exitCode());
        assertTrue(failure.line().startsWith("the job failed: executor "), "the reason names the executor: " + failure.line());
        assertNull(failure.trace(), "the job's own message says it all");
        return failure.line();
    }

    /** The model file with one weight byte flipped: still a model file, no longer its checksum's. */
    private Path damagedCopy() throws IOException {
        byte[] bytes = Files.readAllBytes(TestModels.imdb());
        bytes[bytes.length - 100] ^= 0x40;
        return Files.write(dir.resolve("damaged.vlstm"), bytes);
    }
}
