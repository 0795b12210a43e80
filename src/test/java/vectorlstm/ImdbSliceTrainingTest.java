package vectorlstm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import vectorlstm.data.TextDataset;
import vectorlstm.data.imdb.ImdbDataset;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.Evaluation;
import vectorlstm.model.FitOptions;
import vectorlstm.model.History;
import vectorlstm.model.Sequential;
import vectorlstm.text.PadSequences;
import vectorlstm.text.Tokenizer;

/**
 * A short real training run, end to end through the public API: a balanced slice of IMDB
 * (2,000 train / 1,000 test reviews, from the shared data folder that our machines and CI have),
 * the seed model at maxlen 100, 2 epochs. It must generalise: test accuracy >= 0.70.
 */
class ImdbSliceTrainingTest {
    @Test
    void seedModelLearnsSentimentFromASliceOfImdb() {
        ImdbDataset imdb = ImdbDataset.load(Path.of("..", "shared", "data", "imdb"));
        TextDataset train = imdb.train().balancedSample(2000, 7), test = imdb.test().balancedSample(1000, 8);
        Tokenizer tokenizer = Tokenizer.builder().numWords(5000).build();
        tokenizer.fitOnTexts(train.texts());
        int[][] xTrain = PadSequences.pad(tokenizer.textsToSequences(train.texts()), 100);
        int[][] xTest = PadSequences.pad(tokenizer.textsToSequences(test.texts()), 100);

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

    private static float[] labels(TextDataset d) {
        float[] y = new float[d.size()];
        for (int i = 0; i < y.length; i++) y[i] = d.label(i);
        return y;
    }
}
