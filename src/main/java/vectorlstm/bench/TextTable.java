package vectorlstm.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the terminal: the first column left-aligned, the others right-aligned,
 * columns two spaces apart. A note row prints free text after the first column, outside the
 * alignment, so a long reason does not widen every row.
 */
final class TextTable {
    private record Line(String[] cells, boolean note) {}

    private final List<Line> lines = new ArrayList<>();
    private final int columns;

    TextTable(String... header) {
        columns = header.length;
        lines.add(new Line(header, false));
    }

    void row(String... cells) {
        if (cells.length != columns) throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        lines.add(new Line(cells, false));
    }

    void note(String first, String text) {
        lines.add(new Line(new String[] {first, text}, true));
    }

    String render() {
        int[] width = new int[columns];
        for (Line l : lines) {
            for (int c = 0; c < (l.note() ? 1 : columns); c++) width[c] = Math.max(width[c], l.cells()[c].length());
        }
        StringBuilder out = new StringBuilder();
        for (Line l : lines) {
            String[] cells = l.cells();
            out.append(cells[0]).append(" ".repeat(width[0] - cells[0].length()));
            if (l.note()) {
                out.append("  ").append(cells[1]);
            } else {
                for (int c = 1; c < columns; c++) out.append("  ").append(" ".repeat(width[c] - cells[c].length())).append(cells[c]);
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }
}
