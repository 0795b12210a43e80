package vectorlstm.model;

/**
 * An optimizer's learning rate: a base rate and a {@link LearningRateSchedule} over it (constant
 * by default). Shared by every optimizer so they check and schedule rates the same way.
 */
final class LearningRate {
    private final String optimizer;
    private float base;
    private LearningRateSchedule schedule = LearningRateSchedule.CONSTANT;

    LearningRate(String optimizer, float base) {
        this.optimizer = optimizer;
        set(base);
    }

    void set(float rate) {
        if (!(rate > 0) || Float.isInfinite(rate)) throw new IllegalArgumentException(optimizer + " needs a learning rate > 0 and finite, got " + rate);
        base = rate;
    }

    void schedule(LearningRateSchedule s) {
        if (s == null) throw new IllegalArgumentException(optimizer + ": the learning-rate schedule must not be null (use LearningRateSchedule.CONSTANT)");
        schedule = s;
    }

    float base() { return base; }
    LearningRateSchedule schedule() { return schedule; }

    /** The rate of the update after {@code iterations} updates. */
    float at(long iterations) {
        float r = schedule.rate(iterations, base);
        if (!(r >= 0) || Float.isInfinite(r)) throw new IllegalStateException(optimizer + ": the schedule gave learning rate " + r + " at step " + iterations);
        return r;
    }
}
