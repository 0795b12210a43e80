package vectorlstm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An {@code --input} with nothing to read is refused naming the flag and the path, before Spark is asked to read it. */
class MissingInputTest {
    @TempDir Path dir;

    @Test
    void aMissingInputIsRefusedBeforeSparkReadsIt() {
        // Was: Spark's FileStreamSink logged an 86-frame FileNotFoundException before the job's [PATH_NOT_FOUND] line.
        Path missing = dir.resolve("no-such.parquet");
        assertEquals("--input " + missing + ": no such file or folder", refusal(missing.toString()));
    }

    @Test
    void aGlobThatMatchesNothingIsRefusedLikeAMissingPath() {
        String glob = dir.resolve("part-*.parquet").toString();
        assertEquals("--input " + glob + ": no such file or folder", refusal(glob));
    }

    @Test
    void aNameWithGlobCharactersIsABadArgumentSaidInOneLine() throws Exception {
        // Was: "a{b.csv" failed the job (exit 1, a stack trace: "Illegal file pattern"), and "a[1].csv", which exists, was "no such file".
        Path brace = Files.writeString(dir.resolve("a{b.csv"), "id,text\n1,good\n");
        String refused = refusal(brace.toString(), "--input-format", "csv");
        assertTrue(refused.startsWith("--input " + brace + ": Illegal file pattern") && refused.endsWith("as \\[ and so on)"), refused);
        Path bracket = Files.writeString(dir.resolve("a[1].csv"), "id,text\n1,good\n");
        assertEquals("--input " + bracket + ": no such file or folder (Spark reads --input as a pattern: write a [, ], {, }, * or ? of a file's own name as \\[ and so on)",
                refusal(bracket.toString(), "--input-format", "csv"));
    }

    @Test
    void anEmptyFolderIsRefusedAsHoldingNothingToRead() throws Exception {
        // Was: "[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for Parquet. It must be specified manually." (no path; advice a user cannot follow).
        Path empty = Files.createDirectory(dir.resolve("empty.parquet"));
        Files.writeString(empty.resolve("_SUCCESS"), "");  // a hidden file, as Spark leaves: not data
        assertEquals("--input " + empty + ": no parquet files in it (files whose names start with _ or . are not read)", refusal(empty.toString()));
        Path emptyCsv = Files.createDirectory(dir.resolve("empty-csv"));
        assertEquals("--input " + emptyCsv + ": no csv files in it (files whose names start with _ or . are not read)",
                refusal(emptyCsv.toString(), "--input-format", "csv"));
    }

    private String refusal(String input, String... more) {
        String[] args = new String[6 + more.length];
        String[] base = {"--model", TestModels.tiny().toString(), "--input", input, "--output", dir.resolve("scored.parquet").toString()};
        System.arraycopy(base, 0, args, 0, 6);
        System.arraycopy(more, 0, args, 6, more.length);
        JobRefusedException e = assertThrows(JobRefusedException.class, () -> ScoreJob.run(LocalSpark.get(), args));
        assertFalse(Files.exists(dir.resolve("scored.parquet")), "nothing was written");
        return e.getMessage();
    }
}
