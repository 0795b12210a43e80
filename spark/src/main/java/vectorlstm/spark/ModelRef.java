package vectorlstm.spark;

import java.io.Serializable;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;

/**
 * Where an executor finds the model file, and the SHA-256 it must have: what the driver sends to
 * the tasks instead of the model itself (a few bytes in each task, the file once per executor).
 *
 * @param location  a file name added with {@code SparkContext.addFile} (or {@code --files}), or,
 *                  when {@code shared}, a path every executor can read (NFS, a mounted volume)
 * @param shared    whether {@code location} is such a path rather than a shipped file's name
 * @param sha256    the driver's digest of the file it checked ({@link ModelDigest})
 */
public record ModelRef(String location, boolean shared, String sha256) implements Serializable {
    public ModelRef {
        if (location == null || location.isBlank()) throw new IllegalArgumentException("the model location is empty");
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("not a SHA-256 in hex: " + sha256);
    }

    /** A file shipped to the executors by Spark: they read their own copy through {@link SparkFiles}. */
    public static ModelRef shipped(String fileName, String sha256) {
        return new ModelRef(fileName, false, sha256);
    }

    /** A path every executor reads the same file at. */
    public static ModelRef sharedPath(Path file, String sha256) {
        return new ModelRef(file.toAbsolutePath().toString(), true, sha256);
    }

    /** The file on this executor (it may not exist: {@link ExecutorModels} says so). */
    Path localFile() {
        return shared ? Path.of(location) : Path.of(SparkFiles.get(location));
    }

    /** How the message of a failure names the way the file came. */
    String how() {
        return shared ? "the shared path " + location : "the file '" + location + "' shipped with SparkContext.addFile / --files";
    }
}
