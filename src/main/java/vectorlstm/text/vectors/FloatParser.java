package vectorlstm.text.vectors;

import java.nio.charset.StandardCharsets;

/**
 * Parses a decimal number from a byte range into the same float as {@link Float#parseFloat}
 * (bit for bit), without a String for the common case.
 *
 * <p>Why exact: word-vector files hold short decimals such as {@code -0.0039297}. Their digits
 * as an integer m < 2^24 and a power of ten 10^k with |k| <= 10 are both exact floats, so one float
 * division or multiplication gives the correctly rounded result. Longer numbers fall back to
 * {@code Float.parseFloat}.
 *
 * <p>Accepted: {@code [+-]? digits [. digits]? ([eE] [+-]? digits)?}, with at least one mantissa
 * digit (".5" and "5." are fine). Refused, with a {@link NumberFormatException} whose message is
 * the reason: anything else (including Java's "1f" and hex forms), NaN and infinities, and
 * numbers too large for a float.
 */
final class FloatParser {
    private static final float[] POWERS_OF_TEN = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
    private static final long EXACT_MANTISSA_LIMIT = 1L << 24;
    private static final int MAX_DIGITS = 18;            // still fits a long
    private static final int EXPONENT_CAP = 100_000;     // far past float's range either way
    private static final int SHOWN_CHARS = 40;

    private FloatParser() {
    }

    static float parse(byte[] b, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;            // significant digits in mantissa (leading zeros not counted)
        int scale = 0;             // the value is mantissa * 10^(exponent - scale)
        boolean anyDigit = false;
        boolean fast = true;
        for (; i < to && isDigit(b[i]); i++) {
            anyDigit = true;
            if (mantissa != 0 || b[i] != '0') {
                if (++digits > MAX_DIGITS) fast = false;
                else mantissa = mantissa * 10 + (b[i] - '0');
            }
        }
        if (i < to && b[i] == '.') {
            for (i++; i < to && isDigit(b[i]); i++) {
                anyDigit = true;
                if (mantissa != 0 || b[i] != '0') {
                    if (++digits > MAX_DIGITS) fast = false;
                    else mantissa = mantissa * 10 + (b[i] - '0');
                }
                scale++;
            }
        }
        if (!anyDigit) throw notANumber(b, from, to);
        int exponent = 0;
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < to && (b[i] == '-' || b[i] == '+')) {
                negativeExponent = b[i] == '-';
                i++;
            }
            if (i == to || !isDigit(b[i])) throw notANumber(b, from, to);
            for (; i < to && isDigit(b[i]); i++) {
                exponent = Math.min(exponent * 10 + (b[i] - '0'), EXPONENT_CAP);
            }
            if (negativeExponent) exponent = -exponent;
        }
        if (i != to) throw notANumber(b, from, to);

        float value;
        int power = exponent - scale;
        if (mantissa == 0 && fast) {
            value = 0f;
        } else if (fast && mantissa < EXACT_MANTISSA_LIMIT && Math.abs(power) < POWERS_OF_TEN.length) {
            value = power < 0 ? mantissa / POWERS_OF_TEN[-power] : mantissa * POWERS_OF_TEN[power];
        } else {
            value = Math.abs(Float.parseFloat(new String(b, from, to - from, StandardCharsets.ISO_8859_1)));
        }
        if (Float.isInfinite(value)) {
            throw new NumberFormatException("value too large for a float: '" + shown(b, from, to) + "'");
        }
        return negative ? -value : value;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static NumberFormatException notANumber(byte[] b, int from, int to) {
        String text = shown(b, from, to);
        String bare = text.replaceFirst("^[+-]", "").toLowerCase(java.util.Locale.ROOT);
        if (bare.equals("nan") || bare.equals("inf") || bare.equals("infinity")) {
            return new NumberFormatException("NaN or infinite value '" + text + "'");
        }
        return new NumberFormatException("not a number: '" + text + "'");
    }

    private static String shown(byte[] b, int from, int to) {
        int length = Math.min(to - from, SHOWN_CHARS);
        String text = new String(b, from, length, StandardCharsets.UTF_8);
        return to - from > SHOWN_CHARS ? text + "..." : text;
    }
}
