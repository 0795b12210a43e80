package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress line with a free status text, as {@code ./lstm bench} uses it. */
class ProgressLineTest {
    @Test
    void inALogEveryTenthGetsALineWithItsStatus() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 10, false);
        for (int i = 0; i < 10; i++) line.update(i, " - step " + i);
        line.finish(" - done");
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\\R");
        assertEquals(11, lines.length);
        assertTrue(lines[3].startsWith(" 3/10 [=========>....................]") && lines[3].endsWith(" - step 3"), lines[3]);
        assertTrue(lines[10].startsWith("10/10 [==============================] - ") && lines[10].endsWith(" - done"), lines[10]);
    }

    @Test
    void onATerminalAShorterLineBlanksTheRestOfTheLongerOne() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 4, true);
        line.update(1, " - a long status text");
        line.finish(" - ok");
        String[] draws = bytes.toString(StandardCharsets.UTF_8).split("\r");
        assertEquals(3, draws.length);  // "", the update, the final line
        String last = draws[2].substring(0, draws[2].length() - System.lineSeparator().length());
        assertTrue(last.stripTrailing().endsWith(" - ok"), last);
        assertTrue(last.stripTrailing().length() < draws[1].length() && last.length() == draws[1].length(),
                "padded with spaces to the length of the line it overwrites: '" + last + "'");
    }
}
