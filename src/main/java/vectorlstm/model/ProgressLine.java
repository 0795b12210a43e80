package vectorlstm.model;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Keras' per-epoch progress line:
 * {@code 120/391 [=========>....................] - ETA: 31s - loss: 0.5512 - accuracy: 0.7133},
 * ending as {@code 391/391 [==============================] - 45s 115ms/step - loss: ... }.
 * On a terminal the line is redrawn in place (at most 5 times a second); otherwise (logs, CI) a
 * line is printed at every tenth of the epoch. A null stream keeps only the timing.
 * Public for other long jobs ({@code ./lstm bench}), which show a status text instead of the metrics.
 */
public final class ProgressLine {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final int total;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastTenth = -1;
    /** Length of the line last drawn in place: a shorter one must blank out its tail. */
    private int drawnLength;

    public ProgressLine(PrintStream out, int total, boolean interactive) {
        this.out = out;
        this.total = total;
        this.interactive = interactive;
    }

    void update(int done, double loss, double accuracy) {
        if (out != null) update(done, metrics(loss, accuracy));
    }

    /** {@code done} of the total steps are finished; {@code status} ends the line (start it with " - "). */
    public void update(int done, String status) {
        if (out == null) return;
        long now = System.nanoTime();
        if (done >= total) return;  // finish() draws the last state
        if (interactive) {
            if (now - lastDraw < 200_000_000L) return;
            lastDraw = now;
            out.print("\r" + overwriting(line(done, now, status)));
        } else {
            int tenth = done * 10 / total;
            if (tenth == lastTenth) return;
            lastTenth = tenth;
            out.println(line(done, now, status));
        }
        out.flush();
    }

    /** Draws the final line and returns the epoch's wall time in seconds. */
    double finish(double loss, double accuracy, String extra) {
        return finish(metrics(loss, accuracy) + extra);
    }

    /** Draws the final line, ending with {@code status}, and returns the wall time in seconds. */
    public double finish(String status) {
        long now = System.nanoTime();
        double seconds = (now - start) / 1e9;
        if (out == null) return seconds;
        String timing = String.format(Locale.ROOT, " - %ds %dms/step", Math.round(seconds), Math.round(seconds * 1000 / Math.max(1, total)));
        String text = counter(total) + bar(total) + timing + status;
        out.println(interactive ? "\r" + overwriting(text) : text);
        out.flush();
        return seconds;
    }

    private String line(int done, long now, String status) {
        double elapsed = (now - start) / 1e9;
        // Nothing done yet gives no rate to tell the rest by: "ETA: 0s" there promised the end at once.
        String eta = done == 0 ? "?" : Math.round(elapsed / done * (total - done)) + "s";
        return counter(done) + bar(done) + String.format(Locale.ROOT, " - elapsed: %ds - ETA: %s", Math.round(elapsed), eta) + status;
    }

    private String overwriting(String text) {
        String padded = text.length() < drawnLength ? text + " ".repeat(drawnLength - text.length()) : text;
        drawnLength = text.length();
        return padded;
    }

    private String counter(int done) {
        int digits = Integer.toString(total).length();
        return String.format(Locale.ROOT, "%" + digits + "d/%d ", done, total);
    }

    private String bar(int done) {
        if (done >= total) return "[" + "=".repeat(WIDTH) + "]";
        int filled = (int) ((long) WIDTH * done / total);  // at most WIDTH - 1 here
        return "[" + "=".repeat(filled) + ">" + ".".repeat(WIDTH - filled - 1) + "]";
    }

    private static String metrics(double loss, double accuracy) {
        return String.format(Locale.ROOT, " - loss: %.4f - accuracy: %.4f", loss, accuracy);
    }
}
