package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.text.PadSequences;
import vectorlstm.text.Tokenizer;

/**
 * Misuse of the public API that used to end in another exception deep inside, a half-changed
 * object or silently wrong training: each now fails at once, saying what is wrong.
 */
class ApiMisuseTest {
    private static final int[][] X = {{1, 2, 3, 4, 5}, {5, 4, 3, 2, 1}, {0, 0, 7, 8, 9}, {0, 1, 1, 2, 2}};
    private static final float[] Y = {1, 0, 1, 0};

    private static Sequential model(int vocab, int units) {
        return new Sequential(new Embedding(vocab, 4, 5), new Lstm(units), new Dense(1, "sigmoid")).seed(3);
    }

    private static void assertMessage(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable call, String fragment) {
        Throwable e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(fragment), "message lacks '" + fragment + "': " + e.getMessage());
    }

    @Test
    void oneOptimizerCannotTrainTwoOpenModels() {
        // Its state (moments, step count) is cut for one model's weights; a second model stepped
        // with the first one's moments, or ran off their end (IndexOutOfBounds in the kernel).
        Adam adam = new Adam();
        try (Sequential first = model(50, 7); Sequential second = model(20, 3)) {
            first.compile("binary_crossentropy", adam);
            first.fit(X, Y, 1, 4);
            assertMessage(IllegalArgumentException.class, () -> second.compile("binary_crossentropy", adam), "compiled into another open model");
            first.compile("binary_crossentropy", adam);  // compiling its own model again is fine
            first.compile("binary_crossentropy", new Adam());  // and compiling that model with another frees this one
            second.compile("binary_crossentropy", adam);
            second.fit(X, Y, 1, 4);
        }
        try (Sequential third = model(20, 3)) {
            Adam shared = new Adam();
            try (Sequential fourth = model(20, 3)) {
                fourth.compile("binary_crossentropy", shared);
            }
            third.compile("binary_crossentropy", shared);  // its model is closed: free again
            third.fit(X, Y, 1, 4);
        }
        // A compile refused for another reason changes no claim: the first optimizer stays its model's.
        Adam kept = new Adam(), offered = new Adam();
        try (Sequential m1 = model(20, 3); Sequential m2 = model(20, 3); Sequential m3 = model(20, 3)) {
            m1.compile("binary_crossentropy", kept);
            assertMessage(IllegalArgumentException.class, () -> m1.compile("binary_crossentropy", offered, "f1"), "unknown metric");
            assertMessage(IllegalArgumentException.class, () -> m2.compile("binary_crossentropy", kept), "compiled into another open model");
            m3.compile("binary_crossentropy", offered);
        }
        try (Sequential m = model(20, 3)) {
            assertMessage(IllegalArgumentException.class, () -> m.compile("binary_crossentropy", (Optimizer) null), "needs a loss and an optimizer");
            assertMessage(IllegalArgumentException.class, () -> new FitOptions().log(null), "log is null");
        }
    }

    @Test
    void aBatchLargerThanTheDataHoldsTheDataNotTheBatch() {
        // Keras caps the batch at the samples; the workers used to be sized for the batch asked
        // for (Integer.MAX_VALUE: NegativeArraySizeException, 10^8: 90 GB).
        float[] small, huge;
        try (Sequential m = model(20, 3)) {
            m.compile("binary_crossentropy", new Sgd(0.1f));
            m.fit(X, Y, 2, 4);
            small = m.predictThroughLayers(X, 4);
        }
        try (Sequential m = model(20, 3)) {
            m.compile("binary_crossentropy", new Sgd(0.1f));
            m.fit(X, Y, 2, Integer.MAX_VALUE);
            huge = m.predictThroughLayers(X, Integer.MAX_VALUE);
            assertEquals(m.evaluate(X, Y, 4).loss(), m.evaluate(X, Y, Integer.MAX_VALUE).loss(), 0.0);
        }
        assertArrayEquals(small, huge, "the same training: one batch of all 4 either way");
    }

    @Test
    void aModelWhoseBuildFailedSaysWhyAgain() {
        // Its layers keep the shapes of the failed attempt: a second build used to say "layer
        // lstm is already built". (Weights too large to allocate fail the same way, as an
        // IllegalArgumentException that gives their bytes; not tried here, since a machine that
        // overcommits memory would start zeroing them.)
        try (Sequential m = new Sequential(new Embedding(20, 4, 5), new Dense(2, "softmax"), new Lstm(3))) {
            IllegalArgumentException first = assertThrows(IllegalArgumentException.class, m::build);
            assertMessage(IllegalStateException.class, m::build, "the model could not be built: " + first.getMessage());
            assertMessage(IllegalStateException.class, () -> m.compile("binary_crossentropy", new Adam()), "could not be built");
            assertMessage(IllegalStateException.class, () -> m.add(new Dense(1, "sigmoid")), "could not be built");
        }
        // A build refused before any layer was built loses nothing: add the layers and build.
        try (Sequential empty = new Sequential()) {
            assertMessage(IllegalStateException.class, empty::build, "has no layers");
            empty.add(new Embedding(20, 4, 5)).add(new Lstm(3)).add(new Dense(1, "sigmoid"));
            empty.build();
            assertEquals(3, empty.layers().size());
        }
    }

    @Test
    void aScorerOfAClosedModelSaysSo() {
        Sequential m = model(20, 3);
        m.compile("binary_crossentropy", new Adam());
        Scorer scorer = m.newScorer();
        scorer.score(X[0]);
        m.close();
        assertMessage(IllegalStateException.class, () -> scorer.score(X[0]), "the model is closed");
        scorer.close();
    }

    @Test
    void textToolsRefuseNullsBeforeChangingAnything() {
        Tokenizer tokenizer = new Tokenizer();
        assertMessage(IllegalArgumentException.class, () -> tokenizer.fitOnTexts(Arrays.asList("a b", null)), "text 1 is null");
        assertEquals(0, tokenizer.documentCount(), "a refused call counts nothing");
        assertTrue(tokenizer.wordIndex().isEmpty());
        tokenizer.fitOnTexts(List.of("a b"));
        assertEquals(1, tokenizer.documentCount());

        int[][] seqs = {{1, 2, 3}};
        assertMessage(IllegalArgumentException.class, () -> PadSequences.pad(seqs, 2, null, null, 0), "must be PRE or POST");
        assertMessage(IllegalArgumentException.class, () -> PadSequences.pad(new int[][] {{1}, null}, null), "sequence 1 is null");
        assertMessage(IllegalArgumentException.class, () -> PadSequences.pad(new int[][] {{1}, null}, 3), "sequence 1 is null");
        assertArrayEquals(new int[] {2, 3}, PadSequences.pad(seqs, 2)[0], "Keras' default: pre-truncation");
    }
}
