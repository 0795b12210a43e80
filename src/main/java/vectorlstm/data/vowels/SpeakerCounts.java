package vectorlstm.data.vowels;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import vectorlstm.data.DataException;

/**
 * How many consecutive utterances each of the nine speakers has in a file, from {@code size_ae.*}
 * ("30 30 30 ..."): speaker 1's blocks come first, then speaker 2's, and so on.
 */
final class SpeakerCounts {
    static final int SPEAKERS = 9;
    /** The real counts are at most 88; a count this large is a wrong file, not more data. */
    static final int MAX_COUNT = 10_000;

    // The counts in the UCI description (JapaneseVowels.data.html: "ae.train: 270 blocks, 30 per
    // speaker"; "ae.test: 370 blocks, 31 35 88 44 29 24 40 50 29"). Used when a folder has no
    // size_ae.* files, as the Jaeger course copy, which never shipped them.
    static final int[] UCI_TRAIN = {30, 30, 30, 30, 30, 30, 30, 30, 30};
    static final int[] UCI_TEST = {31, 35, 88, 44, 29, 24, 40, 50, 29};

    private static final Pattern COUNT = Pattern.compile("\\d+");

    private SpeakerCounts() {
    }

    /** @throws DataException naming the file and line: not nine counts, not a whole number, negative, too large */
    static int[] read(Path file) {
        List<String> lines = TextLines.read(file);
        int[] counts = new int[SPEAKERS];
        int n = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            for (String token : line.split("\\s+")) {
                String where = file + ":" + (i + 1) + ": ";
                if (n == SPEAKERS) {
                    throw new DataException(where + "more than " + SPEAKERS + " counts (one per speaker)");
                }
                counts[n++] = count(where, token);
            }
        }
        if (n < SPEAKERS) {
            throw new DataException(file + ":" + lines.size() + ": " + n + " counts, expected one per speaker ("
                    + SPEAKERS + ")");
        }
        return counts;
    }

    private static int count(String where, String token) {
        if (token.startsWith("-")) {
            throw new DataException(where + "negative count " + token);
        }
        // A speaker without utterances is a class the model never sees (270 0 0 ... trained one
        // speaker to accuracy 1.0, then scored 0.08 on the test set); the real files have 24 or more.
        if (token.matches("0+")) {
            throw new DataException(where + "a count of 0: every one of the " + SPEAKERS + " speakers needs utterances (the real files have at least 24)");
        }
        if (!COUNT.matcher(token).matches()) {
            throw new DataException(where + "not a whole number: \"" + token + "\"");
        }
        // Nine digits always fit an int, so "99999999999999999999" is reported, not an overflow.
        if (token.length() > 9 || Integer.parseInt(token) > MAX_COUNT) {
            throw new DataException(where + "count " + token + " is larger than " + MAX_COUNT
                    + " (the real files have at most 88 utterances per speaker)");
        }
        return Integer.parseInt(token);
    }

    static int total(int[] counts) {
        return Arrays.stream(counts).sum();
    }
}
