package vectorlstm.data.imdb;

/** Told how a download is going, after each chunk received. */
@FunctionalInterface
public interface DownloadProgress {

    /**
     * @param bytesSoFar bytes received so far
     * @param totalBytes the announced size, or -1 if the server did not say
     */
    void update(long bytesSoFar, long totalBytes);
}
