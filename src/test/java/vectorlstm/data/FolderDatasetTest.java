package vectorlstm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderDatasetTest {
    @TempDir
    Path dir;

    private void write(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static boolean anyMentions(List<String> warnings, String part) {
        return warnings.stream().anyMatch(w -> w.contains(part));
    }

    private DataException fails() {
        return assertThrows(DataException.class, () -> FolderDataset.load(dir));
    }

    /** A text file of zeros (an interrupted copy) became a text of no word; the other loaders refuse a NUL. */
    @Test
    void aTextFileHoldingANulIsRefused() throws IOException {
        write("pos/a.txt", "good");
        write("neg/b.txt", "ba\0d");
        DataException e = fails();
        assertTrue(e.getMessage().contains("b.txt holds a NUL byte at 2 of its 4"), e.getMessage());
    }

    /** Class folders copied from a Mac have decomposed names: "café" twice made two classes. */
    @Test
    void classFoldersOfOneNameInTwoUnicodeFormsAreRefused() throws IOException {
        write("caf\u00e9/a.txt", "good");
        write("cafe\u0301/b.txt", "bad");
        write("neg/c.txt", "meh");
        DataException e = fails();
        assertTrue(e.getMessage().contains("are the same text in two Unicode forms"), e.getMessage());
    }

    @Test
    void readsClassFoldersInOrderAndWarnsAboutEverythingElse() throws IOException {
        write("pos/b.txt", "second positive");
        write("pos/a.txt", "first positive");
        write("neg/z.TXT", "\uFEFFonly negative");
        write("pos/notes.md", "not data");
        write("pos/.hidden.txt", "editor backup");
        write("pos/extra/c.txt", "nested");
        write("README.txt", "loose");
        write(".DS_Store", "mac");

        FolderDataset loaded = FolderDataset.load(dir);
        TextDataset d = loaded.dataset();
        assertEquals(List.of("neg", "pos"), d.labelMap().labels());
        assertEquals(List.of("only negative", "first positive", "second positive"), d.texts());
        assertArrayEquals(new int[] {0, 1, 1}, d.labels());

        List<String> warnings = loaded.warnings();
        assertEquals(5, warnings.size(), warnings.toString());
        assertTrue(anyMentions(warnings, "notes.md"), warnings.toString());
        assertTrue(anyMentions(warnings, "not a .txt file"), warnings.toString());
        assertTrue(anyMentions(warnings, ".hidden.txt"), warnings.toString());
        assertTrue(anyMentions(warnings, "extra"), warnings.toString());
        assertTrue(anyMentions(warnings, "nested folder"), warnings.toString());
        assertTrue(anyMentions(warnings, "README.txt"), warnings.toString());
        assertTrue(anyMentions(warnings, ".DS_Store"), warnings.toString());
    }

    @Test
    void cleanFolderHasNoWarningsAndThreeClasses() throws IOException {
        write("world/1.txt", "summit");
        write("sports/1.txt", "goal");
        write("business/1.txt", "merger");
        write("business/2.txt", "stocks");
        FolderDataset loaded = FolderDataset.load(dir);
        assertEquals(List.of(), loaded.warnings());
        assertEquals(List.of("business", "sports", "world"), loaded.dataset().labelMap().labels());
        assertArrayEquals(new int[] {0, 0, 1, 2}, loaded.dataset().labels());
    }

    @Test
    void emptyClassFolderIsAnError() throws IOException {
        write("pos/a.txt", "fine");
        Files.createDirectories(dir.resolve("neg"));
        DataException e = fails();
        assertTrue(e.getMessage().contains("neg") && e.getMessage().contains("no .txt files"), e.getMessage());
    }

    @Test
    void classFolderHoldingOnlyOtherFilesIsAnError() throws IOException {
        write("pos/a.txt", "fine");
        write("neg/notes.md", "not data");
        DataException e = fails();
        assertTrue(e.getMessage().contains("1 other entries skipped"), e.getMessage());
    }

    @Test
    void pointingOneLevelTooHighSaysWhichFolderToLoad() throws IOException {
        write("train/neg/a.txt", "x");
        write("train/pos/b.txt", "y");
        write("test/neg/c.txt", "z");
        write("test/pos/d.txt", "w");
        DataException e = fails();
        assertTrue(e.getMessage().contains("load " + dir.resolve("test").toAbsolutePath() + " itself"), e.getMessage());
    }

    @Test
    void fewerThanTwoClassesIsAnError() throws IOException {
        write("pos/a.txt", "fine");
        write("notes.md", "loose");
        DataException e = fails();
        assertTrue(e.getMessage().contains("at least two"), e.getMessage());
        assertThrows(DataException.class, () -> FolderDataset.load(dir.resolve("pos/a.txt")));
    }

    @Test
    void invalidUtf8NamesTheFileAndLine() throws IOException {
        write("pos/a.txt", "fine");
        Files.createDirectories(dir.resolve("neg"));
        Files.write(dir.resolve("neg/latin1.txt"), new byte[] {'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xE9});
        DataException e = fails();
        assertTrue(e.getMessage().contains("latin1.txt") && e.getMessage().contains("line 2")
                && e.getMessage().contains("offset 6"), e.getMessage());
    }

    /**
     * Class folders named in Latin-1 bytes (cat\xe8 and cat\xe9): Java reads both names as "cat\uFFFD",
     * so three folders trained as two classes. Made by the shell (octal escapes: dash's printf has no \\x), since a Java string cannot hold the raw bytes.
     */
    @Test
    void aClassFolderNameThatIsNotUtf8IsRefused() throws Exception {
        write("dog/c.txt", "woof");
        Process p = new ProcessBuilder("sh", "-c", "for b in 350 351; do d=\"$(printf \"cat\\\\$b\")\"; mkdir \"$d\" && echo meow > \"$d/a.txt\"; done")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        try (var names = Files.list(dir)) {
            // Not UTF-8 under any locale (under C the JVM decodes names as ASCII): both read back with U+FFFD.
            assertTrue(names.anyMatch(n -> n.getFileName().toString().contains("\uFFFD")),
                    "the names read back with U+FFFD (sun.jnu.encoding " + System.getProperty("sun.jnu.encoding") + ")");
        }
        DataException e = fails();
        assertTrue(e.getMessage().contains("is not valid UTF-8") && e.getMessage().contains("rename the folder"), e.getMessage());
    }
}
