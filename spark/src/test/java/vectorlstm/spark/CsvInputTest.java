package vectorlstm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV {@code --input} is read as {@code ./lstm eval} reads it: an empty field is an empty text,
 * and a file that is not well-formed UTF-8 CSV is refused with its line before any row is scored.
 */
class CsvInputTest {
    @TempDir Path dir;

    @Test
    void emptyFieldsQuotedOrNotAreEmptyTextsScoredAsPadding() throws Exception {
        // Was: Spark's CSV reader made both empty fields null: "3 rows (2 null texts)", accuracy 1.0000 of 1 where eval says 0.3333 of 3.
        Path csv = Files.writeString(dir.resolve("reviews.csv"), "id,text,truth\n1,,neg\n2,good film,pos\n3,\"\",neg\n");
        String output = dir.resolve("scored.parquet").toString();
        ScoreJob.Report r = ScoreJob.run(LocalSpark.get(), "--model", TestModels.tiny().toString(), "--input", csv.toString(),
                "--label-column", "truth", "--output", output);
        assertEquals(3, r.rows());
        assertEquals(0, r.nullTexts());
        assertEquals(3, r.labelled(), "every row has a true label and a score");
        List<Row> written = new ArrayList<>(LocalSpark.get().read().parquet(output).collectAsList());
        written.sort(Comparator.comparing(row -> row.getString(0)));
        for (int i : new int[] {0, 2}) {
            Row row = written.get(i);
            assertEquals("", row.getString(1), "the empty field is an empty text: " + row);
            assertEquals(0, row.getInt(row.fieldIndex(TextScoring.KNOWN_WORDS)), "scored as padding: " + row);
        }
    }

    @Test
    void aQuoteNeverClosedIsRefusedWithItsLine() throws Exception {
        // Was: Spark's PERMISSIVE mode read the rest of the file into one text and scored it, exit 0.
        assertRefused("id,text,truth\n1,\"this film was great,pos\n2,bad,neg\n3,good,pos\n", "line 2: a quoted field opened on this line is never closed");
        // The text last: the swallowed rows still leave the right number of fields, which Spark's FAILFAST would not see.
        assertRefused("id,truth,text\n1,pos,ok\n2,pos,\"this film was great\n3,neg,bad\n", "line 3: a quoted field opened on this line is never closed");
    }

    @Test
    void aRowWithMoreOrFewerFieldsThanTheHeaderIsRefusedWithItsLine() throws Exception {
        // Was: the comma in an unquoted text made a fourth field, and the row was scored with a shifted label, exit 0.
        assertRefused("id,text,truth\n1,this film was great, really great,pos\n2,bad,neg\n",
                "line 2: expected 3 fields, as in the header, but found 4 (is a field with the delimiter or a line break missing its quotes?)");
        assertRefused("id,text,truth\r\n1,\"good\",pos\r\n2,bad\r\n", "line 3: expected 3 fields, as in the header, but found 2");
    }

    @Test
    void recordsThatEndOtherwiseThanTheHeaderAreRefused() throws Exception {
        // Was: Spark took the header's line ending for the whole file: after an LF header every CRLF row's label kept
        // its "\r" ("pos\r"), and a CRLF header over LF rows failed the job with a stack trace; eval reads both.
        assertRefused("id,text,truth\n1,great wonderful movie,pos\r\n2,bad,neg\r\n",
                "line 2: this record ends in CRLF, the header in LF: the job's CSV reader takes one line ending for the whole file");
        assertRefused("id,text,truth\r\n1,great wonderful movie,pos\n", "line 2: this record ends in LF, the header in CRLF");
        assertRefused("id,text,truth\r1,great,pos\r\n", "line 2: this record ends in CRLF, the header in CR");
        // One kind throughout, a line break inside a quoted text, or a last line without any: read.
        Path crlf = Files.writeString(dir.resolve("crlf.csv"), "id,text\r\n1,\"good\nfilm\"\r\n\r\n2,bad");
        assertEquals(2, score(crlf).rows());
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedWithItsLine() throws Exception {
        // Was: Latin-1 bytes were decoded as U+FFFD inside the words and scored, exit 0.
        byte[] latin1 = "id,text\n1,\"tr\u00e8s bon film\"\n".getBytes(StandardCharsets.ISO_8859_1);
        Path csv = Files.write(dir.resolve("latin1.csv"), latin1);
        assertRefused(csv, "line 2: not valid UTF-8 (bad byte at offset 13); re-save the file as UTF-8");
    }

    @Test
    void anEmptyFileIsRefusedAsEmpty() throws Exception {
        // Was: "--text-column: no column 'text' in the input; it has " (an empty list).
        Path csv = Files.writeString(dir.resolve("empty.csv"), "");
        JobRefusedException e = assertThrows(JobRefusedException.class, () -> score(csv));
        assertEquals("--input " + csv + " is empty: a CSV input needs a header line naming its columns", e.getMessage());
    }

    @Test
    void wellFormedCsvWithBlankLinesQuotesAndLineBreaksIsScored() throws Exception {
        // The check's rules are RFC 4180's as Spark reads it: none of these is refused.
        Path csv = Files.writeString(dir.resolve("fine.csv"),
                "id,text\n\n1,\"a \"\"good\"\", film,\nwith a break\"\n2,an unquoted \"quote\"\n\n3,caf\u00e9\n4,\"\"");
        assertEquals(4, score(csv).rows());
    }

    @Test
    void aCompressedCsvIsCheckedDecompressed() throws Exception {
        // Was: the check read the gzip bytes themselves and refused the file as "not valid UTF-8" (Spark's reader decompresses it).
        Path folder = Files.createDirectory(dir.resolve("gz"));
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(folder.resolve("part-00000.csv.gz")))) {
            out.write("id,text\n1,good film\n2,bad film\n".getBytes(StandardCharsets.UTF_8));
        }
        ScoreJob.Report r = ScoreJob.run(LocalSpark.get(), "--model", TestModels.tiny().toString(), "--input", folder.toString(),
                "--input-format", "csv", "--output", dir.resolve("scored.parquet").toString());
        assertEquals(2, r.rows());
    }

    @Test
    void filesWhoseHeadersNameTheColumnsInAnotherOrderAreRefused() throws Exception {
        // Was: Spark mapped the second file's fields by position, and its labels were scored as texts, exit 0.
        Path folder = Files.createDirectory(dir.resolve("swapped"));
        Files.writeString(folder.resolve("a.csv"), "text,truth\ngood film,pos\n");
        Files.writeString(folder.resolve("b.csv"), "truth,text\nneg,awful terrible boring\n");
        JobRefusedException e = assertThrows(JobRefusedException.class, () -> ScoreJob.run(LocalSpark.get(), "--model", TestModels.tiny().toString(),
                "--input", folder.toString(), "--input-format", "csv", "--output", dir.resolve("scored.parquet").toString()));
        assertTrue(e.getMessage().contains("(every file of a CSV input has the same columns in the same order)"), e.getMessage());
        assertTrue(e.getMessage().contains("[truth, text]") && e.getMessage().contains("[text, truth]"), e.getMessage());
    }

    private void assertRefused(String content, String where) throws Exception {
        assertRefused(Files.writeString(dir.resolve("bad.csv"), content), where);
    }

    private void assertRefused(Path csv, String where) {
        JobRefusedException e = assertThrows(JobRefusedException.class, () -> score(csv));
        String expected = "--input " + csv + ": file:" + csv + ", " + where;
        assertTrue(e.getMessage().startsWith(expected), "expected a message starting with\n" + expected + "\ngot\n" + e.getMessage());
        assertFalse(Files.exists(dir.resolve("scored.parquet")), "nothing was written");
    }

    private ScoreJob.Report score(Path csv) {
        return ScoreJob.run(LocalSpark.get(), "--model", TestModels.tiny().toString(), "--input", csv.toString(), "--output", dir.resolve("scored.parquet").toString());
    }
}
