package vectorlstm.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Gru;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Lstm;
import vectorlstm.model.Sequential;

/** A model the step-by-step record cannot follow is refused by the condition that fails, not by its layer types alone. */
class LstmStepsRefusalsTest {
    private static String refusal(Supplier<Layer> embedding, Supplier<Layer> recurrent) {
        try (Sequential m = new Sequential(embedding.get(), recurrent.get(), new Dense(1, "sigmoid")).seed(1)) {
            m.compile("binary_crossentropy", new vectorlstm.model.Adam(), "accuracy");
            return assertThrows(IllegalArgumentException.class, () -> LstmSteps.run(m, new int[] {0, 0, 1, 2})).getMessage();
        }
    }

    @Test
    void eachRefusalNamesWhatIsUnsupported() {
        assertEquals("looking inside needs an LSTM that reads forwards; this model's has go_backwards",
                refusal(() -> new Embedding(5, 3, 4), () -> new Lstm(2, false, true)));
        assertEquals("looking inside needs an Embedding → LSTM → Dense model (Dropout before the Dense allowed); this one is Embedding → GRU → Dense",
                refusal(() -> new Embedding(5, 3, 4), () -> new Gru(2)));
    }

    /**
     * Keras' usual Embedding, LSTM, Dropout, Dense was refused, though a Dropout does nothing when
     * scoring: the record and the trace follow it, and give the engine's answer.
     */
    @Test
    void aDropoutBeforeTheHeadIsFollowed() {
        try (Sequential m = new Sequential(new Embedding(5, 3, 4), new Lstm(2), new vectorlstm.layers.Dropout(0.5f), new Dense(1, "sigmoid")).seed(1)) {
            m.compile("binary_crossentropy", new vectorlstm.model.Adam(), "accuracy");
            int[] ids = {0, 0, 1, 2};
            LstmSteps s = LstmSteps.run(m, ids);
            assertEquals(m.predict(new int[][] {ids}, 1)[0], s.finalOutput()[0], 1e-5);
            String trace = ShapeTrace.format(ShapeTrace.ofIds(m, new int[][] {ids}));
            assertTrue(trace.matches("(?s).*\\ndropout +\\(1, 2\\) +Dropout\\(0\\.5\\): passes last h on unchanged when scoring.*"), trace);
        }
        try (Sequential m = new Sequential(new Embedding(5, 3, 4), new Lstm(2), new vectorlstm.layers.Dropout(0.5f), new Dense(2, "relu"),
                new Dense(1, "sigmoid")).seed(1)) {
            m.compile("binary_crossentropy", new vectorlstm.model.Adam(), "accuracy");
            assertThrows(IllegalArgumentException.class, () -> LstmSteps.run(m, new int[] {0, 0, 1, 2}), "a second Dense is not a Dropout");
        }
    }
}
