package vectorlstm.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output read by something like {@code grep -m1 MARKER}: it takes the bytes up to the
 * end of the first line holding {@code marker}, then every write fails as a closed pipe's does.
 */
final class PipeClosedAfter extends OutputStream {
    private final String marker;
    private final ByteArrayOutputStream read = new ByteArrayOutputStream();
    private boolean closed;

    PipeClosedAfter(String marker) { this.marker = marker; }

    @Override
    public synchronized void write(int b) throws IOException {
        if (closed) throw new IOException("Broken pipe");
        read.write(b);
        if (b == '\n') {
            String text = read.toString(StandardCharsets.UTF_8);
            closed = text.lines().anyMatch(line -> line.contains(marker));
        }
    }

    /** What the reader got before it went away. */
    synchronized String read() { return read.toString(StandardCharsets.UTF_8); }
}
