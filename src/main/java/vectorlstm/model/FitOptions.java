package vectorlstm.model;

import java.io.PrintStream;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Options of {@code fit}, with Keras' defaults: batch 32, 1 epoch, shuffled, verbose. */
public final class FitOptions {
    private int epochs = 1;
    private int batchSize = 32;
    private boolean shuffle = true;
    private PrintStream log = System.out;
    private boolean verbose = true;
    private double validationSplit;
    private Samples validationX;
    private float[] validationY;
    private float[] validationWeight;
    private boolean sortByLength;
    private EarlyStopping earlyStopping;
    private ReduceLrOnPlateau reduceLrOnPlateau;
    private Boolean terminal;
    private Consumer<TrainingState> checkpoint;
    private Consumer<History.Epoch> onEpochEnd;
    private TrainingState resume;
    private SortedMap<Integer, Float> classWeight;
    private float[] sampleWeight;

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

    /**
     * Whether the log is a terminal: the progress bar then redraws itself in place; otherwise (a
     * file, CI) it prints a plain line every tenth of an epoch. Default: true when the log is
     * {@code System.out} and the process has a terminal.
     */
    public FitOptions terminal(boolean terminal) { this.terminal = terminal; return this; }

    /** See {@link #terminal(boolean)}. */
    public boolean terminal() {
        if (terminal != null) return terminal;
        java.io.Console console = System.console();
        return log == System.out && console != null && console.isTerminal();
    }

    /** Where the progress lines go (default System.out); verbose(false) silences them. */
    public FitOptions log(PrintStream log) {
        if (log == null) throw new IllegalArgumentException("log is null: give a stream (System.out), or verbose(false) for no progress");
        this.log = log;
        return this;
    }

    public FitOptions verbose(boolean verbose) { this.verbose = verbose; return this; }

    /**
     * Keras' {@code validation_split}: the last {@code fraction} of the samples (taken before any
     * shuffling) are held out and evaluated after every epoch.
     */
    public FitOptions validationSplit(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) throw new IllegalArgumentException("validation split must be in [0, 1), got " + fraction);
        this.validationSplit = fraction;
        return this;
    }

    /**
     * How many of {@code samples} train under a validation split of {@code fraction}: Keras'
     * {@code split_at = floor(n * (1 - fraction))}, the rest validates. The fraction of the
     * training part is rounded down, not that of the held-out part (n = 10, 0.25: 7 and 3).
     */
    public static int trainingSamples(int samples, double fraction) {
        return (int) (samples * (1 - fraction));
    }

    /** Keras' {@code validation_data}: evaluated after every epoch (takes precedence over a split). */
    public FitOptions validationData(int[][] x, float[] y) {
        checkPair(x, y);
        this.validationX = x == null ? null : new Samples.Tokens(x);
        this.validationY = y;
        this.validationWeight = null;
        return this;
    }

    /**
     * Keras' {@code validation_data=(x, y, sample_weight)}: the validation loss weighted by one
     * weight per validation sample (copied and checked here; accuracy is not weighted).
     */
    public FitOptions validationData(int[][] x, float[] y, float[] sampleWeight) {
        validationData(x, y);
        this.validationWeight = checkedCopy(sampleWeight, "validation");
        return this;
    }

    /** {@link #validationData(int[][], float[], float[])} for a model that reads float sequences. */
    public FitOptions validationData(float[][][] x, float[] y, float[] sampleWeight) {
        validationData(x, y);
        this.validationWeight = checkedCopy(sampleWeight, "validation");
        return this;
    }

    /** Both null (no validation data) or both given: one without the other used to mean silently no validation. */
    private static void checkPair(Object x, float[] y) {
        if ((x == null) != (y == null)) throw new IllegalArgumentException("validation data needs both x and y, got " + (x == null ? "y without x" : "x without y"));
    }

    /** {@link #validationData(int[][], float[])} for a model that reads float sequences. */
    public FitOptions validationData(float[][][] x, float[] y) {
        checkPair(x, y);
        this.validationX = x == null ? null : new Samples.Sequences(x);
        this.validationY = y;
        this.validationWeight = null;
        return this;
    }

    /**
     * Batches of sequences of similar length (MATLAB's "sort by length"; float sequences only):
     * the samples are sorted by length once, so each batch pads little, and with shuffle only the
     * order of the batches changes from epoch to epoch. {@code fit} refuses it for token ids and
     * for sequences all of one length, where it would only fix each batch to the data's own order.
     */
    public FitOptions sortByLength(boolean sort) { this.sortByLength = sort; return this; }

    public FitOptions earlyStopping(EarlyStopping earlyStopping) { this.earlyStopping = earlyStopping; return this; }

    /** Keras' {@code ReduceLROnPlateau} callback, checked at the end of every epoch (null: none). */
    public FitOptions reduceLrOnPlateau(ReduceLrOnPlateau plateau) { this.reduceLrOnPlateau = plateau; return this; }

    /**
     * Hands the fit's {@link TrainingState} to {@code saver} after every epoch (Keras'
     * {@code BackupAndRestore}); {@code vectorlstm.io.CheckpointFile} writes it to a file. An
     * exception from the saver ends the fit. Null: none. The saver runs on the fitting thread: it
     * may read the model (weights, a save, an evaluate at the fit's batch size or smaller, of
     * sequences no longer than the fit's), but a close, compile or fit, or anything that needs other
     * workers (an evaluate at a larger batch or of longer sequences; after a fit of fewer samples
     * than one batch, whose workers hold that count rounded up to a power of two, of more samples
     * than that; a change of threads), is refused with an {@link IllegalStateException}.
     */
    public FitOptions checkpoint(Consumer<TrainingState> saver) { this.checkpoint = saver; return this; }

    /**
     * Keras' {@code LambdaCallback(on_epoch_end=...)}: {@code listener} gets each epoch's figures
     * as the epoch ends (after early stopping, the plateau and the checkpoint have seen it), so a
     * quiet fit ({@code verbose(false)}) can still say how it goes. It runs on the fitting thread
     * under the same rules as {@link #checkpoint}'s saver; an exception from it ends the fit. An
     * epoch a resumed fit takes from its state is not handed over again. The epoch's number counts
     * from 1 ({@link History.Epoch#epoch}), where Keras' {@code on_epoch_end} gets the 0-based
     * index. Null: none.
     */
    public FitOptions onEpochEnd(Consumer<History.Epoch> listener) { this.onEpochEnd = listener; return this; }

    /**
     * Goes on from a checkpoint instead of starting over: the weights, the optimizer, shuffling,
     * dropout, early stopping and the learning-rate plateau are put back as they were after the
     * state's epoch, and the fit runs epochs {@code epochsDone + 1 .. epochs}. On the same data,
     * batch size, callbacks and thread count the result is the uninterrupted fit's, bit for bit.
     * Refused ({@link TrainingState.Refused}) when the state does not fit this model, data or
     * options. The fit that applies it clears it from these options, so that the state's arrays
     * are freed while it trains and a next fit with the same options goes on from where this one
     * ended, as fits do, instead of going back to the state. Null: start over.
     */
    public FitOptions resume(TrainingState state) { this.resume = state; return this; }

    /**
     * Keras' {@code class_weight}: each training sample's loss and gradient times its class's weight
     * (a class not named weighs 1, as in Keras 3; an empty map weighs every class 1). Classes are the label's index: 0 and 1 for
     * binary_crossentropy (a label above 0.5 is class 1), 0 .. units-1 for
     * sparse_categorical_crossentropy; fit refuses a class the model does not have. The loss is
     * still divided by the batch's size (Keras' sum_over_batch_size), accuracy is not weighted, and
     * validation data is not weighted either (Keras applies class_weight to the training data only).
     * Not together with {@link #sampleWeight}, as in Keras.
     */
    public FitOptions classWeight(Map<Integer, ? extends Number> weights) {
        if (weights == null) throw new IllegalArgumentException("no class weights given (null): leave them out, or map each class to a weight");
        if (sampleWeight != null) throw new IllegalArgumentException("class weights and sample weights cannot be given together (as in Keras): fold the class weights into the sample weights");
        SortedMap<Integer, Float> copy = new TreeMap<>();
        for (Map.Entry<Integer, ? extends Number> e : weights.entrySet()) {
            if (e.getKey() == null || e.getKey() < 0) throw new IllegalArgumentException("class weight keys are class indices >= 0, got " + e.getKey());
            copy.put(e.getKey(), checkedWeight(e.getValue() == null ? Double.NaN : e.getValue().doubleValue(), "class " + e.getKey()));
        }
        this.classWeight = Collections.unmodifiableSortedMap(copy);
        return this;
    }

    /**
     * Keras' {@code sample_weight}: one weight per training sample (as many as the samples given
     * to fit), multiplying its loss and gradient. With {@link #validationSplit} the held-out
     * samples' weights weigh their validation loss, as in Keras; {@link #validationData} takes its
     * own. Not together with {@link #classWeight}, as in Keras. The array is copied here,
     * then checked: a later change to the caller's array changes nothing; fit refuses a count that
     * is not the samples'.
     */
    public FitOptions sampleWeight(float[] weights) {
        if (weights == null) throw new IllegalArgumentException("no sample weights given (null): leave them out, or give one weight per sample");
        if (classWeight != null) throw new IllegalArgumentException("class weights and sample weights cannot be given together (as in Keras): fold the class weights into the sample weights");
        this.sampleWeight = checkedCopy(weights, null);
        return this;
    }

    /** A copy of sample weights, each checked; {@code whose} names them in messages ("validation"), or null. */
    static float[] checkedCopy(float[] weights, String whose) {
        if (weights == null) throw new IllegalArgumentException("no " + (whose == null ? "" : whose + " ") + "sample weights given (null)");
        float[] copy = weights.clone();
        for (int i = 0; i < copy.length; i++) checkedWeight(copy[i], (whose == null ? "" : whose + " ") + "sample " + i);
        return copy;
    }

    private static float checkedWeight(double w, String whose) {
        if (!(w >= 0) || !Double.isFinite(w) || (float) w == Float.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("the weight of " + whose + " must be a finite number >= 0, got " + w);
        }
        return (float) w;
    }

    public int epochs() { return epochs; }
    public int batchSize() { return batchSize; }
    public boolean shuffle() { return shuffle; }
    public PrintStream log() { return log; }
    public boolean verbose() { return verbose; }
    public double validationSplit() { return validationSplit; }
    Samples validationSamples() { return validationX; }
    public boolean sortByLength() { return sortByLength; }
    public float[] validationY() { return validationY; }
    public EarlyStopping earlyStopping() { return earlyStopping; }
    public ReduceLrOnPlateau reduceLrOnPlateau() { return reduceLrOnPlateau; }
    public Consumer<TrainingState> checkpoint() { return checkpoint; }
    public Consumer<History.Epoch> onEpochEnd() { return onEpochEnd; }
    public TrainingState resume() { return resume; }
    /** The class weights given, by class index (unmodifiable), or null. */
    public SortedMap<Integer, Float> classWeight() { return classWeight; }
    /** The sample weights given (FitOptions' own checked copy, not handed out), or null. */
    float[] sampleWeight() { return sampleWeight; }
    /** The validation data's sample weights (a checked copy), or null. */
    float[] validationWeight() { return validationWeight; }

    /** Hands the state to resume from over to the fit that applies it (see {@link #resume(TrainingState)}). */
    TrainingState takeResume() {
        TrainingState s = resume;
        resume = null;
        return s;
    }
}
