package vectorlstm.model;

import java.util.Random;

/**
 * The one seeded shuffle: {@code fit}'s epoch order, a dataset's validation split and its
 * balanced sample all draw from here.
 *
 * <p>{@link Random}, because the JDK specifies its algorithm: a seed gives the same order on every
 * JDK and machine (though not the order NumPy would give).
 */
public final class Shuffle {
    private Shuffle() {
    }

    /** Fisher-Yates from the last element down: a uniform random order of {@code a}, in place. */
    public static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            swap(a, i, random.nextInt(i + 1));
        }
    }

    /** 0..n-1 in the order {@link #shuffle} gives them. */
    public static int[] permutation(int n, Random random) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        shuffle(a, random);
        return a;
    }

    /**
     * Fisher-Yates from the first element up, stopped after {@code k} steps: afterwards
     * {@code a[0, k)} is a uniform random k-subset of {@code a}, in random order, for the cost of
     * k draws. (Run to {@code k = a.length} it is a full shuffle too, but not {@link #shuffle}'s:
     * the two walk in opposite directions, and each keeps the orders its seeds have always given.)
     */
    public static void shuffleFirst(int[] a, int k, Random random) {
        for (int i = 0; i < k; i++) {
            swap(a, i, i + random.nextInt(a.length - i));
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
