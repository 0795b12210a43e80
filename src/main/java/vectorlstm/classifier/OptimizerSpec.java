package vectorlstm.classifier;

import java.util.Locale;
import vectorlstm.model.Adam;
import vectorlstm.model.AdamW;
import vectorlstm.model.LearningRateSchedule;
import vectorlstm.model.Optimizer;
import vectorlstm.model.ReduceLrOnPlateau;
import vectorlstm.model.RmsProp;
import vectorlstm.model.Sgd;

/**
 * The optimizer of a {@link TrainingRecipe}: what {@code ./lstm train}'s flags --optimizer,
 * --learning-rate, --momentum, --nesterov, --weight-decay, --clipnorm, --clipvalue and
 * --lr-schedule choose, checked here once, so messages name those flags. {@link #trainDefault()}
 * is what {@code train} uses without them (Adam, clipnorm 1, cosine decay); {@link #adam} is
 * Adam at a constant rate (train's default before the schedules came).
 *
 * <p>Schedules are given in epochs and turned into optimizer steps by {@link #optimizer}:
 * {@code step:E:F} multiplies the rate by F every E epochs (Keras' ExponentialDecay with
 * staircase), {@code cosine} decays it to 0 over all epochs (Keras' CosineDecay, alpha 0),
 * {@code plateau:P:F} is Keras' ReduceLROnPlateau with patience P and factor F on the recipe's
 * monitor, applied by fit after each epoch (see {@link #reduceLrOnPlateau}).
 *
 * @param name        adam, sgd, rmsprop or adamw
 * @param momentum    sgd and rmsprop only; 0 for none
 * @param nesterov    sgd with momentum only
 * @param weightDecay adamw only
 * @param clipnorm    Keras' per-weight clipnorm, or NaN for none
 * @param clipvalue   Keras' clipvalue, or NaN for none; at most one of the two
 * @param schedule    constant, step:EPOCHS:FACTOR, cosine or plateau:PATIENCE:FACTOR
 */
public record OptimizerSpec(String name, float learningRate, float momentum, boolean nesterov, float weightDecay,
                            float clipnorm, float clipvalue, String schedule) {
    public static final String NAMES = "adam, sgd, rmsprop or adamw";
    public static final String SCHEDULES = "constant, step:EPOCHS:FACTOR, cosine or plateau:PATIENCE:FACTOR";

    /** Keras' default learning rate of each optimizer. */
    public static float defaultLearningRate(String name) { return "sgd".equals(name) ? 0.01f : 0.001f; }

    /** Keras' default weight decay of AdamW. */
    public static final float ADAMW_WEIGHT_DECAY = 0.004f;

    /** What {@code ./lstm train} uses without optimizer flags: Adam at Keras' 0.001, clipnorm 1, cosine decay over the epochs. */
    public static OptimizerSpec trainDefault() {
        return new OptimizerSpec("adam", defaultLearningRate("adam"), 0f, false, 0f, 1f, Float.NaN, "cosine");
    }

    /** Adam with clipnorm and a constant rate (train's default before the schedules came). */
    public static OptimizerSpec adam(float learningRate, float clipnorm) {
        return new OptimizerSpec("adam", learningRate, 0f, false, 0f, clipnorm, Float.NaN, "constant");
    }

    public OptimizerSpec {
        if (name == null || schedule == null) throw new IllegalArgumentException("an optimizer spec needs a name (" + NAMES + ") and a schedule (" + SCHEDULES + ")");
        if (!name.equals("adam") && !name.equals("sgd") && !name.equals("rmsprop") && !name.equals("adamw")) {
            throw new IllegalArgumentException("--optimizer must be " + NAMES + ", got '" + name + "'");
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) throw new IllegalArgumentException("--learning-rate must be above 0 and finite, got " + learningRate);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("--momentum must be at least 0 and below 1, got " + momentum);
        if (momentum > 0 && !name.equals("sgd") && !name.equals("rmsprop")) throw new IllegalArgumentException("--momentum applies to sgd and rmsprop, not " + name);
        if (nesterov && !(name.equals("sgd") && momentum > 0)) throw new IllegalArgumentException("--nesterov needs --optimizer sgd and a --momentum above 0");
        if (!(weightDecay >= 0 && weightDecay < 1)) throw new IllegalArgumentException("--weight-decay must be at least 0 and below 1, got " + weightDecay);
        if (weightDecay > 0 && !name.equals("adamw")) throw new IllegalArgumentException("--weight-decay applies to adamw only (Keras' AdamW), not " + name);
        if (!Float.isNaN(clipnorm) && !(clipnorm > 0 && Float.isFinite(clipnorm))) throw new IllegalArgumentException("--clipnorm must be positive and finite, got " + clipnorm);
        if (!Float.isNaN(clipvalue) && !(clipvalue > 0 && Float.isFinite(clipvalue))) throw new IllegalArgumentException("--clipvalue must be positive and finite, got " + clipvalue);
        if (!Float.isNaN(clipnorm) && !Float.isNaN(clipvalue)) throw new IllegalArgumentException("--clipnorm and --clipvalue: only one can be set (as in Keras)");
        Schedule.parse(schedule);
    }

    /** The optimizer, its schedule counted in steps: {@code stepsPerEpoch} batches per epoch, {@code epochs} epochs. */
    public Optimizer optimizer(int stepsPerEpoch, int epochs) {
        if (stepsPerEpoch < 1 || epochs < 1) throw new IllegalArgumentException("steps per epoch and epochs must be >= 1, got " + stepsPerEpoch + " and " + epochs);
        Schedule s = Schedule.parse(schedule);
        LearningRateSchedule rates = switch (s.kind()) {
            case "step" -> LearningRateSchedule.stepDecay((long) s.count() * stepsPerEpoch, s.factor());
            case "cosine" -> new LearningRateSchedule.CosineDecay((long) stepsPerEpoch * epochs, 0);
            default -> LearningRateSchedule.CONSTANT;  // constant, and plateau (a fit option, not a schedule)
        };
        Optimizer o = switch (name) {
            case "sgd" -> new Sgd(learningRate, momentum, nesterov);
            case "rmsprop" -> new RmsProp(learningRate, 0.9f, momentum, 1e-7f, false);
            case "adamw" -> new AdamW(learningRate, weightDecay);
            default -> new Adam(learningRate);
        };
        o.schedule(rates);
        if (!Float.isNaN(clipnorm)) o.clipnorm(clipnorm);
        if (!Float.isNaN(clipvalue)) o.clipvalue(clipvalue);
        return o;
    }

    /** Keras' ReduceLROnPlateau on {@code monitor} for {@code plateau:P:F}, else null. */
    public ReduceLrOnPlateau reduceLrOnPlateau(String monitor) {
        Schedule s = Schedule.parse(schedule);
        return s.kind().equals("plateau") ? new ReduceLrOnPlateau(monitor, s.factor(), s.count(), 1e-4, 0, 0) : null;
    }

    /** For {@code step:E:F}, the E epochs between the rate's steps; 0 for the other schedules. */
    public int stepEpochs() {
        Schedule s = Schedule.parse(schedule);
        return s.kind().equals("step") ? s.count() : 0;
    }

    /** A parsed --lr-schedule: the kind, and the epochs (step) or patience (plateau) and factor. */
    private record Schedule(String kind, int count, double factor) {
        static Schedule parse(String text) {
            String[] parts = text.toLowerCase(Locale.ROOT).split(":", -1);
            String kind = parts[0];
            if ((kind.equals("constant") || kind.equals("cosine")) && parts.length == 1) return new Schedule(kind, 0, 1);
            if ((kind.equals("step") || kind.equals("plateau")) && parts.length == 3) {
                int count;
                double factor;
                try {
                    count = Integer.parseInt(parts[1].trim());
                    factor = Double.parseDouble(parts[2].trim());
                } catch (NumberFormatException e) {
                    throw bad(text, "EPOCHS and PATIENCE are whole numbers, FACTOR a number");
                }
                boolean step = kind.equals("step");
                if (step ? count < 1 : count < 0) throw bad(text, step ? "EPOCHS must be at least 1" : "PATIENCE must be at least 0");
                if (!(factor > 0 && factor < 1)) throw bad(text, "FACTOR must be between 0 and 1 (exclusive)");
                return new Schedule(kind, count, factor);
            }
            throw bad(text, null);
        }

        private static IllegalArgumentException bad(String text, String why) {
            return new IllegalArgumentException("--lr-schedule must be " + SCHEDULES + (why == null ? "" : "; " + why) + ", got '" + text + "'");
        }
    }
}
