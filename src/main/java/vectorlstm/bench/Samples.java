package vectorlstm.bench;

import java.util.Arrays;

/** Order statistics of a handful of benchmark samples. */
final class Samples {
    private Samples() {}

    /** The middle value (the mean of the two middle ones for an even count); NaN for none. */
    static double median(double[] values) {
        if (values.length == 0) return Double.NaN;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
