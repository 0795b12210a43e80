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
        Sequential model = layers(numWords, maxlen, units).seed(seed);
        model.compile("binary_crossentropy", new Adam(), "accuracy");
        return model;
    }

    /** The seed model's layers, not built: its summary needs no weights (a vocabulary of 10 million took 13 s and 1.3 GB to initialise first). */
    static Sequential layers(int numWords, int maxlen, int units) {
        return new Sequential(new Embedding(numWords, EMBEDDING_DIM, maxlen), new Lstm(units), new Dense(1, "sigmoid"));
    }
}
