package vectorlstm.data.imdb;

import java.util.stream.IntStream;
import vectorlstm.data.DatasetFormat;

/**
 * The aclImdb layout: which files are labeled reviews, and which of the four groups
 * (train/neg, train/pos, test/neg, test/pos) each belongs to.
 *
 * <p>Hand-written prefix checks instead of a regex because they run once per archive entry,
 * 100,000 times for the real archive.
 */
final class ImdbPaths {
    static final String TOP = DatasetFormat.IMDB_FOLDER;
    static final String[] SPLITS = {"train", "test"};
    /** Indexed by label: 0 = negative, 1 = positive. */
    static final String[] LABELS = {"neg", "pos"};
    static final int GROUPS = SPLITS.length * LABELS.length;
    /** "aclImdb/train/urls_pos.txt" and so on, by group: built once, as every archive entry is checked against them. */
    private static final String[] URLS_ARCHIVE_PATHS =
            IntStream.range(0, GROUPS).mapToObj(g -> TOP + "/" + urlsFileOf(g)).toArray(String[]::new);

    private ImdbPaths() {
    }

    static int group(int split, int label) {
        return split * LABELS.length + label;
    }

    static int splitOf(int group) {
        return group / LABELS.length;
    }

    static int labelOf(int group) {
        return group % LABELS.length;
    }

    /** "train/pos" and so on, for messages. */
    static String folderOf(int group) {
        return SPLITS[splitOf(group)] + "/" + LABELS[labelOf(group)];
    }

    /**
     * The group of an archive path such as {@code aclImdb/train/pos/12_9.txt} (optionally led by
     * {@code ./}), or -1 if it is anything else (unsup, vocabulary, urls, folders, hidden files).
     */
    static int groupOfArchivePath(String path) {
        int at = path.startsWith("./") ? 2 : 0;
        if (!path.startsWith(TOP, at) || !path.startsWith("/", at + TOP.length())) {
            return -1;
        }
        at += TOP.length() + 1;
        int split = path.startsWith("train/", at) ? 0 : path.startsWith("test/", at) ? 1 : -1;
        if (split < 0) {
            return -1;
        }
        at += SPLITS[split].length() + 1;
        int label = path.startsWith("neg/", at) ? 0 : path.startsWith("pos/", at) ? 1 : -1;
        if (label < 0) {
            return -1;
        }
        at += LABELS[label].length() + 1;
        if (path.indexOf('/', at) >= 0 || !isReviewFileName(path.substring(at))) {
            return -1;
        }
        return group(split, label);
    }

    /**
     * "train/urls_pos.txt": the group's list of review URLs, one line per review of its folder
     * (12,500 in the real dataset), which {@link ReviewCounts} holds the folder to.
     */
    static String urlsFileOf(int group) {
        return SPLITS[splitOf(group)] + "/urls_" + LABELS[labelOf(group)] + ".txt";
    }

    /** The group whose urls file the archive path {@code aclImdb/train/urls_pos.txt} (optionally led by {@code ./}) is, or -1. */
    static int groupOfUrlsArchivePath(String path) {
        int at = path.startsWith("./") ? 2 : 0;
        for (int group = 0; group < GROUPS; group++) {
            if (path.startsWith(URLS_ARCHIVE_PATHS[group], at) && path.length() == at + URLS_ARCHIVE_PATHS[group].length()) {
                return group;
            }
        }
        return -1;
    }

    /** Review files are the {@code .txt} files; hidden files (.DS_Store and the like) are not. */
    static boolean isReviewFileName(String name) {
        return name.endsWith(".txt") && !name.startsWith(".");
    }

    static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
