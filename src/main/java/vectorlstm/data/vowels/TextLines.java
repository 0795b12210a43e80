package vectorlstm.data.vowels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import vectorlstm.data.DataException;

/**
 * A small text file's lines, read whole under a size cap, with LF or CRLF line ends.
 *
 * <p>The data files are plain ASCII numbers, so bytes are read as ISO-8859-1 (one char per byte,
 * never a decoding error): anything that is not a number is then reported by the parser with its
 * line, which says more than "malformed input" would. The caps keep a wrong file (a video, a
 * gigabyte with no line breaks) from filling the heap before it is recognised as wrong.
 */
final class TextLines {
    /** 20 times the largest real file (ae.test, 0.7 MB). */
    static final long MAX_FILE_BYTES = 16L << 20;
    /** A data line is about 120 characters; ten times that is no longer a line of twelve numbers. */
    static final int MAX_LINE_CHARS = 1200;

    private TextLines() {
    }

    /**
     * @throws DataException if the file is missing, unreadable, larger than {@link #MAX_FILE_BYTES},
     *         blank, or has a line longer than {@link #MAX_LINE_CHARS} (with its number)
     */
    static List<String> read(Path file) {
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new DataException(file + ": " + size + " bytes, more than the " + MAX_FILE_BYTES
                        + " this loader accepts (the real files are below 1 MB): is this the right file?");
            }
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file", e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e, e);
        }
        if (text.isBlank()) {
            throw new DataException(file + ":1: the file is empty");
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            int next = end < 0 ? text.length() : end + 1;
            if (end < 0) end = text.length();
            if (end > start && text.charAt(end - 1) == '\r') end--;
            if (end - start > MAX_LINE_CHARS) {
                throw new DataException(file + ":" + (lines.size() + 1) + ": line is " + (end - start)
                        + " characters long, more than " + MAX_LINE_CHARS + " (twelve numbers take about 120)");
            }
            lines.add(text.substring(start, end));
            start = next;
        }
        return lines;
    }
}
