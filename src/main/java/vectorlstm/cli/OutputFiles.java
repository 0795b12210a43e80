package vectorlstm.cli;

import java.nio.file.Path;

/** Checks of output files a command is about to write, before any slow work. */
final class OutputFiles {
    private OutputFiles() {}

    /**
     * {@code --out} must be a new file or a regular file in an existing, writable folder; the
     * write itself goes through a temporary file, so nothing is half-written.
     */
    static void checkWritableTarget(Path out) {
        Path target = out.toAbsolutePath();
        if (java.nio.file.Files.isDirectory(target)) throw new IllegalArgumentException("--out " + out + " is a folder; give a file name");
        if (java.nio.file.Files.exists(target) && !java.nio.file.Files.isRegularFile(target)) throw new IllegalArgumentException("--out " + out + " exists and is not a regular file");
        Path folder = target.getParent();
        if (folder == null || !java.nio.file.Files.isDirectory(folder) || !java.nio.file.Files.isWritable(folder)) {
            throw new IllegalArgumentException("--out " + out + ": folder " + folder + " does not exist or is not writable");
        }
    }
}
