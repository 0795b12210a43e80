package vectorlstm.data.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import vectorlstm.data.DataException;
import vectorlstm.data.LabeledTexts;

/**
 * Texts with class ids, index-aligned, and the {@link LabelMap} that names the ids.
 *
 * <p>Both lists are copied on the way in and {@link #labels()} hands out a copy, so an instance
 * can be shared freely; use {@link #label(int)} inside loops.
 */
public record TextDataset(List<String> texts, int[] labels, LabelMap labelMap) {

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

    /** The IMDB loader's split as a dataset with labels "neg" = 0 and "pos" = 1, as it already numbers them. */
    public static TextDataset of(LabeledTexts imdbSplit) {
        return new TextDataset(imdbSplit.texts(), imdbSplit.labels(), LabelMap.fromLabels(List.of("neg", "pos")));
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
     * A seeded shuffle, then the last {@code floor(validationFraction * size())} examples become
     * the validation set, in the shuffled order.
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
        int validationSize = (int) (validationFraction * labels.length);
        int trainSize = labels.length - validationSize;
        if (validationSize < 1 || trainSize < 1) {
            throw new DataException("validation fraction " + validationFraction + " of " + labels.length
                    + " examples leaves " + trainSize + " for training and " + validationSize
                    + " for validation; each needs at least one");
        }
        int[] order = shuffledIndices(labels.length, new Random(seed));
        return new Split(subset(order, 0, trainSize), subset(order, trainSize, labels.length));
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

    /** Fisher-Yates over 0..n-1. */
    private static int[] shuffledIndices(int n, Random random) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
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
