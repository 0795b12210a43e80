package vectorlstm.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkContext;
import vectorlstm.classifier.TextClassifier;

/**
 * The driver's side of getting a model to the executors: check the file once where the user can
 * see the error (a missing, damaged or non-text model fails here, before any stage runs), take its
 * digest, and either ship it or name the shared path.
 */
public final class DriverModel {
    private DriverModel() {}

    /** What the driver's one load of the model file found: its digest, and its labels for the job's own checks. */
    record Checked(Path file, String sha256, List<String> labels) {}

    /** Ships {@code file} to every executor with {@link SparkContext#addFile}; they read their copy through SparkFiles. */
    public static ModelRef ship(SparkContext sc, Path file) {
        return ship(sc, check(file));
    }

    /** {@code file} is at the same path on every executor (NFS, a mounted volume): nothing is shipped. */
    public static ModelRef shared(Path file) {
        return shared(check(file));
    }

    static ModelRef ship(SparkContext sc, Checked model) {
        // A URI, not the path: addFile parses its argument as one, so "run#2.vlstm" was run with a
        // fragment and "m%41.vlstm" was mA.vlstm. The executors store it under its decoded name, the file's own.
        sc.addFile(model.file().toAbsolutePath().toUri().toString());
        return ModelRef.shipped(model.file().getFileName().toString(), model.sha256());
    }

    static ModelRef shared(Checked model) {
        return ModelRef.sharedPath(model.file(), model.sha256());
    }

    /** Loads the file once as a text classifier (every check {@code ModelFile.load} makes). */
    static Checked check(Path file) {
        if (!Files.isRegularFile(file)) throw new JobRefusedException("--model: no model file at " + file.toAbsolutePath());
        String sha256 = ModelDigest.sha256(file);
        try (TextClassifier model = TextClassifier.load(file)) {
            return new Checked(file, sha256, List.copyOf(model.labels()));
        } catch (RuntimeException e) {
            throw new JobRefusedException("--model: " + file + " is not a usable model: " + e.getMessage(), e);
        }
    }
}
