package vectorlstm.data.imdb;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;

/**
 * Fetches a resource. An interface so that tests serve local bytes instead of the network;
 * checksums and file handling stay with the caller, which is then tested too.
 */
public interface Downloader {

    /**
     * Writes the content at {@code url} to {@code out} (which the caller closes), reporting
     * progress as it goes.
     *
     * @throws IOException if the transfer fails or is incomplete
     */
    void download(URI url, OutputStream out, DownloadProgress progress) throws IOException;
}
