package vectorlstm.data.imdb;

import java.net.URI;
import java.util.Locale;

/**
 * What to download, what its SHA-256 must be, and the file name to keep it under.
 *
 * <p>A value rather than constants so tests can serve a small archive with its own checksum.
 */
public record DownloadSpec(URI url, String sha256, String fileName) {

    /** Stanford's original archive and its published SHA-256. */
    public static final DownloadSpec IMDB = new DownloadSpec(
            URI.create("https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"),
            "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
            ImdbSource.ARCHIVE_NAME);

    public DownloadSpec {
        sha256 = sha256.toLowerCase(Locale.ROOT);
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha256);
        }
        if (fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\")) {
            throw new IllegalArgumentException("file name must be a plain name: " + fileName);
        }
    }
}
