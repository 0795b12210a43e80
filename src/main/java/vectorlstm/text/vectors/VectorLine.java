package vectorlstm.text.vectors;

import java.nio.charset.StandardCharsets;

/**
 * Splits one line of a text vector file, in place in its byte buffer, into a word and its
 * {@code dim} values. Fields are separated by ASCII spaces and tabs only (a non-breaking or other
 * Unicode space is part of a word); callers pass the line without its trailing blanks.
 *
 * <p>The vector is the line's last {@code dim} fields and the word is everything before them, as
 * written: GloVe 840B has words with spaces inside ({@code ". . ."}, {@code "at name@domain.com"}).
 * A line whose field just before its last {@code dim} is a number has a value too many, not a word
 * ending in a number, and is refused: that is how a damaged line, or a wrong dimension, shows.
 */
final class VectorLine {
    /** Why a line is no {@code word v1 .. vdim}; the reader adds the file and line number. */
    static final class MalformedLineException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedLineException(String reason) {
            super(reason, null, false, false);
        }
    }

    private VectorLine() {
    }

    /**
     * Parses the values of {@code b[start, end)} into {@code vector[0, dim)} and returns where the
     * word ends. The usual line, a word without blanks, is read in one pass; anything else (a
     * spaced word, a damaged line) is read again by {@link #splitAtLastFields} for its reason.
     */
    static int parse(byte[] b, int start, int end, float[] vector) throws MalformedLineException {
        if (start < end && isBlank(b[start])) throw new MalformedLineException("line starts with a blank: empty word");
        int dim = vector.length;
        int wordEnd = fieldEnd(b, start, end);
        int at = wordEnd;
        int k = 0;
        while (at < end) {
            if (k == dim) return splitAtLastFields(b, start, end, vector);   // a spaced word, or a value too many
            while (isBlank(b[at])) at++;   // end is not blank, so this stops inside the line
            int fieldEnd = fieldEnd(b, at, end);
            try {
                vector[k++] = FloatParser.parse(b, at, fieldEnd);
            } catch (NumberFormatException e) {
                return splitAtLastFields(b, start, end, vector);
            }
            at = fieldEnd;
        }
        if (k < dim) throw new MalformedLineException("expected " + dim + " values, found " + k);
        return wordEnd;
    }

    /** The slow path: locate the last dim fields from the field boundaries, then check and parse them. */
    private static int splitAtLastFields(byte[] b, int start, int end, float[] vector) throws MalformedLineException {
        int dim = vector.length;
        int[] bounds = fieldBounds(b, start, end);      // [fields, 2]: start and end of each field
        int fields = bounds.length / 2;
        if (fields < dim + 1) throw new MalformedLineException("expected " + dim + " values, found " + (fields - 1));
        int firstValue = fields - dim;
        for (int k = 0; k < dim; k++) {
            int f = firstValue + k;
            try {
                vector[k] = FloatParser.parse(b, bounds[2 * f], bounds[2 * f + 1]);
            } catch (NumberFormatException e) {
                throw new MalformedLineException("value " + (k + 1) + ": " + e.getMessage());
            }
        }
        int lastWordField = firstValue - 1;
        if (lastWordField > 0 && isNumber(b, bounds[2 * lastWordField], bounds[2 * lastWordField + 1])) {
            throw new MalformedLineException("expected " + dim + " values, found " + trailingNumbers(b, bounds));
        }
        return bounds[2 * lastWordField + 1];
    }

    /** How many fields after the first, counted back from the line's end, are numbers. */
    private static int trailingNumbers(byte[] b, int[] bounds) {
        int count = 0;
        for (int f = bounds.length / 2 - 1; f > 0 && isNumber(b, bounds[2 * f], bounds[2 * f + 1]); f--) count++;
        return count;
    }

    /** The {@code count dim} of a line of exactly two integers (at most 18 digits each), else null. */
    static long[] header(byte[] b, int start, int end) {
        long[] result = new long[2];
        int at = start;
        for (int k = 0; k < 2; k++) {
            if (k > 0) {
                if (at == end || !isBlank(b[at])) return null;
                while (at < end && isBlank(b[at])) at++;
            }
            int numberStart = at;
            if (at < end && b[at] == '-') at++;
            int digitsStart = at;
            while (at < end && b[at] >= '0' && b[at] <= '9') at++;
            if (at == digitsStart || at - digitsStart > 18) return null;
            result[k] = Long.parseLong(new String(b, numberStart, at - numberStart, StandardCharsets.ISO_8859_1));
        }
        return at == end ? result : null;
    }

    static int countFields(byte[] b, int start, int end) {
        int fields = 0;
        for (int at = start; at < end; ) {
            while (at < end && isBlank(b[at])) at++;
            if (at == end) break;
            fields++;
            at = fieldEnd(b, at, end);
        }
        return fields;
    }

    /** The end of {@code b[start, end)} without its trailing blanks. */
    static int trimmedEnd(byte[] b, int start, int end) {
        while (end > start && isBlank(b[end - 1])) end--;
        return end;
    }

    static boolean isBlank(byte c) {
        return c == ' ' || c == '\t';
    }

    private static int[] fieldBounds(byte[] b, int start, int end) {
        int[] bounds = new int[2 * countFields(b, start, end)];
        int f = 0;
        for (int at = start; at < end; ) {
            while (at < end && isBlank(b[at])) at++;
            if (at == end) break;
            bounds[f++] = at;
            at = fieldEnd(b, at, end);
            bounds[f++] = at;
        }
        return bounds;
    }

    private static int fieldEnd(byte[] b, int at, int end) {
        while (at < end && !isBlank(b[at])) at++;
        return at;
    }

    private static boolean isNumber(byte[] b, int from, int to) {
        try {
            FloatParser.parse(b, from, to);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
