package vectorlstm.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import vectorlstm.data.DataException;
import vectorlstm.data.imdb.HttpDownloader;
import vectorlstm.data.imdb.ImdbDataset;
import vectorlstm.data.imdb.ImdbLocator;

/**
 * IMDB found the way {@code ./lstm demo} finds it: {@code VLSTM_DATA}, else the shared data folder
 * beside the checkout (what the launcher sets {@code VLSTM_DATA} to; this module sits one folder
 * lower), else the cache or a download. On CI (CI=true) the data must be there: a test that cannot
 * find it fails there and is skipped elsewhere, with the reason (the engine's TestEnvironment rule).
 */
final class TestData {
    private static ImdbDataset imdb;

    private TestData() {}

    static synchronized ImdbDataset imdb() {
        if (imdb == null) {
            Path beside = Path.of("..", "..", "shared", "data", "imdb");
            String env = System.getenv(ImdbLocator.ENV_DATA);
            String given = (env == null || env.isBlank()) && Files.isDirectory(beside) ? beside.toString() : null;
            try {
                imdb = ImdbDataset.load(ImdbLocator.locate(given, System.getenv(), null, new HttpDownloader(), System.out));
            } catch (DataException e) {
                require(false, "the IMDB data (" + e.getMessage() + ")");
            }
        }
        return imdb;
    }

    /**
     * The engine's TestEnvironment.require, which this module cannot see (it compiles the engine's
     * main sources only): on CI (CI=true, where ../shared is present) missing data fails the test;
     * elsewhere (a clone without the shared folder and no network) the test is skipped with the
     * reason, since the product does not need the data, only this check does.
     */
    static void require(boolean available, String what) {
        if (available) return;
        if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI must provide " + what);
        Assumptions.abort("needs " + what);
    }
}
