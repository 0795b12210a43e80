package vectorlstm.importer.keras;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import vectorlstm.importer.ImportException;
import vectorlstm.importer.SharedKerasModels;

/** What the Keras importer's refusal tests share: the real files they start from, the refusal check, a real archive's config and an archive rewritten with one entry changed. */
final class KerasTestFiles {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The real files of the shared folder the refusal tests break: a Keras 3 archive and a legacy HDF5 file. */
    static final String KERAS3 = "imdb-lstm64-keras3.10.keras", LEGACY = "imdb-lstm100-keras2.15.h5";

    private KerasTestFiles() {}

    /** The import of {@code file} is refused, and the message holds every part. */
    static void assertRefused(Path file, String... parts) {
        ImportException e = assertThrows(ImportException.class, () -> KerasImporter.importKeras(file).close());
        for (String part : parts) assertTrue(e.getMessage().contains(part), "message lacks '" + part + "': " + e.getMessage());
    }

    /**
     * A copy of the archive read from {@code source}, written to {@code out}: the entry {@code name}
     * changed by {@code edit}, every other entry as it was, each stored with {@code method}.
     */
    static Path rewrittenArchive(InputStream source, Path out, String name, UnaryOperator<byte[]> edit, int method) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(source); ZipOutputStream copy = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                byte[] data = zip.readAllBytes();
                ZipEntry entry = new ZipEntry(e.getName());
                entry.setMethod(method);
                copy.putNextEntry(entry);
                copy.write(e.getName().equals(name) ? edit.apply(data) : data);
                copy.closeEntry();
            }
        }
        return out;
    }

    /** The config.json of a real .keras archive of the shared folder, to edit. */
    static ObjectNode config(String archive) throws IOException {
        try (ZipFile zip = new ZipFile(SharedKerasModels.file(archive).toFile())) {
            return (ObjectNode) JSON.readTree(zip.getInputStream(zip.getEntry("config.json")));
        }
    }
}
