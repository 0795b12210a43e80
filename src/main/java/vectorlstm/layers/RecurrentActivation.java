package vectorlstm.layers;

import java.util.Locale;

/**
 * The recurrent activation of an LSTM's i, f and o gates. Keras' default is the sigmoid. Keras 2
 * defaulted to {@code hard_sigmoid} = clip(0.2·x + 0.5, 0, 1) and Keras 3 redefined the same name
 * as clip(x/6 + 0.5, 0, 1): files of either era name it "hard_sigmoid", so the engine keeps two
 * names and an importer picks by the file's Keras version.
 */
public enum RecurrentActivation {
    SIGMOID("sigmoid", Float.NaN),
    HARD_SIGMOID_KERAS2("hard_sigmoid_keras2", 0.2f),
    HARD_SIGMOID_KERAS3("hard_sigmoid_keras3", 1f / 6f);

    private final String fileName;
    private final float slope;

    RecurrentActivation(String fileName, float slope) {
        this.fileName = fileName;
        this.slope = slope;
    }

    /** The name in model files and in {@code --layers} ({@code hard_sigmoid_keras2}, ...). */
    public String fileName() { return fileName; }

    /** The slope of a hard sigmoid's line (NaN for the sigmoid). */
    public float slope() { return slope; }

    public static RecurrentActivation parse(String name) {
        for (RecurrentActivation a : values()) if (a.fileName.equals(name.toLowerCase(Locale.ROOT))) return a;
        throw new IllegalArgumentException("unknown recurrent activation '" + name + "' (sigmoid, hard_sigmoid_keras2, hard_sigmoid_keras3)");
    }
}
