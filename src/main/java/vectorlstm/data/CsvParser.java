package vectorlstm.data;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records, one at a time, from a stream of characters.
 *
 * <p>A field that starts with a quote runs to the matching quote, may hold the delimiter and line
 * breaks (kept as written, LF or CRLF), and writes a quote as two. A quote inside an unquoted field
 * is kept as an ordinary character, as Python's csv module does. Records end at LF, CRLF or CR;
 * empty lines between records are skipped. A leading byte order mark is dropped.
 */
final class CsvParser {
    private static final int EOF = -1;

    private final Reader in;
    private final char delimiter;
    private final String fileName;
    private final char[] buffer = new char[1 << 16];
    private final StringBuilder field = new StringBuilder();
    private int pos;
    private int limit;
    private long line = 1;
    private long recordLine;

    /** @param fileName for error messages */
    CsvParser(Reader in, char delimiter, String fileName) throws IOException {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new DataException("a quote or line break cannot be the field delimiter");
        }
        this.in = in;
        this.delimiter = delimiter;
        this.fileName = fileName;
        if (peek() == Utf8Text.BOM) {
            pos++;
        }
    }

    /** The line the last record returned by {@link #next()} started on (1-based). */
    long recordLine() {
        return recordLine;
    }

    /** The next record's fields, or null at the end of the input. */
    List<String> next() throws IOException {
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
                readQuotedRest();
                c = read();
                if (c != delimiter && c != '\n' && c != '\r' && c != EOF) {
                    throw error(line, "unexpected character '" + (char) c + "' after a closing quote "
                            + "(a quote inside a quoted field must be doubled: \"\")");
                }
            } else {
                while (c != delimiter && c != '\n' && c != '\r' && c != EOF) {
                    field.append((char) c);
                    checkFieldLength(recordLine);
                    c = read();
                }
            }
            fields.add(field.toString());
            if (c != delimiter) {
                endLine(c);
                return fields;
            }
        }
    }

    /** Reads from just after an opening quote through the closing one. */
    private void readQuotedRest() throws IOException {
        long opened = line;
        while (true) {
            int c = read();
            if (c == EOF) {
                throw error(opened, "a quoted field opened on this line is never closed");
            }
            if (c == '"') {
                if (peek() != '"') {
                    return;
                }
                read();
            }
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

    /** Consumes the rest of a line ending that began with {@code c} (CR may be followed by LF). */
    private void endLine(int c) throws IOException {
        if (c == '\r' && peek() == '\n') {
            read();
        }
        if (c != EOF) {
            line++;
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
        return buffer[pos++];
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        pos = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }

    DataException error(long atLine, String what) {
        return new DataException(fileName + ", line " + atLine + ": " + what);
    }
}
