package vectorlstm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import vectorlstm.classifier.Checkpointing;
import vectorlstm.io.AtomicFile;
import vectorlstm.io.ModelFile;

/**
 * Where {@code ./lstm train} writes: {@code --save} and {@code --checkpoint}, both checked before
 * any data is read, so that a bad name costs no training and nothing the user has is replaced; the
 * checkpoint is removed once the model is saved.
 */
final class TrainOutputs {
    private final Path save;
    private final Path checkpoint;
    private final boolean force;
    private final Streams io;

    /** @param checkpoint null without --checkpoint */
    TrainOutputs(Path save, Path checkpoint, boolean force, Streams io) {
        this.save = save;
        this.checkpoint = checkpoint;
        this.force = force;
        this.io = io;
    }

    /**
     * --save must not destroy anything the user has: not a folder, not this run's {@code inputs}
     * (its data and vectors; null entries skipped), and no existing file that is not a model
     * (unless --force). Checked before training, not after. (A device, pipe or socket is refused
     * by the write check, as the save itself refuses it: {@link AtomicFile#checkCanWrite}.)
     */
    void checkSave(Path... inputs) throws IOException {
        OutputFiles.checkNameLength("--save", save);  // first: an empty name is the current folder to the checks below
        Path target = save.toAbsolutePath();
        if (Files.isDirectory(target)) throw new IllegalArgumentException("--save " + save + " is a folder; give a file name such as " + save.resolve("model.vlstm"));
        OutputFiles.checkFolder("--save", save);
        OutputFiles.checkCanWrite("--save", save);
        if (!Files.exists(target)) return;
        for (Path input : inputs) {
            if (input != null && Files.exists(input) && Files.isSameFile(input, target)) {
                throw new IllegalArgumentException("--save " + save + " is an input of this run (" + input + "); it would be replaced by the model");
            }
            // A data folder's files are inputs too (class folders, aclImdb/, ae.train): --force overwrote them.
            if (input != null && Files.isDirectory(input) && target.toRealPath().startsWith(input.toRealPath())) {
                throw new IllegalArgumentException("--save " + save + " is inside this run's data folder " + input + "; it would replace one of its files (even with --force)");
            }
        }
        if (!force && !ModelFile.isModelFile(target)) {
            throw new IllegalArgumentException("--save " + save + " exists and is not a model file; choose another name, or add --force to replace it");
        }
    }

    /**
     * --checkpoint checked as --save is (a writable place, not a folder), and not --save itself:
     * the saved model would replace the checkpoint, and the next run would find a model there.
     * Read now, before the data: a file of another training is refused before any slow work.
     */
    Checkpointing openCheckpoint(Map<String, String> settings, int threadCount) throws IOException {
        if (checkpoint == null) return Checkpointing.none();
        OutputFiles.checkNameLength("--checkpoint", checkpoint);  // first: an empty name is the current folder to the checks below
        // Not normalized: "lnk/.." is the folder above lnk's target, which only the file system can tell.
        Path target = checkpoint.toAbsolutePath();
        if (Files.isDirectory(target)) throw new IllegalArgumentException("--checkpoint " + checkpoint + " is a folder; give a file name such as " + checkpoint.resolve("training.ckpt"));
        OutputFiles.checkFolder("--checkpoint", checkpoint);
        OutputFiles.checkCanWrite("--checkpoint", checkpoint);
        // Compared where the writes will land (links followed, folders by their real paths): two spellings of one file
        // on a fresh run were taken for two files, and the checkpoint's removal then deleted the model just saved.
        if (AtomicFile.finalTarget(checkpoint).equals(AtomicFile.finalTarget(save))
                || Files.exists(target) && Files.exists(save) && Files.isSameFile(target, save)) {
            throw new IllegalArgumentException("--checkpoint and --save are the same file " + save + ": the model would replace the checkpoint; give the checkpoint its own name");
        }
        return Checkpointing.open(checkpoint, settings, threadCount, io.out().stream());
    }

    /** Runs the training; a checkpoint the file system refused (a full disk) is an output failure, exit 3, as a refused --save is. */
    static <T> T checkpointWrites(Supplier<T> training) {
        try {
            return training.get();
        } catch (Checkpointing.WriteFailed e) {
            throw new Output.Failed(new IOException(e.getMessage(), e.getCause()));
        }
    }

    /** The model is saved: the checkpoint has done its job, and is removed. */
    void saved(Checkpointing checkpointing) {
        if (checkpoint != null) checkpointing.finished();
    }

    /** The line for {@link #saved}, printed after the model's own lines. */
    void sayCheckpointRemoved() {
        if (checkpoint != null) io.out().line("removed checkpoint " + checkpoint + " (the model is saved)");
    }
}
