package vectorlstm.text;

import java.util.Arrays;

/**
 * Keras' {@code pad_sequences}: cuts or pads every sequence to one length.
 *
 * <p>Sequences longer than {@code maxlen} lose values at the start ({@link Padding#PRE}
 * truncation, the default) or the end ({@link Padding#POST}); shorter ones are filled with
 * {@code value} before ({@code PRE}, the default) or after ({@code POST}) their values.
 */
public final class PadSequences {

    /** Which end of a sequence is padded or truncated. */
    public enum Padding { PRE, POST }

    private PadSequences() {
    }

    /** {@code pad(seqs, maxlen, PRE, PRE, 0)}: Keras' defaults. */
    public static int[][] pad(int[][] seqs, Integer maxlen) {
        return pad(seqs, maxlen, Padding.PRE, Padding.PRE, 0);
    }

    /**
     * @param maxlen the common length, or null for the longest sequence's length
     * @return a new {@code [seqs.length][maxlen]} array
     */
    public static int[][] pad(int[][] seqs, Integer maxlen, Padding padding, Padding truncating, int value) {
        checkSides(padding, truncating);
        int length = resolveLength(seqs, maxlen);
        if (length > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("maxlen " + length + " is longer than one Java array holds");
        // Up front: 1,000 one-id sequences padded to 2^24 filled the heap for 7 s, then ran out of it.
        long bytes = (long) seqs.length * length * Integer.BYTES;
        if (bytes > Runtime.getRuntime().maxMemory()) {
            throw new IllegalArgumentException(seqs.length + " sequences padded to " + length + " ids need " + (bytes >> 20) + " MB, more than the Java heap's "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB: pad them in parts, or to a shorter maxlen");
        }
        int[][] out = new int[seqs.length][length];
        for (int i = 0; i < seqs.length; i++) {
            write(seqs[i], i, length, padding, truncating, value, out[i], 0);
        }
        return out;
    }

    /** {@code padFlat(seqs, maxlen, PRE, PRE, 0)} into a new array. */
    public static int[] padFlat(int[][] seqs, int maxlen) {
        long size = (long) seqs.length * resolveLength(seqs, maxlen);  // a negative maxlen is refused by name first
        if (size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(seqs.length + " sequences of " + maxlen + " ids do not fit one array");
        int[] out = new int[(int) size];
        padFlat(seqs, maxlen, Padding.PRE, Padding.PRE, 0, out);
        return out;
    }

    /**
     * Like {@link #pad}, but writes row-major into {@code out[0, seqs.length * maxlen)}, the layout
     * a batch buffer wants, without an array per row.
     */
    public static void padFlat(int[][] seqs, int maxlen, Padding padding, Padding truncating, int value, int[] out) {
        checkSides(padding, truncating);
        int length = resolveLength(seqs, maxlen);
        long needed = (long) seqs.length * length;
        if (out.length < needed) {
            throw new IllegalArgumentException("out has " + out.length + " ints, needs " + needed);
        }
        for (int i = 0; i < seqs.length; i++) {
            write(seqs[i], i, length, padding, truncating, value, out, i * length);
        }
    }

    /** Both sides must be named: a null would read as POST, the opposite of Keras' default. */
    private static void checkSides(Padding padding, Padding truncating) {
        if (padding == null || truncating == null) throw new IllegalArgumentException("padding and truncating must be PRE or POST, got " + padding + " and " + truncating);
    }

    private static int resolveLength(int[][] seqs, Integer maxlen) {
        if (seqs == null) throw new IllegalArgumentException("the sequences are null");
        if (maxlen != null) {
            if (maxlen < 0) {
                throw new IllegalArgumentException("maxlen must not be negative: " + maxlen);
            }
            return maxlen;
        }
        int longest = 0;
        for (int i = 0; i < seqs.length; i++) {
            if (seqs[i] == null) throw new IllegalArgumentException("sequence " + i + " is null");
            longest = Math.max(longest, seqs[i].length);
        }
        return longest;
    }

    private static void write(int[] seq, int row, int length, Padding padding, Padding truncating, int value,
                              int[] out, int at) {
        if (seq == null) {
            throw new IllegalArgumentException("sequence " + row + " is null");
        }
        int kept = Math.min(seq.length, length);
        int from = truncating == Padding.PRE ? seq.length - kept : 0;
        int to = padding == Padding.PRE ? at + length - kept : at;
        int padFrom = padding == Padding.PRE ? at : at + kept;
        Arrays.fill(out, padFrom, padFrom + length - kept, value);
        System.arraycopy(seq, from, out, to, kept);
    }
}
