package vectorlstm.data.imdb;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line text progress bar: {@code  42% [########............]  35.3 / 84.1 MB  12.4 MB/s}.
 *
 * <p>Redraws in place with a carriage return, at most every 200 ms or whole percent, so a slow
 * terminal or a CI log is not flooded by one line per network chunk.
 */
final class ProgressBar implements DownloadProgress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final double MB = 1_000_000.0;

    private final PrintStream out;
    private final LongSupplier nanoClock;
    private final long start;
    private long lastDraw = Long.MIN_VALUE;
    private long lastPercent = -1;
    private long bytes;
    private long total = -1;

    ProgressBar(PrintStream out) {
        this(out, System::nanoTime);
    }

    ProgressBar(PrintStream out, LongSupplier nanoClock) {
        this.out = out;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
    }

    @Override
    public void update(long bytesSoFar, long totalBytes) {
        bytes = bytesSoFar;
        total = totalBytes;
        long now = nanoClock.getAsLong();
        long percent = percent();
        if (percent != lastPercent || lastDraw == Long.MIN_VALUE || now - lastDraw >= REDRAW_NANOS) {
            draw(now);
            lastDraw = now;
            lastPercent = percent;
        }
    }

    /** Draws the final state and ends the line. */
    void finish() {
        draw(nanoClock.getAsLong());
        out.println();
        out.flush();
    }

    private long percent() {
        return total > 0 ? Math.min(100, bytes * 100 / total) : -1;
    }

    private void draw(long now) {
        double seconds = Math.max(1e-3, (now - start) / 1e9);
        String rate = String.format(Locale.ROOT, "%6.1f MB/s", bytes / MB / seconds);
        String line;
        if (total > 0) {
            int filled = (int) (WIDTH * Math.min(bytes, total) / total);
            line = String.format(Locale.ROOT, "\r%4d%% [%s%s] %6.1f / %.1f MB %s", percent(),
                    "#".repeat(filled), ".".repeat(WIDTH - filled), bytes / MB, total / MB, rate);
        } else {
            line = String.format(Locale.ROOT, "\r%6.1f MB %s", bytes / MB, rate);
        }
        out.print(line);
        out.flush();
    }
}
