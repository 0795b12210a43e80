package vectorlstm.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vectorlstm.text.Json;

/**
 * Loads a CSV or TSV file with a header row: one column holds the text, another the label.
 *
 * <p>Parsed as RFC 4180 (see {@link CsvParser}) in one streaming pass; only the two wanted
 * columns are kept. An empty text is allowed (it becomes an empty sequence); an empty label is
 * an error, as is any row whose field count differs from the header's, and so is a label with
 * spaces or control characters around it (" pos" beside "pos" would make a class of its own).
 * A field holds at most {@link TextDataset#MAX_TEXT_BYTES} characters.
 */
public final class DelimitedDataset {

    private DelimitedDataset() {
    }

    /** As {@link #load(Path, String, String, char)}, with ',' for a .csv file and tab for a .tsv file. */
    public static TextDataset load(Path file, String textColumn, String labelColumn) {
        if (file == null) throw new IllegalArgumentException("no data file given (null)");
        return load(file, textColumn, labelColumn, delimiterFor(file));
    }

    /**
     * @throws DataException naming the file and line: unreadable or non-UTF-8 file, missing
     *                       column, wrong field count, unterminated quote, empty label, no rows
     */
    public static TextDataset load(Path file, String textColumn, String labelColumn, char delimiter) {
        if (file == null) throw new IllegalArgumentException("no data file given (null)");
        if (textColumn == null || labelColumn == null) throw new IllegalArgumentException("no " + (textColumn == null ? "text" : "label") + " column named (null)");
        if (textColumn.equals(labelColumn)) {
            throw new DataException("the text and label columns must differ, both are " + Json.quote(textColumn));
        }
        DataException.requireNotADevice(file);
        try (InputStream in = Files.newInputStream(file)) {
            return read(new CsvParser(in, delimiter, file.toString()), file, textColumn, labelColumn);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + DataException.reason(e), e);
        }
    }

    /** ',' for *.csv, tab for *.tsv (any case). */
    public static char delimiterFor(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return ',';
        }
        if (name.endsWith(".tsv")) {
            return '\t';
        }
        throw new DataException("cannot tell the delimiter of " + file + " from its name: expected .csv or .tsv,"
                + " or give the delimiter");
    }

    private static TextDataset read(CsvParser parser, Path file, String textColumn, String labelColumn)
            throws IOException {
        List<String> header = parser.next();
        if (header == null) {
            throw new DataException(file + " is empty: expected a header row naming the columns");
        }
        int textIndex = column(header, textColumn, parser);
        int labelIndex = column(header, labelColumn, parser);
        parser.expectFields(header.size());
        LabelCollector rows = new LabelCollector();
        Map<String, Integer> rowsPerLabel = new HashMap<>();
        String lastLabel = null;
        for (List<String> row = parser.next(); row != null; row = parser.next()) {
            parser.requireFieldsOf(header, row);
            // Two files joined (cat a.csv b.csv): the second header's label became a class of its own.
            if (row.equals(header)) throw parser.error(parser.recordLine(), "this row repeats the header row (two files joined?): remove it");
            String label = row.get(labelIndex);
            if (label.isBlank()) {
                throw parser.error(parser.recordLine(), "empty label in column " + Json.quote(labelColumn));
            }
            String problem = LabelCollector.labelProblem(label);
            if (problem != null) throw parser.error(parser.recordLine(), problem);
            rows.add(row.get(textIndex), label);
            rowsPerLabel.merge(label, 1, Integer::sum);
            lastLabel = label;
        }
        if (rows.size() == 0) {
            throw new DataException(file + " has a header but no rows");
        }
        refuseCutShort(parser, rowsPerLabel, lastLabel, labelIndex == header.size() - 1);
        return rows.build();
    }

    /**
     * A file cut inside its last row's label (a copy stopped short) still parses: "neg" cut to
     * "ne" became a class of its own, one example strong, and the model another head. The last
     * row without a line ending, whose label (the row's last field) is in no other row, is
     * refused; a whole file of that shape passes once it ends with a line break.
     */
    private static void refuseCutShort(CsvParser parser, Map<String, Integer> rowsPerLabel, String lastLabel, boolean labelIsLast) {
        if (!labelIsLast || parser.ending() != CsvParser.Ending.END_OF_FILE || rowsPerLabel.size() < 2 || rowsPerLabel.get(lastLabel) != 1) return;
        throw parser.error(parser.recordLine(), "the last row has no line ending and its label " + Json.quote(lastLabel)
                + " is in no other row: the file looks cut short inside that label; if it is whole, end it with a line break");
    }

    /** Call while the header is the parser's last record, so errors name its line. */
    private static int column(List<String> header, String name, CsvParser parser) {
        int found = header.indexOf(name);
        if (found < 0) {
            throw parser.error(parser.recordLine(), "no column " + Json.quote(name) + "; the header has " + headerNames(header)
                    + (!header.isEmpty() && header.get(0).strip().startsWith("{") ? " (the file looks like JSON lines: --format jsonl)" : ""));
        }
        if (header.lastIndexOf(name) != found) {
            throw parser.error(parser.recordLine(), "the header names column " + Json.quote(name) + " more than once");
        }
        return found;
    }

    /** Names listed in a message, at most this many, each cut at {@link #NAME_CHARS} characters: a file of another kind read as a header printed its whole first line. */
    private static final int LISTED_NAMES = 20, NAME_CHARS = 40;

    /** A header's column names, quoted, as a message lists them. */
    static String headerNames(List<String> names) {
        StringBuilder out = new StringBuilder();
        for (String name : names.subList(0, Math.min(names.size(), LISTED_NAMES))) {
            out.append(out.isEmpty() ? "" : ", ").append(Json.quoteShort(name, NAME_CHARS));
        }
        if (names.size() > LISTED_NAMES) out.append(", ... (").append(names.size()).append(" columns)");
        return out.toString();
    }
}
