package vectorlstm.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import vectorlstm.data.LabelMap;
import vectorlstm.data.TextDataset;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;
import vectorlstm.model.ConfusionMatrix;
import vectorlstm.text.HtmlLineBreaks;
import vectorlstm.text.PadSequences;

/** {@code ./lstm eval}: accuracy first, then precision, recall, F1 and the confusion matrix. */
final class EvalCommand {
    static final Set<String> FLAGS = Set.of("model", "data", "format", "text-column", "label-column", "batch");

    private EvalCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        Flags f = Flags.parse(args, 1, FLAGS);
        if (f.string("model") == null) throw new UsageException("--model is required");
        int batch = f.boundedInt("batch", 64, 1 << 16);
        try (SavedModel saved = ModelFile.load(Path.of(f.string("model")))) {
            if (saved.tokenizer() == null) throw new IllegalArgumentException(f.string("model") + " has no tokenizer: it was not trained on texts");
            TextDataset data = DatasetArgs.load(f, DatasetArgs.Split.TEST, err).relabel(LabelMap.inOrder(saved.labels()));
            int[][] x = PadSequences.pad(saved.tokenizer().textsToSequences(HtmlLineBreaks.toSpaces(data.texts())), saved.maxlen());
            int units = saved.model().layers().get(saved.model().layers().size() - 1).outputShape().last();
            int[] predicted = ConfusionMatrix.predictedClasses(saved.model().predict(x, batch), units);
            ConfusionMatrix cm = new ConfusionMatrix(saved.labels().size());
            for (int i = 0; i < predicted.length; i++) cm.add(data.label(i), predicted[i]);
            out.print(cm.report(saved.labels()));
        }
        return 0;
    }
}
