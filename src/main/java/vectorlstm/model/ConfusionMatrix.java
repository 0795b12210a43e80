package vectorlstm.model;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Counts of (true class, predicted class) with accuracy and per-class precision, recall and F1.
 * Memory grows with the classes and the pairs seen, not with classes²: a model of 20,000 classes
 * (which train builds) made a dense matrix of 3.2 GB, and its report a string longer than Java's.
 */
public final class ConfusionMatrix {
    /** Past this many classes the report leaves the matrix out: a row would be wider than any screen. */
    public static final int MATRIX_CLASSES = 30;

    private final int classes;
    private final long[] right, actual, predicted;
    /** truth * classes + predicted → count, for the pairs seen. */
    private final Map<Long, Long> pairs = new HashMap<>();
    private long total;

    public ConfusionMatrix(int classes) {
        if (classes < 1) throw new IllegalArgumentException("a confusion matrix needs at least one class, got " + classes);
        this.classes = classes;
        right = new long[classes];
        actual = new long[classes];
        predicted = new long[classes];
    }

    public void add(int truth, int predictedClass) {
        if (truth < 0 || truth >= classes || predictedClass < 0 || predictedClass >= classes) {
            throw new IllegalArgumentException("class " + truth + " predicted as " + predictedClass + ": classes are 0 to " + (classes - 1));
        }
        pairs.merge((long) truth * classes + predictedClass, 1L, Long::sum);
        actual[truth]++;
        predicted[predictedClass]++;
        if (truth == predictedClass) right[truth]++;
        total++;
    }

    public long count(int truth, int predictedClass) { return pairs.getOrDefault((long) truth * classes + predictedClass, 0L); }

    public double accuracy() {
        long sum = 0;
        for (long r : right) sum += r;
        return total == 0 ? Double.NaN : (double) sum / total;
    }

    public double precision(int c) { return predicted[c] == 0 ? 0 : (double) right[c] / predicted[c]; }

    public double recall(int c) { return actual[c] == 0 ? 0 : (double) right[c] / actual[c]; }

    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /**
     * The report {@code ./lstm eval} prints: accuracy first, then per-class metrics, then the
     * matrix up to {@link #MATRIX_CLASSES} classes.
     */
    public String report(List<String> labels) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "accuracy: %.4f%n", accuracy()));
        int width = 9;
        for (String l : labels) width = Math.max(width, l.length() + 2);
        s.append(String.format(Locale.ROOT, "%-" + width + "s %9s %9s %9s %9s%n", "class", "precision", "recall", "f1", "support"));
        for (int c = 0; c < classes; c++) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s %9.4f %9.4f %9.4f %9d%n", labels.get(c), precision(c), recall(c), f1(c), actual[c]));
        }
        if (classes > MATRIX_CLASSES) {
            s.append(String.format(Locale.ROOT, "confusion matrix: left out for %d classes (it is printed up to %d)%n", classes, MATRIX_CLASSES));
            return s.toString();
        }
        s.append("confusion matrix (rows: true class, columns: predicted)\n");
        s.append(String.format(Locale.ROOT, "%-" + width + "s", ""));
        for (String l : labels) s.append(String.format(Locale.ROOT, " %" + width + "s", l));
        s.append('\n');
        for (int c = 0; c < classes; c++) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s", labels.get(c)));
            for (int p = 0; p < classes; p++) s.append(String.format(Locale.ROOT, " %" + width + "d", count(c, p)));
            s.append('\n');
        }
        return s.toString();
    }
}
