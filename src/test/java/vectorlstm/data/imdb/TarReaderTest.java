package vectorlstm.data.imdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.data.DataException;

class TarReaderTest {
    @TempDir
    Path dir;

    /** Records "path=content" for wanted files and every path offered. */
    private static final class Recorder implements TarVisitor {
        final List<String> offered = new ArrayList<>();
        final List<String> files = new ArrayList<>();
        private final Predicate<String> wanted;

        Recorder(Predicate<String> wanted) {
            this.wanted = wanted;
        }

        @Override
        public boolean wants(String path) {
            offered.add(path);
            return wanted.test(path);
        }

        @Override
        public void file(String path, byte[] data, int length) {
            files.add(path + "=" + new String(data, 0, length, StandardCharsets.UTF_8));
        }
    }

    private static Recorder readAll(byte[] tar) {
        Recorder r = new Recorder(p -> true);
        TarReader.read(new ByteArrayInputStream(tar), "test.tar", r);
        return r;
    }

    private static String longPath() {
        return "top/" + "a-very-long-folder-name/".repeat(6) + "ünïcode-file.txt";
    }

    @Test
    void readsEveryHeaderStyleAndSkipsNonFiles() {
        byte[] tar = new TinyTar()
                .directory("top")
                .file("top/plain.txt", "plain")
                .ustarPrefixFile("top/prefixed/folder", "name.txt", "prefixed")
                .gnuLongNameFile(longPath(), TinyTar.utf8("long"))
                .paxPathFile("top/pax/" + "p".repeat(120) + ".txt", "pax")
                .symlink("top/link")
                .v7File("top/v7.txt", "v7")
                .file("top/empty.txt", "")
                .tar();
        Recorder r = readAll(tar);
        assertEquals(List.of("top/plain.txt=plain", "top/prefixed/folder/name.txt=prefixed", longPath() + "=long",
                "top/pax/" + "p".repeat(120) + ".txt=pax", "top/v7.txt=v7", "top/empty.txt="), r.files);
    }

    @Test
    void unwantedFilesAreSkippedAndLaterOnesStillRead() {
        byte[] big = new byte[200_000];
        new Random(1).nextBytes(big);
        byte[] tar = new TinyTar().file("skip.bin", big).file("keep.txt", "kept").tar();
        Recorder r = new Recorder(p -> p.endsWith(".txt"));
        TarReader.read(new ByteArrayInputStream(tar), "test.tar", r);
        assertEquals(List.of("skip.bin", "keep.txt"), r.offered);
        assertEquals(List.of("keep.txt=kept"), r.files);
    }

    @Test
    void readsFilesLargerThanTheInitialBuffer() throws IOException {
        byte[] big = new byte[300_001];
        new Random(2).nextBytes(big);
        Path archive = new TinyTar().file("small", "s").file("big.bin", big).file("after", "a")
                .writeTarGz(dir.resolve("big.tar.gz"));
        List<byte[]> seen = new ArrayList<>();
        TarReader.readTarGz(archive, new TarVisitor() {
            @Override
            public boolean wants(String path) {
                return true;
            }

            @Override
            public void file(String path, byte[] data, int length) {
                seen.add(Arrays.copyOf(data, length));
            }
        });
        assertEquals(3, seen.size());
        assertArrayEquals(big, seen.get(1));
        assertArrayEquals(TinyTar.utf8("a"), seen.get(2));
    }

    @Test
    void gzipCutInHalfIsATruncatedArchiveNamingTheEntry() throws IOException {
        byte[] noise = new byte[100_000]; // incompressible, so the middle of the .gz is inside it
        new Random(3).nextBytes(noise);
        byte[] gz = new TinyTar().file("first.txt", "one").file("dir/noise.bin", noise).tarGz();
        Path cut = Files.write(dir.resolve("cut.tar.gz"), Arrays.copyOf(gz, gz.length / 2));
        DataException e = assertThrows(DataException.class, () -> TarReader.readTarGz(cut, new Recorder(p -> true)));
        assertTrue(e.getMessage().contains("truncated archive: unexpected end inside dir/noise.bin"), e.getMessage());
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    }

    @Test
    void truncationInsideAHeaderOrDataOfAPlainTar() {
        byte[] tar = new TinyTar().file("a.txt", "x".repeat(600)).file("b.txt", "b").tar();
        DataException inData = assertThrows(DataException.class, () -> readAll(Arrays.copyOf(tar, 700)));
        assertTrue(inData.getMessage().contains("unexpected end inside a.txt"), inData.getMessage());
        DataException inHeader = assertThrows(DataException.class, () -> readAll(Arrays.copyOf(tar, 1536 + 100)));
        assertTrue(inHeader.getMessage().contains("unexpected end inside the tar header after a.txt"),
                inHeader.getMessage());
        DataException first = assertThrows(DataException.class, () -> readAll(Arrays.copyOf(tar, 100)));
        assertTrue(first.getMessage().contains("truncated archive"), first.getMessage());
    }

    @Test
    void aPaxSizeThatIsNoSizeIsRefused() {
        for (String size : List.of("-5", "12x")) {
            byte[] tar = new TinyTar().paxRecordThenFile("size", size, "a.txt", "abc").tar();
            DataException e = assertThrows(DataException.class, () -> readAll(tar));
            assertTrue(e.getMessage().contains("bad pax size '" + size + "'"), e.getMessage());
        }
        // A pax size that agrees with the header is read as usual.
        assertEquals(List.of("a.txt=abc"), readAll(new TinyTar().paxRecordThenFile("size", "3", "a.txt", "abc").tar()).files);
    }

    @Test
    void missingEndMarkerIsReported() {
        byte[] tar = new TinyTar().file("a.txt", "a").tarWithoutEndMarker();
        DataException e = assertThrows(DataException.class, () -> readAll(tar));
        assertTrue(e.getMessage().contains("unexpected end after a.txt (no end-of-archive marker)"), e.getMessage());
    }

    @Test
    void aLoneZeroBlockInsideTheArchiveIsDamageNotItsEnd() {
        // It used to end the archive there: every review after it was dropped without a word.
        byte[] tar = new TinyTar().file("a.txt", "a").loneZeroBlock().file("b.txt", "b").tar();
        DataException e = assertThrows(DataException.class, () -> readAll(tar));
        assertTrue(e.getMessage().contains("data after the end-of-archive marker at byte 1024 (a lone zero block inside the archive, after a.txt)"), e.getMessage());
        // Zeros to the end (the second marker block and a record's padding) are a proper end.
        byte[] padded = Arrays.copyOf(new TinyTar().file("a.txt", "a").tar(), 10240);
        assertEquals(List.of("a.txt=a"), readAll(padded).files);
    }

    @Test
    void anEntryClaimingGigabytesIsRefusedBeforeAnyIsReserved() {
        byte[] tar = withSize(new TinyTar().file("a.txt", "abc").tar(), (1L << 31) - 100);
        DataException e = assertThrows(DataException.class, () -> readAll(tar));
        assertTrue(e.getMessage().contains("an entry of 2147483548 bytes is larger than a review can be (at most 16 MiB)"), e.getMessage());
    }

    /**
     * A size cut short within the entry's last block (checksum redone) read silently: a review
     * became "rev" and the rest went to the padding. (Made longer, it reads the padding's zeros,
     * which ImdbDataset refuses in a review.)
     */
    @Test
    void aSizeThatCutsTheDataShortWithinItsBlockIsRefused() {
        byte[] shorter = withSize(new TinyTar().file("a.txt", "a review of some length").tar(), 3);
        DataException cut = assertThrows(DataException.class, () -> readAll(shorter));
        assertTrue(cut.getMessage().contains("the padding after a.txt is not zeros: the header's size (3 bytes) cuts the data short"), cut.getMessage());
    }

    /** The first entry's header with its size field set to {@code size} and its checksum redone. */
    private static byte[] withSize(byte[] tar, long size) {
        byte[] field = String.format("%011o\0", size).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(field, 0, tar, 124, 12);
        java.util.Arrays.fill(tar, 148, 156, (byte) ' ');
        long sum = 0;
        for (int i = 0; i < 512; i++) sum += tar[i] & 0xff;
        System.arraycopy(String.format("%06o\0 ", sum).getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, tar, 148, 8);
        return tar;
    }

    @Test
    void cutInsideTheGzipTrailerAfterTheLastEntryIsStillNoticed() throws IOException {
        byte[] gz = new TinyTar().file("a.txt", "a").tarGz();
        Path cut = Files.write(dir.resolve("trailer.tar.gz"), Arrays.copyOf(gz, gz.length - 4));
        DataException e = assertThrows(DataException.class, () -> TarReader.readTarGz(cut, new Recorder(p -> true)));
        assertTrue(e.getMessage().contains("truncated archive"), e.getMessage());
    }

    @Test
    void bytesAfterTheGzipDataAreRefusedButZeroPaddingIsNot() throws IOException {
        // GZIPInputStream dropped them without a word; gzip -d says "trailing garbage ignored".
        byte[] gz = new TinyTar().file("a.txt", "a").tarGz();
        byte[] garbage = Arrays.copyOf(gz, gz.length + 3);
        garbage[gz.length] = 'x';
        Path bad = Files.write(dir.resolve("garbage.tar.gz"), garbage);
        DataException e = assertThrows(DataException.class, () -> TarReader.readTarGz(bad, new Recorder(p -> true)));
        assertTrue(e.getMessage().startsWith(bad + ": trailing garbage after the gzip data, which ends at byte "
                + gz.length + ": byte " + gz.length + " is 0x78"), e.getMessage());
        Path padded = Files.write(dir.resolve("padded.tar.gz"), Arrays.copyOf(gz, gz.length + 1000));
        Recorder r = new Recorder(p -> true);
        TarReader.readTarGz(padded, r);
        assertEquals(List.of("a.txt=a"), r.files);
    }

    @Test
    void badChecksumIsReported() {
        byte[] tar = new TinyTar().file("a.txt", "a").file("b.txt", "b").tar();
        tar[512 * 2] ^= 1; // first byte of b.txt's header
        DataException e = assertThrows(DataException.class, () -> readAll(tar));
        assertTrue(e.getMessage().contains("bad tar header checksum at byte 1024"), e.getMessage());
    }

    @Test
    void notGzipOrMissing() throws IOException {
        Path text = Files.writeString(dir.resolve("plain.tar.gz"), "hello, not gzip");
        DataException e = assertThrows(DataException.class, () -> TarReader.readTarGz(text, new Recorder(p -> true)));
        assertTrue(e.getMessage().contains("not a gzip file"), e.getMessage());
        Path empty = Files.write(dir.resolve("empty.tar.gz"), new byte[0]);
        assertThrows(DataException.class, () -> TarReader.readTarGz(empty, new Recorder(p -> true)));
        Path missing = dir.resolve("missing.tar.gz");
        DataException m = assertThrows(DataException.class, () -> TarReader.readTarGz(missing, new Recorder(p -> true)));
        assertTrue(m.getMessage().contains("does not exist"), m.getMessage());
    }

    @Test
    void corruptCompressedDataIsADataException() throws IOException {
        byte[] noise = new byte[50_000];
        new Random(4).nextBytes(noise);
        byte[] gz = new TinyTar().file("noise.bin", noise).tarGz();
        for (int i = gz.length / 3; i < gz.length / 3 + 64; i++) {
            gz[i] = (byte) ~gz[i];
        }
        Path bad = Files.write(dir.resolve("corrupt.tar.gz"), gz);
        assertThrows(DataException.class, () -> TarReader.readTarGz(bad, new Recorder(p -> true)));
    }

    @Test
    void parsesOctalAndBase256Numbers() {
        byte[] field = new byte[12];
        System.arraycopy(TinyTar.utf8("00000001750 "), 0, field, 0, 12);
        assertEquals(01750, TarHeader.parseNumber(field, 0, 12));
        byte[] base256 = new byte[12];
        base256[0] = (byte) 0x80;
        base256[7] = 0x02; // 2 << 32 = 8 GiB
        assertEquals(2L << 32, TarHeader.parseNumber(base256, 0, 12));
        assertEquals(-1, TarHeader.parseNumber(TinyTar.utf8("12x4        "), 0, 12));
        assertEquals(0, TarHeader.parseNumber(new byte[12], 0, 12));
    }
}
