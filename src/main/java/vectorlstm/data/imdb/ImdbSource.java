package vectorlstm.data.imdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import vectorlstm.data.DataException;
import vectorlstm.data.DatasetFormat;

/**
 * Where the IMDB reviews are: the original archive, or a folder it was extracted into.
 *
 * <p>Accepts the archive itself, a folder holding {@value #ARCHIVE_NAME}, a folder holding
 * {@code aclImdb/}, or the {@code aclImdb/} folder itself. When a folder holds both the archive
 * and {@code aclImdb/}, the archive wins: it is one checksummed file, while an extracted tree is
 * easily left half-copied or edited.
 */
record ImdbSource(Path path, boolean isArchive) {
    static final String ARCHIVE_NAME = DatasetFormat.IMDB_ARCHIVE;

    /** The source at {@code location}, or empty if it holds neither the archive nor aclImdb/. */
    static Optional<ImdbSource> find(Path location) {
        if (Files.isRegularFile(location)) {
            return Optional.of(new ImdbSource(location, true));
        }
        if (!Files.isDirectory(location)) {
            return Optional.empty();
        }
        Path archive = location.resolve(ARCHIVE_NAME);
        if (Files.isRegularFile(archive)) {
            return Optional.of(new ImdbSource(archive, true));
        }
        Path folder = location.resolve(ImdbPaths.TOP);
        if (Files.isDirectory(folder)) {
            return Optional.of(new ImdbSource(folder, false));
        }
        if (isExtractedFolder(location)) {
            return Optional.of(new ImdbSource(location, false));
        }
        return Optional.empty();
    }

    /** Like {@link #find}, but says what is wrong when nothing is there. */
    static ImdbSource resolve(Path location) {
        if (!Files.exists(location)) {
            throw new DataException("IMDB data path does not exist: " + location.toAbsolutePath());
        }
        return find(location).orElseThrow(() -> new DataException("no IMDB data in " + location.toAbsolutePath()
                + ": expected the file " + ARCHIVE_NAME + ", an " + ImdbPaths.TOP + "/ folder, or the "
                + ImdbPaths.TOP + "/ folder itself"));
    }

    /** The aclImdb/ folder itself: so named, or recognisable by its split folders. */
    private static boolean isExtractedFolder(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return (name != null && name.toString().equals(ImdbPaths.TOP))
                || Files.isDirectory(dir.resolve("train")) || Files.isDirectory(dir.resolve("test"));
    }
}
