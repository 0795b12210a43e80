package vectorlstm.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.util.ArrayList;
import java.util.List;
import vectorlstm.text.StrictUtf8;

/**
 * Whether one CSV file is what {@code ./lstm eval} would read: strict UTF-8, RFC 4180 quoting
 * (a quoted field runs to its closing quote, may hold commas and line breaks, writes a quote as
 * two), and every record with as many fields as the header. Spark's CSV reader has none of these
 * checks: it decodes bad bytes to U+FFFD, reads a quote never closed to the end of the file as one
 * field, and its FAILFAST mode sees a record with a wrong field count but without its line, and not
 * a swallowed rest of the file that ends in the last column. One streaming pass over the bytes;
 * the first problem ends it and is said as eval says it ("line N: ..."). Lines end at LF, CRLF or
 * CR, each record of a file as its header ends ({@link #ending}); blank lines between records are
 * skipped; a leading byte order mark is not a character.
 */
final class CsvFileCheck {
    private static final char QUOTE = '"', DELIMITER = ',', BOM = '\uFEFF', NO_ENDING = 0;

    /**
     * One file's result.
     *
     * @param header the header's field names, empty for a file without a header (empty or blank lines only)
     * @param problem "line N: what is wrong", or null
     */
    record Verdict(String file, List<String> header, String problem) implements Serializable {
        boolean empty() {
            return header.isEmpty() && problem == null;
        }
    }

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

    private State state = State.FIELD_START;
    private long line = 1, recordLine, openedLine;
    private boolean afterCr, started, inRecord;
    /** A record just ended at a CR: whether it was CRLF is told by the next character. */
    private boolean crEnded;
    private long endedLine;
    /** How the header's line ended: "LF", "CRLF" or "CR". */
    private String firstEnding;
    private int fields, columns = -1;
    /** The header's names, read as the header is (the other records' text is not kept). */
    private final List<String> header = new ArrayList<>();
    private final StringBuilder headerField = new StringBuilder();

    private CsvFileCheck() {}

    /** Reads {@code in} to its end or its first problem; {@code file} names it in the verdict. */
    static Verdict check(String file, InputStream in) throws IOException {
        CsvFileCheck csv = new CsvFileCheck();
        String problem = csv.read(in);
        return new Verdict(file, csv.columns < 0 ? List.of() : List.copyOf(csv.header), problem);
    }

    private String read(InputStream in) throws IOException {
        CharsetDecoder decoder = StrictUtf8.decoder();
        ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
        CharBuffer chars = CharBuffer.allocate(1 << 16);  // UTF-8 never decodes to more chars than bytes
        long offset = 0;  // of bytes' first byte in the file
        boolean eof = false;
        while (true) {
            int n = eof ? -1 : in.read(bytes.array(), bytes.position(), bytes.remaining());
            eof |= n < 0;
            bytes.position(bytes.position() + Math.max(n, 0)).flip();
            CoderResult result = decoder.decode(bytes, chars, eof);
            String problem = feed(chars.flip());  // the text before a bad byte first: a problem there comes earlier in the file
            if (problem != null) return problem;
            chars.clear();
            if (result.isError()) {
                return "line " + line + ": not valid UTF-8 (bad byte at offset " + (offset + bytes.position()) + "); re-save the file as UTF-8";
            }
            offset += bytes.position();
            bytes.compact();
            if (eof && result.isUnderflow()) return end();
        }
    }

    private String feed(CharBuffer chars) {
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (!started) {
                started = true;
                if (c == BOM) continue;
            }
            if (crEnded) {
                crEnded = false;
                String problem = ending(c == '\n' ? "CRLF" : "CR");
                if (problem != null) return problem;
            }
            String problem = next(c);
            if (problem != null) return problem;
            if (c == '\r' || (c == '\n' && !afterCr)) line++;
            afterCr = c == '\r';
        }
        return null;
    }

    private String next(char c) {
        boolean lineBreak = c == '\n' || c == '\r';
        switch (state) {
            case QUOTED -> {  // line breaks and delimiters are the field's text
                if (c == QUOTE) state = State.QUOTE_IN_QUOTED;
                else inHeader(c);
            }
            case QUOTE_IN_QUOTED -> {  // the quote before c closed the field, unless c is its double
                if (c == QUOTE) {
                    state = State.QUOTED;
                    inHeader(c);
                } else if (c == DELIMITER) endField();
                else if (lineBreak) return endRecord(c);
                else return "line " + line + ": unexpected character '" + c + "' after a closing quote (a quote inside a quoted field must be doubled: \"\")";
            }
            case UNQUOTED -> {  // a quote inside an unquoted field is an ordinary character
                if (c == DELIMITER) endField();
                else if (lineBreak) return endRecord(c);
                else inHeader(c);
            }
            case FIELD_START -> {
                if (!inRecord) {
                    if (lineBreak) return null;  // a blank line between records
                    inRecord = true;
                    recordLine = line;
                }
                if (c == QUOTE) {
                    state = State.QUOTED;
                    openedLine = line;
                } else if (c == DELIMITER) {
                    endField();
                } else if (lineBreak) {
                    return endRecord(c);
                } else {
                    state = State.UNQUOTED;
                    inHeader(c);
                }
            }
        }
        return null;
    }

    /** A character of a field's text: kept while the header is read. */
    private void inHeader(char c) {
        if (columns < 0) headerField.append(c);
    }

    private void endField() {
        fields++;
        state = State.FIELD_START;
        if (columns < 0) {
            header.add(headerField.toString());
            headerField.setLength(0);
        }
    }

    /** @param c the line break that ends the record, or {@link #NO_ENDING} at the end of the file */
    private String endRecord(char c) {
        endField();
        int found = fields;
        fields = 0;
        inRecord = false;
        if (columns < 0) {
            columns = found;
        } else if (found != columns) {
            return "line " + recordLine + ": expected " + columns + " fields, as in the header, but found " + found
                    + " (is a field with the delimiter or a line break missing its quotes?)";
        }
        endedLine = recordLine;
        if (c == '\n') return ending("LF");
        crEnded = c == '\r';  // CR or CRLF: the next character tells
        return null;
    }

    /**
     * Spark's reader (univocity, multiLine) takes the first line ending it meets for the whole
     * file, where eval's takes LF, CRLF or CR line by line: rows after a header ending in LF kept
     * a "\r" at the end of their last field (a label "pos\r"), and a CRLF header over LF rows
     * failed the job. So every record must end as the header does.
     */
    private String ending(String kind) {
        if (firstEnding == null) firstEnding = kind;
        if (kind.equals(firstEnding)) return null;
        return "line " + endedLine + ": this record ends in " + kind + ", the header in " + firstEnding
                + ": the job's CSV reader takes one line ending for the whole file; re-save the file with one kind of line ending";
    }

    private String end() {
        if (state == State.QUOTED) return "line " + openedLine + ": a quoted field opened on this line is never closed";
        if (inRecord) return endRecord(NO_ENDING);
        return crEnded ? ending("CR") : null;
    }
}
