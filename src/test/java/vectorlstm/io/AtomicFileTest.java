package vectorlstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user set up around a file survives its atomic replacement: permissions and symbolic links. */
class AtomicFileTest {
    @TempDir
    Path dir;

    private static void write(Path file, String text) throws IOException {
        AtomicFile.write(file, ByteBuffer.wrap(text.getBytes()));
    }

    @Test
    void aPrivateFileStaysPrivateWhenReplaced() throws IOException {
        Path file = Files.writeString(dir.resolve("model.vlstm"), "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        write(file, "new");
        assertEquals("new", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aLongNameIsNotCutInsideACharacter() throws IOException {
        // An emoji at char 40 was cut in half in the temp file's name: the save failed after a whole training run.
        Path file = dir.resolve("a".repeat(39) + "\uD83D\uDE00.vlstm");
        write(file, "model");
        assertEquals("model", Files.readString(file));
    }

    @Test
    void theWriteCheckAcceptsWhatWriteDoes() throws IOException {
        // A link into a folder still to be made was refused ("no such file"), though write() makes the folder.
        Path link = Files.createSymbolicLink(dir.resolve("m.vlstm"), dir.resolve("models/new/m.vlstm"));
        AtomicFile.checkCanWrite(link);
        write(link, "model");
        assertEquals("model", Files.readString(dir.resolve("models/new/m.vlstm")));
        Path file = Files.writeString(dir.resolve("notes.txt"), "x");
        assertThrows(java.nio.file.NotDirectoryException.class, () -> AtomicFile.checkCanWrite(file.resolve("m.vlstm")));
        try (var left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains("write-check")), "the trial file is gone");
        }
    }

    @Test
    void aNewFileGetsWhatAnyNewFileGets() throws IOException {
        // The process's umask decides, as for any file it creates; createTempFile's 0600 must not leak through.
        Path plain = Files.createFile(dir.resolve("plain"));
        Path file = dir.resolve("new.vlstm");
        write(file, "content");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    }

    @Test
    void aSymbolicLinkIsWrittenThroughNotReplaced() throws IOException {
        Files.createDirectories(dir.resolve("models"));
        Path target = Files.writeString(dir.resolve("models/current.vlstm"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.vlstm"), Path.of("models/current.vlstm"));
        Path linkToLink = Files.createSymbolicLink(dir.resolve("link2.vlstm"), link);
        write(linkToLink, "new");
        assertTrue(Files.isSymbolicLink(link) && Files.isSymbolicLink(linkToLink));
        assertEquals("new", Files.readString(target));
        try (var files = Files.list(dir.resolve("models"))) {
            assertArrayEquals(new Object[] {target}, files.toArray(), "no temporary file left beside the target");
        }
    }

    @Test
    void aLinkToAFileNotYetThereCreatesIt() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.vlstm"), dir.resolve("later.vlstm"));
        write(link, "first");
        assertEquals("first", Files.readString(dir.resolve("later.vlstm")));
        assertTrue(Files.isSymbolicLink(link));
    }

    /**
     * The rename replaced whatever was there: a save to /dev/full left an 18 KB regular file in the
     * device's place (as root, /dev/null would go the same way). A pipe, an empty folder and a link
     * to a pipe stand in for the devices here.
     */
    @Test
    void aDevicePipeOrFolderIsRefusedNotReplaced() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Path emptyFolder = Files.createDirectory(dir.resolve("folder"));
        Path linkToFifo = Files.createSymbolicLink(dir.resolve("link"), fifo);
        for (Path target : new Path[] {fifo, emptyFolder, linkToFifo}) {
            IOException e = assertThrows(IOException.class, () -> write(target, "model"), target.toString());
            assertTrue(e.getMessage().contains("exists and is not a regular file"), e.getMessage());
            assertThrows(IOException.class, () -> AtomicFile.checkCanWrite(target), "the check before slow work says the same");
        }
        assertTrue(Files.isDirectory(emptyFolder) && Files.isSymbolicLink(linkToFifo));
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo) && !Files.isDirectory(fifo), "still a pipe");
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary file left");
        }
    }

    @Test
    void aLinkLoopIsAnErrorNotAHang() throws IOException {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        IOException e = assertThrows(IOException.class, () -> write(a, "x"));
        assertTrue(e.getMessage().contains("too many levels of symbolic links"), e.getMessage());
    }
}
