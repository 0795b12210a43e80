package vectorlstm.model;

/**
 * The training loss became NaN or infinite: the run's settings (learning rate, clipping) made the
 * weights blow up. A condition of the user's inputs, not a fault of the engine; the weights of the
 * last good epoch are not restored (they were overwritten step by step).
 */
public final class TrainingDiverged extends IllegalStateException {  // what fit threw before it had a type of its own
    TrainingDiverged(String message) {
        super(message);
    }
}
