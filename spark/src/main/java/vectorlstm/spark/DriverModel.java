package vectorlstm.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkContext;
import vectorlstm.classifier.TextClassifier;

/**
 * The driver's side of getting a model to the executors: check the file once where the user can
 * see the error (a missing, damaged or non-text model fails here, before any stage runs), take its
 * digest, and either ship it or name the shared path.
 */
public final class DriverModel {
    private DriverModel() {}

    /** Ships {@code file} to every executor with {@link SparkContext#addFile}; they read their copy through SparkFiles. */
    public static ModelRef ship(SparkContext sc, Path file) {
        String sha256 = check(file);
        sc.addFile(file.toAbsolutePath().toString());
        return ModelRef.shipped(file.getFileName().toString(), sha256);
    }

    /** {@code file} is at the same path on every executor (NFS, a mounted volume): nothing is shipped. */
    public static ModelRef shared(Path file) {
        return ModelRef.sharedPath(file, check(file));
    }

    /** The file's digest, after loading it once as a text classifier (every check {@code ModelFile.load} makes). */
    static String check(Path file) {
        if (!Files.isRegularFile(file)) throw new JobRefusedException("--model: no model file at " + file.toAbsolutePath());
        String sha256 = ModelDigest.sha256(file);
        try (TextClassifier ignored = TextClassifier.load(file)) {
            return sha256;
        } catch (RuntimeException e) {
            throw new JobRefusedException("--model: " + file + " is not a usable model: " + e.getMessage(), e);
        }
    }
}
