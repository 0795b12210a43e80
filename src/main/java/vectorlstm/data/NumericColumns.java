package vectorlstm.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import vectorlstm.text.Json;

/**
 * Named columns of numbers from a results table (a CSV or TSV file with a header row), read as the
 * datasets are (RFC 4180 by {@link CsvParser}, UTF-8, a byte order mark dropped): {@code ./lstm
 * plot --csv}. Every row must have the header's field count and a finite number in each column
 * asked for; errors name the file and line.
 */
public final class NumericColumns {
    /** Rows a table may have: a chart of more points than this says nothing more. */
    static final int MAX_ROWS = 100_000;

    private NumericColumns() {}

    /**
     * The columns read: {@code values[column][row]}, in the order they were named, and the file
     * line each row starts on (a quoted field may span lines), for messages about a row.
     */
    public record Table(double[][] values, long[] lines) {}

    /** The columns named, in that order. Tab-separated when the name ends in .tsv, else comma. */
    public static Table read(Path file, String... names) {
        if (file == null) throw new IllegalArgumentException("no table file given (null)");
        String fileName = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        char delimiter = fileName.endsWith(".tsv") ? '\t' : ',';
        if (!Files.isRegularFile(file)) throw new DataException(file + " is not a regular file");
        try (InputStream in = Files.newInputStream(file)) {
            CsvParser parser = new CsvParser(in, delimiter, file.toString());
            List<String> header = parser.next();
            if (header == null) throw new DataException(file + " is empty: expected a header row naming the columns");
            int[] at = new int[names.length];
            for (int c = 0; c < names.length; c++) {
                at[c] = header.indexOf(names[c]);
                if (at[c] < 0) throw parser.error(parser.recordLine(), "no column " + Json.quote(names[c]) + "; the header has " + DelimitedDataset.headerNames(header));
                if (header.lastIndexOf(names[c]) != at[c]) throw parser.error(parser.recordLine(), "the header names column " + Json.quote(names[c]) + " more than once");
            }
            List<double[]> rows = new ArrayList<>();
            List<Long> lines = new ArrayList<>();
            for (List<String> row = parser.next(); row != null; row = parser.next()) {
                lines.add(parser.recordLine());
                parser.requireFieldsOf(header, row);
                if (rows.size() == MAX_ROWS) throw new DataException(file + " has more than " + MAX_ROWS + " rows");
                double[] values = new double[names.length];
                for (int c = 0; c < names.length; c++) values[c] = number(row.get(at[c]), names[c], parser);
                rows.add(values);
            }
            if (rows.isEmpty()) throw new DataException(file + " has a header but no rows");
            double[][] out = new double[names.length][rows.size()];
            for (int r = 0; r < rows.size(); r++) for (int c = 0; c < names.length; c++) out[c][r] = rows.get(r)[c];
            return new Table(out, lines.stream().mapToLong(Long::longValue).toArray());
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + DataException.reason(e), e);
        }
    }

    /** A decimal number as a spreadsheet writes one; not Java's extras (0x1p-1, 0.7d, NaN, Infinity). */
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private static double number(String cell, String column, CsvParser parser) {
        String s = cell.strip();
        if (DECIMAL.matcher(s).matches()) {
            double v = Double.parseDouble(s);
            if (Double.isFinite(v)) return v;
        }
        throw parser.error(parser.recordLine(), "column " + Json.quote(column) + " holds " + Json.quoteShort(s, 40) + ", not a finite number");
    }
}
