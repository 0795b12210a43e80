package vectorlstm.model;

import java.util.Random;

/** A tiny learnable task for training tests: random ids, labelled 1 when the sequence contains word 1. */
record ContainsWordOne(int[][] x, float[] y) {
    static ContainsWordOne of(int n, int steps, int vocab, long seed) {
        int[][] x = new int[n][steps];
        float[] y = new float[n];
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < steps; t++) x[i][t] = r.nextInt(vocab);
            for (int id : x[i]) if (id == 1) y[i] = 1;
        }
        return new ContainsWordOne(x, y);
    }
}
