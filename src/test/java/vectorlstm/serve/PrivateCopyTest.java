package vectorlstm.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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

    /** A model file whose header claims more bytes than it holds was copied whole before the load refused it (a sparse 1 TB file filled the temp disk). */
    @Test
    void aHeaderThatClaimsMoreThanTheFileHoldsIsRefusedBeforeAnyCopy() throws Exception {
        Path model = ServeFixture.savedModel(dir.resolve("m.vlstm"), 3);
        byte[] good = Files.readAllBytes(model);
        int n = (int) ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(good, 8, n, StandardCharsets.UTF_8);
        String claim = header.replace("\"data_offsets\":[0,4800]", "\"data_offsets\":[0,1099511627776]");
        assertTrue(!claim.equals(header), "the forgery applies: " + header);
        byte[] h = claim.stripTrailing().getBytes(StandardCharsets.UTF_8);
        int length = (8 + h.length + 63) / 64 * 64 - 8;  // the data stays on a 64-byte boundary
        byte[] forged = new byte[8 + length + good.length - 8 - n];
        ByteBuffer.wrap(forged, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(length);
        Arrays.fill(forged, 8, 8 + length, (byte) ' ');
        System.arraycopy(h, 0, forged, 8, h.length);
        System.arraycopy(good, 8 + n, forged, 8 + length, good.length - 8 - n);
        Path file = Files.write(dir.resolve("claims-1tb.vlstm"), forged);
        // No temp folder at all: a copy would be refused as such, so the refusal below comes before any copy.
        String why = assertThrows(IllegalArgumentException.class, () -> LoadedModel.load(file, 1, dir.resolve("missing"))).getMessage();
        assertTrue(why.startsWith(file + ": tensor 'embedding/embeddings' lies outside the file's"), why);
    }

    /** A file larger than the temp folder's free space was copied until the disk was full ("No space left on device"), filling it for every other program. */
    @Test
    void aCopyLargerThanTheFreeSpaceIsRefusedBeforeItStarts() throws Exception {
        Path file = dir.resolve("sparse.bin");
        long free = Files.getFileStore(dir).getUsableSpace();
        long size = free + (1L << 40);
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(size);  // a hole: no block of it is written
        }
        String why = assertThrows(UncheckedIOException.class, () -> PrivateCopy.make(file, dir)).getMessage();
        assertTrue(why.startsWith("cannot make the private copy of " + file + " in " + dir + " (java.io.tmpdir): it needs " + (size >> 20) + " MB there, "), why);
        assertTrue(why.endsWith(" MB are free; set -Djava.io.tmpdir to a folder with room"), why);
        try (var left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "no copy begun");
        }
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
