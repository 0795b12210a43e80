package vectorlstm.model;

import java.util.Arrays;
import java.util.Map;

/**
 * A fit's {@link FitOptions#classWeight class} or {@link FitOptions#sampleWeight sample} weights as
 * one weight per sample, as Keras turns class_weight into sample_weight: the workers multiply each
 * sample's loss and gradient by it.
 */
final class SampleWeights {
    private SampleWeights() {}

    /** One weight per sample of {@code y} (all samples, before any validation split), or null for none. */
    static float[] of(FitOptions o, float[] y, Loss loss, int outputs) {
        if (o.classWeight() == null && o.sampleWeight() == null) return null;
        if (!loss.takesSampleWeights()) {
            throw new IllegalArgumentException("the loss " + loss.name() + " does not take class or sample weights"
                    + " (binary_crossentropy and sparse_categorical_crossentropy do)");
        }
        if (o.sampleWeight() != null) {
            checkCount(o.sampleWeight(), y.length, "");
            return o.sampleWeight();  // FitOptions' own copy, checked when it was given
        }
        int classes = outputs == 1 ? 2 : outputs;  // one sigmoid unit: classes 0 and 1
        int last = o.classWeight().isEmpty() ? -1 : o.classWeight().lastKey();
        if (last >= classes) {
            throw new IllegalArgumentException("class weight for class " + last + ", but the model has " + classes + " classes (0 to " + (classes - 1) + ")");
        }
        float[] perClass = new float[classes];
        Arrays.fill(perClass, 1f);
        for (Map.Entry<Integer, Float> e : o.classWeight().entrySet()) perClass[e.getKey()] = e.getValue();
        float[] weights = new float[y.length];
        for (int i = 0; i < y.length; i++) weights[i] = perClass[classOf(y[i], outputs)];
        return weights;
    }

    /** Refuses weights (when given) whose count is not the samples'; {@code what} names them ("validation "). */
    static void checkCount(float[] weights, int samples, String what) {
        if (weights != null && weights.length != samples) {
            throw new IllegalArgumentException(weights.length + " " + what + "sample weights for " + samples + " " + what + "samples: give one weight per sample");
        }
    }

    /** The class of a label that checkLabelled accepted: on one output unit a label above 0.5 is class 1 (as the accuracy counts it), else the label is the class. */
    private static int classOf(float y, int outputs) {
        return outputs == 1 ? (y > 0.5f ? 1 : 0) : (int) y;
    }
}
