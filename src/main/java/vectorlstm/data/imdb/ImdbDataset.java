package vectorlstm.data.imdb;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;
import vectorlstm.data.DataException;
import vectorlstm.data.TextDataset;

/**
 * The IMDB Large Movie Review dataset (aclImdb v1): 25,000 labeled training and 25,000 labeled
 * test reviews. The unlabeled {@code train/unsup} reviews and the other files are not read.
 *
 * <p>Each split lists its negatives (label 0) then its positives (label 1), each by the numeric
 * id of the {@code <id>_<rating>.txt} file, so the order never depends on the archive or the file
 * system. Texts are the reviews as written, HTML line breaks ({@code <br />}) included: a
 * model's {@link vectorlstm.text.TextPreprocessing} decides what they become, so an imported Keras
 * IMDB model is evaluated on the words it was trained on. Both splits label "neg" = 0 and "pos" = 1.
 */
public final class ImdbDataset {
    public static final String ARCHIVE_NAME = ImdbSource.ARCHIVE_NAME;

    private final TextDataset train;
    private final TextDataset test;

    private ImdbDataset(TextDataset train, TextDataset test) {
        this.train = train;
        this.test = test;
    }

    /**
     * Loads the dataset from the .tar.gz archive, a folder holding {@value #ARCHIVE_NAME}, a folder
     * holding {@code aclImdb/}, or the {@code aclImdb/} folder itself. A folder holding both the
     * archive and {@code aclImdb/} is read from the archive. A labeled folder with a
     * {@code urls_<label>.txt} beside it must hold as many reviews as that lists ({@link ReviewCounts}).
     *
     * @throws DataException if the data is missing, incomplete, truncated or unreadable
     */
    public static ImdbDataset load(Path source) {
        if (source == null) throw new IllegalArgumentException("no IMDB archive or folder given (null)");
        ImdbSource found = ImdbSource.resolve(source);
        return found.isArchive() ? fromArchive(found.path()) : fromFolder(found.path());
    }

    public TextDataset train() {
        return train;
    }

    public TextDataset test() {
        return test;
    }

    private static ImdbDataset fromArchive(Path archive) {
        ReviewCollector reviews = new ReviewCollector();
        ReviewCounts counts = new ReviewCounts();
        TarReader.readTarGz(archive, new TarVisitor() {
            // wants() has just classified the path that file() then receives.
            private int group;
            private int urlsGroup;

            @Override
            public boolean wants(String path) {
                group = ImdbPaths.groupOfArchivePath(path);
                urlsGroup = group < 0 ? ImdbPaths.groupOfUrlsArchivePath(path) : -1;
                return group >= 0 || urlsGroup >= 0;
            }

            @Override
            public void file(String path, byte[] data, int length) {
                if (group >= 0) {
                    reviews.add(group, ImdbPaths.fileName(path), data, length, archive + ": " + path);
                } else {
                    counts.listed(urlsGroup, data, length, archive + ": " + path);
                }
            }
        });
        for (int group = 0; group < ImdbPaths.GROUPS; group++) {
            counts.check(group, reviews.size(group), archive + ": " + ImdbPaths.TOP + "/" + ImdbPaths.folderOf(group) + "/",
                    "The archive is damaged or was packed from an incomplete copy: download " + ARCHIVE_NAME + " again.");
        }
        return build(reviews, group -> "archive " + archive + " has no reviews in "
                + ImdbPaths.TOP + "/" + ImdbPaths.folderOf(group) + "/ (is it the IMDB " + ARCHIVE_NAME + "?)");
    }

    private static ImdbDataset fromFolder(Path root) {
        ReviewCollector reviews = new ReviewCollector();
        ReviewCounts counts = new ReviewCounts();
        for (int group = 0; group < ImdbPaths.GROUPS; group++) {
            Path dir = root.resolve(ImdbPaths.folderOf(group));
            if (!Files.isDirectory(dir)) {
                throw new DataException("missing IMDB folder " + dir.toAbsolutePath());
            }
            readFolder(dir, group, reviews);
            readUrlsFile(root.resolve(ImdbPaths.urlsFileOf(group)), group, counts);
            counts.check(group, reviews.size(group), "folder " + dir.toAbsolutePath(), "Was it half copied or"
                    + " half extracted? Copy or extract " + ImdbPaths.TOP + "/ again, or point --data at " + ARCHIVE_NAME + " itself.");
        }
        return build(reviews, group -> "no <id>_<rating>.txt reviews in folder "
                + root.resolve(ImdbPaths.folderOf(group)).toAbsolutePath());
    }

    /** The group's urls file if the tree has one (the real dataset does; small hand-made trees need not). */
    private static void readUrlsFile(Path file, int group, ReviewCounts counts) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            // 612,500 bytes in the real dataset; the archive reader caps every entry it reads the same way.
            if (Files.size(file) > TarReader.MAX_ENTRY_BYTES) {
                throw new DataException(file.toAbsolutePath() + " holds " + Files.size(file) + " bytes: too large for a list of review URLs");
            }
            byte[] data = Files.readAllBytes(file);
            counts.listed(group, data, data.length, file.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new DataException("cannot read " + file.toAbsolutePath() + ": " + DataException.reason(e), e);
        }
    }

    private static void readFolder(Path dir, int group, ReviewCollector reviews) {
        Path current = dir;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                current = file;
                String name = file.getFileName().toString();
                if (ImdbPaths.isReviewFileName(name) && Files.isRegularFile(file)) {
                    if (Files.size(file) > TextDataset.MAX_TEXT_BYTES) {
                        throw new DataException(file + " holds " + Files.size(file) + " bytes, more than a review can (" + (TextDataset.MAX_TEXT_BYTES >> 20) + " MiB)");
                    }
                    byte[] data = Files.readAllBytes(file);
                    reviews.add(group, name, data, data.length, file.toString());
                }
            }
        } catch (IOException e) {
            throw new DataException("cannot read " + current.toAbsolutePath() + ": " + DataException.reason(e), e);
        } catch (DirectoryIteratorException e) {
            throw new DataException("cannot read " + current.toAbsolutePath() + ": " + DataException.reason(e.getCause()), e);
        }
    }

    private static ImdbDataset build(ReviewCollector reviews, IntFunction<String> emptyGroup) {
        return new ImdbDataset(reviews.build(0, emptyGroup), reviews.build(1, emptyGroup));
    }
}
