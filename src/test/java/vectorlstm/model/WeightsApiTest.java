package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;

class WeightsApiTest {
    private static Sequential model(long seed) {
        Sequential m = new Sequential(new Embedding(20, 4, 6), new Lstm(5), new Dense(1, "sigmoid")).seed(seed);
        m.compile("binary_crossentropy", new Adam(), "accuracy");
        return m;
    }

    @Test
    void weightsComeInKerasOrderAndShapes() {
        try (Sequential m = model(1)) {
            List<float[]> w = m.getWeights();
            // embeddings [20, 4]; LSTM kernel [4, 20], recurrent kernel [5, 20], bias [20]; Dense kernel [5, 1], bias [1]
            int[] sizes = {80, 80, 100, 20, 5, 1};
            assertEquals(sizes.length, w.size());
            for (int i = 0; i < sizes.length; i++) assertEquals(sizes[i], w.get(i).length, "weight " + i);
            float[] bias = w.get(3);
            for (int j = 5; j < 10; j++) assertEquals(1f, bias[j], "unit_forget_bias: the f slice (gates i, f, c, o) starts at 1");
            assertArrayEquals(new int[] {5, 20}, m.layers().get(1).parameters().get(1).shape());
        }
    }

    @Test
    void setWeightsCopiesAModelAndItsScorersFollow() {
        int[] x = {0, 0, 3, 4, 5, 6};
        try (Sequential a = model(1); Sequential b = model(2); Scorer scorerOfB = b.newScorer()) {
            float before = scorerOfB.score(x);
            assertNotEquals(a.newScorer().score(x), before, "different seeds, different models");
            b.setWeights(a.getWeights());
            try (Scorer scorerOfA = a.newScorer()) {
                assertEquals(scorerOfA.score(x), scorerOfB.score(x), "the existing scorer sees the new weights without weightsChanged()");
            }
            assertArrayEquals(a.predict(new int[][] {x}, 1), b.predict(new int[][] {x}, 1));
        }
    }

    @Test
    void badWeightsAreRefusedAndNothingIsWritten() {
        try (Sequential m = model(1)) {
            List<float[]> good = m.getWeights();
            List<float[]> wrongCount = new ArrayList<>(good.subList(0, 5));
            assertMessage(() -> m.setWeights(wrongCount), "has 6 weights");

            List<float[]> wrongShape = copy(good);
            wrongShape.set(2, new float[99]);
            assertMessage(() -> m.setWeights(wrongShape), "recurrent_kernel[5, 20]: expected 100 values, got 99");

            List<float[]> nan = copy(good);
            nan.get(0)[0] = 42f;             // would be written first...
            nan.get(5)[0] = Float.NaN;       // ...if the last array were not checked before anything is written
            assertMessage(() -> m.setWeights(nan), "must be finite");
            assertEquals(good.get(0)[0], m.getWeights().get(0)[0], "nothing was written");

            assertMessage(() -> m.layers().get(2).setWeights(List.of(new float[5])), "has 2 weights");
        }
    }

    private static List<float[]> copy(List<float[]> w) {
        List<float[]> out = new ArrayList<>();
        for (float[] a : w) out.add(a.clone());
        return out;
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String fragment) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(fragment), x.getMessage());
    }
}
