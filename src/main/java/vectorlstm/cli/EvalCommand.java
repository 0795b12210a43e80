package vectorlstm.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vectorlstm.classifier.Classification;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.data.DataException;
import vectorlstm.data.LabelMap;
import vectorlstm.data.TextDataset;
import vectorlstm.io.ModelFileException;
import vectorlstm.model.ConfusionMatrix;

/** {@code ./lstm eval}: accuracy first, then precision, recall, F1 and the confusion matrix. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Accuracy, precision/recall/F1 and the confusion matrix of a model on labelled data (IMDB: its test split).")
final class EvalCommand implements Callable<Integer> {
    private final Streams io;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "a model file written by train or import")
    Path model;

    @Mixin DatasetOptions dataset;

    EvalCommand(Streams io) { this.io = io; }

    @Override
    public Integer call() throws Exception {
        try (TextClassifier classifier = TextClassifier.load(model)) {
            TextDataset loaded = dataset.load(DatasetOptions.Split.TEST, io.err());
            TextDataset data;
            try {
                data = loaded.relabel(LabelMap.inOrder(classifier.labels()));
            } catch (DataException e) {
                // Class ids for names are what an import without --labels leaves; a trained model has its data's labels.
                boolean idsForNames = java.util.stream.IntStream.range(0, classifier.labels().size()).allMatch(i -> classifier.labels().get(i).equals(Integer.toString(i)));
                throw new DataException("--data " + dataset.data + " does not fit the model: its labels are " + loaded.labelMap().labels()
                        + ", the model's " + classifier.labels() + " (" + e.getMessage()
                        + (idsForNames ? "; an imported model takes names with import --labels" : "") + ")", e);
            }
            List<Classification> predicted = classifier.classify(data.texts());
            refuseNotANumber(predicted);
            ConfusionMatrix cm = new ConfusionMatrix(classifier.labels().size());
            for (int i = 0; i < predicted.size(); i++) cm.add(data.label(i), predicted.get(i).classId());
            io.out().print(cm.report(classifier.labels()));
            noteTextsWithNoKnownWord(predicted);
        }
        return Main.OK;
    }

    /**
     * Texts with no word the model knows are counted as Keras' evaluate counts them, by what the
     * model answers without a known word (predict refuses such a text): said on stderr, so that an
     * accuracy made of them is not taken for a reading of the texts.
     */
    private void noteTextsWithNoKnownWord(List<Classification> predicted) {
        long none = predicted.stream().filter(c -> c.knownWords() == 0).count();
        if (none > 0) {
            io.err().println("note: " + none + " of " + predicted.size() + " texts have no word the model knows; they count by what the model"
                    + " answers without a known word (padding, or unknown-word marks), as Keras' evaluate counts them");
        }
    }

    /**
     * A model whose weights overflow on a text (finite weights, so its file loads) outputs NaN
     * there, and a NaN loses every comparison: the text would count as class 0 and the accuracy
     * would look like a real one.
     */
    private void refuseNotANumber(List<Classification> predicted) {
        int first = -1, count = 0;
        for (int i = 0; i < predicted.size(); i++) {
            if (predicted.get(i).notANumber() == null) continue;
            if (first < 0) first = i;
            count++;
        }
        if (count > 0) {
            throw new ModelFileException(model + ": the model's output is NaN for " + count + " of " + predicted.size() + " texts (the first: text "
                    + (first + 1) + " of --data): its weights overflow on them, so there is no accuracy to report");
        }
    }
}
