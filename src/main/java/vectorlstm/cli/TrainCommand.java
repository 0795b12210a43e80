package vectorlstm.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vectorlstm.classifier.Checkpointing;
import vectorlstm.classifier.ClassifierTraining;
import vectorlstm.classifier.OptimizerSpec;
import vectorlstm.classifier.LayerSpec;
import vectorlstm.classifier.SequenceTraining;
import vectorlstm.data.imdb.HttpDownloader;
import vectorlstm.data.imdb.ImdbLocator;
import vectorlstm.data.vowels.JapaneseVowels;
import vectorlstm.data.vowels.VowelsLocator;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;
import vectorlstm.model.Evaluation;
import vectorlstm.model.Sequential;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.classifier.ClassWeighting;
import vectorlstm.classifier.TrainingRecipe;
import vectorlstm.data.TextDataset;
import vectorlstm.model.History;
import vectorlstm.text.vectors.MissingWords;
import vectorlstm.text.vectors.VectorFileException;
import vectorlstm.text.vectors.VectorFormat;

/**
 * {@code ./lstm train}: labelled texts → a text classifier saved to one file (see
 * {@link ClassifierTraining}). Every flag and the {@code --save} target are checked before the
 * slow work starts.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a classifier on labelled texts or numeric sequences and save it to one file.",
                "Texts: Embedding -> the --layers stack (LSTM, GRU, bidirectional, pooling) -> Dense. Numeric sequences "
                        + "(--format japanese-vowels): MATLAB's recipe, --layers bilstm:100, 100 epochs, batch 27, Adam at a constant 0.001; "
                        + "--layers, --epochs, --batch, --learning-rate, --clipnorm, --seed and --threads change it, the other flags are refused."})
final class TrainCommand implements Callable<Integer> {
    private final Streams io;

    @Mixin DatasetOptions dataset;

    @Option(names = "--save", required = true, paramLabel = "MODEL",
            description = "the model file to write; an existing file is replaced only if it is a model file (or with --force)")
    Path save;

    @Option(names = "--force", description = "replace --save even if it is not a model file")
    boolean force;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "write the training state to FILE after every epoch; when FILE holds this same training's state (an interrupted run), "
                    + "go on from there; removed when the model is saved")
    Path checkpoint;

    @Option(names = "--embeddings", paramLabel = "FILE", description = "pre-trained word vectors: .vec, .vec.gz, .txt (GloVe) or .bin (word2vec)")
    Path embeddings;

    @Option(names = "--embeddings-trainable", arity = "1", paramLabel = "true|false", description = "fine-tune the pre-trained vectors (default: true)")
    Boolean embeddingsTrainable;

    @Option(names = "--missing-words", paramLabel = "random|zeros", description = "rows of words without a vector (default: random)")
    String missingWords;

    @Option(names = "--embeddings-learning-rate-scale", paramLabel = "F", description = "learning-rate multiplier of the pre-trained table (default: 1.0)")
    Double lrScale;

    @Option(names = "--embedding-dim", paramLabel = "N", description = "width of a learned embedding (default: 32)")
    Integer embeddingDim;

    @Option(names = "--num-words", defaultValue = "20000", paramLabel = "N", description = "keep the N-1 most frequent words (default: ${DEFAULT-VALUE})")
    int numWords;

    @Option(names = "--maxlen", defaultValue = "500", paramLabel = "N", description = "pad/truncate texts to N words (default: ${DEFAULT-VALUE})")
    int maxlen;

    @Option(names = "--units", paramLabel = "N", description = "LSTM units, at most " + TrainingRecipe.MAX_UNITS + " (default: 100); --layers sets any other stack")
    Integer units;

    @Option(names = "--layers", paramLabel = "SPEC", description = "the layers between embedding and head, comma-separated: lstm:N[:seq], bilstm:N[:seq][:concat|sum|ave|mul], "
            + "gru:N[:seq], bigru:N[:seq][:merge], each recurrent item also [:dropout=R][:recurrent_dropout=R]; dropout:R, maxpool, avgpool (default: lstm:100; bilstm:100 with --format japanese-vowels)")
    String layers;

    @Option(names = "--mask-zero", arity = "1", paramLabel = "true|false", description = "mask the padding for the layers (default: true with a bilstm or bigru, else false)")
    String maskZeroFlag;

    @Option(names = "--epochs", defaultValue = "5", paramLabel = "N", description = "at most N epochs (default: ${DEFAULT-VALUE}; 100 with --format japanese-vowels)")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "N", description = "batch size (default: ${DEFAULT-VALUE}; 27 with --format japanese-vowels)")
    int batch;

    @Option(names = "--validation-split", defaultValue = "0.1", paramLabel = "F", description = "held-out fraction, 0 for none (Keras' default; then no early stopping) (default: ${DEFAULT-VALUE})")
    double validationSplit;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "adam|sgd|rmsprop|adamw", description = "the optimizer, with Keras' defaults (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--learning-rate", paramLabel = "F", description = "the optimizer's learning rate (default: Keras', 0.01 for sgd, 0.001 for the others)")
    Double learningRate;

    @Option(names = "--momentum", paramLabel = "F", description = "sgd or rmsprop momentum, in [0, 1) (default: 0)")
    Double momentum;

    @Option(names = "--nesterov", description = "Nesterov momentum (sgd with --momentum)")
    boolean nesterov;

    @Option(names = "--weight-decay", paramLabel = "F", description = "adamw's decoupled weight decay (default: " + OptimizerSpec.ADAMW_WEIGHT_DECAY + ")")
    Double weightDecay;

    @Option(names = "--clipnorm", paramLabel = "F", description = "gradient norm clip per weight (default: 1.0; none with --clipvalue)")
    Double clipnorm;

    @Option(names = "--clipvalue", paramLabel = "F", description = "clip every gradient element to [-F, F] instead of --clipnorm")
    Double clipvalue;

    @Option(names = "--lr-schedule", defaultValue = "cosine", paramLabel = "constant|step:EPOCHS:FACTOR|cosine|plateau:PATIENCE:FACTOR",
            description = "learning rate over time: constant; times FACTOR every EPOCHS epochs; cosine decay to 0 over all epochs; "
                    + "times FACTOR after PATIENCE epochs without improvement of --monitor (default: ${DEFAULT-VALUE})")
    String lrSchedule;

    @Option(names = "--early-stopping", arity = "1", paramLabel = "true|false",
            description = "stop after --patience epochs without improvement of --monitor and keep the best epoch; "
                    + "false (the default, measured steadier with the cosine schedule) trains every epoch and keeps the last")
    String earlyStoppingFlag;

    @Option(names = "--patience", defaultValue = "2", paramLabel = "N", description = "early stopping patience in epochs, with --early-stopping true (default: ${DEFAULT-VALUE})")
    int patience;

    @Option(names = "--monitor", defaultValue = "val_accuracy", paramLabel = "val_accuracy|val_loss", description = "what early stopping (and --lr-schedule plateau) watches (default: ${DEFAULT-VALUE})")
    String monitor;

    @Option(names = "--seed", defaultValue = "7", paramLabel = "N", description = "seed of weights, split and shuffling (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--class-weight", paramLabel = "balanced|LABEL:W,...",
            description = "Keras' class_weight: each training text's loss times its label's weight (LABEL:W pairs; labels not named weigh 1),"
                    + " or balanced: texts / (labels x the label's texts), so a rare label counts as much as a common one (default: none)")
    String classWeight;

    @Option(names = "--threads", paramLabel = "N", description = "training threads, at most 1024 (default: all cores; more than the cores run, with a note that they gain nothing)")
    Integer threads;

    TrainCommand(Streams io) { this.io = io; }

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // First: an empty --data would be the current folder to the --save checks, and they would blame --save.
        if (dataset.data.isBlank()) throw new IllegalArgumentException("--data needs a non-empty value");
        Checks.seed(seed);
        if (dataset.isJapaneseVowels()) return trainVowels();
        TrainingRecipe recipe = recipe();
        TrainOutputs outputs = new TrainOutputs(save, checkpoint, force, io);
        outputs.checkSave(Path.of(dataset.data), embeddings);
        Checkpointing checkpointing = outputs.openCheckpoint(recipe.settings(), recipe.threads());
        TextDataset all = dataset.load(DatasetOptions.Split.TRAIN, io.err());
        ClassifierTraining.Result r = TrainOutputs.checkpointWrites(() -> ClassifierTraining.train(all, recipe, io.out().stream(), checkpointing));
        try (var classifier = r.classifier()) {
            OutputFiles.saving(() -> classifier.save(save));  // first: a log that could not be written must not cost the trained model
            outputs.saved(checkpointing);  // before any line: a closed stdout must not leave the checkpoint behind
            double seconds = r.history().epochs().stream().mapToDouble(History.Epoch::seconds).sum();
            io.out().line(r.validation() == null
                    ? String.format(Locale.ROOT, "trained %s in %.0fs; no validation split", epochs(r.history().epochs().size()), seconds)
                    : String.format(Locale.ROOT, "trained %s in %.0fs; validation loss %.4f, accuracy %.4f",
                            epochs(r.history().epochs().size()), seconds, r.validation().loss(), r.validation().accuracy()));
            io.out().line("saved " + save);
            outputs.sayCheckpointRemoved();
        }
        return Main.OK;
    }

    /** Flags of text training that the numeric recipe has no place for: given with it, refused rather than ignored. */
    private static final String[] NOT_FOR_VOWELS = {"--embeddings", "--embeddings-trainable", "--missing-words",
        "--embeddings-learning-rate-scale", "--embedding-dim", "--num-words", "--maxlen", "--units", "--mask-zero",
        "--validation-split", "--optimizer", "--momentum", "--nesterov", "--weight-decay", "--clipvalue", "--lr-schedule",
        "--early-stopping", "--patience", "--monitor", "--text-column", "--label-column", "--class-weight"};

    /**
     * Numeric sequences (--format japanese-vowels): MATLAB's example recipe
     * ({@link SequenceTraining#matlabVowels}, Adam with a constant rate); --layers, --epochs,
     * --batch, --learning-rate, --clipnorm, --seed and --threads replace its values when given,
     * and the other training flags are refused. Trains on ae.train, reports ae.test, saves the model.
     */
    private int trainVowels() throws IOException {
        for (String flag : NOT_FOR_VOWELS) {
            if (given(flag)) {
                throw new IllegalArgumentException(flag + " does not apply to --format japanese-vowels (MATLAB's recipe: Adam at a constant rate;"
                        + " it takes --layers, --epochs, --batch, --learning-rate, --clipnorm, --seed and --threads)");
            }
        }
        int threadCount = Checks.threads(threads, io.err());
        SequenceTraining m = SequenceTraining.matlabVowels(seed, threadCount);
        SequenceTraining recipe = new SequenceTraining(layers == null ? m.layers() : LayerSpec.parse(layers),
                given("--epochs") ? Checks.range("--epochs", epochs, 1, 100_000) : m.epochs(),
                given("--batch") ? Checks.range("--batch", batch, 1, 1 << 16) : m.batch(),
                learningRate == null ? m.learningRate() : (float) checkedLearningRate(),
                clipnorm == null ? m.clipnorm() : (float) Checks.between("--clipnorm", clipnorm, 0, 1e9), seed, threadCount);
        TrainOutputs outputs = new TrainOutputs(save, checkpoint, force, io);
        outputs.checkSave(Path.of(dataset.data), null);
        Checkpointing checkpointing = outputs.openCheckpoint(recipe.settings(), threadCount);
        JapaneseVowels data = JapaneseVowels.load(VowelsLocator.locate(dataset.data, System.getenv(), Path.of(""), ImdbLocator.defaultCacheDir(),
                new HttpDownloader(), io.err()));
        PrintStream out = io.out().stream();
        out.printf(Locale.ROOT, "data: %d training and %d test sequences, %d features, labels %s%n",
                data.train().size(), data.test().size(), data.train().features(), data.train().labelNames());
        try (SequenceTraining.Trained trained = TrainOutputs.checkpointWrites(() -> recipe.train(data.train(), out, checkpointing))) {
            Sequential model = trained.model();
            Evaluation test = model.evaluate(data.test().x(), SequenceTraining.targets(data.test()), recipe.batch());
            // With its history, so that plot draws its curves as for a text model.
            OutputFiles.saving(() -> ModelFile.save(save, new SavedModel(model, null, TextPreprocessing.NONE, data.train().labelNames(), 0, trained.history())));
            outputs.saved(checkpointing);
            io.out().line(String.format(Locale.ROOT, "test loss %.4f, test accuracy %.4f (%d sequences)", test.loss(), test.accuracy(), data.test().size()));
            io.out().line("saved " + save);
            outputs.sayCheckpointRemoved();
        }
        return Main.OK;
    }

    private static String epochs(int n) { return n == 1 ? "1 epoch" : n + " epochs"; }

    /** The kind of the first recurrent item of a --layers spec (lstm, gru, bilstm, bigru), for a hint; lstm when there is none. */
    private static String firstRecurrent(String layers) {
        for (String item : layers.split(",")) {
            String kind = item.strip().split(":", 2)[0];
            if (kind.equals("lstm") || kind.equals("gru") || kind.equals("bilstm") || kind.equals("bigru")) return kind;
        }
        return "lstm";
    }

    /** --learning-rate above 0 and finite as a float (Keras takes any such rate: SGD at 1 or more is a rate some recipes use). */
    private double checkedLearningRate() {
        double lr = learningRate;
        if (!(lr > 0) || Float.isInfinite((float) lr)) throw new IllegalArgumentException("--learning-rate must be above 0 and at most a float's largest value (3.4E38), got " + lr);
        if ((float) lr == 0f) throw new IllegalArgumentException("--learning-rate " + lr + " is below the smallest float (about 1.4E-45): it would be 0");
        return lr;
    }

    private boolean given(String option) { return spec.commandLine().getParseResult().hasMatchedOption(option); }

    /** Every flag checked and combined, before any data is read. */
    private TrainingRecipe recipe() {
        if (embeddings == null) {
            if (embeddingsTrainable != null || missingWords != null || lrScale != null) {
                throw new IllegalArgumentException("--embeddings-trainable, --embeddings-learning-rate-scale and --missing-words need --embeddings");
            }
        } else {
            if (embeddingDim != null) throw new IllegalArgumentException("--embedding-dim comes from the --embeddings file");
            // Each case its own words: a pipe (process substitution) was "no such readable file".
            if (!Files.exists(embeddings)) throw new IllegalArgumentException("--embeddings " + embeddings + ": no such file");
            if (!Files.isRegularFile(embeddings)) throw new IllegalArgumentException("--embeddings " + embeddings + ": not a regular file (a device, a pipe or a folder?)");
            if (!Files.isReadable(embeddings)) throw new IllegalArgumentException("--embeddings " + embeddings + ": not readable (permissions?)");
            // The name tells the format: found wrong before the data is read, not after (the Java API takes a VectorFormat instead).
            try {
                VectorFormat.fromFileName(embeddings);
            } catch (VectorFileException e) {
                throw new IllegalArgumentException("--embeddings " + embeddings + ": the name must end in .vec (fastText), .txt (GloVe) or .bin (word2vec),"
                        + " optionally .gz, which tells the format; rename the file");
            }
        }
        MissingWords missing = switch (missingWords == null ? "random" : missingWords.toLowerCase(Locale.ROOT)) {
            case "random" -> MissingWords.RANDOM;
            case "zeros" -> MissingWords.ZEROS;
            default -> throw new IllegalArgumentException("--missing-words must be random or zeros, got '" + missingWords + "'");
        };
        Checks.range("--num-words", numWords, 2, TrainingRecipe.MAX_NUM_WORDS);
        Checks.range("--maxlen", maxlen, 1, ModelFile.MAX_SEQUENCE_LENGTH);
        LayerSpec stack = layerSpec();
        boolean mask = maskZero(stack);
        Checks.range("--epochs", epochs, 1, TrainingRecipe.MAX_EPOCHS);
        Checks.range("--batch", batch, 1, TrainingRecipe.MAX_BATCH);
        Checks.range("--patience", patience, 0, TrainingRecipe.MAX_PATIENCE);
        int dim = Checks.range("--embedding-dim", embeddingDim == null ? 32 : embeddingDim, 1, TrainingRecipe.MAX_EMBEDDING_DIM);
        int threadCount = Checks.threads(threads, io.err());
        if (!(validationSplit >= 0 && validationSplit < 1)) throw new IllegalArgumentException("--validation-split must be in [0, 1), got " + validationSplit);
        double scaleGiven = lrScale == null ? 1.0 : lrScale;
        if (!(scaleGiven > 0 && scaleGiven <= TrainingRecipe.MAX_LR_SCALE)) {
            throw new IllegalArgumentException("--embeddings-learning-rate-scale must be above 0 and at most " + (int) TrainingRecipe.MAX_LR_SCALE + ", got " + scaleGiven);
        }
        float scale = (float) scaleGiven;
        monitor = monitor.toLowerCase(Locale.ROOT);  // as the other choice flags: VAL_LOSS is val_loss
        if (!monitor.equals("val_loss") && !monitor.equals("val_accuracy")) throw new IllegalArgumentException("--monitor must be val_loss or val_accuracy, got '" + monitor + "'");
        // Flags that would do nothing in this run are refused, not ignored.
        boolean stopping = earlyStopping(), plateau = lrSchedule != null && lrSchedule.toLowerCase(Locale.ROOT).startsWith("plateau");
        if (given("--patience") && !stopping) {
            throw new IllegalArgumentException("--patience is early stopping's: add --early-stopping true (the plateau schedule takes its own, plateau:PATIENCE:FACTOR)");
        }
        if (given("--monitor") && !stopping && !plateau) throw new IllegalArgumentException("--monitor is what --early-stopping true or --lr-schedule plateau watches: add one");
        if (lrScale != null && embeddingsTrainable != null && !embeddingsTrainable) {
            throw new IllegalArgumentException("--embeddings-learning-rate-scale applies to embeddings that train: not with --embeddings-trainable false");
        }
        if (plateau && validationSplit == 0) {
            throw new IllegalArgumentException("--lr-schedule plateau watches held-out texts: it needs a --validation-split above 0");
        }
        OptimizerSpec optimizerSpec = optimizerSpec();
        int stepEvery = optimizerSpec.stepEpochs();
        if (stepEvery >= epochs) {  // it trained at a constant rate, without a word
            throw new IllegalArgumentException("--lr-schedule " + lrSchedule + " steps the rate after every " + stepEvery + " epochs, and the run has "
                    + epochs(epochs) + ": the rate would never change (fewer epochs between steps, or constant)");
        }
        return new TrainingRecipe(numWords, maxlen, stack, mask, dim, embeddings, embeddingsTrainable == null || embeddingsTrainable, embeddings == null ? null : missing, scale,
                epochs, batch, validationSplit, optimizerSpec, earlyStopping(), patience, monitor, seed, threadCount, Output.isTerminal(),
                classWeight == null ? null : ClassWeighting.parse(classWeight));
    }

    /** --layers, or one LSTM of --units. */
    private LayerSpec layerSpec() {
        if (layers == null) return LayerSpec.parse("lstm:" + Checks.range("--units", units == null ? 100 : units, 1, TrainingRecipe.MAX_UNITS));
        if (units != null) throw new IllegalArgumentException("--units and --layers both set the layers: give the units in --layers (e.g. " + firstRecurrent(layers) + ":" + units + ")");
        return LayerSpec.parse(layers);
    }

    /**
     * --mask-zero, by default on exactly when a layer reads backwards: reversed, pre-padding comes
     * last, and without the mask it would wash out what the backward layer read.
     */
    private boolean maskZero(LayerSpec stack) {
        if (maskZeroFlag == null) return stack.readsBackwards();
        return switch (maskZeroFlag.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("--mask-zero must be true or false, got '" + maskZeroFlag + "'");
        };
    }

    private boolean earlyStopping() {
        if (earlyStoppingFlag == null) return false;
        return switch (earlyStoppingFlag.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("--early-stopping must be true or false, got '" + earlyStoppingFlag + "'");
        };
    }

    /** --optimizer and its flags; OptimizerSpec checks them and names the flag in its messages. */
    OptimizerSpec optimizerSpec() {
        String name = optimizer.toLowerCase(Locale.ROOT);
        double lr = learningRate == null ? OptimizerSpec.defaultLearningRate(name) : checkedLearningRate();
        double norm = clipnorm != null ? Checks.between("--clipnorm", clipnorm, 0, 1e9) : clipvalue == null ? 1.0 : Double.NaN;
        double value = clipvalue == null ? Double.NaN : Checks.between("--clipvalue", clipvalue, 0, 1e9);
        // Given, even as 0, a flag that does not apply is refused (OptimizerSpec sees only values, and 0 is its default).
        if (momentum != null && !name.equals("sgd") && !name.equals("rmsprop")) throw new IllegalArgumentException("--momentum applies to sgd and rmsprop, not " + name);
        if (weightDecay != null && !name.equals("adamw")) throw new IllegalArgumentException("--weight-decay applies to adamw only (Keras' AdamW), not " + name);
        double decay = weightDecay != null ? weightDecay : name.equals("adamw") ? OptimizerSpec.ADAMW_WEIGHT_DECAY : 0;
        return new OptimizerSpec(name, (float) lr, momentum == null ? 0f : momentum.floatValue(), nesterov, (float) decay,
                (float) norm, (float) value, lrSchedule);
    }

}
