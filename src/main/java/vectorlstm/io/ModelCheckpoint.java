package vectorlstm.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vectorlstm.model.EarlyStopping;
import vectorlstm.model.History;
import vectorlstm.model.TrainingState;

/**
 * Keras' {@code ModelCheckpoint}, for {@link vectorlstm.model.FitOptions#checkpoint}: after every
 * epoch it saves the model as a model file (with its vocabulary, labels and the history so far),
 * or with {@code saveBestOnly} only after an epoch whose {@code monitor} beats every earlier
 * epoch of the fit. {@code {epoch}} or {@code {epoch:0Nd}} in the file name becomes the epoch's
 * number, as in Keras' {@code filepath}; without it each save replaces the last, through a
 * temporary file and a rename ({@link ModelFile#save}), so a crash leaves the previous save whole.
 *
 * <p>The best so far is read from the history the fit hands over, not kept here: a fit resumed
 * from a checkpoint file compares with the epochs before the interruption too, and one instance
 * serves any number of fits, each judged on its own epochs (Keras keeps one best per callback
 * object instead). An epoch whose quantity is NaN is never the best. With {@code saveBestOnly},
 * monitoring a validation quantity in a fit without validation data ends the fit after its first
 * epoch with an {@link IllegalArgumentException} that says so (Keras only warns, and saves nothing).
 *
 * <p>Compose it with a {@link CheckpointFile} saver through {@link Consumer#andThen}.
 */
public final class ModelCheckpoint implements Consumer<TrainingState> {
    private static final Pattern EPOCH = Pattern.compile("\\{epoch(?::0([1-9]\\d?)d)?}");

    private final SavedModel saved;
    private final String filepath;
    private final EarlyStopping monitor;
    private final boolean saveBestOnly;

    /**
     * @param saved        the model to save and what goes with it (vocabulary, labels, length); the history is each epoch's
     * @param filepath     where to save; {@code {epoch}} or {@code {epoch:0Nd}} (N up to 99) is the epoch number, other braces are refused
     * @param monitor      "val_loss", "val_accuracy", "loss" or "accuracy" (or Keras' "val_acc", "acc"); lower loss, higher accuracy is better
     * @param saveBestOnly save only when the epoch improves on every earlier one (Keras' {@code save_best_only})
     */
    public ModelCheckpoint(SavedModel saved, String filepath, String monitor, boolean saveBestOnly) {
        if (saved == null) throw new IllegalArgumentException("ModelCheckpoint needs the model to save");
        if (filepath == null || filepath.isBlank()) throw new IllegalArgumentException("ModelCheckpoint needs a file name");
        String rest = EPOCH.matcher(filepath).replaceAll("");
        if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
            throw new IllegalArgumentException("ModelCheckpoint's file name may hold {epoch} or {epoch:02d}, nothing else in braces: " + filepath);
        }
        this.saved = saved;
        this.filepath = filepath;
        this.monitor = new EarlyStopping(EarlyStopping.monitorName("ModelCheckpoint", monitor), 0, 0, false);
        this.saveBestOnly = saveBestOnly;
    }

    /** Keras' defaults: watches val_loss, saves after every epoch. */
    public ModelCheckpoint(SavedModel saved, String filepath) {
        this(saved, filepath, "val_loss", false);
    }

    /** The file the model is saved to after epoch {@code epoch}. */
    public Path path(int epoch) {
        Matcher m = EPOCH.matcher(filepath);
        StringBuilder name = new StringBuilder();
        while (m.find()) {
            String number = m.group(1) == null ? Integer.toString(epoch) : String.format(Locale.ROOT, "%0" + m.group(1) + "d", epoch);
            m.appendReplacement(name, Matcher.quoteReplacement(number));
        }
        return Path.of(m.appendTail(name).toString());
    }

    @Override
    public void accept(TrainingState state) {
        List<History.Epoch> epochs = state.history().epochs();
        History.Epoch last = epochs.getLast();
        if (saveBestOnly && !isBest(epochs)) return;
        ModelFile.save(path(last.epoch()), new SavedModel(saved.model(), saved.tokenizer(), saved.preprocessing(), saved.labels(), saved.maxlen(),
                state.history()));
    }

    /** Whether the last epoch beats every earlier one on the monitored quantity. */
    private boolean isBest(List<History.Epoch> epochs) {
        double current = monitor.value(epochs.getLast());
        if (Double.isNaN(current)) {
            if (monitor.monitor().startsWith("val_") && epochs.stream().allMatch(e -> Double.isNaN(monitor.value(e)))) {
                throw new IllegalArgumentException("ModelCheckpoint monitors " + monitor.monitor()
                        + ", but the fit has no validation data (FitOptions.validationSplit or validationData)");
            }
            return false;
        }
        for (History.Epoch e : epochs.subList(0, epochs.size() - 1)) {
            double earlier = monitor.value(e);
            if (!Double.isNaN(earlier) && !monitor.improves(current, earlier)) return false;
        }
        return true;
    }
}
