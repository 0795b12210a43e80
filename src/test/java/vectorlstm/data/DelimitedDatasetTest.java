package vectorlstm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DelimitedDatasetTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static DataException fails(Path file, String text, String label) {
        return assertThrows(DataException.class, () -> DelimitedDataset.load(file, text, label));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
        }
    }

    @Test
    void aDeviceIsRefusedAsADataFileAndAPipeIsRead() throws Exception {
        // /dev/zero used to be read until memory ran out ("not enough memory", after 20 s).
        Path zero = Path.of("/dev/zero");
        vectorlstm.TestEnvironment.require(Files.exists(zero), "/dev/zero");
        assertMentions(assertThrows(DataException.class, () -> DelimitedDataset.load(zero, "text", "label", ',')), "/dev/zero is a device, not a data file");
        assertMentions(assertThrows(DataException.class, () -> JsonLinesDataset.load(zero, "text", "label")), "/dev/zero is a device, not a data file");
        // A named pipe (what <(...) and a piped /dev/stdin are) is still read.
        Path fifo = dir.resolve("rows.csv");
        vectorlstm.TestEnvironment.require(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
        Thread writer = new Thread(() -> {
            try {
                Files.writeString(fifo, "text,label\ngood,pos\nbad,neg\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        assertEquals(2, DelimitedDataset.load(fifo, "text", "label", ',').size());
        writer.join();
    }

    @Test
    void aMissingColumnListsTheHeaderShortAndNamesJsonLines() throws IOException {
        // A JSON-lines file read as CSV: its whole first line was printed as the header's names.
        String line = "{\"text\": \"" + "a good film ".repeat(40) + "\", \"label\": \"neg\"}";
        DataException e = fails(write("d.csv", line + "\n" + line + "\n"), "text", "label");
        assertMentions(e, "line 1: no column \"text\"; the header has \"{\\\"text\\\": \\\"a good film a good film a good\"...", "(the file looks like JSON lines: --format jsonl)");
        assertTrue(e.getMessage().length() < 300, e.getMessage());
        StringBuilder wide = new StringBuilder("c0");
        for (int i = 1; i < 30; i++) wide.append(",c").append(i);
        assertMentions(fails(write("wide.csv", wide + "\n" + "x,".repeat(29) + "x\n"), "text", "label"), "\"c19\", ... (30 columns)");
    }

    @Test
    void aLabelWithSpacesOrControlCharactersAroundItIsRefused() throws IOException {
        // "pos " beside "pos" made a two-class task a four-class one without a word.
        assertMentions(fails(write("ws.csv", "text,label\ngood,pos\nbad,neg\nfine,pos \n"), "text", "label"),
                "ws.csv", "line 4", "label \"pos \" has U+0020 (a space or an invisible character) at its end");
        // A no-break space is no whitespace to String.strip, a zero-width space no space at all: both made a third class.
        assertMentions(fails(write("nbsp.csv", "text,label\ngood,pos\nbad,neg\nfine,pos\u00a0\n"), "text", "label"), "line 4", "has U+00A0");
        assertMentions(fails(write("zwsp.csv", "text,label\ngood,pos\nbad,\u200bneg\n"), "text", "label"), "line 3", "has U+200B", "at its start");
        assertMentions(fails(write("bell.csv", "text,label\ngood,pos\nbad,neg\u0007\n"), "text", "label"), "line 3", "holds a control character");
        // The columns swapped: the "label" is a review; the message printed all of it (2,000 characters of one line).
        String review = "A long review\tthat goes on " + "and on ".repeat(300) + "to the end";
        DataException swapped = fails(write("swapped.csv", "text,label\npos,\"" + review + "\"\n"), "text", "label");
        assertMentions(swapped, "line 2", "holds a control character", "... (" + review.length() + " characters: is the label column the text column?)");
        assertTrue(swapped.getMessage().length() < 300, swapped.getMessage());
        DataException e = assertThrows(DataException.class, () -> JsonLinesDataset.load(write("ws.jsonl", "{\"t\":\"a\",\"l\":\" neg\"}\n"), "t", "l"));
        assertMentions(e, "ws.jsonl", "line 1", "has U+0020 (a space or an invisible character) at its start");
        Files.createDirectories(dir.resolve("classes/pos "));
        Files.createDirectories(dir.resolve("classes/neg"));
        Files.writeString(dir.resolve("classes/pos /a.txt"), "good");
        Files.writeString(dir.resolve("classes/neg/b.txt"), "bad");
        assertMentions(assertThrows(DataException.class, () -> FolderDataset.load(dir.resolve("classes"))), "a class folder's name is its label, and \"pos \" has spaces or control characters around or in it", "rename the folder");
        // Inside a label, spaces are fine.
        assertEquals(List.of("not sure", "pos"), DelimitedDataset.load(write("inner.csv", "text,label\na,not sure\nb,pos\n"), "text", "label").labelMap().labels());
    }

    @Test
    void oneNumberWrittenTwoWaysIsRefusedNotTwoClasses() throws IOException {
        // "1" and "1.0" in one column trained as three classes [0, 1, 1.0] (JSON lines read 1 and 1.0 as one label).
        assertMentions(fails(write("num.csv", "text,label\ngood,1\nbad,0\nfine,1.0\n"), "text", "label"),
                "labels \"1\" and \"1.0\" are the same number written two ways");
        assertMentions(fails(write("zero.csv", "text,label\ngood,0.0\nbad,-0\n"), "text", "label"), "\"0.0\" and \"-0\"");
        assertMentions(fails(write("plus.csv", "text,label\ngood,+1\nbad,-1\nfine,1\n"), "text", "label"), "\"+1\" and \"1\"");
        assertMentions(fails(write("point.csv", "text,label\ngood,1.\nbad,1\n"), "text", "label"), "\"1.\" and \"1\"");
        TextDataset words = DelimitedDataset.load(write("ok.csv", "text,label\na,1\nb,2\nc,NaN\nd,nan\ne,one\n"), "text", "label", ',');
        assertEquals(5, words.labelMap().size(), "different numbers, and words, stay apart");
        // Codes are not numbers written two ways: ICD's 250.1 and 250.10, zip codes 007 and 7 were refused as one.
        TextDataset codes = DelimitedDataset.load(write("codes.csv", "text,label\na,250.1\nb,250.10\nc,007\nd,7\n"), "text", "label", ',');
        assertEquals(List.of("007", "250.1", "250.10", "7"), codes.labelMap().labels());
    }

    /** cat a.csv b.csv: the second header row was read as a text labelled "sentiment", a third class. */
    @Test
    void aRowRepeatingTheHeaderIsRefused() throws IOException {
        assertMentions(fails(write("joined.csv", "review,sentiment\ngood,pos\nbad,neg\nreview,sentiment\nfine,pos\n"), "review", "sentiment"),
                "joined.csv, line 4: this row repeats the header row");
    }

    /** Zeros an interrupted copy left, with no line break among them: they joined a cut row to a later one, and it trained. */
    @Test
    void aNulByteIsRefusedNamingItsLine() throws IOException {
        assertMentions(fails(write("nul.tsv", "text\tlabel\ngood\tpos\nba" + "\0".repeat(5000) + "d film\tneg\n"), "text", "label"),
                "nul.tsv, line 3: a NUL byte");
        assertMentions(fails(write("nul.csv", "text,label\ngood,pos\n\"a\0b\",neg\n"), "text", "label"), "nul.csv, line 3: a NUL byte");
    }

    /** "café" composed and decomposed look alike and made two classes. */
    @Test
    void oneLabelInTwoUnicodeFormsIsRefused() throws IOException {
        assertMentions(fails(write("nfd.csv", "text,label\ngood,caf\u00e9\nbad,neg\nfine,cafe\u0301\n"), "text", "label"),
                "are the same text in two Unicode forms");
    }

    @Test
    void aFieldLongerThanATextCanBeIsRefusedNamingItsLine() throws IOException {
        // A 2 GB line used to end in "not enough memory" after minutes, naming no file.
        String big = "a".repeat(TextDataset.MAX_TEXT_BYTES + 1);
        Path plain = write("plain.csv", "text,label\ngood,pos\n" + big + ",neg\n");
        assertMentions(fails(plain, "text", "label"), "plain.csv", "line 3", "a field longer than 16 Mi characters");
        Path quoted = write("quoted.csv", "text,label\n\"" + big + "\n");
        assertMentions(fails(quoted, "text", "label"), "quoted.csv", "line 2", "a field longer than 16 Mi characters (a quote never closed");
        // JSON lines and class folders have the same bound.
        Path jsonl = write("big.jsonl", "{\"text\":\"" + big + "\",\"label\":\"pos\"}\n");
        DataException e = assertThrows(DataException.class, () -> JsonLinesDataset.load(jsonl, "text", "label"));
        assertMentions(e, "big.jsonl, line 1: longer than 16 Mi characters");
        Path folder = Files.createDirectories(dir.resolve("folders/pos"));
        Files.writeString(folder.resolve("ok.txt"), "fine");
        try (var f = new java.io.RandomAccessFile(folder.resolve("huge.txt").toFile(), "rw")) {
            f.setLength(3L << 30);  // sparse: 3 GB that take no disk
        }
        Files.createDirectories(dir.resolve("folders/neg"));
        Files.writeString(dir.resolve("folders/neg/n.txt"), "bad");
        DataException big3 = assertThrows(DataException.class, () -> FolderDataset.load(dir.resolve("folders")));
        assertMentions(big3, "huge.txt holds 3221225472 bytes, more than a text may (16 MiB)");
    }

    @Test
    void readsQuotedFieldsDoubledQuotesAndEmbeddedNewlines() throws IOException {
        Path csv = write("reviews.csv", "id,review,sentiment\n"
                + "1,\"Good, really good\",pos\n"
                + "2,\"He said \"\"meh\"\"\",neg\n"
                + "3,\"line one\nline two\",pos\n"
                + "4,plain text,neg\n"
                + "5,,neg");
        TextDataset d = DelimitedDataset.load(csv, "review", "sentiment");
        assertEquals(List.of("Good, really good", "He said \"meh\"", "line one\nline two", "plain text", ""), d.texts());
        assertEquals(List.of("neg", "pos"), d.labelMap().labels());
        assertArrayEquals(new int[] {1, 0, 1, 0, 0}, d.labels());
    }

    @Test
    void readsCrlfFilesAndKeepsCrlfInsideQuotes() throws IOException {
        Path csv = write("windows.csv", "text,label\r\n\"a\r\nb\",1\r\nc,0\r\n\r\n");
        TextDataset d = DelimitedDataset.load(csv, "text", "label");
        assertEquals(List.of("a\r\nb", "c"), d.texts());
        assertArrayEquals(new int[] {1, 0}, d.labels());
    }

    @Test
    void dropsALeadingByteOrderMark() throws IOException {
        Path csv = write("bom.csv", "\uFEFFtext,label\nhello,x\nbye,y\n");
        TextDataset d = DelimitedDataset.load(csv, "text", "label");
        assertEquals(List.of("hello", "bye"), d.texts());
    }

    @Test
    void wrongFieldCountNamesTheLineAfterAnEmbeddedNewline() throws IOException {
        // The quoted field spans lines 2-3, so the short row is on line 5.
        Path csv = write("short.csv", "text,label\n\"two\nlines\",a\nok,b\nmissing label\n");
        assertMentions(fails(csv, "text", "label"), "short.csv", "line 5", "expected 2 fields", "found 1");
    }

    /** A copy cut inside its last label made "neg" a class "ne" of one example, and the model a 3-class one. */
    @Test
    void aFileCutInsideItsLastLabelIsRefused() throws IOException {
        Path cut = write("cut.csv", "text,label\ngood,pos\nbad,neg\nawful,ne");
        assertMentions(fails(cut, "text", "label"), "cut.csv", "line 4", "no line ending", "\"ne\"", "end it with a line break");
        Path cutTsv = write("cut.tsv", "text\tlabel\ngood\tpos\nbad\tneg\nawful\tn");
        assertMentions(fails(cutTsv, "text", "label"), "cut.tsv", "line 4", "\"n\"");
        // Whole files: the same rows with a line break, and a last row without one whose label is known.
        assertEquals(3, DelimitedDataset.load(write("whole.csv", "text,label\ngood,pos\nbad,neg\nawful,ne\n"), "text", "label").labelMap().size());
        assertEquals(3, DelimitedDataset.load(write("known.csv", "text,label\ngood,pos\nbad,neg\nawful,neg"), "text", "label").size());
        // The label not last in the row: a cut there leaves too few fields, refused as such.
        assertMentions(fails(write("first.csv", "label,text\npos,good\nneg,bad\nne"), "text", "label"), "line 4", "expected 2 fields");
    }

    @Test
    void missingColumnListsTheHeader() throws IOException {
        Path csv = write("cols.csv", "review,sentiment\nx,pos\n");
        assertMentions(fails(csv, "text", "sentiment"), "cols.csv", "line 1", "\"text\"", "\"review\", \"sentiment\"");
    }

    @Test
    void unterminatedQuoteNamesTheLineItOpenedOn() throws IOException {
        Path csv = write("open.csv", "text,label\nfine,a\n\"never closed,b\nmore\n");
        assertMentions(fails(csv, "text", "label"), "open.csv", "line 3", "never closed");
    }

    @Test
    void textAfterAClosingQuoteIsAnError() throws IOException {
        Path csv = write("after.csv", "text,label\n\"quoted\"tail,a\n");
        assertMentions(fails(csv, "text", "label"), "line 2", "after a closing quote");
        // A stray quote opening line 3 runs to the next quote, on line 6: the message named line 6 alone.
        Path stray = write("stray.csv", "text,label\nfine,a\n\"stray opens here,b\nok,a\nok,b\nsays \"quoted\" here,a\n");
        assertMentions(fails(stray, "text", "label"), "line 6", "after a closing quote", "the quoted field began on line 3");
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsKept() throws IOException {
        Path csv = write("inch.csv", "text,label\na 5\" screen,a\nx,b\n");
        assertEquals("a 5\" screen", DelimitedDataset.load(csv, "text", "label").text(0));
    }

    @Test
    void emptyLabelIsAnErrorButEmptyTextIsNot() throws IOException {
        Path csv = write("nolabel.csv", "text,label\n,a\nsome text,\n");
        assertMentions(fails(csv, "text", "label"), "line 3", "empty label");
        Path quoted = write("quotedempty.csv", "text,label\n,a\nsome text,\"\"\n");
        assertMentions(fails(quoted, "text", "label"), "line 3", "empty label");
    }

    @Test
    void readsTsvByExtension() throws IOException {
        Path tsv = write("data.tsv", "label\ttext\tsource\n"
                + "b\tcommas, stay\tweb\n"
                + "a\t\"tab\tinside\"\tweb\n"
                + "c\tthird class\tbook\n");
        TextDataset d = DelimitedDataset.load(tsv, "text", "label");
        assertEquals(List.of("commas, stay", "tab\tinside", "third class"), d.texts());
        assertEquals(List.of("a", "b", "c"), d.labelMap().labels());
        assertArrayEquals(new int[] {1, 0, 2}, d.labels());
    }

    /**
     * A TSV written without quoting, one text starting with a quote and a later one ending with
     * one before its tab: the rows between read as one text with the last one's label (2 rows of
     * 5 trained, exit 0). A quoted TSV field holding a tab or a line break alone still reads.
     */
    @Test
    void anUnquotedTsvWhoseQuotesSwallowRowsIsRefused() throws IOException {
        Path tsv = write("reviews.tsv", "review\tsentiment\n\"Loved it, go see it\tpos\nboring and too long\tneg\n"
                + "wonderful story\tpos\nwatched it on my 55\"\tneg\nmoving and beautiful\tpos\n");
        assertMentions(fails(tsv, "review", "sentiment"), "reviews.tsv", "line 2", "a quoted field runs to line 5 and holds both tabs and line breaks",
                "convert the file to JSON lines or a quoted CSV");
        Path quoted = write("quoted.tsv", "text\tlabel\n\"two\nlines\"\ta\n\"tab\there\"\tb\n");
        assertEquals(List.of("two\nlines", "tab\there"), DelimitedDataset.load(quoted, "text", "label").texts());
    }

    /** Each field of a record was kept until the record ended: a line of 100 million commas took gigabytes before its count was checked. */
    @Test
    void aRecordWithFarMoreFieldsThanTheHeaderIsRefusedWhileRead() throws IOException {
        Path csv = write("commas.csv", "text,label\nfine,a\n" + ",".repeat(50_000) + "\n");
        assertMentions(fails(csv, "text", "label"), "line 3", "expected 2 fields, as in the header, but found more than 1026");
    }

    @Test
    void explicitDelimiterOverridesTheExtension() throws IOException {
        Path semi = write("data.txt", "text;label\nx;1\ny;0\n");
        assertArrayEquals(new int[] {1, 0}, DelimitedDataset.load(semi, "text", "label", ';').labels());
        assertMentions(fails(semi, "text", "label"), ".csv or .tsv");
    }

    @Test
    void threeClassesAreNumberedInSortedOrder() throws IOException {
        Path csv = write("news.csv", "text,topic\nstocks,business\ngoal,sports\nsummit,world\nmerger,business\n");
        TextDataset d = DelimitedDataset.load(csv, "text", "topic");
        assertEquals(List.of("business", "sports", "world"), d.labelMap().labels());
        assertArrayEquals(new int[] {0, 1, 2, 0}, d.labels());
    }

    @Test
    void emptyFilesAndHeaderOnlyFilesAreErrors() throws IOException {
        assertMentions(fails(write("empty.csv", ""), "text", "label"), "empty.csv", "header");
        assertMentions(fails(write("header.csv", "text,label\n"), "text", "label"), "no rows");
    }

    @Test
    void invalidUtf8NamesTheFileAndLine() throws IOException {
        Path csv = Files.write(dir.resolve("latin1.csv"), new byte[] {'t', ',', 'l', '\n', 'c', (byte) 0xE9, ',', 'a', '\n'});
        assertMentions(fails(csv, "t", "l"), "latin1.csv", "line 2", "offset 5", "UTF-8");
    }

    @Test
    void recordsCrossingTheReadBufferParseIntact() throws IOException {
        // Varied lengths land every kind of character (quote pair, CR of CRLF, delimiter) on the
        // 64 Ki-char buffer boundary somewhere in ~300 KB.
        StringBuilder csv = new StringBuilder("text,label\r\n");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String text = "x".repeat(i % 97) + "\"q\"\r\n," + i;
            expected.add(text);
            csv.append('"').append(text.replace("\"", "\"\"")).append("\",").append(i % 3).append("\r\n");
        }
        TextDataset d = DelimitedDataset.load(write("big.csv", csv.toString()), "text", "label");
        assertEquals(expected, d.texts());
        assertEquals(2, d.label(2999));
    }

    @Test
    void sameColumnForTextAndLabelIsAnError() throws IOException {
        Path csv = write("same.csv", "text,label\nx,a\n");
        assertThrows(DataException.class, () -> DelimitedDataset.load(csv, "text", "text"));
    }
}
