package vectorlstm.data.imdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import vectorlstm.TestEnvironment;
import vectorlstm.data.DataException;

/**
 * The real IMDB data for the tests that need it, found the way {@code ./lstm demo} finds it:
 * {@code $VLSTM_DATA}, which {@code ./lstm} points at {@code ../shared/data/imdb} when that folder
 * sits beside the checkout (done here too, for a plain {@code mvn test}); then the user cache;
 * and if none has it, the download from Stanford into the cache. So our machines and CI read the
 * shared folder, and a clone on its own passes the tests after one download.
 */
public final class RealImdb {
    private static final Path SHARED = Path.of("..", "shared", "data", "imdb");
    private static Path located;
    private static String missing;  // why it could not be found: asked once, not once per test (an offline download times out)

    private RealImdb() {}

    /** A path {@link ImdbDataset#load} reads: a folder holding the archive or aclImdb/, the archive, or aclImdb/. */
    public static synchronized Path location() {
        if (located != null) return located;
        if (missing != null) TestEnvironment.require(false, missing);
        Map<String, String> env = new HashMap<>(System.getenv());
        String given = env.get(ImdbLocator.ENV_DATA);
        if ((given == null || given.isBlank()) && Files.isDirectory(SHARED)) env.put(ImdbLocator.ENV_DATA, SHARED.toAbsolutePath().toString());
        try {
            located = ImdbLocator.locate(null, env, null, new HttpDownloader(), System.out);
        } catch (DataException e) {
            // A VLSTM_DATA that names no data, or no copy anywhere and the download failed (offline): CI has the shared folder.
            missing = "the IMDB archive (" + e.getMessage() + ")";
            TestEnvironment.require(false, missing);
        }
        System.out.println("RealImdb: using " + located);
        return located;
    }

    /** The archive file itself, for tests that read or damage its bytes. */
    public static Path archive() {
        ImdbSource source = ImdbSource.resolve(location());
        TestEnvironment.require(source.isArchive(), "the IMDB archive " + ImdbDataset.ARCHIVE_NAME + " (only an extracted "
                + ImdbPaths.TOP + "/ was found, at " + source.path() + ")");
        return source.path();
    }
}
