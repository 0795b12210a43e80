package vectorlstm.cli;

import java.util.Arrays;

/**
 * One stdin line of {@code predict --ids}: token ids separated by spaces or tabs, each an integer
 * in [0, vocabulary). Anything else is a {@link BadLine} whose message says which token and why.
 */
final class TokenIdLine {
    /** The line cannot be scored; the message is shown to the user as that line's error. */
    static final class BadLine extends Exception {
        BadLine(String message) { super(message, null, false, false); }
    }

    /** Quoted tokens in messages are cut to this (a hostile line may be one 16 MiB token). */
    private static final int SHOWN_CHARS = 40;

    private TokenIdLine() {}

    /** The ids of {@code line} in order, each checked against the Embedding's {@code vocabulary} rows. */
    static int[] parse(String line, int vocabulary) throws BadLine {
        int[] ids = new int[16];
        int count = 0;
        for (int i = 0, n = line.length(); i < n; ) {
            while (i < n && isSpace(line.charAt(i))) i++;
            if (i == n) break;
            int start = i;
            while (i < n && !isSpace(line.charAt(i))) i++;
            if (count == ids.length) ids = Arrays.copyOf(ids, count * 2);
            ids[count] = id(line.substring(start, i), count + 1, vocabulary);
            count++;
        }
        if (count == 0) throw new BadLine("no token ids on the line");
        return Arrays.copyOf(ids, count);
    }

    private static int id(String token, int position, int vocabulary) throws BadLine {
        boolean digits = token.matches("-?[0-9]+");
        if (!digits) throw new BadLine("token " + position + " (" + shown(token) + ") is not an integer id");
        long value;
        try {
            value = Long.parseLong(token);
        } catch (NumberFormatException e) {  // more digits than a long holds
            value = token.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if (value < 0 || value >= vocabulary) {
            throw new BadLine("token " + position + " (" + shown(token) + ") is outside the model's vocabulary: ids are 0 to " + (vocabulary - 1));
        }
        return (int) value;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\u000B';
    }

    private static String shown(String token) {
        return token.length() <= SHOWN_CHARS ? token : token.substring(0, SHOWN_CHARS) + "...";
    }
}
