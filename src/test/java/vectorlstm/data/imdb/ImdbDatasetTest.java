package vectorlstm.data.imdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.data.DataException;

class ImdbDatasetTest {
    @TempDir
    Path dir;

    private static void assertFixture(ImdbDataset data) {
        assertEquals(ImdbFixture.TRAIN_TEXTS, data.train().texts());
        assertArrayEquals(ImdbFixture.TRAIN_LABELS, data.train().labels());
        assertEquals(ImdbFixture.TEST_TEXTS, data.test().texts());
        assertArrayEquals(ImdbFixture.TEST_LABELS, data.test().labels());
    }

    private static void assertMessage(DataException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' not in: " + e.getMessage());
        }
    }

    @Test
    void loadsTheArchiveInNegThenPosIdOrderWithTextsAsWritten() throws IOException {
        Path archive = ImdbFixture.writeArchive(dir.resolve("any-name.tar.gz"));
        assertFixture(ImdbDataset.load(archive));
    }

    @Test
    void loadsAFolderHoldingTheArchive() throws IOException {
        ImdbFixture.writeArchive(dir.resolve(ImdbDataset.ARCHIVE_NAME));
        assertFixture(ImdbDataset.load(dir));
    }

    @Test
    void loadsAFolderHoldingAclImdbAndTheFolderItself() throws IOException {
        Path aclImdb = ImdbFixture.extract(dir, ImdbFixture.files());
        assertFixture(ImdbDataset.load(dir));
        assertFixture(ImdbDataset.load(aclImdb));
    }

    @Test
    void archiveAndFolderGiveEqualResults() throws IOException {
        ImdbFixture.extract(dir.resolve("x"), ImdbFixture.files());
        Path archive = ImdbFixture.writeArchive(dir.resolve("a.tar.gz"));
        ImdbDataset fromFolder = ImdbDataset.load(dir.resolve("x"));
        ImdbDataset fromArchive = ImdbDataset.load(archive);
        assertEquals(fromArchive.train(), fromFolder.train());
        assertEquals(fromArchive.test(), fromFolder.test());
    }

    @Test
    void aLeadingByteOrderMarkIsDroppedInTheArchiveAsInTheFolder() throws IOException {
        // Before, the archive kept it as part of the first word, where the folders loader dropped it.
        Map<String, String> files = ImdbFixture.files();
        files.put("aclImdb/train/neg/0_1.txt", "\uFEFFAwful");
        Path archive = ImdbFixture.tar(files).writeTarGz(dir.resolve("bom.tar.gz"));
        assertFixture(ImdbDataset.load(archive));
        assertFixture(ImdbDataset.load(ImdbFixture.extract(dir.resolve("bom"), files)));
    }

    /** What an entry whose size field was made longer within its block reads: the padding's zeros, as text. */
    @Test
    void aReviewHoldingANulIsADamagedArchive() throws IOException {
        Map<String, String> files = ImdbFixture.files();
        files.put("aclImdb/train/neg/0_1.txt", "Awful\0\0\0");
        Path archive = ImdbFixture.tar(files).writeTarGz(dir.resolve("nul.tar.gz"));
        DataException e = assertThrows(DataException.class, () -> ImdbDataset.load(archive));
        assertMessage(e, "aclImdb/train/neg/0_1.txt holds a NUL byte at 5 of its 8", "a damaged archive");
    }

    /** An extracted folder holding a review of zeros (an interrupted copy) read it as a text of no word; the archive refused it. */
    @Test
    void aReviewHoldingANulInAnExtractedFolderIsRefusedToo() throws IOException {
        Map<String, String> files = ImdbFixture.files();
        files.put("aclImdb/train/neg/0_1.txt", "\0\0\0\0");
        Path aclImdb = ImdbFixture.extract(dir.resolve("nul"), files);
        DataException e = assertThrows(DataException.class, () -> ImdbDataset.load(aclImdb));
        assertMessage(e, "0_1.txt holds a NUL byte at 0 of its 4");
    }

    @Test
    void truncatedArchiveIsADataException() throws IOException {
        Map<String, String> files = ImdbFixture.files();
        // Enough varied text that the compressed file is mostly review data.
        StringBuilder filler = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            filler.append(Integer.toString(i * 7919, 36)).append(' ');
        }
        files.put("aclImdb/train/pos/11_9.txt", filler.toString());
        byte[] gz = ImdbFixture.tar(files).tarGz();
        Path cut = Files.write(dir.resolve(ImdbDataset.ARCHIVE_NAME), Arrays.copyOf(gz, gz.length / 2));
        DataException e = assertThrows(DataException.class, () -> ImdbDataset.load(cut));
        assertMessage(e, cut.toString(), "truncated archive: unexpected end inside aclImdb/train/pos/11_9.txt");
    }

    @Test
    void archiveMissingAFolderSaysWhich() throws IOException {
        Map<String, String> files = ImdbFixture.files();
        files.remove("aclImdb/test/neg/5_3.txt");
        Path archive = ImdbFixture.tar(files).writeTarGz(dir.resolve("partial.tar.gz"));
        DataException e = assertThrows(DataException.class, () -> ImdbDataset.load(archive));
        assertMessage(e, archive.toString(), "no reviews in aclImdb/test/neg/");
    }

    @Test
    void archiveOfSomethingElseIsRejected() throws IOException {
        Path other = new TinyTar().file("photos/cat.jpg", "meow").writeTarGz(dir.resolve("other.tar.gz"));
        DataException e = assertThrows(DataException.class, () -> ImdbDataset.load(other));
        assertMessage(e, "no reviews in aclImdb/train/neg/");
    }

    @Test
    void folderMissingASplitFolderSaysWhich() throws IOException {
        Map<String, String> files = ImdbFixture.files();
        files.remove("aclImdb/test/neg/5_3.txt");
        Path aclImdb = ImdbFixture.extract(dir, files);
        DataException e = assertThrows(DataException.class, () -> ImdbDataset.load(aclImdb));
        assertMessage(e, "missing IMDB folder", aclImdb.resolve("test/neg").toString());
    }

    @Test
    void emptyFolderIsAnEmptySplit() throws IOException {
        Path aclImdb = ImdbFixture.extract(dir, ImdbFixture.files());
        Files.delete(aclImdb.resolve("train/pos/10_9.txt"));
        Files.delete(aclImdb.resolve("train/pos/2_8.txt"));
        Files.delete(aclImdb.resolve("train/pos/1_10.txt"));
        DataException e = assertThrows(DataException.class, () -> ImdbDataset.load(aclImdb));
        assertMessage(e, "no <id>_<rating>.txt reviews in folder", aclImdb.resolve("train/pos").toString());
    }

    @Test
    void aHalfCopiedFolderIsRefusedAgainstItsUrlsFile() throws IOException {
        // It used to load whatever had arrived: a copy stopped midway trained on part of a label, silently.
        Path aclImdb = ImdbFixture.extract(dir, ImdbFixture.files());
        Files.delete(aclImdb.resolve("train/pos/2_8.txt"));
        DataException missing = assertThrows(DataException.class, () -> ImdbDataset.load(aclImdb));
        assertMessage(missing, "folder " + aclImdb.resolve("train/pos").toAbsolutePath() + " holds 2 reviews, but "
                + aclImdb.resolve("train/urls_pos.txt").toAbsolutePath() + " lists 3 (one URL per review): some are missing",
                "Copy or extract aclImdb/ again");
        Files.writeString(aclImdb.resolve("train/pos/2_8.txt"), "back");
        Files.writeString(aclImdb.resolve("train/pos/11_7.txt"), "one too many");
        assertMessage(assertThrows(DataException.class, () -> ImdbDataset.load(aclImdb)), "holds 4 reviews, but", "lists 3", "some were added");
    }

    @Test
    void aFolderWithoutUrlsFilesIsNotHeldToAnyCount() throws IOException {
        // A hand-made miniature has no urls files, and a fixed 12,500 would refuse it.
        Map<String, String> files = ImdbFixture.files();
        files.remove("aclImdb/train/urls_pos.txt");
        files.remove("aclImdb/train/pos/2_8.txt");
        ImdbDataset data = ImdbDataset.load(ImdbFixture.extract(dir, files));
        assertEquals(2, data.train().count(1));
        // A list without a final line break counts its last line too.
        files.put("aclImdb/train/urls_pos.txt", "http://example.invalid/1\nhttp://example.invalid/10");
        assertEquals(2, ImdbDataset.load(ImdbFixture.extract(dir.resolve("b"), files)).train().count(1));
    }

    @Test
    void anArchivePackedFromAHalfCopiedTreeIsRefusedToo() throws IOException {
        Map<String, String> files = ImdbFixture.files();
        files.remove("aclImdb/train/pos/1_10.txt");
        Path archive = ImdbFixture.tar(files).writeTarGz(dir.resolve("partial.tar.gz"));
        DataException e = assertThrows(DataException.class, () -> ImdbDataset.load(archive));
        assertMessage(e, archive + ": aclImdb/train/pos/ holds 2 reviews, but " + archive + ": aclImdb/train/urls_pos.txt lists 3",
                "download aclImdb_v1.tar.gz again");
        Path twice = ImdbFixture.tar(ImdbFixture.files()).file("./aclImdb/train/urls_pos.txt", "a\nb\nc\n").writeTarGz(dir.resolve("twice.tar.gz"));
        assertMessage(assertThrows(DataException.class, () -> ImdbDataset.load(twice)), twice + ": ./aclImdb/train/urls_pos.txt: appears twice");
    }

    @Test
    void badReviewFileNameIsReported() throws IOException {
        Map<String, String> files = ImdbFixture.files();
        files.put("aclImdb/train/pos/review.txt", "no id");
        Path archive = ImdbFixture.tar(files).writeTarGz(dir.resolve("badname.tar.gz"));
        DataException e = assertThrows(DataException.class, () -> ImdbDataset.load(archive));
        assertMessage(e, archive + ": aclImdb/train/pos/review.txt", "expected <id>_<rating>.txt");
    }

    @Test
    void aReviewThatIsNotUtf8OrIsThereTwiceIsRefused() throws IOException {
        // Every review of the real archive is UTF-8 and there once: anything else is damage,
        // refused by name as the other loaders refuse it (it used to become U+FFFD, or count twice).
        // The message names the archive before the entry (it used to name the entry alone).
        Path notUtf8 = ImdbFixture.tar(ImdbFixture.files()).file("aclImdb/test/pos/9_8.txt", new byte[] {'o', 'k', (byte) 0xC3, '('})
                .writeTarGz(dir.resolve("bad-utf8.tar.gz"));
        assertMessage(assertThrows(DataException.class, () -> ImdbDataset.load(notUtf8)), notUtf8 + ": aclImdb/test/pos/9_8.txt is not valid UTF-8");
        Path twice = ImdbFixture.tar(ImdbFixture.files()).file("aclImdb/train/neg/1_2.txt", "again")
                .writeTarGz(dir.resolve("twice.tar.gz"));
        assertMessage(assertThrows(DataException.class, () -> ImdbDataset.load(twice)), twice + ": aclImdb/train/neg/1_2.txt", "appears twice");
        // The same review under another path or another rating is the same review twice.
        Path dotSlash = ImdbFixture.tar(ImdbFixture.files()).file("./aclImdb/train/neg/1_2.txt", "again").writeTarGz(dir.resolve("dot.tar.gz"));
        assertMessage(assertThrows(DataException.class, () -> ImdbDataset.load(dotSlash)), "review 1 of train/neg appears twice");
        Path rerated = ImdbFixture.tar(ImdbFixture.files()).file("aclImdb/train/neg/1_4.txt", "again").writeTarGz(dir.resolve("rerated.tar.gz"));
        assertMessage(assertThrows(DataException.class, () -> ImdbDataset.load(rerated)), "aclImdb/train/neg/1_4.txt: review 1 of train/neg appears twice");
    }

    @Test
    void missingOrEmptyLocations() throws IOException {
        DataException missing = assertThrows(DataException.class, () -> ImdbDataset.load(dir.resolve("nope")));
        assertMessage(missing, "does not exist", dir.resolve("nope").toString());
        Path empty = Files.createDirectory(dir.resolve("empty"));
        DataException nothing = assertThrows(DataException.class, () -> ImdbDataset.load(empty));
        assertMessage(nothing, "no IMDB data in", ImdbDataset.ARCHIVE_NAME);
    }
}
