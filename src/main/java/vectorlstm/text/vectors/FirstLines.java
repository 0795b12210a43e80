package vectorlstm.text.vectors;

import java.util.Arrays;

/**
 * The first few non-blank lines of a text vector file, copied out of the line buffer so that the
 * dimension and a header can be decided from several lines before any is read as a vector; the
 * reader then reads these lines from here and streams the rest.
 *
 * <p>Why several: one line can mislead. A first line whose word has spaces ({@code ". . . v1 v2 v3"})
 * has more fields than the others, and in a width-1 file a first line {@code 2 5} (the word "2",
 * value 5) looks like a word2vec {@code count dim} header.
 */
final class FirstLines {
    /** Enough to outvote a line or two with spaced words; a few KB for 300-d vectors. */
    static final int MAX_LINES = 8;
    /** Stop copying early when lines are long (4,096 values): the sample stays small. */
    static final int MAX_BYTES = 1 << 20;

    private byte[] bytes = new byte[1 << 12];
    private int used;
    private int[] starts = new int[MAX_LINES];
    private int[] widths = new int[MAX_LINES];    // fields after the first: the dimension if the word has no spaces
    private long[] lineNumbers = new long[MAX_LINES];
    private int size;
    private boolean wholeFile;

    boolean wantsMore() {
        return size < MAX_LINES && used < MAX_BYTES;
    }

    /** Copies {@code b[from, to)}, a line without its trailing blanks. */
    void add(byte[] b, int from, int to, long lineNumber) {
        int length = to - from;
        if (used + length > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, used + length));
        System.arraycopy(b, from, bytes, used, length);
        starts[size] = used;
        widths[size] = VectorLine.countFields(b, from, to) - 1;
        lineNumbers[size] = lineNumber;
        used += length;
        size++;
    }

    /** Says that the file has no lines after these. */
    void reachedEnd() {
        wholeFile = true;
    }

    int size() { return size; }
    byte[] bytes() { return bytes; }
    int start(int i) { return starts[i]; }
    int end(int i) { return i + 1 < size ? starts[i + 1] : used; }
    long lineNumber(int i) { return lineNumbers[i]; }

    /**
     * The dimension of a file without a header: the most common width among these lines. Of a tie
     * the smaller wins, since a word with spaces only ever adds fields.
     */
    int commonWidth() {
        int best = widths[0];
        for (int i = 1; i < size; i++) {
            int w = widths[i];
            int more = frequency(w, 0) - frequency(best, 0);
            if (more > 0 || (more == 0 && w < best)) best = w;
        }
        return best;
    }

    /** The line number of the first line of this width, where an error about the width is shown. */
    long firstLineOfWidth(int width) {
        for (int i = 0; i < size; i++) {
            if (widths[i] == width) return lineNumbers[i];
        }
        return lineNumbers[0];
    }

    /**
     * Whether the first line, two integers {@code count dim}, is a header rather than a numeric
     * word and its one value. A header when the lines after it most often have {@code dim} values
     * and the count is not contradicted; a word when they most often have one value; otherwise
     * still a header, so that a damaged file's error names the header's dimension.
     *
     * <p>With {@code dim} 1 both readings fit, so the count decides when the whole file was read
     * here; in a longer file the header wins (a width-1 file whose first line is a whole number and
     * the value 1 would be misread, and then refused by the count).
     */
    boolean isHeader(long count, long dim) {
        int after = size - 1;
        if (after == 0) return count == 0;   // "2 5" alone is the word "2" with value 5
        boolean countFits = !wholeFile || count == after;
        if (isMostCommonAfterFirst(dim) && (dim != 1 || countFits)) return true;
        return !isMostCommonAfterFirst(1);
    }

    private boolean isMostCommonAfterFirst(long width) {
        if (width < 0 || width > Integer.MAX_VALUE) return false;
        int frequency = frequency((int) width, 1);
        if (frequency == 0) return false;
        for (int i = 1; i < size; i++) {
            if (frequency(widths[i], 1) > frequency) return false;
        }
        return true;
    }

    private int frequency(int width, int from) {
        int n = 0;
        for (int i = from; i < size; i++) {
            if (widths[i] == width) n++;
        }
        return n;
    }
}
