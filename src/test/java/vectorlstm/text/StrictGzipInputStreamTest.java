package vectorlstm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vectorlstm.text.GzipBytes.gzip;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

/**
 * The strict gzip reader against the JDK's: the same bytes for every well-formed stream (one
 * member, several, empty, every optional header field, odd buffer sizes), and refusals where the
 * JDK drops trailing bytes without a word.
 */
class StrictGzipInputStreamTest {
    private static final byte[] HELLO = "hello, gzip\n".getBytes();

    @Test
    void readsWhatTheJdkReadsAtEveryBufferSize() throws IOException {
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        Arrays.fill(data, 100_000, 200_000, (byte) 'a'); // a compressible stretch too
        byte[] gz = gzip(data);
        for (int buffer : new int[] {1, 7, 512, 1 << 16}) {
            assertArrayEquals(data, readAll(gz, buffer), "buffer " + buffer);
        }
        assertArrayEquals(jdk(gz), readAll(gz, 512));
    }

    @Test
    void concatenatedMembersAreReadOneAfterAnother() throws IOException {
        byte[] twice = concat(gzip(HELLO), gzip(new byte[0]), gzip(HELLO));
        assertArrayEquals(concat(HELLO, HELLO), readAll(twice, 3));
        assertArrayEquals(jdk(twice), readAll(twice, 1 << 16));
    }

    @Test
    void zeroPaddingAfterTheLastMemberIsAccepted() throws IOException {
        // As gzip -d: tape and block padding is silent, not "trailing garbage".
        byte[] padded = concat(gzip(HELLO), new byte[10_000]);
        assertArrayEquals(HELLO, readAll(padded, 512));
    }

    @Test
    void whereTheDataEndsIsInAsciiDigitsUnderAnyLocale() {
        // Before, an Arabic locale wrote the byte offsets in Arabic-Indic digits, unlike every other message.
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("ar-EG"));
            byte[] gz = gzip(HELLO);
            assertGarbage(concat(gz, "GARBAGE".getBytes()), "ends at byte " + gz.length + ": byte " + gz.length + " is 0x47");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void trailingGarbageIsRefusedWithWhereTheDataEnds() {
        byte[] gz = gzip(HELLO);
        int end = gz.length;
        assertGarbage(concat(gz, "GARBAGE".getBytes()), "ends at byte " + end + ": byte " + end + " is 0x47");
        assertGarbage(concat(gz, new byte[5], new byte[] {1}), "byte " + (end + 5) + " is 0x01");
        assertGarbage(concat(gz, new byte[] {0x1f, 0x00}), "byte " + (end + 1) + " is 0x00");
        // The JDK reads each of these as HELLO alone: the silence this class exists to end.
        assertArrayEquals(HELLO, jdk(concat(gz, "GARBAGE".getBytes())));
    }

    @Test
    void aSecondMemberCutShortIsTruncationNotPadding() {
        byte[] gz = gzip(HELLO);
        byte[] cut = concat(gz, Arrays.copyOf(gz, 4)); // magic, method, flags: then nothing
        assertThrows(EOFException.class, () -> readAll(cut, 512));
        byte[] badMethod = concat(gz, new byte[] {0x1f, (byte) 0x8b, 0x07});
        ZipException e = assertThrows(ZipException.class, () -> readAll(badMethod, 512));
        assertTrue(e.getMessage().contains("Unsupported compression method"), e.getMessage());
    }

    @Test
    void truncationAnywhereIsAnEofException() {
        byte[] gz = gzip(HELLO);
        for (int length = 0; length < gz.length; length++) {
            byte[] cut = Arrays.copyOf(gz, length);
            assertThrows(EOFException.class, () -> readAll(cut, 512), "cut at " + length);
        }
    }

    @Test
    void damageIsAZipException() {
        byte[] gz = gzip(HELLO);
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 6] ^= 0x55;
        assertMessage(badCrc, "CRC-32");
        byte[] badLength = gz.clone();
        badLength[gz.length - 2] ^= 0x01;
        assertMessage(badLength, "length");
        assertMessage("hello, not gzip".getBytes(), "Not in GZIP format");
        byte[] reserved = gz.clone();
        reserved[3] = (byte) 0x80;
        assertMessage(reserved, "reserved gzip header flags");
    }

    @Test
    void optionalHeaderFieldsAreSkippedAndTheHeaderCrcChecked() throws IOException {
        byte[] withFields = memberWithAllHeaderFields(HELLO, false);
        assertArrayEquals(HELLO, readAll(withFields, 3));
        assertArrayEquals(HELLO, jdk(withFields));
        assertMessage(memberWithAllHeaderFields(HELLO, true), "header CRC");
    }

    private static void assertGarbage(byte[] gz, String part) {
        StrictGzipInputStream.TrailingGarbageException e =
                assertThrows(StrictGzipInputStream.TrailingGarbageException.class, () -> readAll(gz, 512));
        assertTrue(e.getMessage().startsWith("trailing garbage after the gzip data"), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static void assertMessage(byte[] gz, String part) {
        ZipException e = assertThrows(ZipException.class, () -> readAll(gz, 512));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static byte[] readAll(byte[] gz, int buffer) throws IOException {
        try (InputStream in = new StrictGzipInputStream(new ByteArrayInputStream(gz), buffer)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[777];
            for (int n; (n = in.read(chunk)) >= 0; ) out.write(chunk, 0, n);
            assertEquals(-1, in.read());
            return out.toByteArray();
        }
    }

    private static byte[] jdk(byte[] gz) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One member with FEXTRA, FNAME, FCOMMENT and FHCRC set (RFC 1952), as GZIPOutputStream never writes. */
    private static byte[] memberWithAllHeaderFields(byte[] data, boolean wrongHeaderCrc) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x1f);
        out.write(0x8b);
        out.write(8);
        out.write(2 | 4 | 8 | 16);
        out.writeBytes(new byte[] {1, 2, 3, 4, 0, 3}); // MTIME, XFL, OS
        out.writeBytes(new byte[] {3, 0, 'x', 'y', 'z'}); // XLEN = 3, then the extra field
        out.writeBytes("name.txt\0".getBytes());
        out.writeBytes("a comment\0".getBytes());
        CRC32 header = new CRC32();
        header.update(out.toByteArray());
        int crc16 = (int) header.getValue() & 0xffff ^ (wrongHeaderCrc ? 1 : 0);
        out.write(crc16 & 0xff);
        out.write(crc16 >>> 8);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        byte[] deflated = new byte[data.length + 64];
        int n = deflater.deflate(deflated);
        deflater.end();
        out.write(deflated, 0, n);
        CRC32 crc = new CRC32();
        crc.update(data);
        writeLeInt(out, crc.getValue());
        writeLeInt(out, data.length);
        return out.toByteArray();
    }

    private static void writeLeInt(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)) & 0xff);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
