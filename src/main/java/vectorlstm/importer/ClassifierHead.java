package vectorlstm.importer;

import vectorlstm.layers.Activation;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Layer;
import vectorlstm.model.Adam;
import vectorlstm.model.Sequential;

/**
 * An imported classifier is compiled with the loss its head implies: Dense(1, sigmoid) is a
 * binary classifier, Dense(k, softmax) a k-class one. The model file records the loss and the
 * commands built on it report labels and probabilities, so only such a model can be saved; any
 * other head (raw logits, a regression) still scores through the Java API.
 */
public final class ClassifierHead {
    private ClassifierHead() {}

    /** Compiles a classifier's head and returns null, or leaves the model as it is and says why it cannot be saved. */
    public static String compile(Sequential model) {
        Layer last = model.layers().get(model.layers().size() - 1);
        if (last instanceof Dense d && d.units() == 1 && d.activation() == Activation.SIGMOID) {
            model.compile("binary_crossentropy", new Adam(), "accuracy");
            return null;
        }
        if (last instanceof Dense d && d.units() >= 2 && d.activation() == Activation.SOFTMAX) {
            model.compile("sparse_categorical_crossentropy", new Adam(), "accuracy");
            return null;
        }
        return "the model ends in " + last.typeName() + (last instanceof Dense d ? "(" + d.units() + ", " + d.activation().kerasName() + ")" : "")
                + ", not a classifier's Dense(1, sigmoid) or Dense(k, softmax): it scores raw outputs through the Java API but cannot be saved as a model file";
    }
}
