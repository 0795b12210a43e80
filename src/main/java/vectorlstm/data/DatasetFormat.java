package vectorlstm.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The kinds of labelled-text input we read, and which one a path holds.
 *
 * <p>Detection goes by names only, so this generic code knows IMDB's two names and nothing else
 * of it; the IMDB reader ({@code vectorlstm.data.imdb}) takes them from here.
 */
public enum DatasetFormat {
    /** Stanford's IMDB reviews: {@value #IMDB_ARCHIVE} or its extracted {@value #IMDB_FOLDER}/ folder ({@code data.imdb.ImdbDataset}). */
    IMDB,
    /** One sub-folder per class holding .txt files ({@link FolderDataset}). */
    FOLDERS,
    /** A .csv or .tsv file with a header row ({@link DelimitedDataset}). */
    CSV,
    /** One JSON object per line: .jsonl, .ndjson or .json ({@link JsonLinesDataset}). */
    JSONL;

    /** The file name of Stanford's IMDB archive. */
    public static final String IMDB_ARCHIVE = "aclImdb_v1.tar.gz";
    /** The IMDB archive's top folder. */
    public static final String IMDB_FOLDER = "aclImdb";
    private static final String SUPPORTED = "expected a folder with one sub-folder per class holding .txt files,"
            + " a .csv or .tsv file with a header row, a .jsonl, .ndjson or .json file with one object per line,"
            + " or the IMDB data (" + IMDB_ARCHIVE + ", an " + IMDB_FOLDER + "/ folder or a folder holding either)";

    /**
     * IMDB for the archive, the {@code aclImdb/} folder, or a folder holding either; any other
     * folder is FOLDERS; files go by extension. Unlike the IMDB loader, a folder is not
     * taken for IMDB because it holds {@code train/} or {@code test/}: users' own class folders
     * are often split that way too.
     *
     * @throws DataException if the path does not exist or is none of the supported formats
     */
    public static DatasetFormat detect(Path path) {
        if (!Files.exists(path)) {
            throw new DataException("data path does not exist: " + path.toAbsolutePath());
        }
        Path fileName = path.toAbsolutePath().normalize().getFileName();
        String name = fileName == null ? "" : fileName.toString();
        if (Files.isDirectory(path)) {
            boolean imdb = name.equals(IMDB_FOLDER) || Files.isDirectory(path.resolve(IMDB_FOLDER))
                    || Files.isRegularFile(path.resolve(IMDB_ARCHIVE));
            return imdb ? IMDB : FOLDERS;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (name.equals(IMDB_ARCHIVE)) {
            return IMDB;
        }
        if (lower.endsWith(".csv") || lower.endsWith(".tsv")) {
            return CSV;
        }
        if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".json")) {
            return JSONL;
        }
        String hint = lower.endsWith(".tar.gz") || lower.endsWith(".tgz") || lower.endsWith(".zip")
                ? " (only the IMDB archive is read packed; extract other archives first)" : "";
        throw new DataException("cannot tell the format of " + path.toAbsolutePath() + hint + ": " + SUPPORTED);
    }
}
