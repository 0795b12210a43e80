package vectorlstm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesDatasetTest {
    @TempDir
    Path dir;

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("data.jsonl"), content, StandardCharsets.UTF_8);
    }

    private static void assertFails(Path file, String... parts) {
        DataException e = assertThrows(DataException.class, () -> JsonLinesDataset.load(file, "text", "label"));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
        }
    }

    @Test
    void stringLabels() throws IOException {
        Path f = write("\uFEFF{\"text\": \"great \\\"film\\\"\", \"label\": \"pos\"}\n"
                + "\n"
                + "{\"label\": \"neg\", \"text\": \"dull\\nand long\", \"id\": 7}\r\n"
                + "   \n");
        TextDataset d = JsonLinesDataset.load(f, "text", "label");
        assertEquals(List.of("great \"film\"", "dull\nand long"), d.texts());
        assertArrayEquals(new int[] {1, 0}, d.labels());
    }

    @Test
    void numberLabelsUseTheirIntegerForm() throws IOException {
        Path f = write("{\"text\": \"a\", \"label\": 1}\n{\"text\": \"b\", \"label\": 0}\n{\"text\": \"c\", \"label\": 1.0}\n"
                + "{\"text\": \"d\", \"label\": 2}\n");
        TextDataset d = JsonLinesDataset.load(f, "text", "label");
        assertEquals(List.of("0", "1", "2"), d.labelMap().labels());
        assertArrayEquals(new int[] {1, 0, 1, 2}, d.labels());
    }

    /** 1e20 came out as "1.0E20", a class apart from 100000000000000000000. */
    @Test
    void aLargeWholeNumberIsOneLabelHoweverItIsWritten() throws IOException {
        Path f = write("{\"text\": \"a\", \"label\": 1e20}\n{\"text\": \"b\", \"label\": 100000000000000000000}\n{\"text\": \"c\", \"label\": 2}\n"
                + "{\"text\": \"d\", \"label\": 1e23}\n{\"text\": \"e\", \"label\": 100000000000000000000000}\n");
        TextDataset d = JsonLinesDataset.load(f, "text", "label");
        // 1e23 is no double exactly: read as written, not as the binary value 99999999999999991611392
        assertEquals(List.of("100000000000000000000", "100000000000000000000000", "2"), d.labelMap().labels());
    }

    /** CSV refused one column for both; JSON lines trained a model on its own labels. */
    @Test
    void theSameFieldForTextAndLabelIsRefused() throws IOException {
        Path f = write("{\"y\": \"p\"}\n{\"y\": \"q\"}\n");
        DataException e = assertThrows(DataException.class, () -> JsonLinesDataset.load(f, "y", "y"));
        assertTrue(e.getMessage().contains("the text and label fields must differ, both are \"y\""), e.getMessage());
    }

    @Test
    void anObjectOverSeveralLinesGetsAHint() throws IOException {
        assertFails(write("{\n  \"text\": \"a\",\n  \"label\": 1\n}\n"), "line 1", "one object written over several lines");
    }

    @Test
    void booleanLabels() throws IOException {
        Path f = write("{\"text\": \"a\", \"label\": true}\n{\"text\": \"b\", \"label\": false}\n");
        TextDataset d = JsonLinesDataset.load(f, "text", "label");
        assertEquals(List.of("false", "true"), d.labelMap().labels());
        assertArrayEquals(new int[] {1, 0}, d.labels());
    }

    @Test
    void badJsonNamesTheLine() throws IOException {
        assertFails(write("{\"text\": \"a\", \"label\": 1}\n\n{\"text\": \"b\", \"label\": 0\n"), "data.jsonl", "line 3", "JSON");
    }

    @Test
    void aJsonArrayFileGetsAHint() throws IOException {
        assertFails(write("[{\"text\": \"a\", \"label\": 1},\n {\"text\": \"b\", \"label\": 0}]\n"), "line 1", "one object per line");
    }

    @Test
    void missingFieldListsTheFields() throws IOException {
        assertFails(write("{\"text\": \"a\", \"label\": 1}\n{\"review\": \"b\", \"label\": 0}\n"), "line 2", "\"text\"", "review");
    }

    @Test
    void wrongTypesAreErrors() throws IOException {
        assertFails(write("{\"text\": 5, \"label\": 1}\n"), "line 1", "must be a string", "number");
        assertFails(write("{\"text\": null, \"label\": 1}\n"), "line 1", "must be a string", "null");
        assertFails(write("{\"text\": \"a\", \"label\": [1]}\n"), "line 1", "an array");
        assertFails(write("{\"text\": \"a\", \"label\": null}\n"), "line 1", "null");
        assertFails(write("{\"text\": \"a\", \"label\": \"\"}\n"), "line 1", "empty label");
        assertFails(write("\"just a string\"\n"), "line 1", "expected a JSON object");
    }

    @Test
    void invalidUtf8NamesTheLine() throws IOException {
        byte[] good = "{\"text\": \"a\", \"label\": 1}\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xFF, '"', '}', '\n'};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(good);
        out.writeBytes(good);
        out.writeBytes(bad);
        Path f = Files.write(dir.resolve("data.jsonl"), out.toByteArray());
        assertFails(f, "data.jsonl", "line 3", "UTF-8");
    }

    @Test
    void noRecordsIsAnError() throws IOException {
        assertFails(write("\n  \n"), "no JSON objects");
    }
}
