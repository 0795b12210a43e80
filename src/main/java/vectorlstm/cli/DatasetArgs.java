package vectorlstm.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import vectorlstm.data.DatasetFormat;
import vectorlstm.data.DelimitedDataset;
import vectorlstm.data.FolderDataset;
import vectorlstm.data.JsonLinesDataset;
import vectorlstm.data.TextDataset;
import vectorlstm.data.imdb.HttpDownloader;
import vectorlstm.data.imdb.ImdbDataset;
import vectorlstm.data.imdb.ImdbLocator;

/**
 * The {@code --data/--format/--text-column/--label-column} flags shared by train and eval: with
 * IMDB, train reads the train split and eval the test split; any other source is read whole.
 */
final class DatasetArgs {
    enum Split { TRAIN, TEST }

    private DatasetArgs() {}

    static TextDataset load(Flags f, Split split, PrintStream log) {
        String data = f.string("data");
        if (data == null) throw new UsageException("--data is required");
        DatasetFormat format = f.string("format") == null ? null : parseFormat(f.string("format"));
        if (format == null) format = DatasetFormat.detect(Path.of(data));
        boolean delimited = format == DatasetFormat.CSV || format == DatasetFormat.JSONL;
        if (!delimited && (f.string("text-column") != null || f.string("label-column") != null)) {
            throw new UsageException("--text-column and --label-column apply to CSV/TSV and JSON-lines data only");
        }
        String explicit = f.string("format") == null ? "" : f.string("format").toLowerCase(Locale.ROOT);
        return switch (format) {
            case IMDB -> {
                ImdbDataset imdb = ImdbDataset.load(ImdbLocator.locate(data, System.getenv(), null, new HttpDownloader(), log));
                yield split == Split.TRAIN ? imdb.train() : imdb.test();
            }
            case FOLDERS -> {
                FolderDataset folders = FolderDataset.load(Path.of(data));
                for (String w : folders.warnings()) log.println("warning: " + w);
                yield folders.dataset();
            }
            case CSV -> explicit.equals("tsv") || explicit.equals("csv")
                    ? DelimitedDataset.load(Path.of(data), column(f, "text-column"), column(f, "label-column"), explicit.equals("tsv") ? '\t' : ',')
                    : DelimitedDataset.load(Path.of(data), column(f, "text-column"), column(f, "label-column"));
            case JSONL -> JsonLinesDataset.load(Path.of(data), column(f, "text-column"), column(f, "label-column"));
        };
    }

    private static String column(Flags f, String flag) {
        String v = f.string(flag);
        if (v == null) throw new UsageException("--" + flag + " is required for CSV/TSV and JSON-lines data");
        return v;
    }

    private static DatasetFormat parseFormat(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "imdb" -> DatasetFormat.IMDB;
            case "folders" -> DatasetFormat.FOLDERS;
            case "csv", "tsv" -> DatasetFormat.CSV;
            case "jsonl" -> DatasetFormat.JSONL;
            default -> throw new UsageException("--format must be imdb, folders, csv or jsonl, got '" + s + "'");
        };
    }
}
