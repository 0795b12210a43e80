package vectorlstm.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        assertEquals("looking inside needs an Embedding → LSTM → Dense model; this one is Embedding → GRU → Dense",
                refusal(() -> new Embedding(5, 3, 4), () -> new Gru(2)));
    }
}
