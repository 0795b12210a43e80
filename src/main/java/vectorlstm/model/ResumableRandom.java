package vectorlstm.model;

import java.util.Random;

/**
 * A {@link Random} whose 48-bit state can be read and set, so that a checkpoint can hold where
 * fit's shuffling stands. {@code Random} keeps its state private; this class runs the same linear
 * congruential generator (the one {@code Random}'s documentation specifies) on a field of its own.
 * Every method of {@code Random} that {@code fit} uses ({@code nextInt(bound)}) draws through
 * {@link #next}, so a seed gives exactly the numbers {@code new Random(seed)} gives.
 */
final class ResumableRandom extends Random {
    private static final long MULTIPLIER = 0x5DEECE66DL, ADDEND = 0xBL, MASK = (1L << 48) - 1;

    /** No initialiser: Random's constructor sets it through {@link #setSeed} before this class's fields are set up. */
    private long state;

    ResumableRandom(long seed) {
        super(seed);
    }

    @Override
    public synchronized void setSeed(long seed) {
        state = (seed ^ MULTIPLIER) & MASK;  // Random's scramble
    }

    @Override
    protected synchronized int next(int bits) {
        state = (state * MULTIPLIER + ADDEND) & MASK;
        return (int) (state >>> (48 - bits));
    }

    /** The generator's state: {@link #restore} of it gives the same numbers from here on. */
    synchronized long state() { return state; }

    /** Checked by the caller beforehand too ({@code Resumption}), so that a bad state changes nothing. */
    synchronized void restore(long state) {
        if ((state & ~MASK) != 0) throw new IllegalArgumentException("a shuffle state is 48 bits, got " + state);
        this.state = state;
    }
}
