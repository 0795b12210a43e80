package vectorlstm.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.SparkEnv;
import vectorlstm.classifier.TextClassifier;

/**
 * The models loaded in this JVM (an executor, or the driver in local mode), one per {@link ModelRef}:
 * the first task that needs a model checks and loads its file, and every later task of the executor
 * scores on that one copy. The weights are shared; {@code classify(List)}
 * serialises batches on the model and runs each on the executor's cores, so tasks of one executor
 * take turns at the kernels and tokenize in between.
 *
 * <p>A model stays loaded for the life of the JVM: an executor lives for one application, and
 * closing a model while another task might still score on it would be the bug to avoid.
 */
final class ExecutorModels {
    /** By the whole reference, not the digest alone: each location is checked before its first use. */
    private static final Map<ModelRef, TextClassifier> LOADED = new HashMap<>();

    private ExecutorModels() {}

    /**
     * The classifier for {@code ref}, loaded on first use.
     *
     * @param threads cores for the batch kernels (0: the executor's {@code spark.executor.cores}, else all)
     * @throws ModelUnavailableException when the file is missing, differs from the driver's, or is damaged
     */
    static synchronized TextClassifier get(ModelRef ref, int threads) {
        TextClassifier loaded = LOADED.get(ref);
        if (loaded == null) {
            loaded = load(ref);
            try {
                loaded.model().threads(Math.min(threads > 0 ? threads : executorCores(), JobArguments.MAX_THREADS));
            } catch (RuntimeException e) {  // not kept, so closed: each task's retry would load and leave another copy
                loaded.close();
                throw e;
            }
            LOADED.put(ref, loaded);
        }
        return loaded;
    }

    private static TextClassifier load(ModelRef ref) {
        String where = "executor " + executorId();
        Path file;
        try {
            file = ref.localFile();
        } catch (RuntimeException e) {  // SparkFiles outside a running Spark application
            throw new ModelUnavailableException(where + ": cannot find the model (" + ref.how() + "): " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelUnavailableException(where + ": the model file " + file + " does not exist (" + ref.how()
                    + "); ship it with the job's --model (or spark-submit --files), or give --shared-model a path every executor can read");
        }
        // A shared path is read through a private copy, which is what is checked and loaded: a file
        // overwritten in place on the share (cp, rsync --inplace) between the digest and the load
        // would otherwise be loaded under the digest of another.
        Path copy = null;
        try {
            if (ref.shared()) {
                copy = Files.createTempFile("vlstm-executor-model-", ".vlstm");
                Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Path checked = copy != null ? copy : file;
            String actual = ModelDigest.sha256(checked);
            if (!actual.equals(ref.sha256())) {
                throw new ModelUnavailableException(where + ": the model file " + file + " has SHA-256 " + actual
                        + " but the driver checked " + ref.sha256() + " (" + ref.how() + " holds another or a damaged copy)");
            }
            try {
                return TextClassifier.load(checked);
            } catch (RuntimeException e) {
                throw new ModelUnavailableException(where + ": the model file " + file + " cannot be loaded: " + e.getMessage(), e);
            }
        } catch (java.io.IOException e) {
            throw new ModelUnavailableException(where + ": cannot copy the model file " + file + " to local storage: " + e.getMessage(), e);
        } finally {
            // Removed once loaded (a loaded model never reads its file again): nothing is left behind on the executor.
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (java.io.IOException e) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    private static int executorCores() {
        SparkEnv env = SparkEnv.get();
        int cores = env == null ? 0 : env.conf().getInt("spark.executor.cores", 0);
        return Math.min(vectorlstm.model.Sequential.MAX_THREADS, cores > 0 ? cores : Runtime.getRuntime().availableProcessors());
    }

    private static String executorId() {
        SparkEnv env = SparkEnv.get();
        return env == null ? "(no Spark)" : env.executorId();
    }
}
