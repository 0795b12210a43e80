package vectorlstm.model;

import java.util.Locale;
import vectorlstm.layers.Layer;

/**
 * Keras 2's {@code model.summary()} table for a Sequential (tf.keras 2.9 to 2.12, the version of
 * the classic IMDB program): 65 characters wide, columns ending at 29, 55 and 65
 * ({@code line_length=65, positions=[.45, .85, 1.]}), each layer's row followed by a blank one.
 * A field too long for its column is cut and goes on in the next line (Keras' {@code print_row},
 * which also breaks a shape after "),"), so a long layer name no longer pushes the other columns.
 */
final class Summary {
    private static final int LINE = 65;
    private static final int[] ENDS = {29, 55, 65};
    private static final String[] BREAKS = {"),", "},", "],", "',"};

    private Summary() {}

    static String of(Sequential model) {
        StringBuilder s = new StringBuilder();
        s.append("Model: \"sequential\"\n");
        s.append("_".repeat(LINE)).append('\n');
        row(s, "Layer (type)", "Output Shape", "Param #");
        s.append("=".repeat(LINE)).append('\n');
        long total = 0, trainable = 0;
        for (Layer l : model.layers()) {
            if (l instanceof vectorlstm.layers.Input) continue;  // Keras lists no InputLayer in a Sequential's summary
            row(s, l.name() + " (" + l.typeName() + ")", l.outputShape().withBatch(), Long.toString(l.parameterCount()));
            s.append(" ".repeat(LINE)).append('\n');
            total += l.parameterCount();
            trainable += l.trainableParameterCount();
        }
        s.append("=".repeat(LINE)).append('\n');
        s.append(String.format(Locale.US, "Total params: %,d%n", total));
        s.append(String.format(Locale.US, "Trainable params: %,d%n", trainable));
        s.append(String.format(Locale.US, "Non-trainable params: %,d%n", total - trainable));
        s.append("_".repeat(LINE)).append('\n');
        return s.toString();
    }

    /** Keras' {@code print_row}: as many lines as the longest field needs, each column cut to fit. */
    private static void row(StringBuilder out, String... fields) {
        String[] left = fields.clone();
        while (!left[0].isEmpty() || !left[1].isEmpty() || !left[2].isEmpty()) {
            StringBuilder line = new StringBuilder();
            for (int col = 0; col < ENDS.length; col++) {
                int start = col == 0 ? 0 : ENDS[col - 1];
                int space = col == ENDS.length - 1 ? 0 : 2;  // two spaces between columns, none after the last
                int cutoff = Math.min(left[col].length(), ENDS[col] - start - space);
                String fit = left[col].substring(0, cutoff);
                int breakAt = Integer.MAX_VALUE;
                for (String b : BREAKS) {
                    int i = fit.indexOf(b);
                    if (i >= 0) breakAt = Math.min(breakAt, i + b.length());
                }
                if (breakAt != Integer.MAX_VALUE) fit = fit.substring(0, cutoff = breakAt);
                if (col == 0) line.append(' ');
                line.append(fit).append(" ".repeat(space));
                left[col] = left[col].substring(cutoff);
                line.append(" ".repeat(Math.max(0, ENDS[col] - line.length())));
            }
            out.append(line).append('\n');
        }
    }
}
