package vectorlstm.classifier;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Consumer;
import vectorlstm.data.NumericSequences;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Input;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Shape;
import vectorlstm.model.Adam;
import vectorlstm.model.FitOptions;
import vectorlstm.model.TrainingState;
import vectorlstm.model.History;
import vectorlstm.model.Sequential;

/**
 * Numeric sequences in (e.g. Japanese Vowels), a trained classifier out:
 * {@code Input(any length, features) → layers → Dense(classes, softmax)}, sparse categorical
 * cross-entropy, Adam with a per-weight gradient-norm threshold, batches of sequences sorted by
 * length (so a batch pads little; the padding is masked), no shuffling. The defaults are MATLAB's
 * "Sequence Classification Using Deep Learning" example: BiLSTM(100) with its last output, Adam
 * 0.001, batch 27, gradient threshold 1, 100 epochs.
 *
 * @param epochs       passes over the training data
 * @param batch        sequences per batch
 * @param learningRate Adam's learning rate
 * @param clipnorm     each weight's gradient is scaled down to this L2 norm (MATLAB's GradientThreshold)
 */
public record SequenceTraining(LayerSpec layers, int epochs, int batch, float learningRate, float clipnorm, long seed, int threads) {
    /** MATLAB's example network and options. */
    public static SequenceTraining matlabVowels(long seed, int threads) {
        return new SequenceTraining(LayerSpec.parse("bilstm:100"), 100, 27, 0.001f, 1f, seed, threads);
    }

    /** The same bounds as {@link TrainingRecipe}'s (and ./lstm train's). */
    public SequenceTraining {
        if (layers == null) throw new IllegalArgumentException("layers must be given (e.g. LayerSpec.parse(\"bilstm:100\"))");
        if (epochs < 1 || epochs > TrainingRecipe.MAX_EPOCHS || batch < 1 || batch > TrainingRecipe.MAX_BATCH || threads < 1 || threads > TrainingRecipe.MAX_THREADS) {
            throw new IllegalArgumentException("epochs (1-" + TrainingRecipe.MAX_EPOCHS + "), batch (1-" + TrainingRecipe.MAX_BATCH + ") and threads (1-"
                    + TrainingRecipe.MAX_THREADS + ") must be in range, got " + epochs + ", " + batch + " and " + threads);
        }
        if (!(learningRate > 0 && learningRate < 1) || !(clipnorm > 0 && Float.isFinite(clipnorm))) {
            throw new IllegalArgumentException("learning rate must be in (0, 1) and clipnorm positive");
        }
    }

    /** A trained model and its epochs; closing it closes the model. */
    public record Trained(Sequential model, History history) implements AutoCloseable {
        @Override public void close() { model.close(); }
    }

    /** Builds, compiles and trains the model on {@code train}; the caller owns (closes) it. */
    public Trained train(NumericSequences train, PrintStream log) {
        return train(train, log, Checkpointing.none());
    }

    /** What keys this training in a checkpoint ({@link Checkpointing}): every setting but the threads. */
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("layers", layers.toString());
        s.put("epochs", Integer.toString(epochs));
        s.put("batch", Integer.toString(batch));
        s.put("learning-rate", Float.toString(learningRate));
        s.put("clipnorm", Float.toString(clipnorm));
        s.put("seed", Long.toString(seed));
        return s;
    }

    /** {@link #train(NumericSequences, PrintStream)}, writing (and resuming from) a checkpoint after every epoch. */
    public Trained train(NumericSequences train, PrintStream log, Checkpointing checkpoint) {
        if (train == null || log == null) throw new IllegalArgumentException("train needs the sequences and a log stream (System.out, or a null stream)");
        List<Layer> stack = new ArrayList<>();
        stack.add(new Input(Shape.VARIABLE, train.features()));
        stack.addAll(layers.layers());
        stack.add(new Dense(train.labelNames().size(), "softmax"));
        Sequential model = new Sequential(stack.toArray(Layer[]::new)).seed(seed).threads(threads);
        try {
            // MATLAB's Adam: epsilon 1e-8 (Keras' default is 1e-7).
            model.compile("sparse_categorical_crossentropy", new Adam(learningRate, 0.9f, 0.999f, 1e-8f).clipnorm(clipnorm), "accuracy");
            log.print(model.summary());
            // Sequences all of one length have nothing to sort: MATLAB's recipe then keeps the file's order.
            boolean sort = lengthsVary(train.x());
            log.printf(Locale.ROOT, "training %d %s of %d sequences, batch %d, %s; Adam, learning rate %s, clipnorm %s%n",
                    epochs, epochs == 1 ? "epoch" : "epochs", train.size(), batch, sort ? "sorted by length" : "in file order", learningRate, clipnorm);
            // Epochs 1, 10, 20, ... and the last, each as it ends (100 epochs take minutes). A resumed run first
            // shows the interrupted run's, once fit has accepted its state: a refused one said "Resumed" before its error.
            Consumer<History.Epoch> line = e -> {
                if (e.epoch() == 1 || e.epoch() % 10 == 0 || e.epoch() == epochs) {
                    log.printf(Locale.ROOT, "epoch %3d: loss %.4f, accuracy %.4f (%.2fs)%n", e.epoch(), e.loss(), e.accuracy(), e.seconds());
                }
            };
            String note = checkpoint.resumedNote(epochs);
            List<History.Epoch> before = checkpoint.resumedEpochs();  // read now: fit takes the state over
            boolean[] noted = {note == null};
            Runnable sayResumed = () -> {
                if (noted[0]) return;
                noted[0] = true;
                log.println(note);
                before.forEach(line);
            };
            History h;
            try {
                h = model.fit(train.x(), targets(train), checkpoint.apply(new FitOptions().epochs(epochs).batchSize(batch)
                        .sortByLength(sort).shuffle(false).verbose(false).onEpochEnd(e -> {
                            sayResumed.run();
                            line.accept(e);
                        })));
            } catch (TrainingState.Refused e) {
                throw checkpoint.refused(e);
            }
            sayResumed.run();  // every epoch was done before: no new one said it
            return new Trained(model, h);
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /** Class indices as the float targets sparse categorical cross-entropy takes. */
    public static float[] targets(NumericSequences data) {
        int[] labels = data.labels();
        float[] y = new float[labels.length];
        for (int i = 0; i < y.length; i++) y[i] = labels[i];
        return y;
    }

    private static boolean lengthsVary(float[][][] x) {
        for (float[][] s : x) if (s.length != x[0].length) return true;
        return false;
    }
}
