package vectorlstm.cli;

import java.io.PrintStream;
import vectorlstm.classifier.TrainingRecipe;

/** Range checks of flag values, with messages that name the flag. */
final class Checks {
    private Checks() {}

    /**
     * A command's {@code --threads}: the value given (1 to {@link TrainingRecipe#MAX_THREADS}), or all
     * cores. More threads than cores is the user's to ask for, and runs, but it only adds turns on the
     * same cores (training 200 short texts took 12.2 s at 1,000 threads on 2 cores, 4.0 s at 2), so a
     * note on {@code err} says so.
     */
    static int threads(Integer given, PrintStream err) {
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = range("--threads", given == null ? cores : given, 1, TrainingRecipe.MAX_THREADS);
        if (threads > cores) {
            err.println("lstm: note: --threads " + threads + " on " + cores + (cores == 1 ? " core" : " cores")
                    + ": the threads take turns on the cores, which adds overhead and gains nothing");
        }
        return threads;
    }

    /** The most a {@code --seed} may be: {@link java.util.Random} keeps a seed's low 48 bits. */
    static final long MAX_SEED = (1L << 48) - 1;

    /**
     * A {@code --seed} from 0 to {@link #MAX_SEED}: the engine seeds {@link java.util.Random}, which
     * keeps the low 48 bits, so 7 + 2^48 (or a negative seed's bits) trained byte for byte what 7
     * trains: a sweep over large seeds repeated runs without a word.
     */
    static long seed(long value) {
        if (value < 0 || value > MAX_SEED) {
            throw new IllegalArgumentException("--seed must be from 0 to " + MAX_SEED + " (2^48 - 1: the random generator keeps 48 bits,"
                    + " so larger and negative seeds repeat smaller ones' runs), got " + value);
        }
        return value;
    }

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

    /**
     * A text given on the command line, read as stdin's lines are: a leading byte-order mark
     * dropped, and bytes that are not UTF-8 refused. The JVM decodes arguments before we see them,
     * turning such bytes (or any non-ASCII byte, under a locale that is not UTF-8) into U+FFFD,
     * which would then be scored as a word nobody wrote.
     *
     * @param readsStdin whether the command also takes its texts on stdin (the refusal points there)
     */
    static String commandLineText(String flag, String text, boolean readsStdin) {
        if (text.indexOf('\uFFFD') >= 0) {
            String encoding = String.valueOf(System.getProperty("sun.jnu.encoding"));
            boolean utf8 = encoding.equalsIgnoreCase("UTF-8") || encoding.equalsIgnoreCase("UTF8");
            // explain and summary read no stdin: telling their users to pipe the text sent them to an error.
            String advice = readsStdin ? "give the text on stdin, which is checked byte by byte"
                    : utf8 ? "give the text as UTF-8" : "run the command under a UTF-8 locale (LC_ALL=C.UTF-8)";
            throw new IllegalArgumentException(flag + " holds U+FFFD, what the JVM makes of bytes that are not "
                    + (utf8 ? "UTF-8" : "text in the locale's " + encoding + " (a locale that is not UTF-8)")
                    + " (or a replacement character as written): " + advice);
        }
        return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    }
}
