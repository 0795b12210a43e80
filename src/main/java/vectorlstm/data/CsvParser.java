package vectorlstm.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records, one at a time, from a stream of characters.
 *
 * <p>A field that starts with a quote runs to the matching quote, may hold the delimiter and line
 * breaks (kept as written, LF or CRLF), and writes a quote as two. A quote inside an unquoted field
 * is kept as an ordinary character, as Python's csv module does. Records end at LF, CRLF or CR;
 * empty lines between records are skipped. A leading byte order mark is dropped. The bytes must
 * be UTF-8 and hold no NUL. Every problem is a {@link DataException} "FILE, line N: what".
 *
 * <p>The one CSV grammar of the project: the CSV and TSV datasets, the plotted columns and the
 * Spark job's check of its input files all read through it, so they agree on what a file holds.
 */
public final class CsvParser {
    private static final int EOF = -1;
    /** The most fields a record may have (the header too): more is not a table of texts, and each field costs heap. */
    public static final int MAX_FIELDS = 1 << 20;

    /** How a record's line ended. */
    public enum Ending { LF, CRLF, CR, END_OF_FILE }

    private final Utf8Reader in;
    private final char delimiter;
    private final String fileName;
    private final char[] buffer = new char[1 << 16];
    private final StringBuilder field = new StringBuilder();
    private int pos;
    private int limit;
    private long line = 1;
    private long recordLine;
    private Ending ending;
    /** The field count every record must have (the header's), once known; 0 before. */
    private int expectedFields;
    /** Bytes that are not UTF-8, met by the look past a CR: thrown at the next read, after the record the CR ends. */
    private DataException deferred;

    /**
     * @param in UTF-8 bytes, read as far as the records asked for (the caller closes it)
     * @param fileName for error messages
     */
    public CsvParser(InputStream in, char delimiter, String fileName) throws IOException {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new DataException("a quote or line break cannot be the field delimiter");
        }
        this.in = new Utf8Reader(in);
        this.delimiter = delimiter;
        this.fileName = fileName;
        if (peek() == Utf8Text.BOM) {
            pos++;
        }
    }

    /**
     * From now on a record with far more fields than {@code count} is refused while it is read: a
     * malformed line of a hundred million commas was read whole (gigabytes) before its count was
     * compared with the header's.
     */
    public void expectFields(int count) {
        expectedFields = count;
    }

    /** The line the last record returned by {@link #next()} started on (1-based). */
    public long recordLine() {
        return recordLine;
    }

    /** How the last record returned by {@link #next()} ended. */
    public Ending ending() {
        return ending;
    }

    /** The next record's fields, or null at the end of the input. */
    public List<String> next() throws IOException {
        while (peek() == '\n' || peek() == '\r') {
            endLine(read());
        }
        if (peek() == EOF) {
            return null;
        }
        recordLine = line;
        List<String> fields = new ArrayList<>();
        while (true) {
            field.setLength(0);
            int c = read();
            if (c == '"') {
                long opened = line;
                readQuotedRest();
                c = read();
                if (c != delimiter && c != '\n' && c != '\r' && c != EOF) {
                    // A stray quote far above shows up only here, at the next quote: say where the field began.
                    throw error(line, "unexpected character '" + (char) c + "' after a closing quote "
                            + "(a quote inside a quoted field must be doubled: \"\")"
                            + (opened < line ? "; the quoted field began on line " + opened + " (a stray quote there?)" : ""));
                }
            } else {
                while (c != delimiter && c != '\n' && c != '\r' && c != EOF) {
                    field.append((char) c);
                    checkFieldLength(recordLine);
                    c = read();
                }
            }
            fields.add(field.toString());
            // A few too many are counted to the record's end (requireFieldsOf says how many); a flood stops here.
            if (c == delimiter && expectedFields > 0 && fields.size() >= expectedFields + 1024) {
                throw error(recordLine, "expected " + expectedFields + " fields, as in the header, but found more than " + fields.size()
                        + " (is a field with the delimiter or a line break missing its quotes?)");
            }
            if (c == delimiter && fields.size() >= MAX_FIELDS) {
                throw error(recordLine, "more than " + MAX_FIELDS + " fields in one record: not a table of texts");
            }
            if (c != delimiter) {
                endLine(c);
                return fields;
            }
        }
    }

    /**
     * Reads from just after an opening quote through the closing one. In a TSV, a quoted field
     * that holds both a tab and a line break is refused: that is what a TSV written without
     * quoting turns into when one text starts with a quote and a later one ends with one before
     * a tab (the rows between, labels and all, read as one text), and a quoted TSV seldom has it.
     */
    private void readQuotedRest() throws IOException {
        long opened = line;
        boolean delimiterInside = false, lineBreakInside = false;
        while (true) {
            int c = read();
            if (c == EOF) {
                throw error(opened, "a quoted field opened on this line is never closed");
            }
            if (c == '"') {
                if (peek() != '"') {
                    if (delimiter == '\t' && delimiterInside && lineBreakInside) {
                        throw error(opened, "a quoted field runs to line " + line + " and holds both tabs and line breaks, which is what a TSV written without"
                                + " quoting becomes when a text starts with a quote (the rows between read as one text); such a field is refused in a TSV:"
                                + " convert the file to JSON lines or a quoted CSV first");
                    }
                    return;
                }
                read();
            }
            delimiterInside |= c == delimiter;
            lineBreakInside |= c == '\n' || c == '\r';
            field.append((char) c);
            checkFieldLength(opened);
            if (c == '\r' && peek() == '\n') {
                field.append((char) read());
            }
            if (c == '\n' || c == '\r') {
                line++;
            }
        }
    }

    private void checkFieldLength(long startedOn) {
        if (field.length() > TextDataset.MAX_TEXT_BYTES) {
            throw error(startedOn, "a field longer than " + (TextDataset.MAX_TEXT_BYTES >> 20) + " Mi characters (a quote never closed, or not a text file?)");
        }
    }

    /**
     * Refuses the last record when its field count is not the header's.
     *
     * @param header the first record's fields
     */
    public void requireFieldsOf(List<String> header, List<String> record) {
        if (record.size() != header.size()) {
            throw error(recordLine, "expected " + header.size() + " fields, as in the header, but found " + record.size()
                    + " (is a field with the delimiter or a line break missing its quotes?)");
        }
    }

    /** Consumes the rest of a line ending that began with {@code c} (CR may be followed by LF). */
    private void endLine(int c) throws IOException {
        if (c == '\r' && peekPastCr() == '\n') {
            read();
            ending = Ending.CRLF;
        } else {
            ending = c == '\r' ? Ending.CR : c == '\n' ? Ending.LF : Ending.END_OF_FILE;
        }
        if (c != EOF) {
            line++;
        }
    }

    /**
     * {@link #peek()} to tell CR from CRLF. A bad byte right after the CR belongs to the next
     * record: the one the CR ends is returned (and checked) first, as with LF endings, which
     * need no look ahead; the bad byte is refused at the next read.
     */
    private int peekPastCr() throws IOException {
        try {
            return peek();
        } catch (DataException notUtf8) {
            deferred = notUtf8;
            return EOF;
        }
    }

    private int peek() throws IOException {
        if (pos == limit && !fill()) {
            return EOF;
        }
        return buffer[pos];
    }

    private int read() throws IOException {
        if (pos == limit && !fill()) {
            return EOF;
        }
        char c = buffer[pos++];
        // A text table holds no NUL: zeros an interrupted copy left join a cut row to a later one without a line break,
        // and the joined row passed the field count (a class-folder text and the IMDB archive refuse them too).
        if (c == 0) throw error(line, "a NUL byte: a text file holds none (a binary file, or zeros an interrupted copy left)");
        return c;
    }

    private boolean fill() throws IOException {
        if (deferred != null) throw deferred;
        int n;
        try {
            do {
                n = in.read(buffer, 0, buffer.length);
            } while (n == 0);
        } catch (Utf8Reader.Malformed e) {
            throw Utf8Text.invalid(fileName, e);
        }
        pos = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }

    /** A problem at {@code atLine} of the file. */
    public DataException error(long atLine, String what) {
        return new DataException(fileName + ", line " + atLine + ": " + what);
    }
}
