package vectorlstm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The line ends readLine knows, across the buffer's edge, and the bound. */
class BoundedLinesTest {
    private static List<String> lines(String text) throws IOException {
        BoundedLines reader = new BoundedLines(new StringReader(text));
        List<String> out = new ArrayList<>();
        for (String line = reader.next(); line != null; line = reader.next()) out.add(line);
        return out;
    }

    @Test
    void endsAtLfCrlfAndCrAsReadLineDoes() throws IOException {
        assertEquals(List.of("a", "b", "c", "", "d"), lines("a\r\nb\rc\n\nd"));
        assertEquals(List.of("a"), lines("a\n"));
        assertEquals(List.of(), lines(""));
        assertEquals(List.of("", ""), lines("\r\n\r\n"));
        // \r as the buffer's last character and \n as the next read's first: one line end.
        String edge = "x".repeat((1 << 16) - 1);
        assertEquals(List.of(edge, "y"), lines(edge + "\r\ny"));
        String across = "z".repeat(200_000);
        assertEquals(List.of("a", across, "b"), lines("a\n" + across + "\nb"));
    }

    @Test
    void aLineBeyondTheBoundNamesItsNumber() {
        String text = "ok\nfine\n" + "w".repeat(TextDataset.MAX_TEXT_BYTES + 1) + "\n";
        BoundedLines.TooLong e = assertThrows(BoundedLines.TooLong.class, () -> lines(text));
        assertEquals(3, e.line);
    }
}
