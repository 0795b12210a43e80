package vectorlstm.data.vowels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.data.DataException;
import vectorlstm.data.imdb.Downloader;
import vectorlstm.data.imdb.HttpDownloader;
import vectorlstm.data.imdb.ImdbLocator;

/** Where the data is looked for, and the download path against a zip served on the loopback interface. */
class VowelsLocatorTest {
    private static final Downloader MUST_NOT_DOWNLOAD = (url, out, progress) -> {
        throw new AssertionError("no download expected");
    };

    @TempDir
    Path dir;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private HttpServer server;
    private URI base;

    @BeforeEach
    void startServer() throws IOException {
        Files.createDirectory(dir.resolve("work")); // the working folder; ../shared is looked up from it
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = served.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        base = URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private Path locate(String cliData, Map<String, String> env, Path cache, Downloader downloader, URI source) {
        return VowelsLocator.locate(cliData, env, dir.resolve("work"), cache, downloader, source, log);
    }

    private Path locate(String cliData, Map<String, String> env, Path cache) {
        return locate(cliData, env, cache, MUST_NOT_DOWNLOAD, VowelsLocator.UCI_ZIP);
    }

    @Test
    void dataOptionWinsAndMustExist() {
        Path given = VowelsFixture.writeUci(dir.resolve("given"));
        VowelsFixture.writeUci(dir.resolve("shared/data/japanese-vowels"));
        Map<String, String> env = Map.of(ImdbLocator.ENV_DATA, dir.resolve("shared/data/imdb").toString());
        assertEquals(given, locate(given.toString(), env, dir.resolve("cache")));
        DataException e = assertThrows(DataException.class, () -> locate(dir.resolve("nope").toString(), env, dir));
        assertTrue(e.getMessage().startsWith("--data path does not exist: "), e.getMessage());
    }

    @Test
    void besideVlstmDataAsTheLauncherSetsIt() {
        Path sibling = VowelsFixture.writeUci(dir.resolve("shared/data/japanese-vowels"));
        Map<String, String> env = Map.of(ImdbLocator.ENV_DATA, dir.resolve("shared/data/imdb").toString());
        assertEquals(sibling.toAbsolutePath(), locate(null, env, dir.resolve("cache")));
        assertEquals(sibling.toAbsolutePath(), locate("  ", env, dir.resolve("cache")));
    }

    @Test
    void readsTheLaunchersVariableAsImdbDoes() {
        assertEquals(ImdbLocator.ENV_DATA, VowelsLocator.ENV_DATA);
    }

    @Test
    void insideVlstmData() {
        Path inside = VowelsFixture.writeUci(dir.resolve("data/japanese-vowels"));
        assertEquals(inside, locate(null, Map.of(ImdbLocator.ENV_DATA, dir.resolve("data").toString()), dir.resolve("cache")));
    }

    @Test
    void aVlstmDataWithoutOurFolderFallsThrough() throws IOException {
        // ../shared/data/japanese-vowels from the working folder dir/work is dir/shared/data/japanese-vowels.
        Path shared = VowelsFixture.writeUci(dir.resolve("shared/data/japanese-vowels"));
        Map<String, String> env = Map.of(ImdbLocator.ENV_DATA, dir.resolve("elsewhere/imdb").toString());
        assertEquals(dir.resolve("work").resolve("../shared/data/japanese-vowels"), locate(null, env, dir.resolve("cache")));
        assertTrue(Files.isSameFile(shared, locate(null, Map.of(), dir.resolve("cache"))));
    }

    @Test
    void aBrokenCopyIsReturnedSoTheLoaderCanSayWhatIsMissing() throws IOException {
        Path shared = VowelsFixture.writeUci(dir.resolve("shared/data/japanese-vowels"));
        Files.delete(shared.resolve("ae.train"));
        Path found = locate(null, Map.of(), dir.resolve("cache"));
        DataException e = assertThrows(DataException.class, () -> JapaneseVowels.load(found));
        assertTrue(e.getMessage().contains("ae.train: no such file, though ae.test is there"), e.getMessage());
    }

    @Test
    void cachedFolderIsUsedWithoutDownloading() {
        Path cached = VowelsFixture.writeUci(dir.resolve("cache/japanese-vowels"));
        assertEquals(cached, locate(null, Map.of(), dir.resolve("cache")));
    }

    @Test
    void downloadsOverHttpUnpacksAndKeepsOnlyTheFolder() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>(VowelsFixture.files());
        entries.put("JapaneseVowels.data.html", "<html>description</html>");
        served.put("/japanese+vowels.zip", VowelsFixture.zip(entries));
        Path cache = dir.resolve("new/cache");
        Path found = locate(null, Map.of(), cache, new HttpDownloader(), base.resolve("/japanese+vowels.zip"));
        assertEquals(cache.resolve("japanese-vowels"), found);
        assertEquals(List.of(found), list(cache), "no temporary file left behind");
        assertEquals(List.of("ae.test", "ae.train", "size_ae.test", "size_ae.train"),
                list(found).stream().map(p -> p.getFileName().toString()).sorted().toList());
        assertEquals(10, JapaneseVowels.load(found).test().size());
        String shown = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("Downloading the Japanese Vowels data from " + base) && shown.contains("SHA-256 "), shown);
        // The second time the cache answers.
        assertEquals(found, locate(null, Map.of(), cache));
    }

    @Test
    void entriesOneFolderDownAreAccepted() {
        Map<String, String> entries = new LinkedHashMap<>();
        VowelsFixture.files().forEach((name, text) -> entries.put("JapaneseVowels/" + name, text));
        served.put("/v.zip", VowelsFixture.zip(entries));
        Path found = locate(null, Map.of(), dir.resolve("cache"), new HttpDownloader(), base.resolve("/v.zip"));
        assertEquals(9, JapaneseVowels.load(found).train().size());
    }

    @Test
    void truncatedZipIsAClearErrorAndLeavesTheCacheEmpty() throws IOException {
        byte[] zip = VowelsFixture.zip(VowelsFixture.files());
        served.put("/cut.zip", Arrays.copyOf(zip, zip.length - 40));
        assertDownloadFails("/cut.zip", "not a complete zip archive (truncated or damaged download?)");
    }

    @Test
    void pathTraversalRejectsTheArchive() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>(VowelsFixture.files());
        entries.put("../../evil.sh", "rm -rf ~");
        served.put("/evil.zip", VowelsFixture.zip(entries));
        assertDownloadFails("/evil.zip", "entry \"../../evil.sh\" points outside the folder");
        assertFalse(Files.exists(dir.resolve("evil.sh")));
        assertFalse(Files.exists(dir.resolve("cache").getParent().resolve("evil.sh")));

        entries.remove("../../evil.sh");
        entries.put("/etc/ae.train", "x");
        served.put("/absolute.zip", VowelsFixture.zip(entries));
        assertDownloadFails("/absolute.zip", "entry \"/etc/ae.train\" points outside the folder");
    }

    @Test
    void anEntryLargerThanTheCapIsRefused() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>(VowelsFixture.files());
        entries.put("ae.test", " ".repeat((16 << 20) + 1)); // compresses to a few kB: sizes are counted, not trusted
        served.put("/bomb.zip", VowelsFixture.zip(entries));
        assertDownloadFails("/bomb.zip", "ae.test unpacks to more than 16777216 bytes");
    }

    @Test
    void zipWithoutTheDataFilesOrWithBadDataIsRefused() throws IOException {
        served.put("/other.zip", VowelsFixture.zip(Map.of("readme.txt", "hello")));
        assertDownloadFails("/other.zip", "no ae.train in the archive");

        Map<String, String> entries = new LinkedHashMap<>(VowelsFixture.files());
        entries.put("size_ae.train", "1 1 1 1 1 1 1 1 2\n");
        served.put("/miscounted.zip", VowelsFixture.zip(entries));
        assertDownloadFails("/miscounted.zip", "9 utterances, but", "size_ae.train:1 counts 10");
    }

    @Test
    void httpErrorsAndOversizedDownloadsExplainHowToGetTheDataByHand() throws IOException {
        assertDownloadFails("/missing.zip", "could not download " + base + "/missing.zip", "HTTP status 404",
                "To get it by hand", "unzip it, and point --data");
        Downloader endless = (url, out, progress) -> {
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < 100; i++) out.write(chunk);
        };
        Path cache = dir.resolve("cache");
        DataException e = assertThrows(DataException.class,
                () -> locate(null, Map.of(), cache, endless, base.resolve("/endless.zip")));
        assertTrue(e.getMessage().contains("sent more than 16777216 bytes"), e.getMessage());
        assertEquals(List.of(), list(cache));
    }

    // Before: "could not download ... into ...: java.net.ConnectException." (the JDK's client gives no message without a network).
    @Test
    void aConnectionFailureWithoutAMessageIsSaidInWords() {
        Downloader offline = (url, out, progress) -> {
            throw (java.net.ConnectException) new java.net.ConnectException().initCause(new java.nio.channels.UnresolvedAddressException());
        };
        DataException e = assertThrows(DataException.class,
                () -> locate(null, Map.of(), dir.resolve("cache"), offline, base.resolve("/japanese+vowels.zip")));
        assertTrue(e.getMessage().contains(": could not connect: the host name could not be resolved (no network?). To get it by hand"), e.getMessage());
    }

    private void assertDownloadFails(String path, String... parts) throws IOException {
        Path cache = dir.resolve("cache");
        DataException e = assertThrows(DataException.class,
                () -> locate(null, Map.of(), cache, new HttpDownloader(), base.resolve(path)));
        for (String part : parts) assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().contains("To get it by hand"), e.getMessage());
        assertEquals(List.of(), list(cache), "nothing is left in the cache");
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.toList();
        }
    }
}
