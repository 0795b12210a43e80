package vectorlstm.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import vectorlstm.data.text.LabelMap;
import vectorlstm.data.text.TextDataset;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.model.ConfusionMatrix;

/** {@code ./lstm eval}: accuracy first, then precision, recall, F1 and the confusion matrix. */
final class EvalCommand {
    static final Set<String> FLAGS = Set.of("model", "data", "format", "text-column", "label-column", "batch");

    private EvalCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        Flags f = Flags.parse(args, 1, FLAGS);
        if (f.string("model") == null) throw new UsageException("--model is required");
        int batch = f.boundedInt("batch", 64, 1 << 16);
        try (TextClassifier classifier = TextClassifier.load(Path.of(f.string("model")))) {
            TextDataset data = DatasetArgs.load(f, DatasetArgs.Split.TEST, err).relabel(LabelMap.inOrder(classifier.labels()));
            int[] predicted = classifier.predictClasses(data.texts());
            ConfusionMatrix cm = new ConfusionMatrix(classifier.labels().size());
            for (int i = 0; i < predicted.length; i++) cm.add(data.label(i), predicted[i]);
            out.print(cm.report(classifier.labels()));
        }
        return 0;
    }
}
