package vectorlstm.inspect;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Round-number ticks for a value axis (steps of 1, 2 or 5 times a power of ten) and their labels,
 * all with the decimals of the step: 0.6920 0.6925 0.6930, or 1.0e-6 1.1e-6, or -5e9 ... 1e9.
 * Evenly spaced ticks at fixed decimals repeated themselves on a flat training run (0.692, 0.693, 0.693).
 */
record AxisTicks(double[] values, String[] labels) {
    /** About {@code target} ticks between {@code lo} and {@code hi}, whose difference must be finite and positive. */
    static AxisTicks between(double lo, double hi, int target) {
        double raw = (hi - lo) / target;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double ratio = raw / power, step = (ratio <= 1 ? 1 : ratio <= 2 ? 2 : ratio <= 5 ? 5 : 10) * power;
        double first = Math.ceil(lo / step), last = Math.floor(hi / step);
        // Tick k is k·step (never first + k·step, which can overflow near 1e308); too many or none
        // happens only where double precision runs out (a span of 1e-16 around 1): even spacing then.
        if (!(last >= first) || last - first > 4 * target || first + 1 == first) return even(lo, hi, target);
        List<Double> values = new ArrayList<>();
        for (double k = first; k <= last; k++) values.add(k * step + 0.0);  // + 0.0: no "-0"
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        return new AxisTicks(v, labels(v, (int) Math.round(Math.floor(Math.log10(step) + 1e-9))));
    }

    /** The labels of ticks {@code step} = 10^{@code stepExponent} (times 1, 2 or 5) apart. */
    private static String[] labels(double[] v, int stepExponent) {
        double largest = 0;
        for (double x : v) largest = Math.max(largest, Math.abs(x));
        int exponent = largest == 0 ? 0 : NumberLabels.exponent(BigDecimal.valueOf(largest));
        boolean plain = exponent >= -4 && exponent < 7;
        String[] out = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            BigDecimal d = BigDecimal.valueOf(v[i]);
            if (v[i] == 0) out[i] = "0";
            else if (plain) out[i] = d.setScale(Math.max(0, -stepExponent), RoundingMode.HALF_EVEN).toPlainString();
            else out[i] = d.movePointLeft(exponent).setScale(Math.max(0, exponent - stepExponent), RoundingMode.HALF_EVEN).toPlainString() + "e" + exponent;
        }
        return out;
    }

    private static AxisTicks even(double lo, double hi, int target) {
        double[] v = new double[target + 1];
        for (int i = 0; i <= target; i++) v[i] = lo * (1 - i / (double) target) + hi * (i / (double) target);
        return new AxisTicks(v, NumberLabels.distinct(v, 3));
    }
}
