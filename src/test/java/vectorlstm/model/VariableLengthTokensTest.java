package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vectorlstm.io.ModelFile;
import vectorlstm.io.SavedModel;
import vectorlstm.layers.Bidirectional;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Gru;
import vectorlstm.layers.Shape;
import vectorlstm.text.TextPreprocessing;

/**
 * An Embedding with any input length (Keras' {@code input_length=None}, as older Keras files
 * declare): every sequence is scored at its own length, exactly as a fixed-length model of that
 * length with the same weights scores it; training such a model is refused with a reason.
 */
class VariableLengthTokensTest {
    @TempDir Path dir;

    private static Sequential model(int length) {
        Sequential m = new Sequential(new Embedding(30, 6, length), new Bidirectional(new Gru(5)), new Dense(1, "sigmoid")).seed(4);
        m.compile("binary_crossentropy", new Adam(), "accuracy");
        return m;
    }

    @Test
    void eachSequenceScoresAsAFixedModelOfItsLength() {
        int[][] rows = {{3}, {1, 2, 3, 4, 5, 6, 7}, {9, 9, 0, 0, 12, 29, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2}};
        try (Sequential variable = model(Shape.VARIABLE)) {
            float[] got = variable.predict(rows, 2);
            assertEquals(rows.length, got.length);
            for (int n = 0; n < rows.length; n++) {
                try (Sequential fixed = model(rows[n].length)) {
                    fixed.setWeights(variable.getWeights());
                    assertEquals(fixed.predict(new int[][] {rows[n]}, 1)[0], got[n], 1e-6f, "row " + n + " of length " + rows[n].length);
                }
            }
            // A longer sequence after shorter ones (the scorer grows its memory) and then a short one again.
            try (Scorer s = variable.newScorer()) {
                float first = s.score(rows[0]);
                s.score(rows[2]);
                assertEquals(first, s.score(rows[0]));
            }
        }
    }

    @Test
    void badSequencesAreRefusedByName() {
        try (Sequential variable = model(Shape.VARIABLE)) {
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> variable.predict(new int[][] {{1}, {}}, 2));
            assertTrue(empty.getMessage().contains("sample 1 has no token ids"), empty.getMessage());
            IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> variable.predict(new int[][] {{1, 30}}, 2));
            assertTrue(outside.getMessage().contains("token id 30 is outside the vocabulary [0, 30)"), outside.getMessage());
            IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> variable.predict(new int[][] {new int[InputChecks.MAX_SEQUENCE_STEPS + 1]}, 1));
            assertTrue(huge.getMessage().contains("more than the limit"), huge.getMessage());
        }
    }

    @Test
    void trainingIsRefusedWithAReason() {
        try (Sequential variable = model(Shape.VARIABLE)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> variable.fit(new int[][] {{1, 2}, {3}}, new float[] {0, 1}, new FitOptions().epochs(1).batchSize(2)));
            assertTrue(e.getMessage().contains("token ids of one fixed length"), e.getMessage());
        }
    }

    @Test
    void modelFileKeepsTheVariableLength() {
        Path file = dir.resolve("variable.vlstm");
        int[][] rows = {{4, 5, 6}, {7}};
        float[] before;
        try (Sequential variable = model(Shape.VARIABLE); SavedModel saved = new SavedModel(variable, null, TextPreprocessing.NONE, List.of(), 0)) {
            before = variable.predict(rows, 2);
            ModelFile.save(file, saved);
        }
        try (SavedModel loaded = ModelFile.load(file)) {
            assertEquals(0, loaded.maxlen());
            assertTrue(loaded.model().inputShape().variableLength());
            assertArrayEquals(before, loaded.model().predict(rows, 2));
        }
    }
}
