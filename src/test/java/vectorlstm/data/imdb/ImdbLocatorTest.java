package vectorlstm.data.imdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.data.DataException;

class ImdbLocatorTest {
    private static final Downloader MUST_NOT_DOWNLOAD = (url, out, progress) -> {
        throw new AssertionError("no download expected");
    };

    @TempDir
    Path dir;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    /** Serves fixed bytes in a few chunks, as the network would. */
    private record FakeDownloader(byte[] content) implements Downloader {
        @Override
        public void download(URI url, java.io.OutputStream out, DownloadProgress progress) throws IOException {
            for (int at = 0; at < content.length; at += 1000) {
                int n = Math.min(1000, content.length - at);
                out.write(content, at, n);
                progress.update(at + n, content.length);
            }
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static DownloadSpec spec(String sha) {
        return new DownloadSpec(URI.create("https://example.invalid/aclImdb_v1.tar.gz"), sha, "aclImdb_v1.tar.gz");
    }

    private List<Path> cacheFiles(Path cache) throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            return s.toList();
        }
    }

    @Test
    void dataOptionWinsAndMustExist() throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        Map<String, String> env = Map.of(ImdbLocator.ENV_DATA, dir.resolve("elsewhere").toString());
        assertEquals(data, ImdbLocator.locate(data.toString(), env, dir, MUST_NOT_DOWNLOAD, log));
        DataException e = assertThrows(DataException.class,
                () -> ImdbLocator.locate(dir.resolve("nope").toString(), env, dir, MUST_NOT_DOWNLOAD, log));
        assertTrue(e.getMessage().startsWith("--data path does not exist: "), e.getMessage());
    }

    @Test
    void environmentFolderComesNextAndIsChecked() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("imdb"));
        ImdbFixture.writeArchive(folder.resolve(ImdbDataset.ARCHIVE_NAME));
        Map<String, String> env = Map.of(ImdbLocator.ENV_DATA, folder.toString());
        Path found = ImdbLocator.locate(null, env, dir.resolve("cache"), MUST_NOT_DOWNLOAD, log);
        assertEquals(folder, found);
        assertEquals(5, ImdbDataset.load(found).train().size());

        Path empty = Files.createDirectory(dir.resolve("empty"));
        DataException e = assertThrows(DataException.class, () -> ImdbLocator.locate(null,
                Map.of(ImdbLocator.ENV_DATA, empty.toString()), dir.resolve("cache"), MUST_NOT_DOWNLOAD, log));
        assertTrue(e.getMessage().contains("holds neither"), e.getMessage());
        assertThrows(DataException.class, () -> ImdbLocator.locate(null,
                Map.of(ImdbLocator.ENV_DATA, dir.resolve("gone").toString()), dir, MUST_NOT_DOWNLOAD, log));
    }

    @Test
    void cachedArchiveOrFolderIsUsedWithoutDownloading() throws IOException {
        Path cache = Files.createDirectory(dir.resolve("cache"));
        Path archive = ImdbFixture.writeArchive(cache.resolve(ImdbDataset.ARCHIVE_NAME));
        assertEquals(archive, ImdbLocator.locate("", Map.of(), cache, MUST_NOT_DOWNLOAD, log));

        Path other = Files.createDirectory(dir.resolve("other"));
        Path aclImdb = ImdbFixture.extract(other, ImdbFixture.files());
        assertEquals(aclImdb, ImdbLocator.locate(null, Map.of(ImdbLocator.ENV_DATA, " "), other, MUST_NOT_DOWNLOAD, log));
    }

    @Test
    void downloadsIntoTheCacheAndVerifiesTheChecksum() throws Exception {
        byte[] archive = ImdbFixture.tar(ImdbFixture.files()).tarGz();
        Path cache = dir.resolve("new/cache");
        Path found = ImdbLocator.locate(null, Map.of(), cache, new FakeDownloader(archive), spec(sha256(archive)), log);
        assertEquals(cache.resolve("aclImdb_v1.tar.gz"), found);
        assertArrayEquals(archive, Files.readAllBytes(found));
        assertEquals(List.of(found), cacheFiles(cache), "no temporary file left behind");
        assertEquals(ImdbFixture.TRAIN_TEXTS, ImdbDataset.load(found).train().texts());
        String shown = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("100%") && shown.contains("MB/s"), shown);
    }

    @Test
    void checksumMismatchDeletesTheDownloadAndExplains() throws Exception {
        byte[] archive = ImdbFixture.tar(ImdbFixture.files()).tarGz();
        Path cache = dir.resolve("cache");
        String wrong = "0".repeat(64);
        DataException e = assertThrows(DataException.class, () -> ImdbLocator.locate(null, Map.of(), cache,
                new FakeDownloader(archive), spec(wrong), log));
        assertTrue(e.getMessage().contains("SHA-256 is " + sha256(archive) + ", expected " + wrong), e.getMessage());
        assertTrue(e.getMessage().contains("To get it by hand"), e.getMessage());
        assertEquals(List.of(), cacheFiles(cache));
    }

    @Test
    void failedDownloadDeletesThePartialFileAndExplains() throws IOException {
        Downloader failing = (url, out, progress) -> {
            out.write(new byte[5000]);
            throw new IOException("connection reset");
        };
        Path cache = dir.resolve("cache");
        DataException e = assertThrows(DataException.class,
                () -> ImdbLocator.locate(null, Map.of(), cache, failing, spec("a".repeat(64)), log));
        assertTrue(e.getMessage().contains("could not download https://example.invalid/aclImdb_v1.tar.gz"),
                e.getMessage());
        assertTrue(e.getMessage().contains("connection reset") && e.getMessage().contains("curl -L -o"),
                e.getMessage());
        assertEquals(List.of(), cacheFiles(cache));
    }

    // Before: "could not download ... into ...: java.net.ConnectException." (the JDK's client gives no message without a network).
    @Test
    void aConnectionFailureWithoutAMessageIsSaidInWords() {
        Downloader offline = (url, out, progress) -> {
            throw (java.net.ConnectException) new java.net.ConnectException().initCause(new java.nio.channels.UnresolvedAddressException());
        };
        DataException e = assertThrows(DataException.class,
                () -> ImdbLocator.locate(null, Map.of(), dir.resolve("cache"), offline, spec("a".repeat(64)), log));
        assertTrue(e.getMessage().contains("into " + dir.resolve("cache") + ": could not connect: the host name could not be resolved (no network?). "),
                e.getMessage());
        Downloader refused = (url, out, progress) -> {
            throw (java.net.ConnectException) new java.net.ConnectException().initCause(new java.nio.channels.ClosedChannelException());
        };
        e = assertThrows(DataException.class, () -> ImdbLocator.locate(null, Map.of(), dir.resolve("cache"), refused, spec("a".repeat(64)), log));
        assertTrue(e.getMessage().contains(": could not connect (java.net.ConnectException, caused by java.nio.channels.ClosedChannelException). "),
                e.getMessage());
    }

    @Test
    void defaultCacheFollowsXdg() {
        assertEquals(Path.of("/xdg/vector-lstm"), ImdbLocator.defaultCacheDir(Map.of("XDG_CACHE_HOME", "/xdg"), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/vector-lstm"), ImdbLocator.defaultCacheDir(Map.of(), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/vector-lstm"),
                ImdbLocator.defaultCacheDir(Map.of("XDG_CACHE_HOME", "relative"), "/home/u"));
        assertTrue(ImdbLocator.defaultCacheDir().endsWith("vector-lstm"));
    }

    @Test
    void theOriginalArchiveIsTheDefault() {
        assertEquals("https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz", DownloadSpec.IMDB.url().toString());
        assertEquals("c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe", DownloadSpec.IMDB.sha256());
        assertThrows(IllegalArgumentException.class, () -> spec("xyz"));
    }
}
