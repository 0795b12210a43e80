package vectorlstm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The streaming strict decoder names a bad byte's own line and offset, wherever the byte falls
 * against its 64 KiB buffer and however the caller reads: the loaders' messages come from it.
 */
class Utf8ReaderTest {
    @Test
    void theTextBeforeABadByteIsReadFirstThenItsPlaceIsNamed() throws IOException {
        byte[] bytes = concat("ab\r\ncd\ne\rf".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xE9, 'g'});
        Utf8Reader in = new Utf8Reader(new ByteArrayInputStream(bytes));
        StringBuilder read = new StringBuilder();
        Utf8Reader.Malformed e = assertThrows(Utf8Reader.Malformed.class, () -> {
            for (int c = in.read(); ; c = in.read()) read.append((char) c);
        });
        assertEquals("ab\r\ncd\ne\rf", read.toString());
        assertEquals(4, e.line, "CRLF, LF and a lone CR each end a line");
        assertEquals(10, e.byteOffset);
        assertThrows(Utf8Reader.Malformed.class, in::read, "the stream stays refused");
    }

    @Test
    void badBytesAroundTheBufferBoundaryKeepTheirPlace() throws IOException {
        // Was (a JDK reader): the loaders' line was behind the bad byte's by whatever the reader had decoded ahead.
        for (int at : new int[] {65535, 65536, 65537, 131071, 200000}) {
            byte[] bytes = "x\n".repeat(at / 2 + 1).getBytes(StandardCharsets.UTF_8);
            bytes[at] = (byte) 0xFF;
            Utf8Reader.Malformed e = assertThrows(Utf8Reader.Malformed.class, () -> drain(new Utf8Reader(new ByteArrayInputStream(bytes)), 4096));
            assertEquals(at, e.byteOffset, "offset of the byte at " + at);
            assertEquals(at / 2 + 1, e.line, "line of the byte at " + at);
        }
    }

    @Test
    void aCharacterSplitByTheBufferOrByTinyReadsDecodesWhole() throws IOException {
        String text = "é".repeat(40000) + "€𝄞" + "ü".repeat(30000);  // two-, three- and four-byte characters across 64 KiB
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(text, drain(new Utf8Reader(new ByteArrayInputStream(bytes)), 8192));
        assertEquals(text, drain(new Utf8Reader(new OneByteAtATime(bytes)), 3));
    }

    @Test
    void aCharacterCutByTheEndOfTheStreamIsMalformed() {
        byte[] bytes = concat("ok\n".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xE2, (byte) 0x82});  // € without its last byte
        Utf8Reader.Malformed e = assertThrows(Utf8Reader.Malformed.class, () -> drain(new Utf8Reader(new ByteArrayInputStream(bytes)), 100));
        assertEquals(2, e.line);
        assertEquals(3, e.byteOffset);
    }

    @Test
    void theParserSaysTheFileLineAndOffsetOfABadByte() {
        // Was: CsvParser's callers decoded the file a second time to find the place; a Spark task's stream could not.
        byte[] bytes = concat("t,l\n\"a\nb\",x\n".getBytes(StandardCharsets.UTF_8), new byte[] {'c', (byte) 0xC3, ',', 'y', '\n'});
        DataException e = assertThrows(DataException.class, () -> {
            CsvParser csv = new CsvParser(new ByteArrayInputStream(bytes), ',', "in.csv");
            while (csv.next() != null) { /* reads to the bad byte */ }
        });
        assertEquals("in.csv, line 4: not valid UTF-8 (bad byte at offset 13); re-save the file as UTF-8", e.getMessage());
    }

    @Test
    void aRecordEndedByACrIsCheckedBeforeABadByteThatFollows() {
        // Was: telling CR from CRLF read the bad byte first, so a field-count error on line 2 became line 3's UTF-8 error (LF files said line 2).
        for (String end : new String[] {"\r", "\n", "\r\n"}) {
            byte[] bytes = concat(("t,l" + end + "x,y,z" + end).getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, ',', 'a'});
            DataException e = assertThrows(DataException.class, () -> {
                CsvParser csv = new CsvParser(new ByteArrayInputStream(bytes), ',', "in.csv");
                List<String> header = csv.next();
                for (List<String> record = csv.next(); record != null; record = csv.next()) csv.requireFieldsOf(header, record);
            });
            assertEquals("in.csv, line 2: expected 2 fields, as in the header, but found 3 (is a field with the delimiter or a line break missing its quotes?)",
                    e.getMessage(), "line ending " + end.replace("\r", "CR").replace("\n", "LF"));
        }
        // The bad byte itself is still refused, once the record before it passes.
        byte[] fine = concat("t,l\rx,y\r".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, ',', 'a'});
        DataException bad = assertThrows(DataException.class, () -> {
            CsvParser csv = new CsvParser(new ByteArrayInputStream(fine), ',', "in.csv");
            while (csv.next() != null) { /* to the bad byte */ }
        });
        assertEquals("in.csv, line 3: not valid UTF-8 (bad byte at offset 8); re-save the file as UTF-8", bad.getMessage());
    }

    @Test
    void theParserTellsHowEachRecordEnded() throws IOException {
        CsvParser csv = new CsvParser(new ByteArrayInputStream("a\r\nb\n\r\nc\rd".getBytes(StandardCharsets.UTF_8)), ',', "e.csv");
        CsvParser.Ending[] expected = {CsvParser.Ending.CRLF, CsvParser.Ending.LF, CsvParser.Ending.CR, CsvParser.Ending.END_OF_FILE};
        for (CsvParser.Ending ending : expected) {
            csv.next();
            assertEquals(ending, csv.ending());
        }
        assertEquals(null, csv.next());
    }

    private static String drain(Utf8Reader in, int chunk) throws IOException {
        StringBuilder out = new StringBuilder();
        char[] buffer = new char[chunk];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) out.append(buffer, 0, n);
        return out.toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** A stream that hands out one byte per read, as a slow pipe may. */
    private static final class OneByteAtATime extends InputStream {
        private final byte[] bytes;
        private int next;

        OneByteAtATime(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return next < bytes.length ? bytes[next++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) return 0;
            if (next == bytes.length) return -1;
            b[off] = bytes[next++];
            return 1;
        }
    }
}
