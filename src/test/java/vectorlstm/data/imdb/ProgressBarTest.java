package vectorlstm.data.imdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void showsPercentSizeAndRate() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] now = {0};
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), () -> now[0]);
        bar.update(0, 4_000_000);
        now[0] = 1_000_000_000L;
        bar.update(2_000_000, 4_000_000);
        now[0] = 2_000_000_000L;
        bar.update(4_000_000, 4_000_000);
        bar.finish();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("  50% [###############...............]    2.0 / 4.0 MB    2.0 MB/s"), out);
        assertTrue(out.contains(" 100% [##############################]    4.0 / 4.0 MB    2.0 MB/s"), out);
        assertTrue(out.endsWith(System.lineSeparator()), "finish ends the line");
    }

    @Test
    void unknownSizeShowsBytesOnlyAndRedrawsAreThrottled() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] now = {0};
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), () -> now[0]);
        for (int i = 1; i <= 1000; i++) {
            bar.update(i * 1000L, -1); // all at the same instant: only the first draws
        }
        now[0] = 500_000_000L;
        bar.update(1_500_000, -1);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, out.chars().filter(c -> c == '\r').count(), out);
        assertTrue(out.contains("   1.5 MB    3.0 MB/s"), out);
    }
}
