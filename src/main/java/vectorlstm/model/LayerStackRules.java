package vectorlstm.model;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vectorlstm.layers.Bidirectional;
import vectorlstm.layers.Dropout;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Masking;
import vectorlstm.layers.RecurrentLayer;
import vectorlstm.layers.Shape;

/**
 * What a {@link Sequential}'s stack of layers may be, and the Keras-style names its layers get.
 * Each rule refuses a stack (or a batch) whose results would silently differ from Keras' or from
 * each sequence's own, with the reason; none of them allocates or touches a weight.
 */
final class LayerStackRules {
    private LayerStackRules() {}

    /**
     * At build, before any layer is built: only the first layer reads the model's input, a Masking
     * does not follow another mask, and a reversed Bidirectional's sequences need fixed-length input.
     */
    static void checkOrder(List<Layer> layers, Shape shape) {
        boolean masked = layers.get(0) instanceof Embedding e && e.maskZero();
        boolean maskedStepsHoldZeros = false;  // right after a Masking (Dropouts keep zeros zero)
        for (int i = 1; i < layers.size(); i++) {
            Layer l = layers.get(i);
            // An Embedding reads token ids: after another layer it read that layer's float bits as ids.
            if (l.declaredInputShape() != null) {
                throw new IllegalArgumentException("layer " + (i + 1) + " (" + l.typeName() + ") reads the model's input, so it must be the first layer");
            }
            // Keras' Masking sets its own mask and drops the one it receives; ours keeps both. The two agree only where the
            // hidden steps hold zeros and this Masking masks zeros (a Masking(0.0) right after a Masking); elsewhere the
            // result would silently differ from Keras'.
            if (l instanceof Masking m && masked && !(maskedStepsHoldZeros && m.maskValue() == 0f)) {
                throw new IllegalArgumentException("layer " + (i + 1) + " (Masking) comes after a layer that masks already (an Embedding with maskZero,"
                        + " or a layer after a Masking): Keras' Masking would replace that mask by its own, this engine's would keep both; drop one of the two");
            }
            masked |= l instanceof Masking;
            maskedStepsHoldZeros = l instanceof Masking || maskedStepsHoldZeros && l instanceof Dropout;
            // Such a layer's outputs come in its reading order (Keras' too) while the mask stays in time order: the
            // padding of a shorter sequence in a variable-length batch was read as steps and its real steps as padding.
            if (shape.dim(0) == Shape.VARIABLE && l instanceof Bidirectional bi && bi.forwardLayer().goBackwards() && bi.returnSequences()) {
                throw new IllegalArgumentException("layer " + (i + 1) + " (Bidirectional) wraps a goBackwards layer that returns sequences, on variable-length"
                        + " input: its outputs come in reversed order while the padding of shorter sequences stays in time order, so a sequence"
                        + " would not score as it does alone; give the input a fixed length, or wrap a forward layer (Bidirectional reads backwards itself)");
            }
        }
    }

    /**
     * Keras-style names for the layers without one (lstm, lstm_1, ...), never one a layer already
     * has: a weight is saved as {@code layer/weight}, so two layers of one name would write two
     * weights under one name and the file could not be read back.
     */
    static void nameLayers(List<Layer> layers) {
        Set<String> taken = new HashSet<>();
        for (Layer l : layers) {
            if (l.name() != null && !taken.add(l.name())) throw new IllegalArgumentException("two layers are named '" + l.name() + "': layer names must differ");
        }
        Map<String, Integer> next = new HashMap<>();
        for (Layer l : layers) {
            if (l.name() != null) continue;
            String name;
            do {
                int k = next.merge(l.namePrefix(), 1, Integer::sum);
                name = k == 1 ? l.namePrefix() : l.namePrefix() + "_" + (k - 1);
            } while (!taken.add(name));
            l.setName(name);
        }
    }

    /**
     * Keras hands a standalone goBackwards layer's mask on in time order beside its outputs in
     * reading order; this engine's layer reverses the mask with them, so the layers after it see
     * other steps masked than Keras' do (the Keras importer refuses such files for that reason).
     * Training one is refused rather than silently different; a model saved so by an earlier
     * version still loads and scores as it was trained.
     */
    static void refuseBackwardsSequencesUnderAMask(List<Layer> layers) {
        boolean masked = layers.get(0) instanceof Embedding e && e.maskZero();
        for (int i = 1; i < layers.size(); i++) {
            Layer l = layers.get(i);
            masked |= l instanceof Masking;
            if (masked && l instanceof RecurrentLayer r && r.goBackwards() && r.returnSequences()) {
                throw new IllegalArgumentException("layer " + (i + 1) + " (" + l.typeName() + ") reads backwards (goBackwards) and returns sequences under a mask:"
                        + " Keras passes the mask on in time order beside the reversed outputs, this engine reverses it with them, so training would"
                        + " learn what Keras' model does not compute; wrap a forward layer in Bidirectional, return only the last output, or drop the mask");
            }
        }
    }

    /**
     * A goBackwards layer that returns sequences hands on its outputs in its reading order (as
     * Keras' does), while the engine's padding of a batch of sequences of different lengths stays
     * in time order for the layers above, which then read padding as steps: such a batch's answers
     * differed from each sequence's own (by 0.23 under a GlobalMaxPooling1D), and with the thread
     * count. Batches of one sequence, or of sequences of one length, are right; others are refused.
     */
    static void checkReversedOutputsNotPadded(List<Layer> layers, Samples x, int batchSize) {
        if (!(x instanceof Samples.Sequences q) || batchSize < 2 || q.x() == null || q.x().length < 2) return;
        if (layers.stream().noneMatch(l -> l instanceof RecurrentLayer r && r.goBackwards() && r.returnSequences())) return;
        for (float[][] s : q.x()) {
            if (s != null && q.x()[0] != null && s.length != q.x()[0].length) {
                throw new IllegalArgumentException("this model has a goBackwards layer that returns sequences: its outputs come in reversed order,"
                        + " so sequences of different lengths cannot share a batch (the padding of the shorter ones would be read as steps);"
                        + " use batch size 1 or sequences of one length (Scorer.scoreAll scores one sequence at its own length)");
            }
        }
    }
}
