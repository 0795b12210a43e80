package vectorlstm.data.vowels;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import vectorlstm.data.DataException;

/**
 * Reads one {@code ae.train} or {@code ae.test}: utterances as blocks of lines of twelve numbers
 * (one line per frame), in file order.
 *
 * <p>Two layouts exist and are told apart by content, not by name or line ends:
 * <ul>
 *   <li>UCI: each block is followed by one empty line, the last block included.
 *   <li>Jaeger's course copy: each block ends with a separator line of twelve 1.0 values (written
 *       "1.0" or "1.00"), optionally followed by empty lines; CRLF line ends.
 * </ul>
 * A file is read as the second layout if any line is such a separator; no real frame is (these
 * are cepstrum coefficients). Either way a block that is not closed when the file ends means the
 * file was cut short, and is an error rather than a shorter last utterance.
 */
final class AeFileParser {
    static final int FEATURES = 12;

    // Plain decimals as the files have them. Float.parseFloat alone would also take "NaN",
    // "0x1p3" or "1f", none of which belongs in these files.
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern NOT_FINITE = Pattern.compile("(?i)[-+]?(nan|inf|infinity)");
    private static final Pattern BLANKS = Pattern.compile("\\s+");

    /** The blocks of a file and the layout they were read in. */
    record Parsed(List<float[][]> blocks, boolean separatorLines, int lineCount) {
    }

    private AeFileParser() {
    }

    /** @throws DataException naming the file and line of the first problem */
    static Parsed parse(Path file) {
        List<String> text = TextLines.read(file);
        // First pass: every non-empty line as twelve numbers (null for empty lines).
        List<float[]> frames = new ArrayList<>(text.size());
        boolean separators = false;
        for (int i = 0; i < text.size(); i++) {
            float[] frame = text.get(i).isBlank() ? null : frame(file, i + 1, text.get(i));
            separators |= frame != null && isSeparator(frame);
            frames.add(frame);
        }
        List<float[][]> blocks = separators ? bySeparators(file, frames) : byEmptyLines(file, frames);
        if (blocks.isEmpty()) {
            throw new DataException(file + ":1: no utterances in the file");
        }
        return new Parsed(blocks, separators, text.size());
    }

    private static List<float[][]> byEmptyLines(Path file, List<float[]> frames) {
        List<float[][]> blocks = new ArrayList<>();
        List<float[]> block = new ArrayList<>();
        for (float[] frame : frames) {
            if (frame != null) {
                block.add(frame);
            } else if (!block.isEmpty()) { // extra empty lines between blocks are harmless
                blocks.add(block.toArray(float[][]::new));
                block.clear();
            }
        }
        if (!block.isEmpty()) {
            throw truncated(file, frames.size(), blocks.size() + 1, "an empty line");
        }
        return blocks;
    }

    private static List<float[][]> bySeparators(Path file, List<float[]> frames) {
        List<float[][]> blocks = new ArrayList<>();
        List<float[]> block = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            float[] frame = frames.get(i);
            if (frame == null) {
                if (!block.isEmpty()) {
                    throw new DataException(file + ":" + (i + 1) + ": empty line inside utterance " + (blocks.size() + 1)
                            + "; in this file utterances end with a line of twelve 1.0 values instead");
                }
            } else if (isSeparator(frame)) {
                if (block.isEmpty()) {
                    throw new DataException(file + ":" + (i + 1) + ": separator line (twelve 1.0 values) "
                            + "with no frames before it");
                }
                blocks.add(block.toArray(float[][]::new));
                block.clear();
            } else {
                block.add(frame);
            }
        }
        if (!block.isEmpty()) {
            throw truncated(file, frames.size(), blocks.size() + 1, "a line of twelve 1.0 values");
        }
        return blocks;
    }

    private static DataException truncated(Path file, int lines, int block, String end) {
        return new DataException(file + ":" + lines + ": the file ends inside utterance " + block
                + " (each one must be followed by " + end + "): is the file truncated?");
    }

    private static boolean isSeparator(float[] frame) {
        for (float v : frame) {
            if (v != 1.0f) return false;
        }
        return true;
    }

    private static float[] frame(Path file, int lineNumber, String line) {
        String[] tokens = BLANKS.split(line.strip());
        if (tokens.length != FEATURES) {
            throw new DataException(file + ":" + lineNumber + ": expected " + FEATURES + " numbers, found "
                    + tokens.length);
        }
        float[] frame = new float[FEATURES];
        for (int f = 0; f < FEATURES; f++) {
            frame[f] = number(file, lineNumber, f + 1, tokens[f]);
        }
        return frame;
    }

    private static float number(Path file, int lineNumber, int column, String token) {
        String where = file + ":" + lineNumber + ": value " + column + " ";
        if (NOT_FINITE.matcher(token).matches()) {
            throw new DataException(where + "is " + token + "; only finite numbers are allowed");
        }
        if (!DECIMAL.matcher(token).matches()) {
            throw new DataException(where + "is not a number: \"" + printable(token) + "\"");
        }
        float value = Float.parseFloat(token);
        if (!Float.isFinite(value)) {
            throw new DataException(where + "is out of float range: " + token);
        }
        return value;
    }

    /** A token as it can be shown in one line of an error message. */
    private static String printable(String token) {
        StringBuilder out = new StringBuilder();
        for (char c : token.toCharArray()) {
            if (out.length() > 40) return out + "...";
            if (c >= 0x20 && c < 0x7f) out.append(c);
            else out.append(String.format("\\x%02x", (int) c));
        }
        return out.toString();
    }
}
