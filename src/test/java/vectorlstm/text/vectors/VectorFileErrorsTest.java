package vectorlstm.text.vectors;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.TestEnvironment;
import vectorlstm.text.GzipBytes;

/** A damaged file is refused with its name, the place (line or word index) and the reason. */
class VectorFileErrorsTest {
    private static final Map<String, Integer> INDEX = Map.of("a", 1, "b", 2);
    private static final String GOOD_VEC = "2 3\na 1 2 3 \nb 4 5 6 \n";

    @TempDir
    Path dir;

    private void assertRefused(Path file, String where, String reason) {
        VectorFiles.assertRefused(file, INDEX, where, reason);
    }

    private void assertTextRefused(String name, String content, String where, String reason) {
        assertRefused(VectorFiles.text(dir, name, content), where, reason);
    }

    @Test
    void wrongNumberOfValuesAgainstTheHeader() {
        assertTextRefused("e.vec", "2 3\na 1 2 3\nb 1 2\n", "line 3", "expected 3 values, found 2");
        assertTextRefused("e.vec", "2 3\na 1 2 3\nb 1 2 3 4\n", "line 3", "expected 3 values, found 4");
    }

    @Test
    void wrongNumberOfValuesAgainstTheFirstGloveLine() {
        assertTextRefused("e.txt", "a 1 2 3\nb 1 2 3\nc 1 2\n", "line 3", "expected 3 values, found 2");
    }

    @Test
    void nonNumericValue() {
        assertTextRefused("e.vec", "2 3\na 1 2 3\nb 1 x 3\n", "line 3", "value 2: not a number: 'x'");
        assertTextRefused("e.vec", "2 3\na 1 2 3\nb 1 2 3f\n", "line 3", "not a number: '3f'");
        assertTextRefused("e.txt", "a 1 2 3\nb 1 2 1e\nc 1 2 3\n", "line 2", "not a number: '1e'");
    }

    @Test
    void nanOrInfinity() {
        assertTextRefused("e.vec", "2 3\na 1 NaN 3\nb 1 2 3\n", "line 2", "NaN or infinite value 'NaN'");
        assertTextRefused("e.vec", "2 3\na 1 2 3\nb -inf 2 3\n", "line 3", "NaN or infinite value '-inf'");
        assertTextRefused("e.vec", "2 3\na 1 2 3\nb 1e39 2 3\n", "line 3", "too large for a float: '1e39'");
    }

    @Test
    void duplicateHeader() {
        assertTextRefused("e.vec", "2 3\n2 3\na 1 2 3\n", "line 2", "a second header line");
    }

    @Test
    void missingHeaderInVec() {
        assertTextRefused("e.vec", "a 1 2 3\nb 1 2 3\nc 1 2 3\n", "line 1", "expected a header line 'count dim'");
    }

    @Test
    void emptyFile() {
        assertTextRefused("e.vec", "", "e.vec", "empty file");
        assertTextRefused("e.txt", "\n \n\n", "e.txt", "empty file");
        assertTextRefused("bom.txt", "\uFEFF\n", "bom.txt", "empty file");  // was a NegativeArraySizeException
        assertTextRefused("bom-crlf.txt", "\uFEFF\r\n\r\n", "bom-crlf.txt", "empty file");
        assertRefused(VectorFiles.write(dir.resolve("e.bin"), new byte[0]), "e.bin", "empty file");
        assertRefused(VectorFiles.write(dir.resolve("e.vec.gz"), GzipBytes.gzip(new byte[0])), "e.vec.gz", "empty file");
    }

    @Test
    void headerClaimingANonPositiveDimension() {
        assertTextRefused("e.vec", "2 0\na\nb\n", "line 1", "header claims dimension 0");
        assertTextRefused("e.vec", "2 -3\na 1 2 3\nb 1 2 3\n", "line 1", "header claims dimension -3");
        assertRefused(VectorFiles.write(dir.resolve("e.bin"), "2 0\na b ".getBytes(StandardCharsets.US_ASCII)),
                "line 1", "header claims dimension 0");
    }

    @Test
    void headerClaimingADimensionBeyondAnyPublishedVectors() {
        // Allocated from the header before a vector is read: 65,536 x 20,000 words was 5 GB for an 8-byte file.
        assertTextRefused("e.vec", "1 65536\n", "line 1", "header claims dimension 65536, more than 4096");
    }

    @Test
    void aLineLongerThanAnyVectorLineIsRefusedNotBuffered() {
        // 17 MB without a line end (a file with CR-only line ends reads as one line): refused at
        // 16 MiB instead of growing the line buffer until the array size overflows.
        byte[] line = new byte[17 << 20];
        Arrays.fill(line, (byte) 'a');
        byte[] file = new byte[line.length + 8];
        byte[] header = "2 3\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, file, 0, header.length);
        System.arraycopy(line, 0, file, header.length, line.length);
        assertRefused(VectorFiles.write(dir.resolve("long.vec"), file), "line 2", "longer than 16777216 bytes: not a line of word vectors");
    }

    @Test
    void fewerVectorsThanTheHeaderClaims() {
        assertTextRefused("e.vec", "3 3\na 1 2 3\nb 1 2 3\n", "line 3", "file ends after 2 of 3 vectors");
    }

    @Test
    void moreVectorsThanTheHeaderClaims() {
        assertTextRefused("e.vec", "1 3\na 1 2 3\nb 1 2 3\n", "line 3", "more vectors than the header's count 1");
    }

    @Test
    void truncatedGzip() {
        byte[] gz = GzipBytes.gzip(GOOD_VEC.repeat(50).getBytes(StandardCharsets.UTF_8));
        Path file = VectorFiles.write(dir.resolve("t.vec.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertRefused(file, "line ", "truncated or corrupt gzip");
    }

    /** The Java API has no flag check in front: a FIFO used to block the open until someone wrote to it. */
    @Test
    void aFolderOrAPipeIsRefusedAtOnce() throws Exception {
        assertRefused(Files.createDirectory(dir.resolve("folder.vec")), "folder.vec", "a folder, not a vector file");
        Path fifo = dir.resolve("pipe.vec");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        TestEnvironment.require(mkfifo.waitFor() == 0, "mkfifo (POSIX)");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertRefused(fifo, "pipe.vec", "not a regular file"));
    }

    @Test
    void gzipCutInsideItsTrailerSaysSo() {
        byte[] gz = GzipBytes.gzip(GOOD_VEC.getBytes(StandardCharsets.UTF_8));
        Path file = VectorFiles.write(dir.resolve("t8.vec.gz"), Arrays.copyOf(gz, gz.length - 6));  // the data whole, the CRC-32 cut
        assertRefused(file, "line ", "truncated or corrupt gzip (Unexpected end of gzip data (inside a member's trailer))");
    }

    @Test
    void gzipCutInsideItsHeader() {
        byte[] gz = GzipBytes.gzip(GOOD_VEC.getBytes(StandardCharsets.UTF_8));
        assertRefused(VectorFiles.write(dir.resolve("h.vec.gz"), Arrays.copyOf(gz, 5)), "header", "truncated or corrupt gzip");
    }

    @Test
    void corruptGzip() {
        byte[] gz = GzipBytes.gzip(GOOD_VEC.getBytes(StandardCharsets.UTF_8));
        gz[gz.length - 6] ^= 0x55;   // inside the CRC-32 of the trailer
        assertRefused(VectorFiles.write(dir.resolve("c.vec.gz"), gz), "line ", "truncated or corrupt gzip");
    }

    @Test
    void bytesAfterTheGzipDataAreRefused() {
        // GZIPInputStream dropped them without a word: a file with another appended read as the first alone.
        byte[] gz = GzipBytes.gzip(GOOD_VEC.getBytes(StandardCharsets.UTF_8));
        byte[] appended = Arrays.copyOf(gz, gz.length + 4);
        appended[gz.length + 2] = 7;
        assertRefused(VectorFiles.write(dir.resolve("g.vec.gz"), appended), "line ",
                "truncated or corrupt gzip (trailing garbage after the gzip data, which ends at byte " + gz.length
                        + ": byte " + (gz.length + 2) + " is 0x07");
        byte[] padded = Arrays.copyOf(gz, gz.length + 512);
        PretrainedVectors.load(VectorFiles.write(dir.resolve("p.vec.gz"), padded), INDEX, 3, MissingWords.ZEROS, 0);
    }

    @Test
    void aWrongHeaderDimensionIsAskedAboutWhereverTheReadGoesWrong() {
        // Was: the hint came with the first two words only; real files went wrong later ("word 8: empty word",
        // "word 67: NaN or infinite value ... of a word that is not UTF-8"), without a word about the header.
        java.util.Random r = new java.util.Random(3);
        Object[] pairs = new Object[2 * 300];
        for (int w = 0; w < 300; w++) {
            float[] v = new float[50];
            for (int k = 0; k < v.length; k++) v[k] = (float) r.nextGaussian() * 0.3f;
            pairs[2 * w] = "w" + w + "x".repeat(w % 7);
            pairs[2 * w + 1] = v;
        }
        byte[] fifty = VectorFiles.word2vec(50, true, pairs);
        for (int claimed : new int[] {49, 51, 100}) {
            byte[] wrong = new String(fifty, StandardCharsets.ISO_8859_1).replaceFirst(" 50\n", " " + claimed + "\n").getBytes(StandardCharsets.ISO_8859_1);
            assertRefused(VectorFiles.write(dir.resolve("d" + claimed + ".bin"), wrong), "d" + claimed + ".bin", "does the header's dimension " + claimed + " match the vectors?");
        }
    }

    @Test
    void truncatedWord2vecBinary() {
        byte[] bin = VectorFiles.word2vec(3, true, "a", new float[] {1, 2, 3}, "b", new float[] {4, 5, 6});
        Path file = VectorFiles.write(dir.resolve("t.bin"), Arrays.copyOf(bin, bin.length - 3));
        assertRefused(file, "word 2", "truncated: file ends inside the vector of 'b'");
    }

    @Test
    void word2vecBinaryWhoseHeaderClaimsAnotherDimensionIsAskedAboutIt() {
        // Before, a header of dimension 5 over 4-d vectors said only "word 2: empty word", nothing about the dimension.
        byte[] four = VectorFiles.word2vec(4, true, "a", new float[] {1, 2, 3, 4}, "b", new float[] {5, 6, 7, 8}, "c", new float[] {9, 10, 11, 12});
        byte[] claimsFive = new String(four, StandardCharsets.ISO_8859_1).replaceFirst(" 4\n", " 5\n").getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(VectorFiles.write(dir.resolve("d5.bin"), claimsFive), "word 2", "does the header's dimension 5 match the vectors?");
        byte[] claimsThree = new String(four, StandardCharsets.ISO_8859_1).replaceFirst(" 4\n", " 3\n").getBytes(StandardCharsets.ISO_8859_1);
        // Read 3 floats at a time, the second word starts inside the first's fourth float: a control byte in a word, found at once.
        assertRefused(VectorFiles.write(dir.resolve("d3.bin"), claimsThree), "word 2", "does the header's dimension 3 match the vectors?");
    }

    @Test
    void word2vecBinaryWithFewerOrMoreVectorsThanItsHeader() {
        byte[] two = VectorFiles.word2vec(3, true, "a", new float[] {1, 2, 3}, "b", new float[] {4, 5, 6});
        byte[] claimsThree = ("3" + new String(two, StandardCharsets.ISO_8859_1).substring(1)).getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(VectorFiles.write(dir.resolve("f.bin"), claimsThree), "word 3", "file ends after 2 of 3 vectors");
        byte[] claimsOne = ("1" + new String(two, StandardCharsets.ISO_8859_1).substring(1)).getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(VectorFiles.write(dir.resolve("m.bin"), claimsOne), "word 2", "more vectors than the header's count 1");
    }

    @Test
    void word2vecBinaryWithAWordHoldingASpaceIsRefusedNotMisread() {
        // gensim writes keys as they are: GloVe's ". . ." in a .bin. The reader stopped the word at its first space,
        // read shifted bytes as its vector, and the next word swallowed the rest: loaded, "w2" missing, no error.
        java.util.Random r = new java.util.Random(3);
        Object[] pairs = new Object[8];
        String[] words = {"w0", ". . .", "w2", "w3"};
        for (int w = 0; w < words.length; w++) {
            float[] v = new float[50];
            for (int k = 0; k < v.length; k++) v[k] = (float) r.nextGaussian() * 0.3f;
            pairs[2 * w] = words[w];
            pairs[2 * w + 1] = v;
        }
        for (boolean newline : new boolean[] {false, true}) {  // gensim's layout, then word2vec.c's
            Path file = VectorFiles.write(dir.resolve("spaced" + newline + ".bin"), VectorFiles.word2vec(50, newline, pairs));
            assertRefused(file, "spaced" + newline + ".bin", "a control byte");
        }
    }

    @Test
    void aHeaderAloneAllocatesNoMatrix() {
        // "1 4096" and nothing else: the [rows, 4096] matrix (here 6.5 GB, more than the tests' heap) was allocated before
        // the file was found to hold no vector, so a 7-byte file took hundreds of megabytes, or ended in OutOfMemoryError.
        Path file = VectorFiles.text(dir, "h.vec", "1 4096\n");
        VectorFiles.assertRefused(file, Map.of("w", 399_999), "line 1", "file ends after 0 of 1 vectors");
    }

    @Test
    void aFileWithNoWantedVectorAllocatesNoMatrixEither() {
        // "0 4096", or vectors of other words only: the matrix (6.5 GB here) was allocated at the end, before
        // the caller found no word had a vector; a 7-byte file ran out of memory instead of being refused.
        Map<String, Integer> index = Map.of("w", 399_999);
        String none = "a vector for none of the 1 words kept (e.g. w)";
        VectorFiles.assertRefused(VectorFiles.text(dir, "zero.vec", "0 4096\n"), index, "zero.vec", none);
        VectorFiles.assertRefused(VectorFiles.write(dir.resolve("zero.bin"), "0 4096\n".getBytes(StandardCharsets.US_ASCII)), index, "zero.bin", none);
        float[] vector = new float[4096];
        VectorFiles.assertRefused(VectorFiles.write(dir.resolve("other.bin"), VectorFiles.word2vec(4096, true, "other", vector)), index, "other.bin", none);
    }

    @Test
    void word2vecBinaryWithNaN() {
        byte[] bin = VectorFiles.word2vec(3, true, "a", new float[] {1, 2, 3}, "b", new float[] {4, Float.NaN, 6});
        assertRefused(VectorFiles.write(dir.resolve("n.bin"), bin), "word 2", "NaN or infinite value at position 2 of 'b'");
    }

    @Test
    void textFileReadAsWord2vecBinary() {
        assertRefused(VectorFiles.text(dir, "x.bin", "hello world\nthis is text\n"), "line 1", "expected a header line");
    }

    @Test
    void unknownExtensionAndMissingFile() {
        assertTextRefused("vectors.csv", GOOD_VEC, "vectors.csv", "cannot tell the format from the name");
        assertRefused(dir.resolve("absent.vec"), "absent.vec", "no such file");
    }

    /**
     * A word whose bytes are not UTF-8 (Latin-1 "café" here) can be no vocabulary word, since texts
     * are decoded strictly: it is skipped, in text and binary files alike, not decoded to U+FFFD
     * and matched with a vocabulary word that holds a real U+FFFD. That real U+FFFD, UTF-8 in the
     * file, still matches. The files load: real vector files carry such words now and then.
     */
    @Test
    void wordsThatAreNotUtf8MatchNoVocabularyWord() {
        Map<String, Integer> index = Map.of("caf\uFFFD", 1, "b", 2);
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9};
        byte[] replacement = "caf\uFFFD".getBytes(StandardCharsets.UTF_8);
        for (boolean binary : new boolean[] {false, true}) {
            for (byte[] word : new byte[][] {latin1, replacement}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes("2 3\n".getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(word);
                if (binary) {
                    out.writeBytes(floats(' ', 1, 2, 3));
                    out.writeBytes("b".getBytes(StandardCharsets.US_ASCII));
                    out.writeBytes(floats(' ', 4, 5, 6));
                } else {
                    out.writeBytes(" 1 2 3\nb 4 5 6\n".getBytes(StandardCharsets.US_ASCII));
                }
                Path file = VectorFiles.write(dir.resolve(binary ? "w.bin" : "w.vec"), out.toByteArray());
                EmbeddingMatrix m = PretrainedVectors.load(file, index, 3, MissingWords.ZEROS, 0);
                boolean utf8 = word == replacement;
                String what = (binary ? "binary" : "text") + (utf8 ? ", real U+FFFD" : ", Latin-1 byte");
                assertTrue(Arrays.equals(utf8 ? new float[] {1, 2, 3} : new float[3], VectorFiles.row(m, 1)), what + ": " + Arrays.toString(VectorFiles.row(m, 1)));
                assertTrue(Arrays.equals(new float[] {4, 5, 6}, VectorFiles.row(m, 2)), what);
                assertTrue(m.found() == (utf8 ? 2 : 1), what + ": found " + m.found());
            }
        }
    }

    /**
     * Records without line breaks (the GoogleNews vectors, older word2vec.c builds) whose later word is not UTF-8
     * (word2vec.c writes the corpus's bytes and cuts words at 100 bytes, inside a character at times): skipped and
     * counted, as the first word is. Refusing them as a read shifted by a key holding a space refused real files.
     */
    @Test
    void aLaterWordThatIsNotUtf8LoadsWithoutLineBreaksToo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("2 2\na".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(floats(' ', 1, 2));
        out.writeBytes(new byte[] {'c', 'a', 'f', (byte) 0xE9});
        out.writeBytes(floats(' ', 3, 4));
        EmbeddingMatrix m = PretrainedVectors.load(VectorFiles.write(dir.resolve("nobreaks.bin"), out.toByteArray()), Map.of("a", 1), 2, MissingWords.ZEROS, 0);
        assertTrue(m.found() == 1 && m.coverageLine().contains("1 vector skipped, its word not UTF-8"), m.coverageLine());
    }

    /** A space (the word's end), then the values as float32 little-endian: a word2vec binary record's tail. */
    private static byte[] floats(char before, float... values) {
        ByteBuffer b = ByteBuffer.allocate(1 + values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) before);
        for (float v : values) b.putFloat(v);
        return b.array();
    }
}
