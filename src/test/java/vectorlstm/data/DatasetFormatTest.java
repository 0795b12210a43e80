package vectorlstm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFormatTest {
    @TempDir
    Path dir;

    private Path file(String name) throws IOException {
        return Files.writeString(dir.resolve(name), "x");
    }

    @Test
    void foldersAreImdbOnlyWhenTheyHoldOrAreTheImdbData() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("mine"));
        assertEquals(DatasetFormat.FOLDERS, DatasetFormat.detect(classes));

        Path extracted = Files.createDirectories(dir.resolve("a/aclImdb"));
        assertEquals(DatasetFormat.IMDB, DatasetFormat.detect(extracted));
        assertEquals(DatasetFormat.IMDB, DatasetFormat.detect(dir.resolve("a")));

        Path withArchive = Files.createDirectories(dir.resolve("b"));
        Files.writeString(withArchive.resolve("aclImdb_v1.tar.gz"), "x");
        assertEquals(DatasetFormat.IMDB, DatasetFormat.detect(withArchive));
        assertEquals(DatasetFormat.IMDB, DatasetFormat.detect(withArchive.resolve("aclImdb_v1.tar.gz")));
    }

    @Test
    void filesGoByExtension() throws IOException {
        assertEquals(DatasetFormat.CSV, DatasetFormat.detect(file("a.csv")));
        assertEquals(DatasetFormat.CSV, DatasetFormat.detect(file("b.TSV")));
        assertEquals(DatasetFormat.JSONL, DatasetFormat.detect(file("c.jsonl")));
        assertEquals(DatasetFormat.JSONL, DatasetFormat.detect(file("d.ndjson")));
        assertEquals(DatasetFormat.JSONL, DatasetFormat.detect(file("e.json")));
    }

    @Test
    void unknownOrMissingPathsAreErrorsListingTheFormats() throws IOException {
        DataException e = assertThrows(DataException.class, () -> DatasetFormat.detect(file("data.parquet")));
        assertTrue(e.getMessage().contains(".csv") && e.getMessage().contains(".jsonl")
                && e.getMessage().contains("aclImdb_v1.tar.gz"), e.getMessage());
        DataException archive = assertThrows(DataException.class, () -> DatasetFormat.detect(file("other.tar.gz")));
        assertTrue(archive.getMessage().contains("extract"), archive.getMessage());
        assertThrows(DataException.class, () -> DatasetFormat.detect(dir.resolve("missing.csv")));
    }
}
