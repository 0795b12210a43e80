package vectorlstm.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.List;
import vectorlstm.data.CsvParser;
import vectorlstm.data.DataException;

/**
 * Whether one CSV file is what {@code ./lstm eval} would read, read by eval's own parser
 * ({@link CsvParser}: strict UTF-8, RFC 4180 quoting, every record with as many fields as the
 * header). Spark's CSV reader has none of these checks: it decodes bad bytes to U+FFFD, reads a
 * quote never closed to the end of the file as one field, and its FAILFAST mode sees a record with
 * a wrong field count but without its line, and not a swallowed rest of the file that ends in the
 * last column. One rule is Spark's own: every record ends as the header does.
 */
final class CsvFileCheck {
    /**
     * One file's result.
     *
     * @param header the header's field names, empty for a file without a header (empty or blank lines only)
     * @param problem "FILE, line N: what is wrong", or null
     */
    record Verdict(String file, List<String> header, String problem) implements Serializable {
        boolean empty() {
            return header.isEmpty() && problem == null;
        }
    }

    private CsvFileCheck() {}

    /** Reads {@code in} to its end or its first problem; {@code file} names it in the verdict. */
    static Verdict check(String file, InputStream in) throws IOException {
        List<String> header = List.of();
        try {
            CsvParser csv = new CsvParser(in, ',', file);
            List<String> first = csv.next();
            if (first == null) return new Verdict(file, header, null);
            header = first;
            CsvParser.Ending headerEnding = csv.ending();
            for (List<String> record = csv.next(); record != null; record = csv.next()) {
                csv.requireFieldsOf(header, record);
                requireEnding(csv, headerEnding);
            }
            return new Verdict(file, header, null);
        } catch (DataException e) {
            return new Verdict(file, header, e.getMessage());
        }
    }

    /**
     * Spark's reader (univocity, multiLine) takes the first line ending it meets for the whole
     * file, where eval's takes LF, CRLF or CR line by line: rows after a header ending in LF kept
     * a "\r" at the end of their last field (a label "pos\r"), and a CRLF header over LF rows
     * failed the job.
     */
    private static void requireEnding(CsvParser csv, CsvParser.Ending header) {
        CsvParser.Ending ending = csv.ending();
        if (ending == header || ending == CsvParser.Ending.END_OF_FILE) return;
        throw csv.error(csv.recordLine(), "this record ends in " + ending + ", the header in " + header
                + ": the job's CSV reader takes one line ending for the whole file; re-save the file with one kind of line ending");
    }
}
