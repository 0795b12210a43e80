package vectorlstm.classifier;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./lstm train --class-weight}: Keras' class_weight by label name, or {@code balanced},
 * scikit-learn's {@code compute_class_weight("balanced")} that Keras users pass to it: each class
 * weighs {@code texts / (classes · its texts)} over the training texts, so every class adds as much
 * to the loss as any other, however rare.
 *
 * @param byLabel the weight of each label named (the others weigh 1), or null for {@code balanced}
 */
public record ClassWeighting(Map<String, Double> byLabel) {
    /** The weighting that makes the classes weigh alike. */
    public static final ClassWeighting BALANCED = new ClassWeighting(null);

    public ClassWeighting {
        if (byLabel != null) {
            if (byLabel.isEmpty()) throw new IllegalArgumentException("class weights name no label: give LABEL:WEIGHT pairs, or balanced");
            for (Map.Entry<String, Double> e : byLabel.entrySet()) {
                if (e.getKey() == null || e.getValue() == null || !(e.getValue() >= 0) || e.getValue() > Float.MAX_VALUE) {
                    throw new IllegalArgumentException("the class weight of " + e.getKey() + " must be a finite number >= 0, got " + e.getValue());
                }
            }
            byLabel = Collections.unmodifiableMap(new LinkedHashMap<>(byLabel));
        }
    }

    /**
     * {@code balanced}, or {@code LABEL:WEIGHT} pairs separated by commas (a pair's last colon
     * separates its weight; spaces around a pair are dropped, so a label with a comma, or with
     * spaces at its ends, cannot be named).
     */
    public static ClassWeighting parse(String spec) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("--class-weight needs balanced or LABEL:WEIGHT[,LABEL:WEIGHT...]");
        if (spec.equals("balanced")) return BALANCED;
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String given : spec.split(",", -1)) {
            String pair = given.strip();
            int colon = pair.lastIndexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("--class-weight takes balanced or LABEL:WEIGHT pairs separated by commas, got '" + pair + "' in '" + spec + "'");
            String label = pair.substring(0, colon);
            double w;
            try {
                w = Double.parseDouble(pair.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--class-weight: the weight of " + label + " is not a number: '" + pair.substring(colon + 1) + "'");
            }
            if (weights.put(label, w) != null) throw new IllegalArgumentException("--class-weight names " + label + " twice");
        }
        return new ClassWeighting(weights);
    }

    /**
     * The weight of each class index ({@code labels}' order) for training texts whose labels are
     * {@code trainLabels}; a label named that the data does not have is refused with the labels it has.
     */
    public Map<Integer, Double> byClass(List<String> labels, int[] trainLabels) {
        Map<Integer, Double> out = new TreeMap<>();
        if (byLabel == null) {
            long[] counts = new long[labels.size()];
            for (int l : trainLabels) counts[l]++;
            int present = 0;
            for (long c : counts) if (c > 0) present++;
            for (int c = 0; c < counts.length; c++) {
                if (counts[c] > 0) out.put(c, (double) trainLabels.length / ((double) present * counts[c]));
            }
            return out;
        }
        for (Map.Entry<String, Double> e : byLabel.entrySet()) {
            int c = labels.indexOf(e.getKey());
            if (c < 0) throw new IllegalArgumentException("--class-weight names " + e.getKey() + ", which is not a label of the data (its labels: " + labels + ")");
            out.put(c, e.getValue());
        }
        // The labels not named weigh 1. Every class of the training texts at 0 trains nothing (a loss of
        // 0 in every epoch) and still saved a model, with exit 0.
        boolean anyWeighs = false;
        for (int l : trainLabels) anyWeighs |= out.getOrDefault(l, 1.0) > 0;
        if (!anyWeighs) throw new IllegalArgumentException("--class-weight gives every class of the training texts the weight 0: nothing would be learned");
        return out;
    }

    /** What the log says: each label's weight. */
    public static String describe(Map<Integer, Double> byClass, List<String> labels) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<Integer, Double> e : byClass.entrySet()) {
            s.append(s.isEmpty() ? "" : ", ").append(labels.get(e.getKey())).append(' ').append(String.format(Locale.ROOT, "%.4g", e.getValue()));
        }
        return s.toString();
    }

    /** The flag's spelling with the labels in order, which keys a checkpoint: {@code pos:3,neg:1} and {@code neg:1,pos:3.0} are one weighting. */
    @Override
    public String toString() {
        if (byLabel == null) return "balanced";
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Double> e : new TreeMap<>(byLabel).entrySet()) {
            s.append(s.isEmpty() ? "" : ",").append(e.getKey()).append(':').append(e.getValue());
        }
        return s.toString();
    }
}
