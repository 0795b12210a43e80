package vectorlstm.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.data.TextDataset;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Adam;
import vectorlstm.model.FitOptions;
import vectorlstm.model.Sequential;
import vectorlstm.text.PadSequences;
import vectorlstm.text.TextPreprocessing;
import vectorlstm.text.Tokenizer;

/**
 * A real IMDB classifier, trained here in a few seconds and saved to a model file once per test
 * JVM: the seed model's shape at a smaller size (5,000 words, maxlen 200, LSTM(32)), two epochs on
 * a balanced slice of 2,000 training reviews (0.7284 on the test set here). A real model with real
 * mistakes is all these tests need: they compare Spark's answers with the single process's.
 */
final class TestModels {
    private static Path imdbModel, tinyModel;

    private TestModels() {}

    static synchronized Path imdb() {
        if (imdbModel == null) imdbModel = train(TestData.imdb().train().balancedSample(2000, 7));
        return imdbModel;
    }

    /**
     * A model of a few dozen weights, untrained and saved once per test JVM: enough for a job whose
     * test is about its paths, not its scores, and needs no IMDB data.
     */
    static synchronized Path tiny() {
        if (tinyModel == null) {
            Tokenizer tokenizer = Tokenizer.builder().numWords(10).build();
            tokenizer.fitOnTexts(List.of("good film", "bad film"));
            Sequential model = new Sequential(new Embedding(10, 4, 8), new Lstm(3), new Dense(1, "sigmoid")).seed(2);
            model.compile("binary_crossentropy", new Adam());
            tinyModel = save(TextClassifier.of(model, tokenizer, TextPreprocessing.NONE, List.of("neg", "pos"), 8), "tiny.vlstm");
        }
        return tinyModel;
    }

    private static Path train(TextDataset train) {
        int maxlen = 200, words = 5000;
        // As the model is saved (HTML_LINE_BREAKS): the data set keeps the reviews' "<br />" as written.
        List<String> texts = train.texts().stream().map(TextPreprocessing.HTML_LINE_BREAKS::apply).toList();
        Tokenizer tokenizer = Tokenizer.builder().numWords(words).build();
        tokenizer.fitOnTexts(texts);
        int[][] x = PadSequences.pad(tokenizer.textsToSequences(texts), maxlen);
        Sequential model = new Sequential(new Embedding(words, 32, maxlen), new Lstm(32), new Dense(1, "sigmoid")).seed(7);
        model.compile("binary_crossentropy", new Adam(), "accuracy");
        model.fit(x, train.targets(), new FitOptions().epochs(2).batchSize(64));
        return save(TextClassifier.of(model, tokenizer, TextPreprocessing.HTML_LINE_BREAKS, train.labelMap().labels(), maxlen), "imdb-small.vlstm");
    }

    private static Path save(TextClassifier model, String name) {
        try (TextClassifier classifier = model) {
            Path dir = Files.createTempDirectory("vlstm-spark-model");
            Path file = dir.resolve(name);
            classifier.save(file);
            dir.toFile().deleteOnExit();  // runs after the file's, registered next: last registered, first deleted
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
