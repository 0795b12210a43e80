package vectorlstm.cli;

import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.Sequential;

/**
 * The Keras IMDB program's model: Embedding(numWords, 32) → LSTM(100) → Dense(1, sigmoid), Adam, BCE.
 * Public for the JMH end-to-end benchmarks, which measure exactly what demo and bench run.
 */
public final class SeedModel {
    static final int EMBEDDING_DIM = 32;
    static final int UNITS = 100;

    private SeedModel() {}

    public static Sequential build(int numWords, int maxlen, long seed) {
        return build(numWords, maxlen, UNITS, seed);
    }

    /** The same model with another number of LSTM units ({@code demo --units}). */
    public static Sequential build(int numWords, int maxlen, int units, long seed) {
        Sequential model = new Sequential(
                new Embedding(numWords, EMBEDDING_DIM, maxlen),
                new Lstm(units),
                new Dense(1, "sigmoid")).seed(seed);
        model.compile("binary_crossentropy", new Adam(), "accuracy");
        return model;
    }
}
