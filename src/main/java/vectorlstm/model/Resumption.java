package vectorlstm.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Parameter;
import vectorlstm.memory.Tensor;

/**
 * Takes a fit's {@link TrainingState} after an epoch, and puts one back before a resumed fit's
 * first epoch, after checking that it belongs to this model, data and options and holds values a
 * fit can have left: a state that does not is refused ({@link TrainingState.Refused}) with what
 * is wrong, never half applied (every check runs before anything is copied).
 */
final class Resumption {
    /** More optimizer steps than any run makes (2^53: a million steps a second for 285 years), far below where a count overflows. */
    static final long MAX_STEPS = 1L << 53;

    private final Sequential model;
    private final List<Parameter> trainable;

    Resumption(Sequential model, List<Parameter> trainable) {
        this.model = model;
        this.trainable = trainable;
    }

    TrainingState capture(int epoch, boolean stopped, long fingerprint, long frozen, FitOptions o, History history, TrainingSequence sequence,
                          EarlyStopping.Tracker watch, WeightSnapshot best, ReduceLrOnPlateau.Tracker plateau) {
        try {
            List<float[]> weights = new ArrayList<>();
            for (Parameter p : trainable) weights.add(p.value().toArray());
            Optimizer optimizer = model.optimizer();
            Map<String, List<float[]>> slots = new LinkedHashMap<>();
            optimizer.state().forEach((slot, tensors) -> slots.put(slot, tensors.stream().map(Tensor::toArray).toList()));
            return new TrainingState(epoch, stopped, fingerprint, frozen, o.batchSize(), model.threads(), History.of(history.epochs(), -1),
                    sequence.capture(), new TrainingState.OptimizerState(optimizer.name(), optimizer.iterations(), optimizer.learningRate(), slots),
                    names(), weights, watch == null ? null : watch.capture(best == null || watch.bestEpoch() < 1 ? null : best.toArrays()),
                    plateau == null ? null : plateau.capture());
        } catch (OutOfMemoryError e) {  // the message Main shows: say what wanted the memory
            throw new OutOfMemoryError("Java heap space for the checkpoint's copy of the trainable weights and the optimizer's state");
        }
    }

    void restore(TrainingState s, long fingerprint, long frozen, int samples, FitOptions o, EarlyStopping.Tracker watch, WeightSnapshot best,
                 ReduceLrOnPlateau.Tracker plateau) {
        String wrong = problem(s, fingerprint, frozen, samples, o, watch, best, plateau);
        if (wrong != null) throw new TrainingState.Refused(wrong);
        model.writingWeights(() -> {
            for (int i = 0; i < trainable.size(); i++) trainable.get(i).value().copyFrom(s.weights().get(i));
        });
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
    }

    /** What makes {@code s} unfit for this fit, or null. */
    private String problem(TrainingState s, long fingerprint, long frozen, int samples, FitOptions o, EarlyStopping.Tracker watch, WeightSnapshot best,
                           ReduceLrOnPlateau.Tracker plateau) {
        if (s.dataFingerprint() != fingerprint) return "it was trained on other data (or another validation split, or other class or sample weights)";
        if (s.frozenFingerprint() != frozen) return "its model's frozen weights differ from this model's (other pre-trained vectors?)";
        if (s.batchSize() != o.batchSize()) return "it was trained with batch size " + s.batchSize() + ", this fit has " + o.batchSize();
        if (s.epochsDone() > o.epochs()) return "it is after epoch " + s.epochsDone() + ", this fit has only " + o.epochs();
        if (!s.weightNames().equals(names())) return "its trainable weights are " + s.weightNames() + ", this model's " + names();
        for (int i = 0; i < trainable.size(); i++) {
            String bad = values(s.weights().get(i), trainable.get(i), "weight " + s.weightNames().get(i));
            if (bad != null) return bad;
        }
        Optimizer optimizer = model.optimizer();
        if (!s.optimizer().name().equals(optimizer.name())) return "it was trained with " + s.optimizer().name() + ", this model is compiled with " + optimizer.name();
        Map<String, List<Tensor>> slots = optimizer.state();
        if (!s.optimizer().slots().keySet().equals(slots.keySet())) {
            return "its optimizer state holds " + s.optimizer().slots().keySet() + ", this " + optimizer.name() + " keeps " + slots.keySet() + " (another momentum or centering?)";
        }
        for (Map.Entry<String, List<Tensor>> slot : slots.entrySet()) {
            List<float[]> stored = s.optimizer().slots().get(slot.getKey());
            if (stored.size() != trainable.size()) return "its optimizer slot " + slot.getKey() + " has " + stored.size() + " weights, the model " + trainable.size();
            boolean nonNegative = NON_NEGATIVE_SLOTS.getOrDefault(optimizer.name(), Set.of()).contains(slot.getKey());
            for (int i = 0; i < trainable.size(); i++) {
                String what = "optimizer slot " + slot.getKey() + " of " + s.weightNames().get(i);
                String bad = values(stored.get(i), trainable.get(i), what);
                if (bad == null && nonNegative) bad = negative(stored.get(i), what);
                if (bad != null) return bad;
            }
        }
        float lr = s.optimizer().learningRate();
        if (!(lr > 0) || Float.isInfinite(lr) || s.optimizer().iterations() < 0) return "its learning rate " + lr + " or step count " + s.optimizer().iterations() + " is out of range";
        // Not bounded by the epochs' batches: the model that wrote the state may have trained
        // before that fit (fit, then fit again with checkpoints), and a model resumed from it is
        // another one, rebuilt or loaded without optimizer state. Only a count no run reaches is
        // refused; at 2^63 - 1 the next step overflowed and the run failed as "training diverged".
        if (s.optimizer().iterations() > MAX_STEPS) {
            return "its step count " + s.optimizer().iterations() + " is more than any run makes (" + MAX_STEPS + ")";
        }
        TrainingState.Sequence q = s.sequence();
        if ((q.shufflerState() & ~((1L << 48) - 1)) != 0) return "its shuffle state " + q.shufflerState() + " is not a 48-bit number";
        if (q.epochsStarted() < s.epochsDone()) return "it counts " + q.epochsStarted() + " epochs started, fewer than the " + s.epochsDone() + " done";
        if (q.order() != null) {
            if (q.order().length != samples) return "its sample order holds " + q.order().length + " samples, this fit trains on " + samples;
            boolean[] seen = new boolean[samples];
            for (int i : q.order()) {
                if (i < 0 || i >= samples || seen[i]) return "its sample order is not a permutation";
                seen[i] = true;
            }
        }
        for (int e = 0; e < s.epochsDone(); e++) {
            if (s.history().epochs().get(e).epoch() != e + 1) return "its history numbers epoch " + (e + 1) + " as " + s.history().epochs().get(e).epoch();
        }
        if ((s.earlyStopping() == null) != (watch == null)) {
            return watch == null ? "it was trained with early stopping, this fit has none" : "this fit has early stopping, the state's fit had none";
        }
        if (s.stopped() && watch == null) return "it says early stopping ended its fit, but it had no early stopping";
        if (s.earlyStopping() != null) {
            TrainingState.Watch w = s.earlyStopping();
            if (w.bestEpoch() > s.epochsDone() || w.bestEpoch() < -1 || w.bestEpoch() == 0 || w.epochsWaited() < 0 || w.epochsWaited() > s.epochsDone()) {
                return "its early stopping counters (best epoch " + w.bestEpoch() + ", " + w.epochsWaited() + " waited) do not fit " + s.epochsDone() + " epochs";
            }
            if (best != null && w.bestEpoch() > 0 && w.bestWeights() == null) return "its early stopping kept no best weights, this fit restores them";
            if (w.bestWeights() != null) {
                for (int i = 0; i < trainable.size(); i++) {
                    String bad = values(w.bestWeights().get(i), trainable.get(i), "best weight " + s.weightNames().get(i));
                    if (bad != null) return bad;
                }
            }
        }
        if ((s.plateau() == null) != (plateau == null)) {
            return plateau == null ? "it was trained with ReduceLrOnPlateau, this fit has none" : "this fit has ReduceLrOnPlateau, the state's fit had none";
        }
        if (s.plateau() != null && (s.plateau().epochsWaited() < 0 || s.plateau().cooldownLeft() < 0)) return "its plateau counters are negative";
        return null;
    }

    /**
     * The optimizer slots that hold moving averages of squared gradients, non-negative however
     * training went (Adam's and AdamW's second moment, RMSprop's average): a negative value there
     * comes from a forged or damaged file, and its square root made the first resumed step NaN.
     * The others (first moments, momentum, a centered mean) take either sign.
     */
    private static final Map<String, Set<String>> NON_NEGATIVE_SLOTS = Map.of("adam", Set.of("v"), "adamw", Set.of("v"), "rmsprop", Set.of("velocity"));

    private static String negative(float[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0) return what + "[" + i + "] is " + values[i] + ", and it cannot be negative";
        }
        return null;
    }

    /** Why {@code values} cannot be {@code p}'s (another size, or not finite), or null. */
    private static String values(float[] values, Parameter p, String what) {
        if (values == null || values.length != p.size()) return what + " has " + (values == null ? "no" : values.length) + " values, the model's " + p.size();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) return what + "[" + i + "] is " + values[i];
        }
        return null;
    }

    /** "layer/weight" of each trainable weight, as a model file names them. */
    private List<String> names() {
        List<String> out = new ArrayList<>();
        for (Layer l : model.layers()) for (Parameter p : l.parameters()) if (p.trainable()) out.add(l.name() + "/" + p.name());
        return out;
    }

    /** A fingerprint of the weights the fit does not train (a frozen pre-trained table): a resume needs the same. */
    static long frozenFingerprint(Sequential model) {
        long h = 0x243F6A8885A308D3L;
        for (Layer l : model.layers()) {
            for (Parameter p : l.parameters()) {
                if (p.trainable()) continue;
                var w = p.value().segment();
                for (long i = 0, n = p.size(); i < n; i++) {
                    h = (h ^ Float.floatToIntBits(w.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i))) * 0xBF58476D1CE4E5B9L;
                    h ^= h >>> 31;
                }
            }
        }
        return h;
    }
}
