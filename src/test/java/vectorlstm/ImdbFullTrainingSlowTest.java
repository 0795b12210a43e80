package vectorlstm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import vectorlstm.data.TextDataset;
import vectorlstm.data.imdb.ImdbDataset;
import vectorlstm.data.imdb.RealImdb;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.Evaluation;
import vectorlstm.model.FitOptions;
import vectorlstm.model.Sequential;
import vectorlstm.text.PadSequences;
import vectorlstm.text.Tokenizer;

/**
 * The demo's full run as a test (as long as ./lstm demo: about a minute on 2 cores of a Zen 5): all 25,000 reviews, 5,000 words,
 * maxlen 500, 3 epochs, batch 64, seed 7, which must reach the goal's 0.87 (it was held to 0.865, below the goal; seed 7
 * gave 0.8717 in every demo run on the Zen 5 until 2026-12-05, 0.8781 since, and other seeds 0.84-0.88: one seed is a check, not a claim). Opt-in only:
 * {@code ./lstm test -Pslow}; the default suite keeps to the short IMDB slice.
 */
@Tag("slow")
class ImdbFullTrainingSlowTest {
    @Test
    void kerasImdbProgramReachesTheTarget() {
        ImdbDataset imdb = ImdbDataset.load(RealImdb.location());
        Tokenizer tokenizer = Tokenizer.builder().numWords(5000).build();
        tokenizer.fitOnTexts(ImdbSliceTrainingTest.texts(imdb.train()));
        int[][] xTrain = PadSequences.pad(tokenizer.textsToSequences(ImdbSliceTrainingTest.texts(imdb.train())), 500);
        int[][] xTest = PadSequences.pad(tokenizer.textsToSequences(ImdbSliceTrainingTest.texts(imdb.test())), 500);
        try (Sequential model = new Sequential(new Embedding(5000, 32, 500), new Lstm(100), new Dense(1, "sigmoid")).seed(7)) {
            model.compile("binary_crossentropy", new Adam(), "accuracy");
            model.fit(xTrain, labels(imdb.train()), new FitOptions().epochs(3).batchSize(64));
            Evaluation e = model.evaluate(xTest, labels(imdb.test()), 64);
            System.out.printf("IMDB full: test accuracy %.4f%n", e.accuracy());
            assertTrue(e.accuracy() >= 0.87, "test accuracy " + e.accuracy());
        }
    }

    private static float[] labels(TextDataset d) {
        float[] y = new float[d.size()];
        for (int i = 0; i < y.length; i++) y[i] = d.label(i);
        return y;
    }
}
