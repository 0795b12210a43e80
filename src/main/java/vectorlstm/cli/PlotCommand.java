package vectorlstm.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vectorlstm.data.NumericColumns;
import vectorlstm.inspect.CurvesChart;
import vectorlstm.inspect.XyChart;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;

/**
 * {@code ./lstm plot}: the training curves saved with a model as one SVG; or, with {@code --csv},
 * two columns of a results table as a line chart (the guide's units study).
 */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Training curves saved with a model as one SVG, or two columns of a results table as a line chart.",
                "From --model: loss and accuracy per epoch, training and validation, the kept epoch.",
                "From --csv FILE --x COLUMN --y COLUMN: the two columns, as a line chart."})
final class PlotCommand implements Callable<Integer> {
    private final Streams io;

    @Option(names = "--model", paramLabel = "MODEL", description = "a model file written by train")
    Path model;

    @Option(names = "--csv", paramLabel = "FILE", description = "a results table (comma-separated, or tab-separated when it ends in .tsv; header row) instead of a model")
    Path csv;

    @Option(names = "--x", paramLabel = "COLUMN", description = "--csv: the x column")
    String x;

    @Option(names = "--y", paramLabel = "COLUMN", description = "--csv: the y column")
    String y;

    @Option(names = "--log-x", description = "--csv: x on a log scale")
    boolean logX;

    @Option(names = "--title", paramLabel = "TEXT", description = "--csv: the chart's title")
    String title;

    @Option(names = "--out", defaultValue = "curves.svg", paramLabel = "FILE", description = "where to write the chart; - for standard output (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--force", description = "replace --out even if it is not an SVG image")
    boolean force;

    PlotCommand(Streams io) { this.io = io; }

    @Override
    public Integer call() {
        if ((model == null) == (csv == null)) throw new IllegalArgumentException("give --model (training curves) or --csv (a results table), one of them");
        if (model != null && (x != null || y != null || logX || title != null)) {  // they were ignored
            throw new IllegalArgumentException("--x, --y, --log-x and --title apply to --csv; --model draws its training curves as they are");
        }
        if (!OutputFiles.isStandardOutput(out)) OutputFiles.checkReplaceable(out, OutputFiles.Kind.SVG, force, model, csv);
        if (csv != null) return table();
        // Any model file with a history: a numeric-sequence model (train --format japanese-vowels) too, which is no TextClassifier.
        try (SavedModel saved = ModelFile.load(model)) {
            if (saved.history() == null) throw new IllegalArgumentException(model + " has no training history (it was not saved by train, or by an older version)");
            String svg = CurvesChart.svg(saved.history(), "Training of " + model.getFileName());
            int epochs = saved.history().epochs().size();
            OutputFiles.writeAndSay(out, svg, io, wrote -> wrote + " (" + epochs + (epochs == 1 ? " epoch)" : " epochs)"));
        }
        return Main.OK;
    }

    private int table() {
        if (x == null || y == null) throw new IllegalArgumentException("--csv needs --x and --y (column names)");
        NumericColumns.Table table = NumericColumns.read(csv, x, y);
        double[] xs = table.values()[0], ys = table.values()[1];
        for (int i = 0; logX && i < xs.length; i++) {
            if (xs[i] <= 0) throw new IllegalArgumentException(csv + ", line " + table.lines()[i] + ": --log-x needs every x above 0; this row has x = " + asWritten(xs[i]));
        }
        String svg;
        try {
            svg = XyChart.svg(xs, ys, x, y, title == null ? y + " against " + x : title, logX);
        } catch (IllegalArgumentException e) {  // what the chart cannot draw (values past its scale) is the table's
            throw new IllegalArgumentException(csv + ": " + e.getMessage(), e);
        }
        OutputFiles.writeAndSay(out, svg, io, wrote -> wrote + " (" + xs.length + (xs.length == 1 ? " point)" : " points)"));
        return Main.OK;
    }

    /** -1 for -1.0, as a table would have it. */
    private static String asWritten(double v) { return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v); }
}
