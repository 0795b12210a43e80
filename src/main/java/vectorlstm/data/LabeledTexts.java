package vectorlstm.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Texts with binary labels (0 = negative, 1 = positive), index-aligned.
 *
 * <p>Both components are copied on the way in and {@link #labels()} hands out a copy, so an
 * instance can be shared freely; use {@link #label(int)} inside loops.
 */
public record LabeledTexts(List<String> texts, int[] labels) {

    public LabeledTexts {
        texts = List.copyOf(texts);
        labels = labels.clone();
        if (texts.size() != labels.length) {
            throw new IllegalArgumentException(texts.size() + " texts but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i + " is not 0 or 1");
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

    public int label(int i) {
        return labels[i];
    }

    /** How many examples carry {@code label}. */
    public int count(int label) {
        int n = 0;
        for (int l : labels) {
            if (l == label) {
                n++;
            }
        }
        return n;
    }

    /**
     * A seeded random sample of {@code n} examples, balanced between the labels: {@code n / 2}
     * negatives and {@code n - n / 2} positives (so an odd {@code n} gets the extra positive),
     * drawn without replacement and returned in a seeded shuffled order.
     *
     * <p>Uses {@link java.util.Random}, whose algorithm the JDK specifies, so the same seed gives
     * the same sample on every JDK and machine.
     *
     * @throws DataException if either label has fewer examples than its share of {@code n}
     */
    public LabeledTexts balancedSample(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("sample size must not be negative: " + n);
        }
        int wantNeg = n / 2, wantPos = n - wantNeg;
        int haveNeg = count(0), havePos = labels.length - haveNeg;
        if (wantNeg > haveNeg || wantPos > havePos) {
            throw new DataException("cannot draw a balanced sample of " + n + " (" + wantNeg + " negative + "
                    + wantPos + " positive) from " + haveNeg + " negative and " + havePos + " positive examples");
        }
        Random random = new Random(seed);
        int[] chosen = new int[n];
        int[] negatives = indicesOf(0, haveNeg), positives = indicesOf(1, havePos);
        shuffleFirst(negatives, wantNeg, random);
        shuffleFirst(positives, wantPos, random);
        System.arraycopy(negatives, 0, chosen, 0, wantNeg);
        System.arraycopy(positives, 0, chosen, wantNeg, wantPos);
        shuffleFirst(chosen, n, random);

        List<String> sampleTexts = new ArrayList<>(n);
        int[] sampleLabels = new int[n];
        for (int i = 0; i < n; i++) {
            sampleTexts.add(texts.get(chosen[i]));
            sampleLabels[i] = labels[chosen[i]];
        }
        return new LabeledTexts(sampleTexts, sampleLabels);
    }

    private int[] indicesOf(int label, int count) {
        int[] out = new int[count];
        for (int i = 0, k = 0; i < labels.length; i++) {
            if (labels[i] == label) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** Partial Fisher-Yates: afterwards {@code a[0, k)} is a uniform random k-subset, in random order. */
    private static void shuffleFirst(int[] a, int k, Random random) {
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(a.length - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    // Records compare arrays by identity; these compare the labels by content.
    @Override
    public boolean equals(Object o) {
        return o instanceof LabeledTexts other && texts.equals(other.texts) && Arrays.equals(labels, other.labels);
    }

    @Override
    public int hashCode() {
        return 31 * texts.hashCode() + Arrays.hashCode(labels);
    }

    /** A summary: printing thousands of reviews by accident helps nobody. */
    @Override
    public String toString() {
        return "LabeledTexts[size=" + size() + ", negative=" + count(0) + ", positive=" + count(1) + "]";
    }
}
