package vectorlstm.model;

import vectorlstm.layers.Shape;

/**
 * A {@link Scorer} call's input, checked before the call takes the scorer: a wrong length, an id
 * outside the vocabulary or a non-finite feature is an IllegalArgumentException naming it, never
 * a score of garbage or a read outside the table. Allocates nothing for valid input.
 */
final class ScorerInputs {
    private ScorerInputs() {}

    /** Padded token ids: {@code timesteps} of them (or 1 to the limit at any length), each in [0, vocabulary). */
    static void checkTokenIds(int[] tokenIds, int timesteps, int vocabulary) {
        if (tokenIds == null) throw new IllegalArgumentException("no token ids given (null)");
        if (timesteps == Shape.VARIABLE) {
            if (tokenIds.length == 0) throw new IllegalArgumentException("a sequence needs at least one token id");
            if (tokenIds.length > InputChecks.MAX_SEQUENCE_STEPS) {
                throw new IllegalArgumentException(tokenIds.length + " token ids is more than the limit of " + InputChecks.MAX_SEQUENCE_STEPS);
            }
        } else if (tokenIds.length != timesteps) {
            throw new IllegalArgumentException("expected " + timesteps + " token ids (padded), got " + tokenIds.length);
        }
        for (int id : tokenIds) {
            if (id < 0 || id >= vocabulary) throw new IllegalArgumentException("token id " + id + " is outside [0, " + vocabulary + ")");
        }
    }

    /** A float sequence {@code [steps][features]}: {@code timesteps} steps (or 1 to the limit at any length), every value finite. */
    static void checkSteps(float[][] steps, int timesteps, int features) {
        if (steps == null || steps.length == 0) throw new IllegalArgumentException("a sequence needs at least one step");
        if (timesteps != Shape.VARIABLE && steps.length != timesteps) {
            throw new IllegalArgumentException("expected " + timesteps + " steps, got " + steps.length);
        }
        if (steps.length > InputChecks.MAX_SEQUENCE_STEPS) {
            throw new IllegalArgumentException(steps.length + " steps is more than the limit of " + InputChecks.MAX_SEQUENCE_STEPS);
        }
        for (int t = 0; t < steps.length; t++) {
            if (steps[t] == null || steps[t].length != features) {
                throw new IllegalArgumentException("step " + t + " has " + (steps[t] == null ? "no" : steps[t].length) + " features, expected " + features);
            }
            for (float v : steps[t]) if (!Float.isFinite(v)) throw new IllegalArgumentException("step " + t + " holds " + v + ": inputs must be finite");
        }
    }
}
