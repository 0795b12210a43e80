package vectorlstm.classifier;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import vectorlstm.io.CheckpointFile;
import vectorlstm.io.ModelFileException;
import vectorlstm.model.FitOptions;
import vectorlstm.model.TrainingState;

/**
 * A training's checkpoint file ({@code ./lstm train --checkpoint FILE}), as Keras'
 * {@code BackupAndRestore}: the training state is written to the file after every epoch; when
 * the file already holds the state of this same training (the same settings, an interrupted
 * run), training goes on from there, and ends as the uninterrupted run would have; when the run
 * finishes, the file is removed. A file of another training, a damaged one, or one that is not a
 * checkpoint is refused, never overwritten.
 */
public final class Checkpointing {
    private final Path file;
    private final Map<String, String> settings;
    private final TrainingState resumeFrom;

    private Checkpointing(Path file, Map<String, String> settings, TrainingState resumeFrom) {
        this.file = file;
        this.settings = settings;
        this.resumeFrom = resumeFrom;
    }

    /** No checkpoint: train from the start, write nothing. */
    public static Checkpointing none() { return new Checkpointing(null, Map.of(), null); }

    /**
     * Opens {@code file} for a training with these settings (they key the training; the thread
     * count is not one of them), reading the state to resume from when the file exists. Cheap
     * next to training: call it before the data is read.
     *
     * @throws IllegalArgumentException the file belongs to another training, is damaged, or is not a checkpoint
     */
    public static Checkpointing open(Path file, Map<String, String> settings, int threads, PrintStream log) {
        if (!Files.exists(file)) return new Checkpointing(file, Map.copyOf(settings), null);
        if (!CheckpointFile.isCheckpoint(file)) {
            throw new IllegalArgumentException("--checkpoint " + file + " exists and is not a vector-lstm checkpoint: it is not replaced; choose another name");
        }
        CheckpointFile.Checkpoint read;
        try {
            read = CheckpointFile.load(file);
        } catch (ModelFileException e) {
            throw new IllegalArgumentException("cannot resume: " + e.getMessage() + "; remove it to train from the start", e);
        }
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> s : settings.entrySet()) {
            String then = read.context().get(s.getKey());
            if (!s.getValue().equals(then)) differences.add(s.getKey() + " " + (then == null ? "not set" : then) + " there, " + s.getValue() + " now");
        }
        for (String key : read.context().keySet()) if (!settings.containsKey(key)) differences.add(key + " " + read.context().get(key) + " there, not set now");
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("--checkpoint " + file + " holds another training's state (" + String.join("; ", differences)
                    + "): run the command that wrote it to resume, or remove the file to train from the start");
        }
        TrainingState state = read.state();
        log.println("checkpoint " + file + ": resuming after epoch " + state.epochsDone()
                + (state.threads() == threads ? "" : " (it trained on " + state.threads() + " threads, this run on " + threads
                        + ": it goes on, but not to the bits of an uninterrupted run)"));
        return new Checkpointing(file, Map.copyOf(settings), state);
    }

    /** {@code options} with the checkpoint written after every epoch and, when there is one, the state to resume from. */
    FitOptions apply(FitOptions options) {
        if (file == null) return options;
        return options.checkpoint(s -> {
            try {
                CheckpointFile.save(file, s, settings);
            } catch (UncheckedIOException e) {
                throw new WriteFailed(e);
            }
        }).resume(resumeFrom);
    }

    /** The checkpoint could not be written (a full disk): the training stops, the previous checkpoint is whole. */
    public static final class WriteFailed extends UncheckedIOException {
        WriteFailed(UncheckedIOException e) { super(e.getMessage(), e.getCause()); }
    }

    /** The run finished and its model is saved: the checkpoint has done its job (Keras removes its backup too). */
    public void finished() {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("the model is saved, but the checkpoint " + file + " could not be removed: " + e.getMessage(), e);
        }
    }

    public Path file() { return file; }
}
