package vectorlstm.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Parameter;
import vectorlstm.memory.Tensor;

/**
 * Takes a fit's {@link TrainingState} after an epoch, and puts one back before a resumed fit's
 * first epoch, after checking that it belongs to this model, data and options: a state that does
 * not is refused with what differs, never half applied (every check runs before anything is
 * copied).
 */
final class Resumption {
    private final Sequential model;
    private final List<Parameter> trainable;

    Resumption(Sequential model, List<Parameter> trainable) {
        this.model = model;
        this.trainable = trainable;
    }

    TrainingState capture(int epoch, boolean stopped, long fingerprint, FitOptions o, History history, TrainingSequence sequence,
                          EarlyStopping.Tracker watch, WeightSnapshot best, ReduceLrOnPlateau.Tracker plateau) {
        List<float[]> weights = new ArrayList<>();
        for (Parameter p : trainable) weights.add(p.value().toArray());
        Optimizer optimizer = model.optimizer();
        Map<String, List<float[]>> slots = new LinkedHashMap<>();
        optimizer.state().forEach((slot, tensors) -> slots.put(slot, tensors.stream().map(Tensor::toArray).toList()));
        return new TrainingState(epoch, stopped, fingerprint, o.batchSize(), model.threads(), History.of(history.epochs(), -1),
                sequence.capture(), new TrainingState.OptimizerState(optimizer.name(), optimizer.iterations(), optimizer.learningRate(), slots),
                names(), weights, watch == null ? null : watch.capture(best == null || watch.bestEpoch() < 1 ? null : best.toArrays()),
                plateau == null ? null : plateau.capture());
    }

    void restore(TrainingState s, long fingerprint, FitOptions o, EarlyStopping.Tracker watch, WeightSnapshot best, ReduceLrOnPlateau.Tracker plateau) {
        check(s, fingerprint, o, watch, best, plateau);
        for (int i = 0; i < trainable.size(); i++) trainable.get(i).value().copyFrom(s.weights().get(i));
        Optimizer optimizer = model.optimizer();
        Map<String, List<Tensor>> slots = optimizer.state();
        slots.forEach((slot, tensors) -> {
            for (int i = 0; i < tensors.size(); i++) tensors.get(i).copyFrom(s.optimizer().slots().get(slot).get(i));
        });
        optimizer.resumeAt(s.optimizer().iterations());
        optimizer.setLearningRate(s.optimizer().learningRate());
        model.trainingSequence().restore(s.sequence());
        if (watch != null) {
            watch.restore(s.earlyStopping());
            if (best != null && s.earlyStopping().bestWeights() != null) best.load(s.earlyStopping().bestWeights());
        }
        if (plateau != null) plateau.restore(s.plateau());
        model.weightsChanged();
    }

    private void check(TrainingState s, long fingerprint, FitOptions o, EarlyStopping.Tracker watch, WeightSnapshot best, ReduceLrOnPlateau.Tracker plateau) {
        String refused = "cannot resume from this training state: ";
        if (s.dataFingerprint() != fingerprint) throw new IllegalArgumentException(refused + "it was trained on other data (or another validation split)");
        if (s.batchSize() != o.batchSize()) throw new IllegalArgumentException(refused + "it was trained with batch size " + s.batchSize() + ", this fit has " + o.batchSize());
        if (s.epochsDone() > o.epochs()) throw new IllegalArgumentException(refused + "it is after epoch " + s.epochsDone() + ", this fit has only " + o.epochs());
        if (!s.weightNames().equals(names())) throw new IllegalArgumentException(refused + "its trainable weights are " + s.weightNames() + ", this model's " + names());
        for (int i = 0; i < trainable.size(); i++) {
            checkSize(s.weights().get(i), trainable.get(i), "weight " + s.weightNames().get(i));
        }
        Optimizer optimizer = model.optimizer();
        if (!s.optimizer().name().equals(optimizer.name())) throw new IllegalArgumentException(refused + "it was trained with " + s.optimizer().name() + ", this model is compiled with " + optimizer.name());
        Map<String, List<Tensor>> slots = optimizer.state();
        if (!s.optimizer().slots().keySet().equals(slots.keySet())) {
            throw new IllegalArgumentException(refused + "its optimizer state holds " + s.optimizer().slots().keySet() + ", this " + optimizer.name() + " keeps "
                    + slots.keySet() + " (another momentum or centering?)");
        }
        for (Map.Entry<String, List<Tensor>> slot : slots.entrySet()) {
            List<float[]> stored = s.optimizer().slots().get(slot.getKey());
            if (stored.size() != trainable.size()) throw new IllegalArgumentException(refused + "its optimizer slot " + slot.getKey() + " has " + stored.size() + " weights, the model " + trainable.size());
            for (int i = 0; i < trainable.size(); i++) checkSize(stored.get(i), trainable.get(i), "optimizer slot " + slot.getKey() + " of " + s.weightNames().get(i));
        }
        if (!(s.optimizer().learningRate() > 0) || Float.isInfinite(s.optimizer().learningRate()) || s.optimizer().iterations() < 0) {
            throw new IllegalArgumentException(refused + "its learning rate " + s.optimizer().learningRate() + " or step count " + s.optimizer().iterations() + " is out of range");
        }
        if ((s.earlyStopping() == null) != (watch == null)) {
            throw new IllegalArgumentException(refused + (watch == null ? "it was trained with early stopping, this fit has none" : "this fit has early stopping, the state's fit had none"));
        }
        if (best != null && s.earlyStopping().bestEpoch() > 0 && s.earlyStopping().bestWeights() == null) {
            throw new IllegalArgumentException(refused + "its early stopping kept no best weights, this fit restores them");
        }
        if (s.earlyStopping() != null && s.earlyStopping().bestWeights() != null) {
            for (int i = 0; i < trainable.size(); i++) checkSize(s.earlyStopping().bestWeights().get(i), trainable.get(i), "best weight " + s.weightNames().get(i));
        }
        if ((s.plateau() == null) != (plateau == null)) {
            throw new IllegalArgumentException(refused + (plateau == null ? "it was trained with ReduceLrOnPlateau, this fit has none" : "this fit has ReduceLrOnPlateau, the state's fit had none"));
        }
        if (s.sequence().order() != null) {
            int[] order = s.sequence().order();
            boolean[] seen = new boolean[order.length];
            for (int i : order) {
                if (i < 0 || i >= order.length || seen[i]) throw new IllegalArgumentException(refused + "its sample order is not a permutation");
                seen[i] = true;
            }
        }
    }

    private static void checkSize(float[] values, Parameter p, String what) {
        if (values == null || values.length != p.size()) {
            throw new IllegalArgumentException("cannot resume from this training state: " + what + " has " + (values == null ? "no" : values.length) + " values, the model's " + p.size());
        }
    }

    /** "layer/weight" of each trainable weight, as a model file names them. */
    private List<String> names() {
        List<String> out = new ArrayList<>();
        for (Layer l : model.layers()) for (Parameter p : l.parameters()) if (p.trainable()) out.add(l.name() + "/" + p.name());
        return out;
    }
}
