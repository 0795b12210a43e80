package vectorlstm.classifier;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vectorlstm.io.AtomicFile;
import vectorlstm.io.CheckpointFile;
import vectorlstm.io.ModelFile;
import vectorlstm.io.ModelFileException;
import vectorlstm.model.FitOptions;
import vectorlstm.model.History;
import vectorlstm.model.TrainingState;

/**
 * A training's checkpoint file ({@code ./lstm train --checkpoint FILE}), as Keras'
 * {@code BackupAndRestore}: the training state is written to the file after every epoch; when
 * the file already holds the state of this same training (the same settings and data, an
 * interrupted run), training goes on from there, and ends as the uninterrupted run would have;
 * when the run finishes, the file is removed. A file of another training, a damaged one, or one
 * that is not a checkpoint is refused, never overwritten.
 *
 * <p>The file records the settings and what the data made of them (the vocabulary): the settings
 * are compared when it is opened, before the data is read; the vocabulary once the tokenizer
 * has it ({@link #keyData}); the samples, labels and frozen weights by {@code fit} itself.
 */
public final class Checkpointing {
    private final Path file;
    /** What this run writes with its states: the settings, then the data's keys as they come. */
    private final Map<String, String> context;
    private final Map<String, String> stored;
    /** The state to resume from until {@link #apply} hands it to the fit (which lets it go once applied). */
    private TrainingState resumeFrom;
    /** The epoch the state was written after; 0 when the run started afresh. */
    private final int resumedAfter;

    private Checkpointing(Path file, Map<String, String> settings, Map<String, String> stored, TrainingState resumeFrom) {
        this.file = file;
        this.context = new LinkedHashMap<>(settings);
        this.stored = stored;
        this.resumeFrom = resumeFrom;
        this.resumedAfter = resumeFrom == null ? 0 : resumeFrom.epochsDone();
    }

    /** No checkpoint: train from the start, write nothing. */
    public static Checkpointing none() { return new Checkpointing(null, Map.of(), Map.of(), null); }

    /**
     * Opens {@code file} for a training with these settings (they key the training; the thread
     * count is not one of them), reading the state to resume from when the file exists. Cheap
     * next to training: call it before the data is read.
     *
     * @throws IllegalArgumentException the file belongs to another training, is damaged, or is not a checkpoint
     */
    public static Checkpointing open(Path file, Map<String, String> settings, int threads, PrintStream log) {
        if (file == null) throw new IllegalArgumentException("no checkpoint file given (null)");
        if (!Files.exists(file)) return new Checkpointing(file, settings, Map.of(), null);
        // Only a file that does not even begin as a checkpoint is someone else's; a damaged checkpoint is the load's to name.
        if (!CheckpointFile.isCheckpoint(file)) {
            throw new IllegalArgumentException("--checkpoint " + file + " exists and is not a vector-lstm checkpoint: it is not replaced; choose another name");
        }
        CheckpointFile.Checkpoint read;
        try {
            read = CheckpointFile.load(file);
        } catch (CheckpointFile.TooLarge | ModelFile.Shrank e) {  // the file may be fine: the heap is short, or a writer is not done
            throw new IllegalArgumentException("cannot resume: " + e.getMessage(), e);
        } catch (ModelFileException e) {
            throw new IllegalArgumentException("cannot resume: " + e.getMessage() + "; remove it to train from the start", e);
        }
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> s : settings.entrySet()) {
            String then = read.context().get(s.getKey());
            if (!s.getValue().equals(then)) differences.add(s.getKey() + " " + (then == null ? "not set" : then) + " there, " + s.getValue() + " now");
        }
        for (String key : read.context().keySet()) {
            if (!settings.containsKey(key) && !DATA_KEYS.contains(key)) differences.add(key + " " + read.context().get(key) + " there, not set now");
        }
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("--checkpoint " + file + " holds another training's state (" + String.join("; ", differences)
                    + "): run the command that wrote it to resume, or remove the file to train from the start");
        }
        TrainingState state = read.state();
        if (state.threads() != threads) {
            log.println("note: checkpoint " + file + " was written by a run on " + state.threads() + (state.threads() == 1 ? " thread" : " threads") + ", this one uses " + threads
                    + ": training goes on from it, but not to the bits of an uninterrupted run");
        }
        return new Checkpointing(file, settings, read.context(), state);
    }

    /** Keys of the context that the data makes, compared by {@link #keyData} (not by {@link #open}). */
    private static final List<String> DATA_KEYS = List.of("vocabulary");

    /**
     * Records what the data made (the tokenizer's vocabulary: {@link #vocabularyDigest}) in the
     * checkpoints this run writes, and refuses to resume from a state whose run had another.
     */
    void keyData(String key, String value) {
        if (!DATA_KEYS.contains(key)) throw new IllegalArgumentException("not a data key: " + key);
        if (file == null) return;
        context.put(key, value);
        if (resumedAfter > 0 && !value.equals(stored.get(key))) {
            throw new IllegalArgumentException("--checkpoint " + file + " cannot be resumed here: its training's texts made another " + key
                    + " (other data?); remove it to train from the start");
        }
    }

    /** The epochs of the interrupted run this one goes on from (none when it started afresh); read before {@link #apply}, which hands the state over. */
    public List<History.Epoch> resumedEpochs() {
        return resumeFrom == null ? List.of() : resumeFrom.history().epochs();
    }

    /**
     * For a log of epoch lines (numeric sequences), the line ahead of the interrupted run's
     * ({@link #resumedEpochs}): "Resumed after epoch k of n from --checkpoint F; epochs 1-k below
     * are the interrupted run's"; null when the run started afresh.
     */
    public String resumedNote(int epochs) {
        return resumedAfter == 0 ? null : "Resumed after epoch " + resumedAfter + " of " + epochs + " from --checkpoint " + file
                + "; epoch" + (resumedAfter == 1 ? " 1" : "s 1-" + resumedAfter) + " below " + (resumedAfter == 1 ? "is" : "are") + " the interrupted run's";
    }

    /** {@code fit}'s refusal of the state, said of the file, with what to do. */
    IllegalArgumentException refused(TrainingState.Refused e) {
        return new IllegalArgumentException("--checkpoint " + file + " cannot be resumed here: " + e.reason() + "; remove it to train from the start", e);
    }

    /** A digest of a tokenizer's words and their ids, in id order. */
    static String vocabularyDigest(Map<String, Integer> wordIndex) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            wordIndex.entrySet().stream().sorted(Map.Entry.comparingByValue())
                    .forEach(e -> sha.update((e.getValue() + "\t" + e.getKey() + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@code options} with the checkpoint written after every epoch and, when there is one, the state to resume from. */
    FitOptions apply(FitOptions options) {
        if (file == null) return options;
        TrainingState state = resumeFrom;
        resumeFrom = null;  // the options hold it now, and the fit lets it go once applied
        return options.checkpoint(s -> {
            try {
                CheckpointFile.save(file, s, context);
            } catch (UncheckedIOException e) {
                throw new WriteFailed(e);
            }
        }).resume(state);
    }

    /** The checkpoint could not be written (a full disk): the training stops, the previous checkpoint is whole. */
    public static final class WriteFailed extends UncheckedIOException {
        WriteFailed(UncheckedIOException e) { super(e.getMessage(), e.getCause()); }
    }

    /** The run finished and its model is saved: the checkpoint has done its job (Keras removes its backup too). */
    public void finished() {
        if (file == null) return;
        try {
            AtomicFile.delete(file);  // the file written, not a link the user made to it
        } catch (IOException e) {
            throw new UncheckedIOException("the model is saved, but the checkpoint " + file + " could not be removed: " + e.getMessage(), e);
        }
    }

    public Path file() { return file; }
}
