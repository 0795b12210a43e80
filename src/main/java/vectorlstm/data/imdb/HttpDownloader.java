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

/** Downloads over HTTP(S) with the JDK's client, following redirects. */
public final class HttpDownloader implements Downloader {
    private static final int CHUNK = 1 << 16;

    private final HttpClient client;

    public HttpDownloader() {
        this(HttpClient.newBuilder()
                // NORMAL follows redirects except from https down to http.
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build());
    }

    public HttpDownloader(HttpClient client) {
        this.client = client;
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
            long done = copy(body, out, total, progress);
            if (total >= 0 && done != total) {
                throw new IOException("connection closed after " + done + " of " + total + " bytes");
            }
        }
    }

    private static long copy(InputStream in, OutputStream out, long total, DownloadProgress progress)
            throws IOException {
        byte[] buffer = new byte[CHUNK];
        long done = 0;
        progress.update(0, total);
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            done += n;
            progress.update(done, total);
        }
        return done;
    }
}
