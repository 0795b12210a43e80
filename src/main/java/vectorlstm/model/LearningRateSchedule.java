package vectorlstm.model;

/**
 * The learning rate as a function of the optimizer's step count, Keras'
 * {@code keras.optimizers.schedules} (keras/src/optimizers/schedules/learning_rate_schedule.py).
 *
 * <p>Schedules count optimizer <em>steps</em> (batches), as Keras does: {@code iterations} is the
 * number of updates already made, 0 for the first one. To decay every few epochs, multiply by the
 * steps per epoch ({@code vectorlstm.classifier.OptimizerSpec} does this for {@code ./lstm train}).
 * The base rate is the optimizer's learning rate; {@link ReduceLrOnPlateau} lowers it, so it
 * scales a whole schedule.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    /** The rate for the update after {@code iterations} updates, given the optimizer's base rate. */
    float rate(long iterations, float baseRate);

    /** The base rate at every step (the default). */
    LearningRateSchedule CONSTANT = (iterations, baseRate) -> baseRate;

    /**
     * The base rate times {@code factor} after every {@code everySteps} steps: Keras'
     * {@code ExponentialDecay(lr, everySteps, factor, staircase=True)}.
     */
    static LearningRateSchedule stepDecay(long everySteps, double factor) {
        return new ExponentialDecay(everySteps, factor, true);
    }

    /**
     * Keras' {@code ExponentialDecay}: {@code lr · decayRate^(step / decaySteps)}, the exponent
     * rounded down with {@code staircase}. Unlike Keras, a rate above 1 (growing without bound,
     * to an infinite rate in a long fit) is refused.
     */
    record ExponentialDecay(long decaySteps, double decayRate, boolean staircase) implements LearningRateSchedule {
        public ExponentialDecay {
            if (decaySteps < 1) throw new IllegalArgumentException("decay steps must be >= 1, got " + decaySteps);
            if (!(decayRate > 0 && decayRate <= 1)) throw new IllegalArgumentException("decay rate must be in (0, 1], got " + decayRate);
        }

        @Override
        public float rate(long iterations, float baseRate) {
            double p = (double) iterations / decaySteps;
            return (float) (baseRate * Math.pow(decayRate, staircase ? Math.floor(p) : p));
        }
    }

    /**
     * Keras' {@code CosineDecay} without warm-up: with s = min(step, decaySteps),
     * {@code lr · ((1 - alpha) · 0.5 · (1 + cos(π s / decaySteps)) + alpha)}; from lr down to
     * alpha · lr, then flat.
     */
    record CosineDecay(long decaySteps, double alpha) implements LearningRateSchedule {
        public CosineDecay {
            if (decaySteps < 1) throw new IllegalArgumentException("cosine decay steps must be >= 1, got " + decaySteps);
            if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("cosine decay alpha must be in [0, 1], got " + alpha);
        }

        @Override
        public float rate(long iterations, float baseRate) {
            double s = Math.min(iterations, decaySteps);
            double cosine = 0.5 * (1 + Math.cos(Math.PI * s / decaySteps));
            return (float) (baseRate * ((1 - alpha) * cosine + alpha));
        }
    }
}
