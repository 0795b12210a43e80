package vectorlstm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vectorlstm.classifier.ClassifierTraining;
import vectorlstm.classifier.LayerSpec;
import vectorlstm.classifier.OptimizerSpec;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.classifier.TrainingRecipe;
import vectorlstm.data.TextDataset;
import vectorlstm.data.imdb.ImdbDataset;
import vectorlstm.data.imdb.RealImdb;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.Evaluation;
import vectorlstm.model.FitOptions;
import vectorlstm.model.History;
import vectorlstm.model.Sequential;
import vectorlstm.text.PadSequences;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.text.Tokenizer;
import vectorlstm.text.vectors.ImdbVectors;
import vectorlstm.text.vectors.MissingWords;

/**
 * A short real training run, end to end through the public API: a balanced slice of IMDB
 * (2,000 train / 1,000 test reviews; the data found as the demo finds it, {@link RealImdb}),
 * the seed model at maxlen 100, 2 epochs. It must generalise: test accuracy >= 0.70.
 */
class ImdbSliceTrainingTest {
    @Test
    void seedModelLearnsSentimentFromASliceOfImdb() {
        ImdbDataset imdb = ImdbDataset.load(RealImdb.location());
        TextDataset train = imdb.train().balancedSample(2000, 7), test = imdb.test().balancedSample(1000, 8);
        Tokenizer tokenizer = Tokenizer.builder().numWords(5000).build();
        tokenizer.fitOnTexts(texts(train));
        int[][] xTrain = PadSequences.pad(tokenizer.textsToSequences(texts(train)), 100);
        int[][] xTest = PadSequences.pad(tokenizer.textsToSequences(texts(test)), 100);

        try (Sequential model = new Sequential(new Embedding(5000, 32, 100), new Lstm(100), new Dense(1, "sigmoid")).seed(7)) {
            model.compile("binary_crossentropy", new Adam(), "accuracy");
            History h = model.fit(xTrain, labels(train), new FitOptions().epochs(2).batchSize(64));
            Evaluation e = model.evaluate(xTest, labels(test), 64);
            System.out.printf("IMDB slice: train loss %.4f acc %.4f; test loss %.4f acc %.4f%n",
                    h.last().loss(), h.last().accuracy(), e.loss(), e.accuracy());
            assertTrue(h.last().loss() < h.epochs().get(0).loss(), "training loss decreases");
            assertTrue(e.accuracy() >= 0.70, "test accuracy " + e.accuracy() + " < 0.70");
        }
    }

    /**
     * The same slice through {@code ./lstm train}'s recipe with our 100-d fastText vectors (the
     * shared file, or the committed slice of its 2,000 most frequent words: {@link ImdbVectors}),
     * fine-tuned: the vectors must be found for most of the vocabulary and the model must generalise.
     */
    @Test
    void pretrainedFastTextVectorsTrainOnASliceOfImdb() {
        ImdbDataset imdb = ImdbDataset.load(RealImdb.location());
        TextDataset train = imdb.train().balancedSample(2000, 7), test = imdb.test().balancedSample(1000, 8);
        TrainingRecipe recipe = new TrainingRecipe(5000, 100, LayerSpec.parse("lstm:64"), false, 100,
                ImdbVectors.file(), true, MissingWords.RANDOM, 1f, 4, 64, 0.1,
                OptimizerSpec.adam(0.001f, 1f),
                false, 2, "val_accuracy", 7, 2, false, null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ClassifierTraining.Result r = ClassifierTraining.train(train, recipe, new PrintStream(log, true, StandardCharsets.UTF_8));
        String out = log.toString(StandardCharsets.UTF_8);
        try (TextClassifier classifier = r.classifier()) {
            Matcher found = Pattern.compile("found ([\\d,]+) of ([\\d,]+) words").matcher(out);
            assertTrue(found.find(), out);
            double coverage = Double.parseDouble(found.group(1).replace(",", "")) / Double.parseDouble(found.group(2).replace(",", ""));
            int[] predicted = classifier.predictClasses(test.texts());
            int right = 0;
            for (int i = 0; i < predicted.length; i++) {
                if (classifier.labels().get(predicted[i]).equals(test.labelMap().label(test.label(i)))) right++;
            }
            double accuracy = right / (double) predicted.length;
            System.out.printf("IMDB slice with fastText vectors (%s): coverage %.3f, test accuracy %.4f%n",
                    ImdbVectors.file().getFileName(), coverage, accuracy);
            // The 2,000 most frequent words hold about 0.4 of the tokenizer's 4,999; the whole file nearly all.
            assertTrue(coverage >= (ImdbVectors.file().equals(ImdbVectors.SHARED) ? 0.95 : 0.35), "coverage " + coverage + "\n" + out);
            assertTrue(accuracy >= 0.70, "test accuracy " + accuracy + " < 0.70");
        }
    }

    /** The texts as the Keras example reads them: each HTML line break a space (the data set keeps them as written). */
    static java.util.List<String> texts(TextDataset d) {
        return d.texts().stream().map(TextPreprocessing.HTML_LINE_BREAKS::apply).toList();
    }

    private static float[] labels(TextDataset d) {
        float[] y = new float[d.size()];
        for (int i = 0; i < y.length; i++) y[i] = d.label(i);
        return y;
    }
}
