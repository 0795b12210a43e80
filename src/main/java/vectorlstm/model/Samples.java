package vectorlstm.model;

import java.util.Arrays;

/**
 * The samples fit, evaluate and predict run on: padded token ids {@code int[n][T]} for a model that
 * starts with an Embedding, or float sequences {@code float[n][steps][features]} of any length for
 * a model that starts with an {@code Input}.
 */
sealed interface Samples {
    int size();

    /** Samples [from, to), sharing the arrays. */
    Samples range(int from, int to);

    /** The longest sample's number of steps. */
    int longest();

    record Tokens(int[][] x) implements Samples {
        public Tokens {
            if (x == null) throw new IllegalArgumentException("the samples are null");
        }

        @Override public int size() { return x.length; }
        @Override public Samples range(int from, int to) { return new Tokens(Arrays.copyOfRange(x, from, to)); }
        @Override public int longest() { return x.length == 0 || x[0] == null ? 0 : x[0].length; }
    }

    record Sequences(float[][][] x) implements Samples {
        public Sequences {
            if (x == null) throw new IllegalArgumentException("the samples are null");
        }

        @Override public int size() { return x.length; }
        @Override public Samples range(int from, int to) { return new Sequences(Arrays.copyOfRange(x, from, to)); }

        @Override
        public int longest() {
            int m = 0;
            for (float[][] s : x) if (s != null) m = Math.max(m, s.length);
            return m;
        }
    }
}
