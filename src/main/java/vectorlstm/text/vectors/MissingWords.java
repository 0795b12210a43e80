package vectorlstm.text.vectors;

/** What a vocabulary word absent from the vector file gets as its row. */
public enum MissingWords {
    /** All zeros. */
    ZEROS,
    /** Uniform(-0.05, 0.05) from the given seed, like Keras' default Embedding initialiser. */
    RANDOM
}
