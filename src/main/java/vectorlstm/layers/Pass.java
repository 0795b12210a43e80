package vectorlstm.layers;

/**
 * What one forward pass of a batch is: its size, whether it trains (dropout is active only then)
 * and the key its dropout masks derive from. Mutable and owned by whoever runs the pass (a
 * training worker, a scorer), so a pass allocates nothing.
 *
 * <p>Dropout masks are a hash of (key, layer, row, element), not a random stream: the same
 * key gives the same masks whatever the thread count or the order rows are computed in.
 */
public final class Pass {
    private int batch;
    private boolean training;
    private long dropoutKey;
    private TileRunner tiles = TileRunner.ALONE;
    private int[] rowLengths;

    /** An inference pass of {@code batch} rows. */
    public static Pass inference(int batch) { return new Pass().set(batch, false, 0); }

    /** A training pass: dropout on, masks derived from {@code dropoutKey} (vary it per batch). */
    public static Pass training(int batch, long dropoutKey) { return new Pass().set(batch, true, dropoutKey); }

    public Pass set(int batch, boolean training, long dropoutKey) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        this.batch = batch;
        this.training = training;
        this.dropoutKey = dropoutKey;
        this.rowLengths = null;
        return this;
    }

    /**
     * The steps each row really has, in the batch's row order, when the engine padded a batch of
     * sequences of different lengths to the longest (their input mask then hides the rest); null
     * when no row was padded. A layer that ignores masks by design (Keras' GlobalMaxPooling1D)
     * still must not read the engine's own padding: a sequence scores as if it were alone.
     */
    public Pass rowLengths(int[] lengths) {
        this.rowLengths = lengths;
        return this;
    }

    /** Where backward hands its bulk products (the thread's {@code TileRunner}); alone by default. */
    public Pass tiles(TileRunner runner) {
        this.tiles = java.util.Objects.requireNonNull(runner);
        return this;
    }

    public int batch() { return batch; }
    public boolean training() { return training; }
    public long dropoutKey() { return dropoutKey; }
    public TileRunner tiles() { return tiles; }
    public int[] rowLengths() { return rowLengths; }
}
