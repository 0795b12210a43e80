package vectorlstm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JobArgumentsTest {
    @Test
    void defaultsAndTheFormatFromTheInputsName() {
        JobArguments a = JobArguments.parse("--model", "m.vlstm", "--input", "reviews.parquet", "--output", "out");
        assertEquals(new JobArguments(Path.of("m.vlstm"), false, "reviews.parquet", "parquet", "text", null, "out", "", 1024, 0), a);
        assertEquals("csv", JobArguments.parse("--model", "m", "--input", "s3a://b/Reviews.CSV", "--output", "o").inputFormat());
        assertEquals("parquet", JobArguments.parse("--model", "m", "--input", "data.csv", "--input-format", "Parquet", "--output", "o").inputFormat());
    }

    @Test
    void everyFlag() {
        JobArguments a = JobArguments.parse("--shared-model", "--model", "/nfs/m.vlstm", "--input", "in", "--input-format", "csv",
                "--text-column", "review", "--label-column", "stars", "--output", "out", "--output-prefix", "predicted_", "--batch", "64", "--threads", "3");
        assertEquals(new JobArguments(Path.of("/nfs/m.vlstm"), true, "in", "csv", "review", "stars", "out", "predicted_", 64, 3), a);
        // --flag=value, as the ./lstm CLI takes it (it was an unknown flag), the value kept whole after the first '='.
        assertEquals(new JobArguments(Path.of("m=1.vlstm"), false, "in", "parquet", "text", null, "out", "", 8, 0),
                JobArguments.parse("--model=m=1.vlstm", "--input", "in", "--output=out", "--batch=8"));
    }

    @Test
    void mistakesNameTheFlag() {
        assertEquals("--model is required", error("--input", "i", "--output", "o"));
        assertEquals("--input is required", error("--model", "m", "--output", "o"));
        assertEquals("--output is required", error("--model", "m", "--input", "i"));
        assertEquals("--model needs a value", error("--input", "i", "--output", "o", "--model"));
        assertEquals("unknown flag '--modle'", error("--modle", "m"));
        // The last of two took effect silently.
        assertEquals("--model is given twice", error("--model", "a.vlstm", "--input", "i", "--output", "o", "--model", "b.vlstm"));
        assertEquals("--model is given twice", error("--model", "a.vlstm", "--model=b.vlstm"));
        assertEquals("--output-prefix must be 1 to 64 letters, digits or _, got 'my pred'", error("--output-prefix", "my pred"));
        assertEquals("--batch must be a whole number from 1 to 65536, got '0'", error("--model", "m", "--input", "i", "--output", "o", "--batch", "0"));
        // An executor holds a batch's rows at once: two billion made every executor run out of heap (exit 52).
        assertEquals("--batch must be a whole number from 1 to 65536, got '2000000000'", error("--model", "m", "--input", "i", "--output", "o", "--batch", "2000000000"));
        assertEquals("--model needs a value, got the flag --input", error("--model", "--input", "i", "--output", "o"));
        assertEquals("--threads must be a whole number from 0 to 1024, got 'two'", error("--model", "m", "--input", "i", "--output", "o", "--threads", "two"));
        assertEquals("--input-format must be parquet or csv, got 'json'", error("--input-format", "json"));
        // Path.of's own IllegalArgumentException would not be taken for the user's mistake.
        assertEquals("--model: not a path: Nul character not allowed", error("--model", "m\0.vlstm"));
        // Nor Hadoop's, which Spark threw only once the job ran (exit code 1 and a stack trace for a file name).
        assertEquals("--output scores-10:00: not a path Spark can use: Relative path in absolute URI ('scores-10:' is read as a scheme, as in s3a:)",
                error("--model", "m", "--input", "i", "--output", "scores-10:00"));
        assertEquals("--input reviews-10:00.csv: not a path Spark can use: Relative path in absolute URI ('reviews-10:' is read as a scheme, as in s3a:)",
                error("--model", "m", "--input", "reviews-10:00.csv", "--output", "o"));
        assertEquals(new JobArguments(Path.of("m"), false, "s3a://b/in:1.csv", "csv", "text", null, "/data/out-10:00", "", 1024, 0),
                JobArguments.parse("--model", "m", "--input", "s3a://b/in:1.csv", "--output", "/data/out-10:00"), "a ':' after a '/' is fine");
    }

    private static String error(String... args) {
        return assertThrows(JobRefusedException.class, () -> JobArguments.parse(args)).getMessage();
    }
}
