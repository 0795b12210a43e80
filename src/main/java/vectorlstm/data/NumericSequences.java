package vectorlstm.data;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * Variable-length sequences of feature vectors with one class id each: what numeric sources (such
 * as Japanese Vowels) return, as {@link TextDataset} is for texts.
 *
 * <p>{@code x} is (samples, steps, features) with steps varying per sample; {@code labels[i]} is
 * the class of sample {@code i} and names {@code labelNames.get(labels[i])}. Everything is checked
 * and deep-copied on the way in, and the accessors hand out copies, so an instance can be shared
 * freely; use {@link #sequence(int)}, {@link #label(int)} and {@link #length(int)} inside loops.
 */
public record NumericSequences(float[][][] x, int[] labels, List<String> labelNames, int features) {

    /**
     * @throws IllegalArgumentException naming the sample, step and feature of the first bad value:
     *         sources check their files first, so this is a programming error, not a data error
     */
    public NumericSequences {
        if (features < 1) {
            throw new IllegalArgumentException("features must be at least 1, got " + features);
        }
        labelNames = List.copyOf(labelNames);
        if (labelNames.isEmpty() || new HashSet<>(labelNames).size() != labelNames.size()) {
            throw new IllegalArgumentException("label names must be non-empty and distinct: " + labelNames);
        }
        if (x.length != labels.length) {
            throw new IllegalArgumentException(x.length + " sequences but " + labels.length + " labels");
        }
        x = copyChecked(x, features);
        labels = labels.clone();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= labelNames.size()) {
                throw new IllegalArgumentException("label " + labels[i] + " of sequence " + i
                        + " is not in 0.." + (labelNames.size() - 1));
            }
        }
    }

    private static float[][][] copyChecked(float[][][] x, int features) {
        float[][][] copy = new float[x.length][][];
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length == 0) {
                throw new IllegalArgumentException("sequence " + i + " has no steps");
            }
            copy[i] = new float[x[i].length][];
            for (int t = 0; t < x[i].length; t++) {
                float[] step = x[i][t];
                if (step == null || step.length != features) {
                    throw new IllegalArgumentException("sequence " + i + ", step " + t + " has "
                            + (step == null ? "no" : step.length) + " features, expected " + features);
                }
                for (int f = 0; f < features; f++) {
                    if (!Float.isFinite(step[f])) {
                        throw new IllegalArgumentException("sequence " + i + ", step " + t + ", feature " + f
                                + " is " + step[f]);
                    }
                }
                copy[i][t] = step.clone();
            }
        }
        return copy;
    }

    /** A deep copy of all sequences: call it once, not in a loop. */
    @Override
    public float[][][] x() {
        float[][][] copy = new float[x.length][][];
        for (int i = 0; i < x.length; i++) copy[i] = sequence(i);
        return copy;
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    public int size() {
        return x.length;
    }

    /** Sequence {@code i} as (steps, features), a copy. */
    public float[][] sequence(int i) {
        float[][] copy = new float[x[i].length][];
        for (int t = 0; t < copy.length; t++) copy[t] = x[i][t].clone();
        return copy;
    }

    public int label(int i) {
        return labels[i];
    }

    /** Number of steps of sequence {@code i}. */
    public int length(int i) {
        return x[i].length;
    }

    /** The longest sequence's step count: the padded length of a batch holding it (0 if empty). */
    public int maxLength() {
        int max = 0;
        for (float[][] s : x) max = Math.max(max, s.length);
        return max;
    }

    /** The shortest sequence's step count (0 if empty). */
    public int minLength() {
        int min = x.length == 0 ? 0 : Integer.MAX_VALUE;
        for (float[][] s : x) min = Math.min(min, s.length);
        return min;
    }

    /** Steps over all sequences (frames, for audio features). */
    public long totalSteps() {
        long total = 0;
        for (float[][] s : x) total += s.length;
        return total;
    }

    /**
     * Sample indices ordered by sequence length, shortest first; equal lengths keep their original
     * order. MATLAB's sequence classification example sorts by length before batching, so that
     * each mini-batch pads to nearly its own length rather than the data set's longest.
     */
    public int[] indicesByLength() {
        // Sorting boxed indices is stable (TimSort), which keeps equal lengths in file order.
        Integer[] order = new Integer[x.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Integer.compare(x[a].length, x[b].length));
        int[] result = new int[order.length];
        Arrays.setAll(result, i -> order[i]);
        return result;
    }

    @Override
    public String toString() {
        return "NumericSequences[" + size() + " sequences, " + features + " features, lengths " + minLength() + ".."
                + maxLength() + ", " + totalSteps() + " steps, labels " + labelNames + "]";
    }

    /** How many samples have class {@code label}. */
    public int count(int label) {
        int n = 0;
        for (int l : labels) if (l == label) n++;
        return n;
    }
}
