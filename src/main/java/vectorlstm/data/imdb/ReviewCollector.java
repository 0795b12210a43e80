package vectorlstm.data.imdb;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import vectorlstm.data.DataException;
import vectorlstm.data.LabelMap;
import vectorlstm.data.TextDataset;

/**
 * Gathers review files as they are found, in whatever order the archive or file system yields
 * them, and builds each split in a fixed order: negatives then positives, by numeric id.
 */
final class ReviewCollector {
    private static final Comparator<Review> BY_ID =
            Comparator.comparingInt(Review::id).thenComparingInt(Review::rating);

    private record Review(int id, int rating, String text) {
    }

    /** neg = 0, pos = 1: the group numbering's labels, in the order LabelMap gives them too. */
    private static final LabelMap LABEL_MAP = LabelMap.fromLabels(List.of(ImdbPaths.LABELS));

    private final List<List<Review>> groups = new ArrayList<>();
    /**
     * (group, review id) of the reviews added so far: an archive that holds one twice is refused,
     * not counted twice. Keyed on the id, not the path: "./aclImdb/..." beside "aclImdb/...", or
     * one id under two ratings, is the same review twice (ids repeat across groups: train/neg and
     * train/pos both start at 0).
     */
    private final Set<Long> seen;

    ReviewCollector() {
        for (int g = 0; g < ImdbPaths.GROUPS; g++) {
            groups.add(new ArrayList<>(12_500));
        }
        seen = new HashSet<>();
    }

    /** How many reviews of the group have been added. */
    int size(int group) {
        return groups.get(group).size();
    }

    /**
     * Adds one review file's raw bytes.
     *
     * @param where the file's full path (an archive's: the archive and the entry), for error messages
     */
    void add(int group, String fileName, byte[] data, int length, String where) {
        int underscore = fileName.indexOf('_');
        int dot = fileName.length() - ".txt".length();
        int id = parseDigits(fileName, 0, underscore);
        int rating = underscore < 0 ? -1 : parseDigits(fileName, underscore + 1, dot);
        if (id < 0 || rating < 0) {
            throw new DataException(where + ": unexpected review file name, expected <id>_<rating>.txt");
        }
        for (int i = 0; i < length; i++) {
            // No review holds a NUL: in an archive, the padding's zeros read as text under a size made
            // longer; in a folder, the zeros an interrupted copy leaves.
            if (data[i] == 0) throw new DataException(where + " holds a NUL byte at " + i + " of its " + length
                    + ": no review holds one (a damaged archive, or an interrupted copy): get " + ImdbDataset.ARCHIVE_NAME + " again");
        }
        if (!seen.add(((long) group << 32) | id)) {
            throw new DataException(where + ": review " + id + " of " + ImdbPaths.folderOf(group) + " appears twice (a damaged or repacked archive): each review must be there once");
        }
        groups.get(group).add(new Review(id, rating, decodeText(data, length, where)));
    }

    /**
     * The review as written, UTF-8 decoded, its HTML line breaks ({@code <br />}) included: what
     * happens to those is the model's {@link vectorlstm.text.TextPreprocessing} (our training
     * replaces them by spaces; a Keras model imported with {@code imdb.load_data}'s word index
     * read them as the word "br"). Bytes that are not UTF-8 are refused, as the CSV, JSON-lines
     * and folder loaders refuse them, instead of becoming replacement characters (every review of
     * the original archive is UTF-8).
     */
    static String decodeText(byte[] data, int length, String where) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data, 0, length)).toString();
            // A leading byte-order mark is dropped, as the folder, CSV and stdin readers drop it: else
            // the same review's first word differed between --format imdb and --format folders.
            return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new DataException(where + " is not valid UTF-8 text (a damaged archive?)");
        }
    }

    /**
     * Builds one split.
     *
     * @param emptyGroup the message for a group with no reviews, given e.g. "train/pos"
     */
    TextDataset build(int split, IntFunction<String> emptyGroup) {
        List<String> texts = new ArrayList<>();
        int[] labels = new int[groups.get(ImdbPaths.group(split, 0)).size()
                + groups.get(ImdbPaths.group(split, 1)).size()];
        for (int label = 0; label < ImdbPaths.LABELS.length; label++) {
            int group = ImdbPaths.group(split, label);
            List<Review> reviews = groups.get(group);
            if (reviews.isEmpty()) {
                throw new DataException(emptyGroup.apply(group));
            }
            reviews.sort(BY_ID);
            for (Review r : reviews) {
                labels[texts.size()] = label;
                texts.add(r.text());
            }
        }
        return new TextDataset(texts, labels, LABEL_MAP);
    }

    /** A non-negative decimal in {@code s[from, to)}, or -1 if it is empty, not digits or too big. */
    private static int parseDigits(String s, int from, int to) {
        if (from < 0 || to <= from || to - from > 9) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
