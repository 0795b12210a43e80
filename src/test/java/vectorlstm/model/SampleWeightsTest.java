package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Lstm;
import vectorlstm.memory.Tensor;

/** Keras' class_weight and sample_weight in fit: each sample's loss and gradient times its weight. */
class SampleWeightsTest {
    private static final int N = 96, STEPS = 8, VOCAB = 10;
    private static final ContainsWordOne DATA = ContainsWordOne.of(N, STEPS, VOCAB, 11);
    private static final int[][] X = DATA.x();
    private static final float[] Y = DATA.y();

    private record Run(List<float[]> weights, History history) {}

    private static Sequential model() {
        return new Sequential(new Embedding(VOCAB, 6, STEPS), new Lstm(8), new Dense(1, "sigmoid")).seed(5).threads(2);
    }

    private static Run fit(Optimizer o, FitOptions options) {
        try (Sequential m = model()) {
            m.compile("binary_crossentropy", o);
            History h = m.fit(X, Y, options.verbose(false));
            return new Run(m.getWeights(), h);
        }
    }

    private static FitOptions options() { return new FitOptions().epochs(3).batchSize(16); }

    private static float[] filled(float w) {
        float[] a = new float[N];
        java.util.Arrays.fill(a, w);
        return a;
    }

    private static void assertSameWeights(List<float[]> a, List<float[]> b, String what) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), what + ": weight " + i);
    }

    @Test
    void weightsOfOneTrainTheSameBitsAsNoWeights() {
        Run plain = fit(new Adam(0.01f), options());
        Run ones = fit(new Adam(0.01f), options().classWeight(Map.of(0, 1, 1, 1.0)));
        Run sampleOnes = fit(new Adam(0.01f), options().sampleWeight(filled(1f)));
        assertSameWeights(plain.weights(), ones.weights(), "class weights of 1");
        assertSameWeights(plain.weights(), sampleOnes.weights(), "sample weights of 1");
        for (int e = 0; e < 3; e++) assertEquals(plain.history().epochs().get(e).loss(), ones.history().epochs().get(e).loss(), 0.0);
        assertSameWeights(plain.weights(), fit(new Adam(0.01f), options().classWeight(Map.of())).weights(), "an empty class-weight map (Keras: all weigh 1)");
    }

    @Test
    void theSampleWeightsAreTheOnesGivenNotWhatTheArrayHoldsLater() {
        float[] w = filled(2f);
        FitOptions o = options().sampleWeight(w);
        java.util.Arrays.fill(w, -5f);  // was trained with, unchecked: a negative loss
        w[3] = Float.NaN;
        assertSameWeights(fit(new Adam(0.01f), options().sampleWeight(filled(2f))).weights(), fit(new Adam(0.01f), o).weights(), "weights of 2, as given");
    }

    @Test
    void doubledWeightsTakeTheStepsOfADoubledSgdRate() {
        // Powers of two scale floats exactly: every gradient doubles, and 0.0625 * 2g = 0.125 * g.
        Run weighted = fit(new Sgd(0.0625f), options().sampleWeight(filled(2f)));
        Run faster = fit(new Sgd(0.125f), options());
        assertSameWeights(faster.weights(), weighted.weights(), "weight 2 at rate 1/16 against rate 1/8");
        for (int e = 0; e < 3; e++) {
            assertEquals(2 * faster.history().epochs().get(e).loss(), weighted.history().epochs().get(e).loss(), 0.0, "the loss is weighted too");
            assertEquals(faster.history().epochs().get(e).accuracy(), weighted.history().epochs().get(e).accuracy(), 0.0, "accuracy is not");
        }
    }

    @Test
    void weightsOfZeroLeaveTheModelAsItWas() {
        List<float[]> initial;
        try (Sequential m = model()) {
            initial = m.getWeights();
        }
        Run zero = fit(new Adam(0.01f), options().sampleWeight(filled(0f)));
        assertSameWeights(initial, zero.weights(), "no sample counts");
        assertEquals(0.0, zero.history().last().loss(), 0.0);
    }

    @Test
    void classWeightsAreEachSamplesClassWeight() {
        float[] byHand = new float[N];
        for (int n = 0; n < N; n++) byHand[n] = Y[n] > 0.5f ? 3f : 0.5f;
        Run classes = fit(new Adam(0.01f), options().classWeight(Map.of(0, 0.5, 1, 3.0)));
        Run samples = fit(new Adam(0.01f), options().sampleWeight(byHand));
        assertSameWeights(samples.weights(), classes.weights(), "class_weight as sample_weight");
        Run onlyClassOne = fit(new Adam(0.01f), options().classWeight(Map.of(1, 3.0)));  // class 0 not named: weight 1, as in Keras 3
        for (int n = 0; n < N; n++) byHand[n] = Y[n] > 0.5f ? 3f : 1f;
        assertSameWeights(fit(new Adam(0.01f), options().sampleWeight(byHand)).weights(), onlyClassOne.weights(), "a class not named weighs 1");
    }

    /** Binary cross-entropy of one probability, in double. */
    private static double bce(double p, double y) {
        return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
    }

    @Test
    void theLossIsTheWeightedSumOverTheSamplesCountAndValidationFollowsKeras() {
        // A rate so small that no weight moves (2^-60 * g is below every weight's last bit but the zero-started biases',
        // which move by ~1e-18): the fit's losses are those of the initial model.
        float[] w = new float[N];
        for (int n = 0; n < N; n++) w[n] = (n % 3) * 0.75f;
        double[] p = new double[N];
        try (Sequential m = model()) {
            m.build();
            float[] probs = m.predict(X, 32);
            for (int n = 0; n < N; n++) p[n] = probs[n];
        }
        int train = FitOptions.trainingSamples(N, 0.25);
        double trainLoss = 0, valWeighted = 0, valPlain = 0;
        for (int n = 0; n < train; n++) trainLoss += w[n] * bce(p[n], Y[n]);
        for (int n = train; n < N; n++) {
            valWeighted += w[n] * bce(p[n], Y[n]);
            valPlain += bce(p[n], Y[n]);
        }
        trainLoss /= train;  // Keras' sum_over_batch_size: divided by the samples, not by the weights' sum
        valWeighted /= N - train;
        valPlain /= N - train;
        History.Epoch e = fit(new Sgd((float) Math.pow(2, -60)), new FitOptions().epochs(1).batchSize(16).validationSplit(0.25).sampleWeight(w))
                .history().last();
        assertEquals(trainLoss, e.loss(), 1e-6 * trainLoss);
        assertEquals(valWeighted, e.valLoss(), 1e-6 * valWeighted, "sample_weight splits with the data: the validation loss is weighted");
        History.Epoch c = fit(new Sgd((float) Math.pow(2, -60)), new FitOptions().epochs(1).batchSize(16).validationSplit(0.25).classWeight(Map.of(1, 5.0)))
                .history().last();
        assertEquals(valPlain, c.valLoss(), 1e-6 * valPlain, "class_weight weighs the training data only");
    }

    @Test
    void validationDataAndEvaluateTakeTheirOwnWeights() {
        int half = N / 2;
        int[][] xTrain = java.util.Arrays.copyOfRange(X, 0, half), xVal = java.util.Arrays.copyOfRange(X, half, N);
        float[] yTrain = java.util.Arrays.copyOfRange(Y, 0, half), yVal = java.util.Arrays.copyOfRange(Y, half, N);
        float[] w = new float[N - half];
        for (int i = 0; i < w.length; i++) w[i] = (i % 4) * 0.5f;
        try (Sequential m = model()) {
            m.compile("binary_crossentropy", new Sgd((float) Math.pow(2, -60)));  // no weight moves: the initial model's losses
            float[] p = m.predict(xVal, 32);
            double weighted = 0;
            for (int i = 0; i < w.length; i++) weighted += w[i] * bce(p[i], yVal[i]);
            weighted /= w.length;
            History.Epoch e = m.fit(xTrain, yTrain, new FitOptions().epochs(1).batchSize(16).verbose(false).validationData(xVal, yVal, w)).last();
            assertEquals(weighted, e.valLoss(), 1e-6 * weighted, "Keras' validation_data=(x, y, sample_weight)");
            Evaluation plain = m.evaluate(xVal, yVal, 16), byWeight = m.evaluate(xVal, yVal, 16, w);
            assertEquals(weighted, byWeight.loss(), 1e-6 * weighted, "evaluate(x, y, sample_weight=w): the sum of weighted losses over the samples' count");
            assertEquals(plain.accuracy(), byWeight.accuracy(), 0.0, "accuracy is not weighted");
            float[] ones = new float[w.length];
            java.util.Arrays.fill(ones, 1f);
            assertEquals(plain.loss(), m.evaluate(xVal, yVal, 16, ones).loss(), 0.0, "weights of 1: the unweighted loss, bit for bit");
            assertRefused("3 validation sample weights for 48 validation samples",
                    () -> m.fit(xTrain, yTrain, new FitOptions().epochs(1).verbose(false).validationData(xVal, yVal, new float[3])));
            assertRefused("3 sample weights for 48 samples", () -> m.evaluate(xVal, yVal, 16, new float[3]));
            assertRefused("labels (y) are required", () -> m.evaluate(xVal, null, 16, new float[48]));  // it said "48 sample weights for 0 samples"
            assertRefused("no sample weights given (null)", () -> m.evaluate(xVal, yVal, 16, null));
            float[] nan = ones.clone();
            nan[5] = Float.NaN;
            assertRefused("the weight of sample 5 must be a finite number >= 0, got NaN", () -> m.evaluate(xVal, yVal, 16, nan));
            assertRefused("the weight of validation sample 5 must be a finite number >= 0, got NaN",
                    () -> new FitOptions().validationData(xVal, yVal, nan));
        }
    }

    @Test
    void sparseCategoricalClassWeights() {
        float[] y = new float[N];
        for (int n = 0; n < N; n++) y[n] = n % 3;
        List<List<float[]>> runs = new ArrayList<>();
        for (FitOptions o : new FitOptions[] {options(), options().classWeight(Map.of(0, 1, 1, 1, 2, 1))}) {
            try (Sequential m = new Sequential(new Embedding(VOCAB, 6, STEPS), new Lstm(8), new Dense(3, "softmax")).seed(5)) {
                m.compile("sparse_categorical_crossentropy", new Adam(0.01f));
                m.fit(X, y, o.verbose(false));
                runs.add(m.getWeights());
            }
        }
        assertSameWeights(runs.get(0), runs.get(1), "three class weights of 1");
        try (Sequential m = new Sequential(new Embedding(VOCAB, 6, STEPS), new Lstm(8), new Dense(3, "softmax")).seed(5)) {
            m.compile("sparse_categorical_crossentropy", new Adam(0.01f));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.fit(X, y, options().verbose(false).classWeight(Map.of(3, 2.0))));
            assertTrue(e.getMessage().contains("class weight for class 3, but the model has 3 classes (0 to 2)"), e.getMessage());
        }
    }

    private static void assertRefused(String fragment, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), "message lacks '" + fragment + "': " + e.getMessage());
    }

    @Test
    void badWeightsAreRefusedWithTheirReason() {
        assertRefused("cannot be given together", () -> new FitOptions().classWeight(Map.of(1, 2)).sampleWeight(filled(1f)));
        assertRefused("cannot be given together", () -> new FitOptions().sampleWeight(filled(1f)).classWeight(Map.of(1, 2)));
        assertRefused("no class weights given (null)", () -> new FitOptions().classWeight(null));
        assertRefused("no sample weights given (null)", () -> new FitOptions().sampleWeight(null));
        assertRefused("class indices >= 0, got -1", () -> new FitOptions().classWeight(Map.of(-1, 2)));
        assertRefused("the weight of class 1 must be a finite number >= 0, got -2.0", () -> new FitOptions().classWeight(Map.of(1, -2)));
        assertRefused("the weight of class 0 must be a finite number >= 0, got NaN", () -> new FitOptions().classWeight(Map.of(0, Double.NaN)));
        assertRefused("the weight of class 0 must be a finite number >= 0, got 1.0E300", () -> new FitOptions().classWeight(Map.of(0, 1e300)));
        float[] bad = filled(1f);
        bad[7] = Float.POSITIVE_INFINITY;
        assertRefused("the weight of sample 7 must be a finite number >= 0, got Infinity", () -> new FitOptions().sampleWeight(bad));
        assertRefused("95 sample weights for 96 samples", () -> fit(new Adam(), options().sampleWeight(new float[N - 1])));
        assertRefused("class weight for class 2, but the model has 2 classes (0 to 1)", () -> fit(new Adam(), options().classWeight(Map.of(2, 1))));
        Loss custom = new Loss() {  // a user's own loss, written before weights existed
            private final Loss inner = new BinaryCrossentropy();
            @Override public String name() { return "my_loss"; }
            @Override public void checkOutputLayer(Dense last) { inner.checkOutputLayer(last); }
            @Override public String checkTarget(float y, int units) { return inner.checkTarget(y, units); }
            @Override public void lossAndGradient(Tensor logits, Tensor targets, int b, float scale, Tensor dLogits, BatchResult result) {
                inner.lossAndGradient(logits, targets, b, scale, dLogits, result);
            }
        };
        try (Sequential m = model()) {
            m.compile(custom, new Adam());
            assertRefused("the loss my_loss does not take class or sample weights", () -> m.fit(X, Y, options().verbose(false).classWeight(Map.of(1, 2))));
            m.fit(X, Y, options().verbose(false));  // and without weights it trains as before
        }
    }

    @Test
    void aWeightedFitResumesOnlyWithTheSameWeights() {
        float[] w = filled(1f);
        w[0] = 2f;
        List<TrainingState> states = new ArrayList<>();
        try (Sequential m = model()) {
            m.compile("binary_crossentropy", new Adam(0.01f));
            m.fit(X, Y, options().verbose(false).sampleWeight(w).checkpoint(states::add));
        }
        TrainingState afterOne = states.get(0);
        try (Sequential m = model()) {
            m.compile("binary_crossentropy", new Adam(0.01f));
            assertRefused("other class or sample weights", () -> m.fit(X, Y, options().verbose(false).resume(afterOne)));
        }
        try (Sequential m = model()) {
            m.compile("binary_crossentropy", new Adam(0.01f));
            assertEquals(3, m.fit(X, Y, options().verbose(false).sampleWeight(w).resume(afterOne)).epochs().size(), "the same weights resume");
        }
    }
}
