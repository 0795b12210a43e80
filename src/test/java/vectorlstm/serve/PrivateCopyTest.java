package vectorlstm.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.TestEnvironment;

/** The served model's private copy in java.io.tmpdir: its failures name that folder, not the model file. */
class PrivateCopyTest {
    @TempDir Path dir;

    @Test
    void aMissingTempFolderIsNamedWithTheReason() {
        // Before: "m.vlstm: /missing/vlstm-serving-123.vlstm", as if the model file were at fault, and no reason.
        Path model = ServeFixture.savedModel(dir.resolve("m.vlstm"), 3);
        Path missing = dir.resolve("missing");
        String why = assertThrows(UncheckedIOException.class, () -> LoadedModel.load(model, 1, missing)).getMessage();
        assertTrue(why.startsWith("cannot make the private copy of " + model + " in " + missing + " (java.io.tmpdir): no such folder"), why);
    }

    @Test
    void aFileInPlaceOfTheTempFolderIsNamed() throws Exception {
        Path model = ServeFixture.savedModel(dir.resolve("m.vlstm"), 3);
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        String why = assertThrows(UncheckedIOException.class, () -> LoadedModel.load(model, 1, file)).getMessage();
        assertTrue(why.startsWith("cannot make the private copy of " + model + " in " + file + " (java.io.tmpdir): not a folder"), why);
    }

    @Test
    void aFullTempFolderIsNamedNotTheModelFile() throws Exception {
        // Before: a full tmpfs was reported as "m.vlstm: No space left on device", the model's disk having room.
        TestEnvironment.require(Files.isWritable(Path.of("/dev/full")), "/dev/full (Linux), whose writes fail with No space left on device");
        Path model = ServeFixture.savedModel(dir.resolve("m.vlstm"), 3);
        String why = assertThrows(UncheckedIOException.class, () -> PrivateCopy.copy(model, Path.of("/dev/full"))).getMessage();
        assertTrue(why.startsWith("cannot make the private copy of " + model + " in /dev (java.io.tmpdir): No space left on device (the copy needs "
                + Files.size(model) + " bytes there)"), why);
    }

    @Test
    void theCopyHoldsTheFilesBytes() throws Exception {
        byte[] bytes = new byte[(5 << 20) / 2 + 3];  // over two of the copy's 1 MiB chunks, and a tail
        new java.util.Random(7).nextBytes(bytes);
        Path file = Files.write(dir.resolve("big.bin"), bytes);
        Path copy = PrivateCopy.make(file, dir);
        try {
            assertArrayEquals(bytes, Files.readAllBytes(copy));
            assertTrue(copy.getFileName().toString().startsWith("vlstm-serving-"), copy.toString());
        } finally {
            PrivateCopy.deleteQuietly(copy);
        }
    }
}
