package vectorlstm.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Parameter;
import vectorlstm.layers.Shape;

/**
 * Keras' {@code Sequential}: a stack of layers with {@code compile / fit / evaluate / predict /
 * summary}. Every weight lives in one off-heap slab from a shared {@link Arena} owned by the model
 * ({@code ParameterMemory}), the optimizer's moments in an arena of their own
 * ({@code OptimizerState}), the workers' activations in theirs ({@code ModelWorkers});
 * {@link #close()} frees it all.
 *
 * <pre>{@code
 * try (Sequential model = new Sequential(new Embedding(5000, 32, 500), new Lstm(100), new Dense(1, "sigmoid"))) {
 *     model.compile("binary_crossentropy", new Adam(), "accuracy");
 *     model.fit(xTrain, yTrain, new FitOptions().batchSize(64).epochs(3));
 *     System.out.println(model.evaluate(xTest, yTest, 64).accuracy());
 * }
 * }</pre>
 *
 * <p>fit, evaluate and predict use all cores themselves and are serialised on the model's lock,
 * and so is every method that changes it (compile, threads, add, build, setWeights, ...): one
 * called during a fit waits for it, since the workers' memory depends on those settings. For
 * concurrent scoring give each thread its own {@link #newScorer() Scorer} (a scorer refuses a
 * second thread while it is in a call). Score after fit returns: during a fit a scorer scores with
 * the weights of one optimizer step or another (never a mix of two, see {@link Scorer}), which is
 * up to the timing, and holds up the fit's next step (for its repack, or its call).
 */
public final class Sequential implements AutoCloseable {
    /** The most steps a sequence may have ({@link Shape#MAX_STEPS}). */
    public static final int MAX_SEQUENCE_STEPS = Shape.MAX_STEPS;

    private final List<Layer> layers = new ArrayList<>();
    private final OptimizerState optimizerState = new OptimizerState();
    private final Layer.WeightsOwner weightsOwnerCallbacks = new Layer.WeightsOwner() {
        @Override public void beforeWeightsWrite() {
            weightWrites.refuseInsideARead();  // before the lock, as writeWeights: a layer's setWeights takes it here first
            makeWeightsWritable();
        }
        // Under the model's lock too: a layer's setWeights from another thread then waits for a
        // fit, evaluate or predict in progress (which read the weights in place) instead of mixing
        // weights into it; the lock before the write side, as fit takes them.
        @Override public void writeWeights(Runnable write) {
            weightWrites.refuseInsideARead();  // before the lock: a write waiting on another thread holds it while it waits for this thread's read
            locked("a layer's setWeights", () -> weightWrites.write(write));
        }
        @Override public <T> T readWeights(Supplier<T> read) { return weightWrites.read(read); }
        @Override public void checkOpen() { if (closed) throw new IllegalStateException("the model is closed"); }
    };
    private final ModelBuild modelBuild = new ModelBuild(layers, weightsOwnerCallbacks);
    private Loss loss;
    private Optimizer optimizer;
    private final List<Parameter> trainable = new ArrayList<>();
    private long seed = 7;
    private int threads = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, MAX_THREADS);
    private final ModelWorkers workers = new ModelWorkers(() -> notDuringFit("a call that needs other workers (an evaluate or predict"
            + " with a larger batch or longer sequences, a change of threads, skipSharedPadding or perTokenInput)"));
    private boolean skipSharedPadding = true;
    private boolean perTokenInput = true;
    /** Shuffling and dropout where the fits so far left them; null before the first fit or after a new seed. */
    private TrainingSequence trainingSequence;
    /** Volatile: a scorer on another thread reads it to say "the model is closed" rather than the JDK's "Already closed". */
    private volatile boolean closed;
    /** True while fit runs (on the thread that holds the model's lock); see {@link #notDuringFit}. */
    private boolean fitting;
    /** Every write of the weights runs through this, and every read for another thread (see {@link WeightWrites}). */
    private final WeightWrites weightWrites = new WeightWrites();
    /** evaluate's and predict's work, run under this model's lock. */
    private final Inference inference = new Inference(this);
    /** The packed inference weights of the current version; built on first use. */
    private final PackedVersions packedVersions = new PackedVersions(layers, weightWrites, this::requireOpen);

    public Sequential(Layer... layers) {
        for (Layer l : layers) add(l);
    }

    public Sequential add(Layer layer) {
        return locked("add", () -> {
            if (layer == null) throw new IllegalArgumentException("no layer given (null)");
            requireOpen();
            modelBuild.checkLayerMayBeAdded();
            layers.add(layer);
            return this;
        });
    }

    /**
     * Seed for weight initialisation, shuffling and dropout (default 7). Set before build/compile.
     * Each fit goes on with the shuffling and dropout masks where the last one left them (as Keras'
     * generator does); setting the seed starts them again from it. Only the low 48 bits count
     * ({@link java.util.Random}'s): seeds that share them train alike (the CLI takes 0 to 2^48 - 1).
     */
    public Sequential seed(long seed) {
        return locked("seed", () -> {
            this.seed = seed;
            this.trainingSequence = null;
            return this;
        });
    }

    /** The most threads {@link #threads(int)} takes (the command line's cap). */
    public static final int MAX_THREADS = 1024;

    /**
     * Threads used by fit/evaluate/predict (default: available processors), 1 to
     * {@link #MAX_THREADS}; a call uses no more of them than it has rows to share out.
     */
    public Sequential threads(int threads) {
        return locked("threads", () -> {
            requireOpen();
            if (threads < 1 || threads > MAX_THREADS) throw new IllegalArgumentException("threads must be 1.." + MAX_THREADS + ", got " + threads);
            workers.close();  // first: refused during a fit, and then nothing has changed
            this.threads = threads;
            return this;
        });
    }

    /**
     * Whether fit and evaluate compute the padding that pre-padded sequences share only once
     * (default true; Embedding → last-state LSTM models). The math is the same either way (results
     * agree to float rounding); off runs every step of every row, as Keras does.
     */
    public Sequential skipSharedPadding(boolean skip) {
        return locked("skipSharedPadding", () -> {
            workers.close();
            this.skipSharedPadding = skip;
            return this;
        });
    }

    /**
     * Whether an LSTM or GRU fed by the Embedding may run its input side per token where that takes
     * fewer flops (default true; see {@code TokenInput}). Same math; tests compare the two paths.
     */
    Sequential perTokenInput(boolean perToken) {
        return locked("perTokenInput", () -> {
            workers.close();
            this.perTokenInput = perToken;
            return this;
        });
    }

    public long seed() { return seed; }

    /** Called by fit (under the model's lock) only. */
    TrainingSequence trainingSequence() {
        if (trainingSequence == null) trainingSequence = new TrainingSequence(seed);
        return trainingSequence;
    }

    /**
     * Changes whenever the weights change through fit or {@link #setWeights} (and compile). Code
     * that writes a weight's memory directly instead calls {@link #weightsChanged()} so that
     * existing scorers notice.
     */
    public long weightsVersion() { return weightWrites.version(); }

    public void weightsChanged() {
        requireOpen();
        weightWrites.write(() -> {});
    }

    /** Runs {@code write}, which changes the weights, as one change (see {@link WeightWrites}). */
    void writingWeights(Runnable write) {
        weightWrites.write(write);
    }

    /** The guard of this model's weights, for a scorer's call that reads them in place. */
    WeightWrites weightWrites() {
        return weightWrites;
    }
    public int threads() { return threads; }
    public List<Layer> layers() { return Collections.unmodifiableList(layers); }
    public Shape inputShape() { return modelBuild.inputShape(); }
    public Loss loss() { return loss; }
    public Optimizer optimizer() { return optimizer; }

    /** Infers shapes, names the layers Keras-style, allocates and initialises the weights. */
    public void build() {
        requireOpen();
        if (modelBuild.built()) return;  // volatile: a built model's scorers do not wait for a fit that holds the lock
        allocate(true);
    }

    /** @param initialise false when every weight is set right after (the memory starts zeroed) */
    private void allocate(boolean initialise) {
        locked("build", () -> {
            requireOpen();
            if (!modelBuild.built()) modelBuild.allocate(initialise ? new Random(seed) : null);
        });
    }

    /**
     * Builds the model on weights that already exist, such as the tensors a model file was read into:
     * {@code weights.get(i)} becomes the i-th parameter (layer order, then {@link Layer#parameters()}
     * order) as it is, without a copy and without running an initialiser. Every segment must hold
     * exactly its parameter's floats in native byte order. {@code owner} is the arena the segments
     * live in; the model closes it when it is closed.
     */
    public void buildOn(List<MemorySegment> weights, Arena owner) {
        locked("buildOn", () -> {
            if (weights == null || owner == null) throw new IllegalArgumentException("buildOn needs the weights and the arena that owns them");
            requireOpen();
            modelBuild.adopt(weights, owner);
        });
    }

    /**
     * Weights given to {@link #buildOn} read-only (a caller's mapping of a file) are copied into the
     * model's own memory before the first write (fit, setWeights): the file stays as it was, and
     * models that are only scored never copy. ({@code ModelFile.load} gives writable copies.)
     */
    private void makeWeightsWritable() {
        locked("a write of the weights", () -> {
            if (!modelBuild.makeWeightsWritable()) return;
            // Workers keep views of weights they read at every step (the padding row of the embedding):
            // views of the mapping, which stays open, would go on reading the file's values.
            workers.close();
            weightsChanged();
        });
    }

    /**
     * The first half of {@link #build()}: every layer's shapes, names and parameters, without
     * allocating or initialising any weight. A caller that must compare the parameters' shapes with
     * a file's before committing memory (the Keras importer) calls it first; build() then only
     * allocates. Calling it again does nothing.
     */
    public void inferShapes() {
        locked("inferShapes", () -> {
            requireOpen();
            modelBuild.inferShapes();
        });
    }

    /** Keras' {@code get_weights()}: every layer's {@link Layer#getWeights()} in layer order. */
    public List<float[]> getWeights() {
        return locked("getWeights", () -> {
            build();
            List<float[]> out = new ArrayList<>();
            for (Layer l : layers) out.addAll(l.getWeights());
            return out;
        });
    }

    /**
     * Keras' {@code set_weights()}: the list {@link #getWeights()} returns, every array checked
     * against its weight's shape before anything is written; scorers follow at their next call.
     */
    public void setWeights(List<float[]> weights) {
        locked("setWeights", () -> setWeightsUnderLock(weights));
    }

    private void setWeightsUnderLock(List<float[]> weights) {
        if (weights == null) throw new IllegalArgumentException("no weights given (null)");
        requireOpen();
        inferShapes();
        modelBuild.checkWeights(weights);  // all of them first, so a bad array leaves every weight as it was
        // Every weight is overwritten next: an unbuilt model (the importers') skips its initialisers, whose orthogonal
        // recurrent kernels cost units³ (52 s at 2,048 units, thrown away).
        if (!modelBuild.built()) allocate(false);
        writingWeights(() -> {  // one change, not one per layer: a scorer packing between layers mixed new embeddings with the old LSTM
            int at = 0;
            for (Layer l : layers) {
                int n = l.parameters().size();
                l.setWeights(weights.subList(at, at + n));
                at += n;
            }
        });
    }

    /**
     * Keras' {@code compile(loss, optimizer, metrics)}; the only metric is "accuracy" ("acc").
     * Unlike Keras, accuracy is computed, logged and kept in the history whether it is named or
     * not, always as "accuracy" and "val_accuracy" (Keras names it "acc" when compiled with "acc";
     * the callbacks take "acc" and "val_acc" for the same quantities) (it costs a compare per sample; early stopping may watch it either way). The
     * optimizer's state is allocated by the first {@code fit}, so a model compiled only to be
     * evaluated or scored never carries it. Fits after one another go on with that state; compiling
     * again, even with the same optimizer, starts it afresh (moments zero, iteration count 0),
     * where Keras keeps a built optimizer's state across compile: to change only the rate, call
     * the optimizer's {@code setLearningRate} between fits instead.
     */
    public void compile(String lossName, Optimizer optimizer, String... metrics) {
        compile(Loss.parse(lossName), optimizer, metrics);
    }

    public void compile(Loss loss, Optimizer optimizer, String... metrics) {
        locked("compile", () -> compileUnderLock(loss, optimizer, metrics));
    }

    private void compileUnderLock(Loss loss, Optimizer optimizer, String[] metrics) {
        notDuringFit("compile");
        if (loss == null || optimizer == null) throw new IllegalArgumentException("compile needs a loss and an optimizer (e.g. new Adam())");
        requireOpen();
        if (metrics == null) throw new IllegalArgumentException("no metrics given (null): leave them out, or name accuracy");
        for (String m : metrics) {
            if (m == null) throw new IllegalArgumentException("a metric is null (supported: accuracy)");
            if (!m.equals("accuracy") && !m.equals("acc")) throw new IllegalArgumentException("unknown metric '" + m + "' (supported: accuracy)");
        }
        build();
        loss.checkOutputLayer((Dense) layers.get(layers.size() - 1));
        OptimizerOwners.claim(optimizer, this, this.optimizer);  // last: a compile refused for any other reason leaves the optimizers as they were
        this.loss = loss;
        this.optimizer = optimizer;
        optimizerState.markStale();
        workers.close();  // workers hold gradient slots for the trainable weights chosen here
        weightsChanged();
        trainable.clear();
        for (Layer l : layers) for (Parameter p : l.parameters()) if (p.trainable()) trainable.add(p);
    }

    /** After a divergence: the optimizer's moments hold NaN, so the next fit cuts fresh ones. */
    void optimizerStateSpoiled() { optimizerState.markStale(); }

    /** The arena of the optimizer state in use (for tests: the previous one must be freed). */
    Arena optimizerStateForTests() { return optimizerState.arena(); }

    /** Keras' {@code built}: whether the weights are allocated (by build, compile, fit, or loading a file); {@link #summary} does not allocate them. */
    public boolean isBuilt() { return modelBuild.built(); }

    /** Whether {@link #close} has run: the weights and everything built on them are gone. */
    public boolean isClosed() { return closed; }

    /**
     * fit on padded token ids {@code [n][T]} (a model that starts with an Embedding; T its input
     * length, or any one T when the Embedding takes any length). The numbers
     * are named ({@code new FitOptions().epochs(3).batchSize(64)}): there is no
     * {@code fit(x, y, int, int)}, whose order a Keras user (batch_size before epochs) would read
     * the other way round. The ids are checked, then read in place (not copied), as predict reads
     * them: a caller that changes {@code x} during the fit trains on what it changed, or gets an
     * IndexOutOfBoundsException for an id it broke (the model stays usable).
     */
    public History fit(int[][] x, float[] y, FitOptions options) {
        return fit(new Samples.Tokens(x), y, options);
    }

    /**
     * fit on float sequences {@code [n][steps][features]} (a model that starts with an
     * {@link vectorlstm.layers.Input}); with a variable-length Input each may have its own length.
     */
    public History fit(float[][][] x, float[] y, FitOptions options) {
        return fit(new Samples.Sequences(x), y, options);
    }

    private History fit(Samples x, float[] y, FitOptions options) {
        return locked("fit", () -> fitUnderLock(x, y, options));
    }

    private History fitUnderLock(Samples x, float[] y, FitOptions options) {
        if (options == null) throw new IllegalArgumentException("no fit options given (null): new FitOptions() holds Keras' defaults");
        notDuringFit("fit");
        requireCompiled();
        LayerStackRules.refuseBackwardsSequencesUnderAMask(layers);
        LayerStackRules.checkReversedOutputsNotPadded(layers, x, options.batchSize());
        if (options.validationSamples() != null) LayerStackRules.checkReversedOutputsNotPadded(layers, options.validationSamples(), options.batchSize());
        makeWeightsWritable();
        optimizerState.prepare(optimizer, trainable);
        Samples validation = options.validationSamples();
        int longest = Math.max(inference.longest(x), validation == null ? 0 : inference.longest(validation));
        int most = Math.max(x.size(), validation == null ? 0 : validation.size());
        WorkerPool pool = workerPool(options.batchSize(), most, longest, true);
        fitting = true;
        try {
            return new TrainingLoop(this, pool, trainable).fit(x, y, options);
        } finally {
            fitting = false;
        }
    }

    /**
     * A fit's own callbacks (its checkpoint consumer, its log stream) run on the fitting thread,
     * which holds the model's lock: a close or compile from there went through and left the fit
     * running on freed memory and a terminated thread pool, and so did anything that replaces the
     * workers ({@link ModelWorkers#close}: an evaluate or predict with a larger batch, a change of threads).
     */
    private void notDuringFit(String what) {
        if (fitting) throw new IllegalStateException(what + " during this model's own fit (from one of its callbacks): call it after fit returns");
    }

    public Evaluation evaluate(int[][] x, float[] y, int batchSize) {
        return evaluate(new Samples.Tokens(x), y, batchSize);
    }

    public Evaluation evaluate(float[][][] x, float[] y, int batchSize) {
        return evaluate(new Samples.Sequences(x), y, batchSize);
    }

    /**
     * Keras' {@code evaluate(x, y, sample_weight=...)}: the loss weighted by one weight per sample
     * (the sum of weighted losses over the samples' count; accuracy is not weighted). The weights
     * must be finite and >= 0.
     */
    public Evaluation evaluate(int[][] x, float[] y, int batchSize, float[] sampleWeight) {
        return evaluate(new Samples.Tokens(x), y, batchSize, FitOptions.checkedCopy(sampleWeight, null));
    }

    /** {@link #evaluate(int[][], float[], int, float[])} for float sequences. */
    public Evaluation evaluate(float[][][] x, float[] y, int batchSize, float[] sampleWeight) {
        return evaluate(new Samples.Sequences(x), y, batchSize, FitOptions.checkedCopy(sampleWeight, null));
    }

    private Evaluation evaluate(Samples x, float[] y, int batchSize) {
        return evaluate(x, y, batchSize, null);
    }

    private Evaluation evaluate(Samples x, float[] y, int batchSize, float[] sampleWeight) {
        return locked("evaluate", () -> {
            requireCompiled();
            return inference.evaluate(x, y, batchSize, sampleWeight);
        });
    }

    /** Outputs {@code [n, units]} flattened row-major for float sequences (see {@link #fit(float[][][], float[], FitOptions)}). */
    public float[] predict(float[][][] x, int batchSize) {
        return locked("predict", () -> inference.predict(x, batchSize));
    }

    /**
     * Model outputs {@code [n, units]} flattened row-major (one probability per sample for Dense(1, sigmoid)).
     * The ids are checked, then read in place (not copied): a caller that changes {@code x} during
     * the call gets what it changed scored, or an IndexOutOfBoundsException for an id it broke.
     */
    public float[] predict(int[][] x, int batchSize) {
        return locked("predict", () -> inference.predict(x, batchSize));
    }

    /** predict through the training layers' forward (every step, all layers): the reference the inference paths are tested against. */
    float[] predictThroughLayers(int[][] x, int batchSize) {
        return locked("predict", () -> inference.predictThroughLayers(x, batchSize));
    }

    /** A single-thread scorer with its own scratch memory; one thread at a time uses it (one per thread, or a pool). */
    public Scorer newScorer() {
        return newScorer(1);
    }

    /**
     * A scorer that uses {@code threads} cores for each single sequence (1 or 2). With 2, the
     * LSTM's units are split between the caller and one helper thread owned by the scorer, in
     * whole vectors (an LSTM of about one vector of units or less, 16 at 512 bits, has no helper
     * share and steps alone). An
     * exception inside a two-thread call (ids the caller changed during it, for one) leaves the
     * two halves' meeting in an unknown state: the scorer then refuses every later call ("the
     * two-thread scorer failed earlier", with that exception as the cause); close it and make
     * another. A one-thread scorer goes on after a failed call.
     */
    public Scorer newScorer(int threads) {
        build();
        requireOpen();
        if (threads != 1 && threads != 2) throw new IllegalArgumentException("a scorer uses 1 or 2 threads, got " + threads);
        return new Scorer(this, layers, Math.min(threads, Runtime.getRuntime().availableProcessors()));
    }

    /** The packed inference weights of the current version, or null off the seed shape (see {@link PackedVersions#current}). */
    PackedLstm packedLstm() { return packedVersions.current(); }

    /** {@link #packedLstm()} retained for the caller (see {@link PackedVersions#retain}). */
    PackedLstm retainPackedLstm() { return packedVersions.retain(); }

    /** The Keras-style summary table: shapes and parameter counts, so a model not built yet is not built for it (no weights allocated). */
    public String summary() {
        return locked("summary", () -> {
            inferShapes();
            return Summary.of(this);
        });
    }

    /** Workers for this call's batches, samples and steps (see {@link ModelWorkers#pool}); under the model's lock. */
    WorkerPool workerPool(int batchSize, int samples, int steps, boolean training) {
        requireOpen();
        return workers.pool(layers, batchSize, samples, steps, training, threads, skipSharedPadding, perTokenInput);
    }

    private void requireCompiled() {
        requireOpen();
        if (loss == null) throw new IllegalStateException("compile the model before fit/evaluate");
    }

    void requireOpen() {
        if (closed) throw new IllegalStateException("the model is closed");
    }

    /** The trainable parameters, in layer order (for the training loop and inference's workers). */
    List<Parameter> trainable() { return trainable; }

    /** The model's workers: pools and the packed predictor. */
    ModelWorkers workers() { return workers; }

    /** The workers' pool of the last fit, evaluate or layer-by-layer predict (null before, or after a change that closed it). */
    WorkerPool currentPool() { return workers.currentPool(); }

    /** Frees the weights, optimizer state and worker memory. Scorers must be closed first. */
    @Override
    public void close() {
        if (closed) return;
        // Before the lock and before anything changes, for any read on this thread (a save's, a scorer's, not only
        // readingWeights): a close inside a read left the model closed and its memory held.
        weightWrites.refuseInsideARead();
        locked("close", this::closeUnderLock);
    }

    private void closeUnderLock() {
        if (closed) return;
        notDuringFit("close");
        closed = true;
        if (optimizer != null) OptimizerOwners.release(optimizer, this);
        // Under the write side: a read of the weights in progress on another thread (a save, a layer-by-layer
        // scorer's call) ends first. A save racing close left the arena "acquired", and close failed half done.
        weightWrites.write(this::free);
    }

    private void free() {
        // Each freed even when one before it throws (an adopted arena closed on the wrong thread).
        try {
            workers.close();
        } finally {
            try {
                optimizerState.close();
            } finally {
                try {
                    modelBuild.close();
                } finally {
                    packedVersions.close();
                }
            }
        }
    }

    /**
     * Runs {@code read} with the weights held still: no write of them (an optimizer step on another
     * thread, a setWeights) and no close until it returns. What a save does, which reads them twice,
     * for its checksum and to write them: between a setWeights' halves it wrote a file that failed
     * its own checksum. {@code read} may only read the weights' memory (and this model's getters
     * that take no lock, a layer's getWeights, a scorer's call): a write of the weights, a close, and
     * every call that takes the model's lock (getWeights, fit, evaluate, predict, compile, summary,
     * threads, add, seed, building an unbuilt model, ...) are refused with an IllegalStateException
     * before they wait for the lock, so whether or not a write waits on another thread. A call that
     * waits for another thread which takes the lock or writes the weights waits for ever, as a write
     * on a third thread waits for this read.
     *
     * @throws IllegalStateException when the model is closed
     */
    public <T> T readingWeights(Supplier<T> read) {
        requireOpen();
        return weightWrites.callersRead(() -> {
            requireOpen();  // closed while this waited
            return read.get();
        });
    }

    /**
     * Runs {@code body} under the model's lock, which fit, evaluate, predict and every change of the
     * model hold (so one called during a fit waits for it). A call inside {@link #readingWeights}
     * on this thread is refused first, before it waits for the lock: a write of the weights waiting
     * on another thread holds the lock while it waits for that read, so both waited for ever (see
     * {@link WeightWrites#refuseInsideACallersRead}). The lock is the model's monitor, re-entrant.
     */
    private <T> T locked(String what, Supplier<T> body) {
        weightWrites.refuseInsideACallersRead(what);
        synchronized (this) {
            return body.get();
        }
    }

    /** {@link #locked(String, Supplier)} for a body that returns nothing. */
    private void locked(String what, Runnable body) {
        weightWrites.refuseInsideACallersRead(what);
        synchronized (this) {
            body.run();
        }
    }

    /** Input vocabulary size when the first layer is an Embedding, else -1. */
    int vocabularySize() {
        return layers.get(0) instanceof Embedding e ? e.inputDim() : -1;
    }
}
