package vectorlstm.data.imdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Downloads over HTTP(S) with the JDK's client, following redirects. */
public final class HttpDownloader implements Downloader {
    private static final int CHUNK = 1 << 16;
    /**
     * A download that receives nothing for this long is given up: the request's timeout covers
     * only the response headers, and a server that went silent after them hung the command for good.
     */
    static final Duration STALL = Duration.ofSeconds(60);

    private final HttpClient client;
    private final Duration stall;

    public HttpDownloader() {
        this(HttpClient.newBuilder()
                // NORMAL follows redirects except from https down to http.
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build());
    }

    public HttpDownloader(HttpClient client) {
        this(client, STALL);
    }

    HttpDownloader(HttpClient client, Duration stall) {
        this.client = client;
        this.stall = stall;
    }

    @Override
    public void download(URI url, OutputStream out, DownloadProgress progress) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .header("User-Agent", "vector-lstm")
                .timeout(Duration.ofMinutes(2)) // until the response headers arrive
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download of " + url + " interrupted");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP status " + response.statusCode() + " from " + response.uri());
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            AtomicLong lastData = new AtomicLong(System.nanoTime());
            AtomicBoolean stalled = new AtomicBoolean();
            // Closing the body from another thread is what ends a read that waits for data.
            Thread watchdog = Thread.ofVirtual().name("vector-lstm-download-watchdog").start(() -> watch(body, lastData, stalled));
            long done;
            try {
                done = copy(body, out, total, progress, lastData);
            } catch (IOException e) {
                if (stalled.get()) throw stalledError(e);
                throw e;
            } finally {
                watchdog.interrupt();
            }
            if (stalled.get()) throw stalledError(null);
            if (total >= 0 && done != total) {
                throw new IOException("connection closed after " + done + " of " + total + " bytes");
            }
        }
    }

    private void watch(InputStream body, AtomicLong lastData, AtomicBoolean stalled) {
        try {
            while (true) {
                Thread.sleep(Math.max(10, stall.toMillis() / 10));
                if (System.nanoTime() - lastData.get() > stall.toNanos()) {
                    stalled.set(true);
                    body.close();
                    return;
                }
            }
        } catch (InterruptedException | IOException e) {
            // the download ended (interrupt), or the close failed: nothing more to watch
        }
    }

    private IOException stalledError(IOException cause) {
        return new IOException("the download stalled: no data for " + (stall.toSeconds() >= 1 ? stall.toSeconds() + " s" : stall.toMillis() + " ms") + " (try again, or download the file yourself)", cause);
    }

    private static long copy(InputStream in, OutputStream out, long total, DownloadProgress progress, AtomicLong lastData)
            throws IOException {
        byte[] buffer = new byte[CHUNK];
        long done = 0;
        progress.update(0, total);
        for (int n; (n = in.read(buffer)) >= 0; ) {
            lastData.set(System.nanoTime());
            out.write(buffer, 0, n);
            done += n;
            progress.update(done, total);
        }
        return done;
    }
}
