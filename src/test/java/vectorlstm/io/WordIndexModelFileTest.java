package vectorlstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.classifier.TextClassifier;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Input;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.Shape;
import vectorlstm.model.Adam;
import vectorlstm.model.Sequential;
import vectorlstm.text.KerasImdbWordIndex;
import vectorlstm.text.TextPreprocessing;

/** A Keras IMDB word index attached to an id model goes into the model file and comes back encoding the same ids. */
class WordIndexModelFileTest {
    @TempDir Path dir;

    private static final Map<String, Integer> RANKS = Map.of("the", 1, "film", 2, "good", 3, "dull", 5, "rare", 40);

    private static SavedModel idModel(int inputDim) {
        Sequential m = new Sequential(new Embedding(inputDim, 4, 6), new Lstm(3), new Dense(1, "sigmoid")).seed(4);
        m.compile("binary_crossentropy", new Adam(), "accuracy");
        return new SavedModel(m, null, TextPreprocessing.NONE, null, 6);
    }

    @Test
    void theWordIndexRoundTripsAndScoresTexts() {
        Path file = dir.resolve("imported.vlstm");
        KerasImdbWordIndex index = KerasImdbWordIndex.of(RANKS, 30);
        int[] before;
        try (SavedModel saved = idModel(30).withVocabulary(index)) {
            before = TextClassifier.of(saved).sequence("The good FILM was rare, dull!");   // (shares the model; the try closes it)
            ModelFile.save(file, saved);
        }
        // start 1, the 4, good 6, film 5, was → 2 (unknown), rare (40 + 3 ≥ 30) → 2, dull 8; pre-cut to 6.
        assertArrayEquals(new int[] {4, 6, 5, 2, 2, 8}, before);
        try (TextClassifier loaded = TextClassifier.load(file)) {
            KerasImdbWordIndex read = (KerasImdbWordIndex) loaded.tokenizer();
            assertEquals(index.wordIndex(), read.wordIndex());
            assertEquals(30, read.numWords());
            assertEquals(TextPreprocessing.NONE, loaded.preprocessing());
            assertArrayEquals(before, loaded.sequence("The good FILM was rare, dull!"));
            assertEquals(4, loaded.classify("The good FILM was rare, dull!").knownWords(), "the, good, film, dull");
            // explain's word → step map: every word sits where its id is; with room, after the start mark
            for (String text : new String[] {"The good FILM was rare, dull!", "good film", "the the the the the the the"}) {
                vectorlstm.inspect.Inspection in = vectorlstm.inspect.Inspection.of(loaded, text);
                int[] ids = loaded.sequence(text);
                for (vectorlstm.inspect.Inspection.Word w : in.words) {
                    if (w.step() >= 0) assertEquals(ids[w.step()], w.id(), text + ": " + w);
                }
                assertEquals(text.startsWith("good") ? 3 : 0, in.firstWordStep, text);
            }
            vectorlstm.inspect.Inspection shortText = vectorlstm.inspect.Inspection.of(loaded, "good film");
            assertEquals(List.of(4, 5), shortText.words.stream().map(vectorlstm.inspect.Inspection.Word::step).toList(), "step 3 is the start mark");
            vectorlstm.inspect.Inspection longText = vectorlstm.inspect.Inspection.of(loaded, "the the the the the the the");
            assertEquals(vectorlstm.inspect.Inspection.Fate.TRUNCATED, longText.words.get(0).fate(), "8 ids: the mark and the first word are cut");
            assertEquals(0, longText.words.get(1).step(), "the second word is read first");
            // Unknown words are read, as the unknown-word id: explain and --trace count them as predict's known_words does.
            vectorlstm.inspect.Inspection mixed = vectorlstm.inspect.Inspection.of(loaded, "The good FILM was rare, dull!");
            assertEquals(List.of(false, false, false, true, true, false), mixed.words.stream().map(vectorlstm.inspect.Inspection.Word::readAsUnknown).toList());
            assertEquals(2, mixed.readAsUnknown());
            assertEquals(6 - 2, loaded.classify("The good FILM was rare, dull!").knownWords());
            String page = vectorlstm.inspect.ExplainPage.html(mixed, "test");
            assertTrue(page.contains("<span class=\"w oov\"") && page.contains("not in the vocabulary, read as the unknown-word id 2; step"), "explain marks them");
            String trace = vectorlstm.inspect.ShapeTrace.ofTexts(loaded, List.of("The good FILM was rare, dull!")).get(0).toString();
            assertTrue(trace.contains("6 read (2 as the unknown-word id), 0 not in the vocabulary"), trace);
        }
    }

    @Test
    void aVocabularyMustFitTheModel() {
        try (SavedModel small = idModel(20)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small.withVocabulary(KerasImdbWordIndex.of(RANKS, 30)));
            assertTrue(e.getMessage().contains("emits ids up to 29, but the model's Embedding takes ids below 20"), e.getMessage());
        }
        Sequential numeric = new Sequential(new Input(Shape.VARIABLE, 3), new Lstm(3), new Dense(1, "sigmoid"));
        numeric.compile("binary_crossentropy", new Adam(), "accuracy");
        try (SavedModel saved = new SavedModel(numeric, null, TextPreprocessing.NONE, null, 0)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> saved.withVocabulary(KerasImdbWordIndex.of(RANKS, 30)));
            assertTrue(e.getMessage().contains("a vocabulary needs a model that reads token ids"), e.getMessage());
        }
    }
}
