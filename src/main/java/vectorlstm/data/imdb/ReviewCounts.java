package vectorlstm.data.imdb;

import java.util.Arrays;
import vectorlstm.data.DataException;

/**
 * How many reviews each labeled folder should hold, from the {@code urls_<label>.txt} beside it:
 * one URL per review, 12,500 lines in the real dataset, in the original archive and in every copy
 * of it. An extracted {@code aclImdb/} tree that was only half copied (or an archive packed from
 * one) is refused with both counts instead of loading whatever arrived.
 *
 * <p>A tree without urls files (a user's own miniature, the tests' fixtures) has nothing to be held
 * to and loads as before: a fixed 12,500 would refuse every small one. {@code imdbEr.txt} is per
 * vocabulary word and says nothing about reviews; {@code labeledBow.feat} is not in every copy
 * (the shared rebuild lacks it), while the urls files are.
 */
final class ReviewCounts {
    private final int[] listed = new int[ImdbPaths.GROUPS];
    private final String[] listedIn = new String[ImdbPaths.GROUPS];

    ReviewCounts() {
        Arrays.fill(listed, -1);
    }

    /**
     * Records a group's urls file.
     *
     * @param where the file, for messages: a path, or an archive and the entry's name
     */
    void listed(int group, byte[] data, int length, String where) {
        if (listed[group] >= 0) {
            throw new DataException(where + ": appears twice (a damaged or repacked archive): it must be there once");
        }
        listed[group] = nonEmptyLines(data, length);
        listedIn[group] = where;
    }

    /**
     * @param found  the reviews read from the group's folder; none is left to the loader, whose
     *               message for an empty folder says more than a count would
     * @param folder how to name the group's folder in the message
     * @param hint   what to do about it, for the message's end
     * @throws DataException if the group has a urls file that lists another number of reviews
     */
    void check(int group, int found, String folder, String hint) {
        int expected = listed[group];
        if (expected < 0 || expected == found || found == 0) {
            return;
        }
        throw new DataException(folder + " holds " + found + " reviews, but " + listedIn[group] + " lists " + expected
                + " (one URL per review): " + (found < expected ? "some are missing" : "some were added") + ". " + hint);
    }

    /** Lines holding anything: the real files end with a line break, a hand-made one may not. */
    static int nonEmptyLines(byte[] data, int length) {
        int lines = 0;
        boolean inLine = false;
        for (int i = 0; i < length; i++) {
            byte b = data[i];
            boolean lineBreak = b == '\n' || b == '\r';
            if (!lineBreak && !inLine) lines++;
            inLine = !lineBreak;
        }
        return lines;
    }
}
