package vectorlstm.model;

/**
 * A 64-bit hash of a fit's samples and labels (and its validation data), kept in a
 * {@link TrainingState}: a fit resumed on other data would not be the fit that was interrupted,
 * so it is refused instead. Not a cryptographic hash: it tells data apart by accident, not by
 * design against forgery.
 */
final class DataFingerprint {
    private long h = 0x6A09E667F3BCC908L;

    private DataFingerprint() {}

    /** {@code weights} (the training samples' weights) and {@code valWeights} may be null; without them the hash is what it was before fits took weights, so older checkpoints still resume. */
    static long of(Samples x, float[] y, Samples xVal, float[] yVal, float[] weights, float[] valWeights) {
        DataFingerprint f = new DataFingerprint();
        f.samples(x);
        f.labels(y);
        if (xVal != null) {
            f.add(-1);
            f.samples(xVal);
            f.labels(yVal);
        }
        if (weights != null) {
            f.add(-2);
            f.labels(weights);
        }
        if (valWeights != null) {
            f.add(-3);
            f.labels(valWeights);
        }
        return f.h;
    }

    private void samples(Samples s) {
        add(s.size());
        switch (s) {
            case Samples.Tokens t -> {
                for (int[] row : t.x()) {
                    add(row.length);
                    for (int id : row) add(id);
                }
            }
            case Samples.Sequences q -> {
                for (float[][] sequence : q.x()) {
                    add(sequence.length);
                    for (float[] step : sequence) {
                        add(step.length);
                        for (float v : step) add(Float.floatToIntBits(v));
                    }
                }
            }
        }
    }

    private void labels(float[] y) {
        add(y.length);
        for (float v : y) add(Float.floatToIntBits(v));
    }

    /** One multiply-xorshift round per value (the mixing of SplitMix64's finaliser). */
    private void add(long v) {
        h = (h ^ v) * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 31;
    }
}
