package vectorlstm.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.inspect.ExplainPage;
import vectorlstm.inspect.Inspection;

/** {@code ./lstm explain}: one self-contained HTML page showing how the model read one text. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"How a model read one text, as one self-contained HTML page.",
                "Words coloured by how each moved the probability, the probability after every word, gate and cell-state heatmaps, the answer."})
final class ExplainCommand implements Callable<Integer> {
    private final Streams io;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "a model file written by train or import")
    Path model;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "the text to explain")
    String text;

    @Option(names = "--out", defaultValue = "explain.html", paramLabel = "FILE", description = "where to write the page; - for standard output (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--force", description = "replace --out even if it is not an HTML page")
    boolean force;

    ExplainCommand(Streams io) { this.io = io; }

    @Override
    public Integer call() {
        String text = Checks.commandLineText("--text", this.text, false);
        if (!OutputFiles.isStandardOutput(out)) OutputFiles.checkReplaceable(out, OutputFiles.Kind.HTML, force, model);
        try (TextClassifier c = TextClassifier.load(model)) {
            Inspection in = Inspection.of(c, text);
            String html = ExplainPage.html(in, model.getFileName() + ": " + c.model().layers().stream().map(l -> l.typeName()).toList());
            long asUnknown = in.readAsUnknown();
            // As the page says it: with no word read the model saw only padding, and "neg (p = 0.9434)" alone read as a verdict on the text.
            String note = in.readWords().isEmpty() ? ": no word is in the model's vocabulary, so the answer says nothing about the text"
                    : asUnknown == 0 ? "" : ", " + asUnknown + " of them as the unknown-word id";
            String answer = String.format(Locale.ROOT, "%s (p = %.4f, %d of %d words read%s); ", c.labels().get(in.predicted),
                    in.probability(in.steps.steps - 1, in.predicted), in.readWords().size(), in.words.size(), note);
            OutputFiles.writeAndSay(out, html, io, wrote -> answer + wrote);
        }
        return Main.OK;
    }
}
