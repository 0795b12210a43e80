package vectorlstm.io;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import vectorlstm.layers.Layer;
import vectorlstm.memory.Slab;
import vectorlstm.model.Sequential;
import vectorlstm.text.Json;

/**
 * The sizes a model may ask of this build, measured the same way for save, training and load:
 * the working memory scoring one sequence needs (at most
 * {@link ModelFile#MAX_SEQUENCE_WORKING_BYTES}, found by running every layer's state allocation
 * against a counting slab) and its file's header ({@link ModelFile#MAX_HEADER_BYTES}). Load
 * refuses a file above them, and save and training refuse a model above them first, so no file is
 * written that this build would not load. A model of any length is limited per input instead
 * ({@link #maxSteps}).
 */
final class ModelFileLimits {
    private ModelFileLimits() {}

    /** {@link ModelFile#checkLoadable}. */
    static void checkLoadable(SavedModel saved) {
        String problem = workingMemoryProblem(saved.model());
        if (problem != null) throw new ModelFileException(problem);
        byte[] description = Json.write(ModelDescription.describe(saved)).getBytes(StandardCharsets.UTF_8);
        int headerLength = ModelFileWriter.header(description, ModelDescription.weights(saved.model()), new CRC32C()).length;
        if (headerLength > ModelFile.MAX_HEADER_BYTES) throw new ModelFileException(headerProblem(headerLength));
    }

    static String headerProblem(int headerLength) {
        return "the model's description (its tokenizer, mostly) takes " + (headerLength >> 20) + " MB, more than the "
                + (ModelFile.MAX_HEADER_BYTES >> 20) + " MB a model file's header may hold";
    }

    /** Why scoring one sequence of a fixed-length model would need too much working memory, or null when it would not. */
    static String workingMemoryProblem(Sequential model) {
        // Not under the model's lock when built (a saved model is): a fit's callback that hands a save to another thread waited for ever.
        if (!model.isBuilt()) model.inferShapes();
        if (model.inputShape().variableLength()) return null;  // sized by each input's own length: see maxSteps
        int steps = model.inputShape().dim(0);
        long bytes = workingBytes(model, steps);
        if (bytes >= 0 && bytes <= ModelFile.MAX_SEQUENCE_WORKING_BYTES) return null;
        return "scoring one sequence would need " + (bytes < 0 ? "more than 8 GB" : (bytes >> 20) + " MB")
                + " of working memory (its " + steps + " steps times its layers' widths), more than the " + (ModelFile.MAX_SEQUENCE_WORKING_BYTES >> 20)
                + " MB a model file may ask for";
    }

    /** Bytes of working memory scoring one sequence of {@code steps} takes; -1 beyond what a layer's state can hold. */
    private static long workingBytes(Sequential model, int steps) {
        Slab counting = Slab.counting();
        try {
            for (Layer l : model.layers()) l.newState(counting, 1, steps, false);
        } catch (ArithmeticException e) {  // a layer's state beyond 2^31 floats
            return -1;
        }
        return counting.used();
    }

    /** {@link ModelFile#maxSteps}. */
    static int maxSteps(Sequential model) {
        model.inferShapes();
        if (!model.inputShape().variableLength()) return model.inputShape().dim(0);
        int lo = 1, hi = ModelFile.MAX_SEQUENCE_LENGTH;  // the working memory grows with the steps
        if (fits(model, hi)) return hi;
        if (!fits(model, 1)) return 0;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (fits(model, mid)) lo = mid; else hi = mid - 1;
        }
        return lo;
    }

    /** {@link ModelFile#stepsLimitReason}. */
    static String stepsLimitReason(int maxSteps) {
        return maxSteps < ModelFile.MAX_SEQUENCE_LENGTH ? " (scoring more would take over " + (ModelFile.MAX_SEQUENCE_WORKING_BYTES >> 20) + " MB of working memory)" : "";
    }

    private static boolean fits(Sequential model, int steps) {
        long bytes = workingBytes(model, steps);
        return bytes >= 0 && bytes <= ModelFile.MAX_SEQUENCE_WORKING_BYTES;
    }
}
