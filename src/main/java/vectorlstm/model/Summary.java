package vectorlstm.model;

import java.util.Locale;
import vectorlstm.layers.Layer;

/** Keras 2's {@code model.summary()} table, column for column. */
final class Summary {
    private static final int[] COLUMNS = {29, 26, 10};  // Keras' positions 33, 65, 98 minus padding
    private static final int LINE = 65;

    private Summary() {}

    static String of(Sequential model) {
        StringBuilder s = new StringBuilder();
        s.append("Model: \"sequential\"\n");
        s.append("_".repeat(LINE)).append('\n');
        s.append(row("Layer (type)", "Output Shape", "Param #")).append('\n');
        s.append("=".repeat(LINE)).append('\n');
        long total = 0, trainable = 0;
        for (int i = 0; i < model.layers().size(); i++) {
            Layer l = model.layers().get(i);
            if (l instanceof vectorlstm.layers.Input) continue;  // Keras lists no InputLayer in a Sequential's summary
            s.append(row(l.name() + " (" + l.typeName() + ")", l.outputShape().withBatch(), Long.toString(l.parameterCount()))).append('\n');
            s.append(i == model.layers().size() - 1 ? "=".repeat(LINE) : " ".repeat(LINE)).append('\n');
            total += l.parameterCount();
            trainable += l.trainableParameterCount();
        }
        s.append(String.format(Locale.US, "Total params: %,d%n", total));
        s.append(String.format(Locale.US, "Trainable params: %,d%n", trainable));
        s.append(String.format(Locale.US, "Non-trainable params: %,d%n", total - trainable));
        s.append("_".repeat(LINE)).append('\n');
        return s.toString();
    }

    private static String row(String name, String shape, String params) {
        return " " + pad(name, COLUMNS[0]) + pad(shape, COLUMNS[1]) + pad(params, COLUMNS[2]);
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }
}
