package vectorlstm.model;

import java.util.List;
import java.util.Locale;

/** Counts of (true class, predicted class) with accuracy and per-class precision, recall and F1. */
public final class ConfusionMatrix {
    private final long[][] counts;
    private long total;

    public ConfusionMatrix(int classes) { counts = new long[classes][classes]; }

    public void add(int truth, int predicted) {
        counts[truth][predicted]++;
        total++;
    }

    public long count(int truth, int predicted) { return counts[truth][predicted]; }

    public double accuracy() {
        long right = 0;
        for (int c = 0; c < counts.length; c++) right += counts[c][c];
        return total == 0 ? Double.NaN : (double) right / total;
    }

    public double precision(int c) {
        long predicted = 0;
        for (long[] row : counts) predicted += row[c];
        return predicted == 0 ? 0 : (double) counts[c][c] / predicted;
    }

    public double recall(int c) {
        long actual = 0;
        for (long v : counts[c]) actual += v;
        return actual == 0 ? 0 : (double) counts[c][c] / actual;
    }

    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** The report {@code ./lstm eval} prints: accuracy first, then per-class metrics and the matrix. */
    public String report(List<String> labels) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "accuracy: %.4f%n", accuracy()));
        int width = 9;
        for (String l : labels) width = Math.max(width, l.length() + 2);
        s.append(String.format(Locale.ROOT, "%-" + width + "s %9s %9s %9s %9s%n", "class", "precision", "recall", "f1", "support"));
        for (int c = 0; c < counts.length; c++) {
            long support = 0;
            for (long v : counts[c]) support += v;
            s.append(String.format(Locale.ROOT, "%-" + width + "s %9.4f %9.4f %9.4f %9d%n", labels.get(c), precision(c), recall(c), f1(c), support));
        }
        s.append("confusion matrix (rows: true class, columns: predicted)\n");
        s.append(String.format(Locale.ROOT, "%-" + width + "s", ""));
        for (String l : labels) s.append(String.format(Locale.ROOT, " %" + width + "s", l));
        s.append('\n');
        for (int c = 0; c < counts.length; c++) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s", labels.get(c)));
            for (int p = 0; p < counts.length; p++) s.append(String.format(Locale.ROOT, " %" + width + "d", counts[c][p]));
            s.append('\n');
        }
        return s.toString();
    }
}
