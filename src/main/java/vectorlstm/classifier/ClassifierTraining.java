package vectorlstm.classifier;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vectorlstm.data.TextDataset;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Layer;
import vectorlstm.model.EarlyStopping;
import vectorlstm.model.Evaluation;
import vectorlstm.model.FitOptions;
import vectorlstm.model.History;
import vectorlstm.model.Optimizer;
import vectorlstm.model.Sequential;
import vectorlstm.model.TrainingDiverged;
import vectorlstm.model.TrainingState;
import vectorlstm.text.Json;
import vectorlstm.text.PadSequences;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.text.Tokenizer;
import vectorlstm.text.vectors.EmbeddingMatrix;
import vectorlstm.text.vectors.PretrainedVectors;

/**
 * Labelled texts in, a trained {@link TextClassifier} out, following a {@link TrainingRecipe}:
 * the tokenizer is fitted on the training part only, texts are pre-padded to maxlen, and HTML
 * line breaks become spaces (recorded in the classifier, so scoring treats texts the same way).
 */
public final class ClassifierTraining {
    /** The classifier and how it did on the held-out validation part (null with a validation split of 0). */
    public record Result(TextClassifier classifier, History history, Evaluation validation) {}

    private static final TextPreprocessing PREPROCESSING = TextPreprocessing.HTML_LINE_BREAKS;

    private ClassifierTraining() {}

    /** The labels as the log names them: all of them up to 20, else the first 20 and how many more. */
    static String labelList(List<String> labels) {
        if (labels.size() <= 20) return "labels " + labels;
        return labels.size() + " labels [" + String.join(", ", labels.subList(0, 20)) + ", ...]";
    }

    /**
     * Said, not refused: labels no training text carries (held out whole by the validation split: a
     * class the model can never learn, which the binary case refuses), and data with about as many
     * labels as texts (most often the text and label columns swapped: 200 rows trained as 200
     * classes, at accuracy 0).
     */
    private static void warnAboutLabels(TextDataset train, List<String> labels, PrintStream log) {
        boolean[] seen = new boolean[labels.size()];
        for (int l : train.labels()) seen[l] = true;
        List<String> unseen = new java.util.ArrayList<>();
        for (int i = 0; i < seen.length; i++) if (!seen[i]) unseen.add(labels.get(i));
        if (!unseen.isEmpty()) {
            log.printf(Locale.ROOT, "warning: %d label%s no training text: %s; the model cannot learn %s (more data, or a smaller --validation-split)%n",
                    unseen.size(), unseen.size() == 1 ? " has" : "s have", labelList(unseen).replaceFirst("^([0-9]+ )?labels ", ""),
                    unseen.size() == 1 ? "it" : "them");
        }
        if (labels.size() > 2 && labels.size() * 2 > train.size()) {
            log.printf(Locale.ROOT, "warning: %d labels for %d training texts: most labels have one text or none (are --text-column and --label-column the right way round?)%n",
                    labels.size(), train.size());
        }
    }

    public static Result train(TextDataset all, TrainingRecipe r, PrintStream log) {
        return train(all, r, log, Checkpointing.none());
    }

    /**
     * {@link #train(TextDataset, TrainingRecipe, PrintStream)}, writing the training state to a
     * checkpoint after every epoch and resuming from it when it holds this training's (open it
     * with {@link TrainingRecipe#settings}; call {@link Checkpointing#finished} once the model is saved).
     */
    public static Result train(TextDataset all, TrainingRecipe r, PrintStream log, Checkpointing checkpoint) {
        if (all.labelMap().size() < 2) {
            throw new IllegalArgumentException("the training data has a single label " + all.labelMap().labels() + ": a classifier needs at least two");
        }
        if (java.util.Arrays.stream(all.labels()).distinct().count() < 2) {
            // A label map can name labels no text carries (IMDB's is always neg, pos): the texts decide.
            throw new IllegalArgumentException(all.size() == 0 ? "the training data holds no text"
                    : "all " + all.size() + " training texts carry one label, " + Json.quoteShort(all.labelMap().label(all.label(0)), 60)
                    + ": a classifier needs texts of at least two labels");
        }
        // Keras' validation_split=0: every text trains, nothing is held out (no epoch is chosen on it then).
        TextDataset.Split split = r.validationSplit() > 0 ? all.split(r.validationSplit(), r.seed()) : null;
        TextDataset train = split == null ? all : split.train(), validation = split == null ? null : split.validation();
        log.printf(Locale.ROOT, "data: %d training and %d validation texts, %s%n", train.size(), validation == null ? 0 : validation.size(),
                labelList(all.labelMap().labels()));
        if (split != null && java.util.Arrays.stream(train.labels()).distinct().count() < 2) {
            throw new IllegalArgumentException("the validation split " + r.validationSplit() + " leaves " + train.size()
                    + " training text(s), all of one label: a classifier needs at least two; hold out less");
        }
        warnAboutLabels(train, all.labelMap().labels(), log);

        Tokenizer tokenizer = Tokenizer.builder().numWords(r.numWords()).build();
        List<String> trainTexts = train.texts().stream().map(PREPROCESSING::apply).toList();
        tokenizer.fitOnTexts(trainTexts);
        int[][] xTrain = PadSequences.pad(tokenizer.textsToSequences(trainTexts), r.maxlen());
        int[][] xVal = validation == null ? null
                : PadSequences.pad(tokenizer.textsToSequences(validation.texts().stream().map(PREPROCESSING::apply).toList()), r.maxlen());
        checkpoint.keyData("vocabulary", Checkpointing.vocabularyDigest(tokenizer.wordIndex()));
        log.printf(Locale.ROOT, "tokenizer: %,d distinct words, keeping ids below %,d; sequences padded to %d%n",
                tokenizer.wordIndex().size(), r.numWords(), r.maxlen());
        if (tokenizer.wordIndex().isEmpty()) {
            throw new IllegalArgumentException("the training texts hold no word to learn from (" + tokenizer.wordIndex().size()
                    + " distinct words, keeping ids below " + r.numWords() + "): every text would be all padding");
        }

        boolean binary = all.labelMap().isBinary();
        List<Layer> stack = new ArrayList<>();
        stack.add(embedding(tokenizer, r, log).maskZero(r.maskZero()));
        stack.addAll(r.layers().layers());
        stack.add(binary ? new Dense(1, "sigmoid") : new Dense(all.labelMap().size(), "softmax"));
        Sequential model = new Sequential(stack.toArray(Layer[]::new)).seed(r.seed()).threads(r.threads());
        try {
            Optimizer optimizer = r.optimizer().optimizer((xTrain.length + r.batch() - 1) / r.batch(), r.epochs());
            model.compile(binary ? "binary_crossentropy" : "sparse_categorical_crossentropy", optimizer, "accuracy");
            // Before the epochs: a model no file could hold is refused now, not after training.
            ModelFile.checkLoadable(new SavedModel(model, tokenizer, PREPROCESSING, all.labelMap().labels(), r.maxlen()));
            log.print(model.summary());
            FitOptions options = new FitOptions().epochs(r.epochs()).batchSize(r.batch()).log(log).terminal(r.terminal())
                    .earlyStopping(r.earlyStopping() ? new EarlyStopping(r.monitor(), r.patience(), 0, true) : null)
                    .reduceLrOnPlateau(r.optimizer().reduceLrOnPlateau(r.monitor()));
            if (validation != null) options.validationData(xVal, validation.targets());
            if (r.classWeight() != null) {
                Map<Integer, Double> weights = r.classWeight().byClass(all.labelMap().labels(), train.labels());
                options.classWeight(weights);
                log.println("class weights: " + ClassWeighting.describe(weights, all.labelMap().labels()));
            }
            History h;
            try {
                h = model.fit(xTrain, train.targets(), checkpoint.apply(options));
            } catch (TrainingState.Refused e) {
                throw checkpoint.refused(e);
            }
            Evaluation v = validation == null ? null : model.evaluate(xVal, validation.targets(), r.batch());
            return new Result(TextClassifier.of(new SavedModel(model, tokenizer, PREPROCESSING, all.labelMap().labels(), r.maxlen(), h)), h, v);
        } catch (TrainingDiverged d) {
            model.close();
            throw d.history() != null && d.history().restoredEpoch() > 0
                    ? d.discarded("nothing was saved: train again with a lower --learning-rate, --clipnorm, or --epochs " + d.history().restoredEpoch()) : d;
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /** Keras' initialisation, or the pre-trained vectors of the tokenizer's words. */
    private static Embedding embedding(Tokenizer tokenizer, TrainingRecipe r, PrintStream log) {
        if (r.vectors() == null) return new Embedding(r.numWords(), r.embeddingDim(), r.maxlen());
        long t0 = System.nanoTime();
        EmbeddingMatrix m = PretrainedVectors.load(r.vectors(), tokenizer.wordIndex(), r.numWords(), r.missingWords(), r.seed());
        log.printf(Locale.ROOT, "embeddings: %s, %d-d: %s (%.1fs)%n", r.vectors(), m.dim(), m.coverageLine(), (System.nanoTime() - t0) / 1e9);
        if (!m.missingExamples().isEmpty()) log.println("  missing, e.g.: " + m.missingExamplesLine());
        return new Embedding(r.numWords(), m.dim(), r.maxlen()).initialWeights(m.values()).trainable(r.vectorsTrainable()).learningRateScale(r.lrScale());
    }

}
