package vectorlstm.data.imdb;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import vectorlstm.data.DataException;

/**
 * Finds the IMDB data, downloading it once into a cache folder if nowhere else has it.
 *
 * <p>Looks, in order, at: the {@code --data} option; the {@value #ENV_DATA} environment variable
 * (a folder holding the archive or {@code aclImdb/}); the cache folder; and finally downloads
 * Stanford's archive into the cache. The returned path is accepted by {@link ImdbDataset#load}.
 */
public final class ImdbLocator {
    public static final String ENV_DATA = "VLSTM_DATA";
    private static final String CACHE_SUBDIR = "vector-lstm";

    private ImdbLocator() {
    }

    /** {@link #locate(String, Map, Path, Downloader, DownloadSpec, PrintStream)} for Stanford's archive. */
    public static Path locate(String cliData, Map<String, String> env, Path userCacheDir, Downloader downloader,
                              PrintStream log) {
        return locate(cliData, env, userCacheDir, downloader, DownloadSpec.IMDB, log);
    }

    /**
     * @param cliData      the {@code --data} option, or null if not given
     * @param env          the environment (usually {@code System.getenv()})
     * @param userCacheDir the cache folder, or null for {@link #defaultCacheDir(Map, String)} of {@code env}
     * @param downloader   used only when no copy is found
     * @param log          receives the download's progress bar (null: none)
     * @throws DataException if a given location does not exist, or the download fails
     */
    public static Path locate(String cliData, Map<String, String> env, Path userCacheDir, Downloader downloader,
                              DownloadSpec spec, PrintStream log) {
        if (cliData != null && !cliData.isBlank()) {
            Path given = Path.of(cliData);
            if (!Files.exists(given)) {
                throw new DataException("--data path does not exist: " + given.toAbsolutePath());
            }
            return given;
        }
        String fromEnv = env.get(ENV_DATA);
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path folder = Path.of(fromEnv);
            if (!Files.exists(folder)) {
                throw new DataException(ENV_DATA + " points to a path that does not exist: " + folder.toAbsolutePath());
            }
            // Set on purpose, so a wrong value is an error rather than a reason to download.
            if (ImdbSource.find(folder).isEmpty()) {
                throw new DataException(ENV_DATA + "=" + folder.toAbsolutePath() + " holds neither "
                        + ImdbSource.ARCHIVE_NAME + " nor an " + ImdbPaths.TOP + "/ folder");
            }
            return folder;
        }
        Path cache = userCacheDir != null ? userCacheDir : defaultCacheDir(env, System.getProperty("user.home"));
        Path cachedArchive = cache.resolve(spec.fileName());
        if (Files.isRegularFile(cachedArchive)) {
            return cachedArchive;
        }
        if (Files.isDirectory(cache.resolve(ImdbPaths.TOP))) {
            return cache.resolve(ImdbPaths.TOP);
        }
        return download(spec, cache, downloader, log);
    }

    /** {@code $XDG_CACHE_HOME/vector-lstm}, else {@code ~/.cache/vector-lstm}. */
    public static Path defaultCacheDir() {
        return defaultCacheDir(System.getenv(), System.getProperty("user.home"));
    }

    /** As {@link #defaultCacheDir()} for the given environment and home folder. */
    public static Path defaultCacheDir(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_CACHE_HOME");
        // The XDG spec says a relative value is invalid and must be ignored.
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, CACHE_SUBDIR);
        }
        return Path.of(userHome, ".cache", CACHE_SUBDIR);
    }

    /**
     * Downloads into a temporary file beside the target, checks the SHA-256, then renames it into
     * place, so the cache never holds a partial or wrong archive under the real name, even if the
     * process dies midway or two processes download at once.
     */
    static Path download(DownloadSpec spec, Path cacheDir, Downloader downloader, PrintStream logOrNull) {
        PrintStream log = logOrNull != null ? logOrNull : new PrintStream(OutputStream.nullOutputStream());
        Path target = cacheDir.resolve(spec.fileName());
        Path temp = null;
        try {
            Files.createDirectories(cacheDir);
            temp = Files.createTempFile(cacheDir, spec.fileName() + ".", ".part");
            log.println("Downloading the IMDB dataset from " + spec.url() + " to " + target);
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            ProgressBar bar = new ProgressBar(log);
            try (OutputStream out = new DigestOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16), sha256)) {
                downloader.download(spec.url(), out, bar);
            }
            bar.finish();
            String actual = HexFormat.of().formatHex(sha256.digest());
            if (!actual.equals(spec.sha256())) {
                throw new DataException("downloaded " + spec.url() + " but its SHA-256 is " + actual
                        + ", expected " + spec.sha256() + " (corrupted or changed on the server). "
                        + byHand(spec, target));
            }
            moveIntoPlace(temp, target);
            return target;
        } catch (IOException e) {
            log.println(); // end the progress bar's line before the error is shown
            throw new DataException("could not download " + spec.url() + " into " + cacheDir + ": " + DataException.reason(e) + ". "
                    + byHand(spec, target), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String byHand(DownloadSpec spec, Path target) {
        return "To get it by hand: download " + spec.url() + " (e.g. curl -L -o " + target + " " + spec.url()
                + "), check that its SHA-256 is " + spec.sha256() + ", and put it at " + target
                + ", or point --data or " + ENV_DATA + " at the folder holding it.";
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // Best effort: a stray .part file is harmless and named so as to be recognisable.
        }
    }
}
