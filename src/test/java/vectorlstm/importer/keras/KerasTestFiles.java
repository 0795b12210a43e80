package vectorlstm.importer.keras;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import vectorlstm.importer.ImportException;
import vectorlstm.importer.SharedKerasModels;

/** What the Keras importer's refusal tests share: the real files they start from, the refusal check and a real archive's config. */
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

    /** The config.json of a real .keras archive of the shared folder, to edit. */
    static ObjectNode config(String archive) throws IOException {
        try (ZipFile zip = new ZipFile(SharedKerasModels.file(archive).toFile())) {
            return (ObjectNode) JSON.readTree(zip.getInputStream(zip.getEntry("config.json")));
        }
    }
}
