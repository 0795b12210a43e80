package vectorlstm.importer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a model file is, from its first bytes rather than its name: a Keras 2.12 file named
 * {@code .keras} is HDF5 inside, and a user may rename anything.
 */
public enum FileKind {
    HDF5, ZIP, OTHER;

    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    /**
     * Refuses a path that is not a regular file: a pipe or {@code /dev/stdin} reports a size of 0
     * (it read as "empty"), a folder cannot be read at all, and a missing file should say so.
     */
    public static void requireRegularFile(Path file) {
        if (Files.isRegularFile(file)) return;
        if (Files.isDirectory(file)) throw new ImportException(file + " is a folder, not a model file");
        if (!Files.exists(file)) {
            if (Files.isSymbolicLink(file)) throw new ImportException(file + " is a symbolic link that leads nowhere (to a missing file, or round in a loop)");
            throw new ImportException(file + ": no such file");
        }
        throw new ImportException(file + " is not a regular file (a pipe or a device): give the path of the model file to import");
    }

    public static FileKind of(Path file) {
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new ImportException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (n == 8 && Arrays.equals(head, HDF5_MAGIC)) return HDF5;
        if (n >= 4 && Arrays.equals(Arrays.copyOf(head, 4), ZIP_MAGIC)) return ZIP;
        return OTHER;
    }

    /** The first bytes as hex, for an error that says what the file starts with instead. */
    public static String describeStart(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8);
            if (head.length == 0) return "the file is empty";
            StringBuilder hex = new StringBuilder("it starts with");
            for (byte b : head) hex.append(String.format(" %02x", b & 0xff));
            return hex.toString();
        } catch (IOException e) {
            return "it cannot be read: " + e.getMessage();
        }
    }
}
