package vectorlstm.classifier;

import java.nio.file.Path;
import vectorlstm.io.ModelFile;
import vectorlstm.text.vectors.MissingWords;

/**
 * How {@link ClassifierTraining} builds and trains a text classifier: Embedding (Keras' init, or
 * pre-trained vectors) → the {@link LayerSpec}'s layers (default one LSTM) → Dense(1, sigmoid)
 * for two labels or Dense(n, softmax) for more,
 * an {@link OptimizerSpec} ({@code train}'s: {@link OptimizerSpec#trainDefault()}, Adam with
 * clipnorm and cosine decay), a held-out validation split and, when asked for, early stopping
 * that restores the best epoch. {@code train}'s defaults are the ones measured on IMDB with the
 * shared fastText vectors (docs/results.md).
 * Every value is checked here, so the Java API refuses what {@code ./lstm train} refuses (the CLI
 * checks its flags first only to name them in its messages).
 *
 * @param layers        the layers between the embedding and the head ({@code lstm:100} by default)
 * @param maskZero      the embedding masks padding (id 0): recurrent layers then carry their state through it
 * @param embeddingDim  the learned table's width; with {@code vectors} the file's dimension is the width (this is still checked and recorded, not used)
 * @param vectors       pre-trained word vectors (.vec, .vec.gz, .txt, .bin), or null for a learned table
 * @param lrScale       learning-rate multiplier of a pre-trained table (1.0 measured best)
 * @param optimizer     optimizer, learning rate, clipping and schedule ({@link OptimizerSpec#trainDefault()} is train's)
 * @param earlyStopping stop after {@code patience} epochs without improvement of {@code monitor} and
 *                      restore the best epoch's weights; false trains every epoch and keeps the last
 * @param monitor       "val_accuracy" (train's default) or "val_loss": what early stopping and a plateau schedule watch
 * @param terminal      the log is a terminal: the progress bar redraws in place (else a line per tenth of an epoch)
 * @param classWeight   Keras' class_weight by label, or balanced ({@link ClassWeighting}); null for none
 */
public record TrainingRecipe(int numWords, int maxlen, LayerSpec layers, boolean maskZero, int embeddingDim, Path vectors, boolean vectorsTrainable,
                             MissingWords missingWords, float lrScale, int epochs, int batch, double validationSplit,
                             OptimizerSpec optimizer, boolean earlyStopping, int patience, String monitor, long seed, int threads,
                             boolean terminal, ClassWeighting classWeight) {
    /** Units above this make a layer that takes minutes to initialise and gigabytes per worker to train. */
    public static final int MAX_UNITS = 1024;
    /** The largest values {@code ./lstm train} takes (its flags name them); the recipe refuses the same. */
    public static final int MAX_NUM_WORDS = 10_000_000, MAX_EMBEDDING_DIM = 4096, MAX_EPOCHS = 100_000, MAX_BATCH = 1 << 16,
            MAX_PATIENCE = 1000, MAX_THREADS = vectorlstm.model.Sequential.MAX_THREADS;
    public static final float MAX_LR_SCALE = 1000;

    public TrainingRecipe {
        if (numWords < 2 || numWords > MAX_NUM_WORDS) {
            throw new IllegalArgumentException("num-words must be between 2 (word ids start at 1; fewer keeps no word at all) and " + MAX_NUM_WORDS + ", got " + numWords);
        }
        if (layers == null) throw new IllegalArgumentException("the recipe needs its layers (LayerSpec.parse(\"lstm:100\") is the default)");
        if (maxlen < 1 || maxlen > ModelFile.MAX_SEQUENCE_LENGTH) throw new IllegalArgumentException("maxlen must be between 1 and " + ModelFile.MAX_SEQUENCE_LENGTH + ", got " + maxlen);
        if (embeddingDim < 1 || embeddingDim > MAX_EMBEDDING_DIM || epochs < 1 || epochs > MAX_EPOCHS || batch < 1 || batch > MAX_BATCH
                || threads < 1 || threads > MAX_THREADS || patience < 0 || patience > MAX_PATIENCE) {
            throw new IllegalArgumentException("embeddingDim (1-" + MAX_EMBEDDING_DIM + "), epochs (1-" + MAX_EPOCHS + "), batch (1-" + MAX_BATCH + "), threads (1-"
                    + MAX_THREADS + ") and patience (0-" + MAX_PATIENCE + ") must be in range, got " + embeddingDim + ", " + epochs + ", " + batch + ", " + threads + " and " + patience);
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) throw new IllegalArgumentException("validation split must be in [0, 1), got " + validationSplit);
        if (validationSplit == 0 && earlyStopping) throw new IllegalArgumentException("early stopping chooses an epoch on held-out texts: it needs a validation split above 0");
        if (optimizer == null) throw new IllegalArgumentException("the recipe needs an optimizer (OptimizerSpec.trainDefault() is train's)");
        if (!(lrScale > 0 && lrScale <= MAX_LR_SCALE)) throw new IllegalArgumentException("the embeddings' learning-rate scale must be above 0 and at most " + MAX_LR_SCALE + ", got " + lrScale);
        if (!"val_accuracy".equals(monitor) && !"val_loss".equals(monitor)) throw new IllegalArgumentException("monitor must be val_accuracy or val_loss, got " + monitor);
        if (vectors != null && missingWords == null) throw new IllegalArgumentException("pre-trained vectors need a missing-words policy (random or zeros)");
        // What train refuses as flags that would do nothing, refused here too (they were accepted and ignored).
        if (vectors == null && missingWords != null) throw new IllegalArgumentException("a missing-words policy applies to pre-trained vectors: there are none (pass null)");
        if (lrScale != 1f && (vectors == null || !vectorsTrainable)) {
            throw new IllegalArgumentException("the embeddings' learning-rate scale applies to pre-trained vectors that train: not " + (vectors == null ? "without vectors" : "to a frozen table") + ", got " + lrScale);
        }
    }

    /**
     * What keys this training in a checkpoint ({@link Checkpointing}), by the names of
     * {@code ./lstm train}'s flags: every setting but the threads and the terminal.
     */
    public java.util.Map<String, String> settings() {
        // What the values mean, not how they were typed: "-0" and "0", "Cosine" and "cosine" refused a resume.
        // (+ 0f turns -0.0 into 0.0 and leaves every other value as it is.)
        java.util.Map<String, String> s = new java.util.LinkedHashMap<>();
        s.put("num-words", Integer.toString(numWords));
        s.put("maxlen", Integer.toString(maxlen));
        s.put("layers", layers.toString());
        s.put("mask-zero", Boolean.toString(maskZero));
        s.put("embedding-dim", Integer.toString(embeddingDim));
        s.put("embeddings", vectors == null ? "none" : vectors.toAbsolutePath().normalize().toString());
        s.put("embeddings-trainable", Boolean.toString(vectorsTrainable));
        s.put("missing-words", String.valueOf(missingWords));
        s.put("embeddings-learning-rate-scale", Float.toString(lrScale + 0f));
        s.put("epochs", Integer.toString(epochs));
        s.put("batch", Integer.toString(batch));
        s.put("validation-split", Double.toString(validationSplit + 0.0));
        s.put("optimizer", optimizer.name());
        s.put("learning-rate", Float.toString(optimizer.learningRate() + 0f));
        s.put("momentum", Float.toString(optimizer.momentum() + 0f));
        s.put("nesterov", Boolean.toString(optimizer.nesterov()));
        s.put("weight-decay", Float.toString(optimizer.weightDecay() + 0f));
        s.put("clipnorm", Float.isNaN(optimizer.clipnorm()) ? "none" : Float.toString(optimizer.clipnorm() + 0f));
        s.put("clipvalue", Float.isNaN(optimizer.clipvalue()) ? "none" : Float.toString(optimizer.clipvalue() + 0f));
        s.put("lr-schedule", optimizer.schedule().toLowerCase(java.util.Locale.ROOT));
        s.put("early-stopping", Boolean.toString(earlyStopping));
        s.put("patience", Integer.toString(patience));
        s.put("monitor", monitor);
        s.put("seed", Long.toString(seed));
        if (classWeight != null) s.put("class-weight", classWeight.toString());  // only when given: checkpoints from before the flag still resume
        return s;
    }
}
