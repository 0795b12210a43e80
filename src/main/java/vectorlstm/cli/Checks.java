package vectorlstm.cli;

/** Range checks of flag values, with messages that name the flag. */
final class Checks {
    private Checks() {}

    static int range(String flag, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(flag + " must be " + (min == 1 ? "a positive integer" : "at least " + min)
                    + (max < Integer.MAX_VALUE ? " and at most " + max : "") + ", got " + value);
        }
        return value;
    }

    /** A number in the open interval (low, high). */
    static double between(String flag, double value, double low, double high) {
        if (!(value > low && value < high)) throw new IllegalArgumentException(flag + " must be between " + low + " and " + high + " (exclusive), got " + value);
        return value;
    }
}
