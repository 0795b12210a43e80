package vectorlstm.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;
import vectorlstm.data.imdb.HttpDownloader;
import vectorlstm.data.imdb.ImdbDataset;
import vectorlstm.data.imdb.ImdbLocator;
import vectorlstm.data.DatasetFormat;
import vectorlstm.data.DelimitedDataset;
import vectorlstm.data.FolderDataset;
import vectorlstm.data.JsonLinesDataset;
import vectorlstm.data.TextDataset;

/**
 * The data flags shared by train and eval. With IMDB, train reads the train split and eval the
 * test split; any other source is read whole.
 */
final class DatasetOptions {
    enum Split { TRAIN, TEST }

    @Option(names = "--data", required = true, paramLabel = "PATH",
            description = "IMDB (folder or aclImdb_v1.tar.gz), a folder of one sub-folder per label, a CSV/TSV or a JSON-lines file")
    String data;

    @Option(names = "--format", paramLabel = "FORMAT", description = "imdb, folders, csv, tsv, jsonl, or japanese-vowels (numeric sequences; train only) (default: from the path)")
    String format;

    /** {@code --format japanese-vowels}: numeric sequences, which train reads itself (not a text data set). */
    boolean isJapaneseVowels() {
        return format != null && format.toLowerCase(Locale.ROOT).equals("japanese-vowels");
    }

    @Option(names = "--text-column", paramLabel = "NAME", description = "CSV/TSV/JSON-lines (required there): the column or key with the text")
    String textColumn;

    @Option(names = "--label-column", paramLabel = "NAME", description = "CSV/TSV/JSON-lines (required there): the column or key with the label")
    String labelColumn;

    TextDataset load(Split split, PrintStream log) {
        if (data.isBlank()) throw new IllegalArgumentException("--data needs a non-empty value");
        DatasetFormat f = format == null ? DatasetFormat.detect(Path.of(data)) : parseFormat(format);
        boolean delimited = f == DatasetFormat.CSV || f == DatasetFormat.JSONL;
        if (!delimited && (textColumn != null || labelColumn != null)) {
            throw new IllegalArgumentException("--text-column and --label-column apply to CSV/TSV and JSON-lines data only"
                    + (java.nio.file.Files.isDirectory(Path.of(data)) ? "; " + data + " is a folder (read as " + f.name().toLowerCase(Locale.ROOT) + ")" : ""));
        }
        String explicit = format == null ? "" : format.toLowerCase(Locale.ROOT);
        return switch (f) {
            case IMDB -> {
                ImdbDataset imdb = ImdbDataset.load(ImdbLocator.locate(data, System.getenv(), null, new HttpDownloader(), log));
                yield split == Split.TRAIN ? imdb.train() : imdb.test();
            }
            case FOLDERS -> {
                // The Japanese Vowels files are a folder too, but of numeric sequences: read as class folders they said "0 class folders".
                if (Files.isRegularFile(Path.of(data, "ae.train")) && Files.isRegularFile(Path.of(data, "ae.test"))) {
                    throw new IllegalArgumentException(data + " holds ae.train and ae.test, the Japanese Vowels data: ./lstm train reads it with --format japanese-vowels");
                }
                FolderDataset folders = FolderDataset.load(Path.of(data), split == Split.TRAIN ? 2 : 1);  // eval: one class is a test set too
                for (String w : folders.warnings()) log.println("warning: " + w);
                yield folders.dataset();
            }
            case CSV -> explicit.equals("tsv") || explicit.equals("csv")
                    ? DelimitedDataset.load(Path.of(data), column(textColumn, "--text-column"), column(labelColumn, "--label-column"), explicit.equals("tsv") ? '\t' : ',')
                    : DelimitedDataset.load(Path.of(data), column(textColumn, "--text-column"), column(labelColumn, "--label-column"));
            case JSONL -> JsonLinesDataset.load(Path.of(data), column(textColumn, "--text-column"), column(labelColumn, "--label-column"));
        };
    }

    private static String column(String value, String flag) {
        if (value == null) throw new IllegalArgumentException(flag + " is required for CSV/TSV and JSON-lines data");
        return value;
    }

    private static DatasetFormat parseFormat(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "imdb" -> DatasetFormat.IMDB;
            case "folders" -> DatasetFormat.FOLDERS;
            case "csv", "tsv" -> DatasetFormat.CSV;
            case "jsonl" -> DatasetFormat.JSONL;
            case "japanese-vowels" -> throw new IllegalArgumentException("--format japanese-vowels holds numeric sequences: only ./lstm train reads it (and reports the test accuracy)");
            default -> throw new IllegalArgumentException("--format must be imdb, folders, csv, tsv, jsonl or japanese-vowels, got '" + s + "'");
        };
    }
}
