package vectorlstm.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vectorlstm.model.Sequential;

/**
 * A layer's dropout masks come from the pass's key XOR its salt: two layers of one salt drop the
 * same units at every step. Every recurrent layer of a model must have a salt of its own.
 */
class DropoutSaltTest {
    @Test
    void stackedBidirectionalLayersDrawTheirOwnMasks() {
        // Each Bidirectional names its directions "forward_lstm" and "backward_lstm" (their weights are
        // named under the wrapper's name); the salt came from that name alone, so both wrappers'
        // forward directions drew one mask.
        try (Sequential m = new Sequential(new Embedding(50, 4, 6),
                new Bidirectional(new Lstm(5, true).dropout(0.3f).recurrentDropout(0.3f)),
                new Bidirectional(new Lstm(5).dropout(0.3f).recurrentDropout(0.3f)),
                new Dense(1, "sigmoid"))) {
            m.build();
            Bidirectional first = (Bidirectional) m.layers().get(1), second = (Bidirectional) m.layers().get(2);
            assertEquals(first.forwardLayer().name(), second.forwardLayer().name(), "the directions are named alike here (Keras numbers the second forward_lstm_1)");
            Set<Long> salts = new HashSet<>();
            for (Layer l : List.of(first.forwardLayer(), first.backwardLayer(), second.forwardLayer(), second.backwardLayer(), m.layers().get(0))) {
                salts.add(l.dropoutSalt());
            }
            assertEquals(5, salts.size(), "one salt per layer");
        }
    }
}
