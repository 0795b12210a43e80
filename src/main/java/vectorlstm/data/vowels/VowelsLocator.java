package vectorlstm.data.vowels;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import vectorlstm.data.DataException;
import vectorlstm.data.imdb.Downloader;

/**
 * Finds the Japanese Vowels folder, downloading UCI's zip once into the cache if nowhere else has it.
 *
 * <p>Looks, in order, at: the {@code --data} option; a {@value #FOLDER} folder beside
 * {@code $VLSTM_DATA} (the launcher points that at {@code ../shared/data/imdb}) or inside it;
 * {@code ../shared/data/japanese-vowels} from the working folder; {@code <cache>/japanese-vowels};
 * and finally downloads into the cache. The returned folder is accepted by {@link JapaneseVowels#load}.
 *
 * <p>Only the {@link Downloader} transport comes from {@code data.imdb}; the rest of IMDB's lookup
 * is not used here (ArchitectureTest: data sources do not know IMDB), so callers pass the cache
 * folder, usually IMDB's too: {@code ImdbLocator.defaultCacheDir()}.
 */
public final class VowelsLocator {
    /** The launcher's data variable, the same one IMDB's lookup reads (a test holds them equal). */
    public static final String ENV_DATA = "VLSTM_DATA";
    public static final String FOLDER = "japanese-vowels";
    public static final URI UCI_ZIP = URI.create("https://archive.ics.uci.edu/static/public/128/japanese+vowels.zip");
    private static final Path SHARED = Path.of("..", "shared", "data", FOLDER);

    private VowelsLocator() {
    }

    /**
     * @param cliData      the {@code --data} option, or null if not given
     * @param env          the environment (usually {@code System.getenv()})
     * @param workingDir   where {@code ../shared/data/japanese-vowels} is looked up from
     * @param cacheDir     the cache folder, where a download is installed as {@value #FOLDER}/
     * @param downloader   used only when no copy is found
     * @param log          told about a download (null: nothing)
     * @throws DataException if {@code --data} does not exist, or the download fails
     */
    public static Path locate(String cliData, Map<String, String> env, Path workingDir, Path cacheDir,
                              Downloader downloader, PrintStream log) {
        return locate(cliData, env, workingDir, cacheDir, downloader, UCI_ZIP, log);
    }

    /** As above, downloading from {@code source} (tests serve a zip of their own). */
    static Path locate(String cliData, Map<String, String> env, Path workingDir, Path cacheDir,
                       Downloader downloader, URI source, PrintStream log) {
        if (cliData != null && !cliData.isBlank()) {
            Path given = Path.of(cliData);
            if (!Files.exists(given)) {
                throw new DataException("--data path does not exist: " + given.toAbsolutePath());
            }
            return given;
        }
        String fromEnv = env.get(ENV_DATA);
        if (fromEnv != null && !fromEnv.isBlank()) {
            // Unlike for IMDB, a value without our folder is no error: the variable names IMDB's data.
            Path data = Path.of(fromEnv).toAbsolutePath();
            for (Path candidate : new Path[] {data.resolveSibling(FOLDER), data.resolve(FOLDER)}) {
                if (holdsData(candidate)) return candidate;
            }
        }
        Path shared = workingDir.resolve(SHARED);
        if (holdsData(shared)) {
            return shared;
        }
        if (holdsData(cacheDir.resolve(FOLDER))) {
            return cacheDir.resolve(FOLDER);
        }
        return VowelsDownload.install(source, cacheDir, downloader,
                log != null ? log : new PrintStream(OutputStream.nullOutputStream()));
    }

    /**
     * A folder with either data file counts as found, so that a broken copy is reported by
     * {@link JapaneseVowels#load} ("ae.test missing") instead of being silently passed over.
     */
    private static boolean holdsData(Path dir) {
        return Files.isRegularFile(dir.resolve(JapaneseVowels.TRAIN_FILE))
                || Files.isRegularFile(dir.resolve(JapaneseVowels.TEST_FILE));
    }
}
