package vectorlstm.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import vectorlstm.model.FitOptions;
import vectorlstm.model.Shuffle;
import vectorlstm.text.Json;

/**
 * Texts with class ids, index-aligned, and the {@link LabelMap} that names the ids: what every
 * source (class folders, CSV/TSV, JSON lines, IMDB) returns.
 *
 * <p>Both lists are copied on the way in and {@link #labels()} hands out a copy, so an instance
 * can be shared freely; use {@link #label(int)} inside loops.
 */
public record TextDataset(List<String> texts, int[] labels, LabelMap labelMap) {
    /**
     * The longest text a source may hold (a CSV field, a JSON line, a file of a class folder, a
     * review): a novel is about 1 MB. A 2 GB line used to end in "not enough memory" after
     * minutes, naming no file; every reader now names the file and line at this bound.
     */
    public static final int MAX_TEXT_BYTES = 16 << 20;

    /** A dataset cut in two by {@link #split(double, long)}. */
    public record Split(TextDataset train, TextDataset validation) {
    }

    public TextDataset {
        texts = List.copyOf(texts);
        labels = labels.clone();
        if (texts.size() != labels.length) {
            throw new IllegalArgumentException(texts.size() + " texts but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= labelMap.size()) {
                throw new IllegalArgumentException("class id " + labels[i] + " at index " + i
                        + " is not in 0.." + (labelMap.size() - 1));
            }
        }
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    public int size() {
        return labels.length;
    }

    public String text(int i) {
        return texts.get(i);
    }

    /** The class ids as the float targets {@code fit} and {@code evaluate} take. */
    public float[] targets() {
        float[] y = new float[labels.length];
        for (int i = 0; i < y.length; i++) y[i] = labels[i];
        return y;
    }

    public int label(int i) {
        return labels[i];
    }

    /** How many examples carry class id {@code classId}. */
    public int count(int classId) {
        int n = 0;
        for (int l : labels) {
            n += l == classId ? 1 : 0;
        }
        return n;
    }

    /**
     * A seeded shuffle, then the last examples become the validation set, in the shuffled order:
     * as many as Keras' {@code validation_split} holds out ({@link FitOptions#trainingSamples}).
     *
     * <p>Keras' {@code Model.fit(validation_split=...)} takes the last fraction without shuffling;
     * {@code text_dataset_from_directory} shuffles its file list with the seed first. We always
     * shuffle first, because folder and CSV inputs are often sorted by class, and an unshuffled
     * cut would validate on one class only. The shuffle uses {@link Random}, whose algorithm the
     * JDK specifies, so a seed gives the same split everywhere (though not the split NumPy would).
     *
     * @throws DataException unless the fraction is in (0, 1) and leaves at least one example on each side
     */
    public Split split(double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new DataException("validation fraction must be between 0 and 1 (exclusive), got " + validationFraction);
        }
        int trainSize = FitOptions.trainingSamples(labels.length, validationFraction);
        int validationSize = labels.length - trainSize;
        if (validationSize < 1 || trainSize < 1) {
            throw new DataException("validation fraction " + validationFraction + " of " + labels.length
                    + " examples leaves " + trainSize + " for training and " + validationSize
                    + " for validation; each needs at least one");
        }
        int[] order = Shuffle.permutation(labels.length, new Random(seed));
        return new Split(subset(order, 0, trainSize), subset(order, trainSize, labels.length));
    }

    /**
     * A seeded random sample of {@code n} examples, balanced between the classes: each class gets
     * {@code n / classes}, and the remainder goes one each to the last classes (two classes: {@code n / 2}
     * of id 0 and {@code n - n / 2} of id 1). Drawn without replacement and returned in a seeded
     * shuffled order.
     *
     * @throws DataException if a class has fewer examples than its share of {@code n}
     */
    public TextDataset balancedSample(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("sample size must not be negative: " + n);
        }
        int classes = labelMap.size();
        int[][] byClass = new int[classes][];
        int[] want = new int[classes];
        for (int c = 0; c < classes; c++) {
            byClass[c] = indicesOf(c);
            want[c] = n / classes + (c >= classes - n % classes ? 1 : 0);
            if (want[c] > byClass[c].length) {
                throw new DataException("cannot draw a balanced sample of " + n + ": it needs " + want[c] + " of "
                        + Json.quote(labelMap.label(c)) + ", but there are only " + byClass[c].length);
            }
        }
        Random random = new Random(seed);
        int[] chosen = new int[n];
        for (int c = 0, at = 0; c < classes; at += want[c], c++) {
            Shuffle.shuffleFirst(byClass[c], want[c], random);
            System.arraycopy(byClass[c], 0, chosen, at, want[c]);
        }
        Shuffle.shuffleFirst(chosen, n, random);
        return subset(chosen, 0, n);
    }

    /**
     * The same examples with ids from {@code target}, e.g. a test file read on its own mapped to
     * the label map saved with the trained model.
     *
     * @throws DataException if a label here is not in {@code target}
     */
    public TextDataset relabel(LabelMap target) {
        int[] mapped = new int[labelMap.size()];
        for (int id = 0; id < mapped.length; id++) {
            mapped[id] = target.id(labelMap.label(id));
        }
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = mapped[labels[i]];
        }
        return new TextDataset(texts, out, target);
    }

    private TextDataset subset(int[] order, int from, int to) {
        List<String> subTexts = new ArrayList<>(to - from);
        int[] subLabels = new int[to - from];
        for (int i = from; i < to; i++) {
            subTexts.add(texts.get(order[i]));
            subLabels[i - from] = labels[order[i]];
        }
        return new TextDataset(subTexts, subLabels, labelMap);
    }

    private int[] indicesOf(int classId) {
        int[] out = new int[count(classId)];
        for (int i = 0, k = 0; i < labels.length; i++) {
            if (labels[i] == classId) {
                out[k++] = i;
            }
        }
        return out;
    }

    // Records compare arrays by identity; these compare the labels by content.
    @Override
    public boolean equals(Object o) {
        return o instanceof TextDataset other && texts.equals(other.texts) && Arrays.equals(labels, other.labels)
                && labelMap.equals(other.labelMap);
    }

    @Override
    public int hashCode() {
        return (31 * texts.hashCode() + Arrays.hashCode(labels)) * 31 + labelMap.hashCode();
    }

    /** Counts per class: printing thousands of texts by accident helps nobody. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("TextDataset[size=").append(size());
        for (int id = 0; id < labelMap.size(); id++) {
            out.append(", ").append(labelMap.label(id)).append('=').append(count(id));
        }
        return out.append(']').toString();
    }
}
