package vectorlstm.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a {@code fit} stands after an epoch: everything the next epoch depends on, so that a fit
 * resumed from it ({@link FitOptions#resume}) trains exactly as the uninterrupted fit would have,
 * bit for bit on the same number of threads. {@link FitOptions#checkpoint} hands one over after
 * every epoch; {@code vectorlstm.io.CheckpointFile} writes and reads it. The arrays are copies,
 * owned by this value (the record does not copy them again: do not change them).
 *
 * @param epochsDone      epochs of this fit completed (1 after the first)
 * @param stopped         early stopping ended the fit after {@code epochsDone}: a resumed fit trains no further
 * @param dataFingerprint {@link DataFingerprint} of the training and validation data: a resume needs the same data
 * @param frozenFingerprint a fingerprint of the weights the fit does not train (a frozen pre-trained table): a resume needs the same
 * @param batchSize       the fit's batch size: a resume needs the same
 * @param threads         the model's training threads (a resume on another count trains on, though not to the same bits)
 * @param history         the epochs so far, as fit returns them
 * @param sequence        shuffling and dropout masks
 * @param optimizer       the optimizer's name, step count, base learning rate and per-weight state
 * @param weightNames     "layer/weight" of each trainable weight, in the model's order
 * @param weights         the trainable weights' values, parallel to {@code weightNames}
 * @param earlyStopping   early stopping's state, or null when the fit has none
 * @param plateau         ReduceLrOnPlateau's state, or null when the fit has none
 */
public record TrainingState(int epochsDone, boolean stopped, long dataFingerprint, long frozenFingerprint, int batchSize, int threads, History history,
                            Sequence sequence, OptimizerState optimizer, List<String> weightNames, List<float[]> weights,
                            Watch earlyStopping, Watch plateau) {
    public TrainingState {
        if (epochsDone < 1) throw new IllegalArgumentException("a training state comes after an epoch: epochsDone must be >= 1, got " + epochsDone);
        if (batchSize < 1 || threads < 1) throw new IllegalArgumentException("batch size and threads must be >= 1, got " + batchSize + " and " + threads);
        if (history == null || sequence == null || optimizer == null || weightNames == null || weights == null) {
            throw new IllegalArgumentException("a training state needs its history, sequence, optimizer and weights");
        }
        if (history.epochs().size() != epochsDone) {
            throw new IllegalArgumentException("the history holds " + history.epochs().size() + " epochs, the state says " + epochsDone + " were done");
        }
        if (weightNames.size() != weights.size()) throw new IllegalArgumentException(weightNames.size() + " weight names for " + weights.size() + " weights");
        if (earlyStopping != null && earlyStopping.bestWeights() != null && earlyStopping.bestWeights().size() != weights.size()) {
            throw new IllegalArgumentException("early stopping's best weights hold " + earlyStopping.bestWeights().size() + " weights, the model " + weights.size());
        }
        weightNames = List.copyOf(weightNames);
        weights = List.copyOf(weights);
    }

    /** A state refused by {@code fit}: it does not belong to the model, data or options, or holds values no fit leaves. */
    public static final class Refused extends IllegalArgumentException {
        private final String reason;

        Refused(String reason) {
            super("cannot resume from this training state: " + reason);
            this.reason = reason;
        }

        /** What is wrong, without the lead-in. */
        public String reason() { return reason; }
    }

    /** The shuffle generator's 48-bit state, the model's epoch count (which keys dropout) and the sample order left (null: none yet). */
    public record Sequence(long shufflerState, int epochsStarted, int[] order) {}

    /**
     * @param name         Keras' name of the optimizer ("adam")
     * @param iterations   updates made
     * @param learningRate the base rate (ReduceLrOnPlateau may have lowered it)
     * @param slots        each state slot's values per trainable weight (Adam: "m" and "v"); empty for none
     */
    public record OptimizerState(String name, long iterations, float learningRate, Map<String, List<float[]>> slots) {
        public OptimizerState {
            if (name == null || slots == null) throw new IllegalArgumentException("an optimizer state needs its name and slots");
            slots = Collections.unmodifiableMap(new LinkedHashMap<>(slots));  // in the optimizer's order
        }
    }

    /**
     * Early stopping's or ReduceLrOnPlateau's counters: the best monitored value (NaN: none yet),
     * the epoch it came in (-1: none; plateau keeps none), epochs waited since, cooldown epochs left
     * (plateau only), and the best epoch's trainable weights (early stopping that restores them; else null).
     */
    public record Watch(double best, int bestEpoch, int epochsWaited, int cooldownLeft, List<float[]> bestWeights) {}
}
