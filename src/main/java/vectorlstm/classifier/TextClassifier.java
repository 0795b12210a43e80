package vectorlstm.classifier;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;
import vectorlstm.model.History;
import vectorlstm.model.PredictedClass;
import vectorlstm.model.Scorer;
import vectorlstm.model.Sequential;
import vectorlstm.text.PadSequences;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.text.Vocabulary;

/**
 * Text in, label out: a trained model with everything that turns a raw text into its input (the
 * recorded preprocessing, the tokenizer fitted in training, pre-padding to maxlen) and names its
 * output (the labels). {@code predict}, {@code eval}, {@code explain}, {@code plot} and {@code summary --model} go through this type.
 *
 * <pre>{@code
 * try (TextClassifier imdb = TextClassifier.load(Path.of("imdb.vlstm"))) {
 *     Classification c = imdb.classify("A gripping, beautifully shot film.");
 *     System.out.println(c.label() + " " + c.probability());   // pos 0.93
 * }
 * }</pre>
 *
 * <p><b>Concurrency.</b> One classifier may be shared by any number of threads.
 * {@link #classify(String)} borrows a {@link Scorer} from a lock-free pool (a new one when all are
 * busy, so the pool grows to the number of threads that classify at once) and gives it back: no
 * lock, no thread waits for another, and a text gets bit-for-bit the same answer whichever thread
 * scores it. {@link #classify(List)} runs the batch kernels on all cores and is serialised on the
 * model (one batch at a time; its probabilities agree with the single-text path to 1e-5 (tested; different summation order)).
 * The weights may change ({@code fit}, {@code setWeights}) while other threads classify: each call
 * scores with the weights before a change or after it, never a mix (docs/architecture.md). Close
 * the classifier after the last call.
 */
public final class TextClassifier implements AutoCloseable {
    /** How many sequences predict keeps in flight per call of the batch path. */
    private static final int BATCH = 256;

    private final SavedModel parts;
    /** The most known words a text may have on a model of any length (maxlen 0): {@link ModelFile#maxSteps}. */
    private final int maxSteps;
    private final ConcurrentLinkedQueue<Scorer> idle = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    private TextClassifier(SavedModel parts) {
        if (parts.tokenizer() == null) {
            throw new IllegalArgumentException(parts.model().layers().get(0) instanceof vectorlstm.layers.Input
                    ? "this model reads numeric sequences, not texts (from Java: ModelFile.load(file).model().predict(sequences, batch))"
                    : "this model has no vocabulary: score token ids with ./lstm predict --ids (import it with --word-index to score text)");
        }
        this.parts = parts;
        this.maxSteps = parts.maxlen() == 0 ? ModelFile.maxSteps(parts.model()) : parts.maxlen();
    }

    /**
     * A classifier over a trained model; it takes ownership of the model (closing the classifier
     * closes it). {@code labels} may be empty (the class ids become the labels).
     */
    public static TextClassifier of(Sequential model, Vocabulary tokenizer, TextPreprocessing preprocessing, List<String> labels, int maxlen) {
        return new TextClassifier(new SavedModel(model, tokenizer, preprocessing, labels, maxlen));
    }

    /** A classifier over saved parts (model, tokenizer, preprocessing, labels, maxlen, history); it takes ownership. */
    public static TextClassifier of(SavedModel parts) {
        return new TextClassifier(parts);
    }

    /** Loads a model file; the file is not read again, so it may be replaced while loaded (see {@link ModelFile}). */
    public static TextClassifier load(Path file) {
        if (file == null) throw new IllegalArgumentException("no model file given (null)");
        SavedModel parts = ModelFile.load(file);
        try {
            return new TextClassifier(parts);
        } catch (RuntimeException e) {
            parts.close();
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Saves model, tokenizer, preprocessing, labels and maxlen to one file, atomically.
     *
     * @throws java.io.UncheckedIOException the file system refused the write (a full disk); the file that was there is intact
     */
    public void save(Path file) {
        if (file == null) throw new IllegalArgumentException("no model file given (null)");
        requireOpen();
        ModelFile.save(file, parts);
    }

    /** The label, class probabilities and known-word count of one text. Thread-safe, lock-free. */
    public Classification classify(String text) {
        return classifySequence(sequence(text));
    }

    /**
     * {@link #classify(String)} of a text already turned into its input by {@link #sequence}
     * (a server tokenizes on the request's thread and scores elsewhere). Thread-safe, lock-free.
     */
    public Classification classifySequence(int[] ids) {
        requireOpen();
        Scorer scorer = idle.poll();
        if (scorer == null) scorer = parts.model().newScorer();
        float[] outputs = new float[scorer.outputs()];
        try {
            scorer.scoreAll(ids, outputs);
        } finally {
            giveBack(scorer);
        }
        return classification(outputs, 0, outputs.length, knownWords(ids));
    }

    /** {@link #classify(String)} for many texts at once, on the batch kernels and all cores. */
    public List<Classification> classify(List<String> texts) {
        requireOpen();
        if (texts == null) throw new IllegalArgumentException("the texts are null");
        int[][] ids = new int[texts.size()][];
        for (int i = 0; i < ids.length; i++) {
            try {
                ids[i] = sequence(texts.get(i));
            } catch (IllegalArgumentException e) {  // which text, of thousands an eval reads
                throw new IllegalArgumentException("text " + (i + 1) + " of " + ids.length + ": " + e.getMessage(), e);
            }
        }
        return classifySequences(ids);
    }

    /** {@link #classify(List)} of texts already turned into their inputs by {@link #sequence}. */
    public List<Classification> classifySequences(int[][] ids) {
        requireOpen();
        if (ids == null) throw new IllegalArgumentException("the sequences are null");
        if (ids.length == 0) return List.of();
        float[] outputs = parts.model().predict(ids, BATCH);
        int units = outputs.length / Math.max(1, ids.length);
        List<Classification> out = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) out.add(classification(outputs, i * units, units, knownWords(ids[i])));
        return out;
    }

    /**
     * The model's input for one text: preprocessing, tokenizer, pre-padding and pre-truncation to
     * maxlen (Keras' defaults). Words the tokenizer does not know are dropped, as Keras does (a
     * Keras word index keeps them as its unknown-word id instead, as {@code imdb.load_data} does).
     * A model that takes any length (maxlen 0, as some imported ones) gets the ids as they are; a
     * text without a word it knows then becomes one padding id, as a fixed-length model sees such a
     * text as all padding ({@link Classification#knownWords()} is 0 either way), and one of more
     * known words than the model reads ({@link Sequential#MAX_SEQUENCE_STEPS}, or fewer for a wide
     * model: {@link ModelFile#maxSteps}) is refused.
     *
     * @throws IllegalArgumentException a null text, or too long a text for a model of any length
     */
    public int[] sequence(String text) {
        if (text == null) throw new IllegalArgumentException("the text is null");
        int[] ids = parts.tokenizer().textToSequence(parts.preprocessing().apply(text));
        if (parts.maxlen() == 0) {
            if (ids.length > maxSteps) {
                throw new IllegalArgumentException("the text is " + ids.length + " ids long (its words, with the marks the vocabulary adds for a start"
                        + " or an unknown word); this model reads at most " + maxSteps
                        + ModelFile.stepsLimitReason(maxSteps));
            }
            return ids.length > 0 ? ids : new int[1];
        }
        return PadSequences.pad(new int[][] {ids}, parts.maxlen())[0];
    }


    /** The class ids of many texts on the batch path (what {@code eval} compares with the true labels). */
    public int[] predictClasses(List<String> texts) {
        List<Classification> all = classify(texts);
        int[] out = new int[all.size()];
        for (int i = 0; i < out.length; i++) out[i] = all.get(i).classId();
        return out;
    }

    private Classification classification(float[] outputs, int from, int units, int knownWords) {
        List<Float> probabilities = new ArrayList<>(Math.max(2, units));
        if (units == 1) {  // one sigmoid unit: p is the probability of label 1
            probabilities.add(1 - outputs[from]);
            probabilities.add(outputs[from]);
        } else {
            for (int j = 0; j < units; j++) probabilities.add(outputs[from + j]);
        }
        int best = PredictedClass.of(outputs, from, units);
        return new Classification(parts.labels().get(best), best, probabilities, knownWords);
    }

    /** The ids of a padded sequence that stand for words (not padding, nor a word index's start and unknown marks). */
    private int knownWords(int[] padded) {
        int words = 0;
        for (int id : padded) if (parts.tokenizer().isWord(id)) words++;
        return words;
    }

    private void giveBack(Scorer scorer) {
        idle.offer(scorer);
        if (closed) closeIdleScorers();  // close() may have drained the pool before this offer
    }

    private void closeIdleScorers() {
        for (Scorer s = idle.poll(); s != null; s = idle.poll()) s.close();
    }

    public Sequential model() { return parts.model(); }
    public Vocabulary tokenizer() { return parts.tokenizer(); }
    public TextPreprocessing preprocessing() { return parts.preprocessing(); }
    public List<String> labels() { return parts.labels(); }
    public int maxlen() { return parts.maxlen(); }

    /** How training went (per epoch, and the epoch early stopping kept), or null when not recorded. */
    public History history() { return parts.history(); }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("the classifier is closed");
    }

    /** Closes the pooled scorers and the model. Call it after the last classify. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        closeIdleScorers();
        parts.close();
    }
}
