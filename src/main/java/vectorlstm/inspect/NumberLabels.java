package vectorlstm.inspect;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

/**
 * Numbers as the charts print them: as many digits as they mean, never a fixed count of decimals
 * (%.3f printed 1e-6 as 0.000 and 1e308 as 309 digits). Plain from 1e-4 to below 1e7, else as
 * mantissa and exponent: 0.8347, 1000001, 1.5e9, 1.1e-6.
 */
final class NumberLabels {
    private NumberLabels() {}

    /** {@code v} to {@code digits} significant digits; whole numbers below 1e7 keep all theirs. */
    static String significant(double v, int digits) {
        if (v == 0) return "0";
        BigDecimal d = BigDecimal.valueOf(v);
        int exponent = exponent(d);
        if (exponent >= 0 && exponent < 7) digits = Math.max(digits, exponent + 1);
        d = d.round(new MathContext(digits, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        exponent = exponent(d);  // rounding may carry: 9.9996 -> 10
        if (exponent >= -4 && exponent < 7) return d.toPlainString();
        return d.movePointLeft(exponent).toPlainString() + "e" + exponent;
    }

    /**
     * Labels for {@code values} with the fewest digits, at least {@code min}, that give any two of
     * different value different labels. Not only neighbours: point labels follow x, and their y
     * values need not be in order.
     */
    static String[] distinct(double[] values, int min) {
        String[] labels = new String[values.length];
        for (int digits = min; ; digits++) {
            Map<String, Double> valueOf = new HashMap<>();
            boolean apart = true;
            for (int i = 0; i < values.length; i++) {
                labels[i] = significant(values[i], digits);
                Double seen = valueOf.putIfAbsent(labels[i], values[i]);
                apart &= seen == null || seen == values[i];
            }
            if (apart || digits >= 17) return labels;  // 17 digits tell any two doubles apart
        }
    }

    /** The power of ten of the leading digit: 1 for 12.5, -3 for 0.0042. */
    static int exponent(BigDecimal d) { return d.precision() - d.scale() - 1; }
}
