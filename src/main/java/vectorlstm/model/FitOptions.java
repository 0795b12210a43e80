package vectorlstm.model;

import java.io.PrintStream;

/** Options of {@code fit}, with Keras' defaults: batch 32, 1 epoch, shuffled, verbose. */
public final class FitOptions {
    private int epochs = 1;
    private int batchSize = 32;
    private boolean shuffle = true;
    private PrintStream log = System.out;
    private boolean verbose = true;

    public FitOptions epochs(int epochs) {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        this.epochs = epochs;
        return this;
    }

    public FitOptions batchSize(int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        this.batchSize = batchSize;
        return this;
    }

    public FitOptions shuffle(boolean shuffle) { this.shuffle = shuffle; return this; }

    /** Where the progress lines go (default System.out); verbose(false) silences them. */
    public FitOptions log(PrintStream log) { this.log = log; return this; }

    public FitOptions verbose(boolean verbose) { this.verbose = verbose; return this; }

    public int epochs() { return epochs; }
    public int batchSize() { return batchSize; }
    public boolean shuffle() { return shuffle; }
    public PrintStream log() { return log; }
    public boolean verbose() { return verbose; }
}
