package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Dropout;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Input;
import vectorlstm.layers.Lstm;

/**
 * A fit resumed from the {@link TrainingState} of an epoch trains as the uninterrupted fit did,
 * bit for bit: weights, optimizer state, shuffling, dropout masks, early stopping and the
 * learning-rate plateau all carry over. A state that does not belong to the model, data or
 * options is refused before anything changes.
 */
class TrainingResumeTest {
    private static final int[][] X = SequentialTest.randomIds(96, 10, 20, 3);
    private static final float[] Y = SequentialTest.labelsContainingOne(X);

    @Test
    void theResumableRandomDrawsWhatJavaUtilRandomDraws() {
        ResumableRandom ours = new ResumableRandom(42 * 31 + 17);
        Random theirs = new Random(42 * 31 + 17);
        for (int i = 1; i < 100_000; i++) assertEquals(theirs.nextInt(i % 997 + 1), ours.nextInt(i % 997 + 1), "draw " + i);
        long state = ours.state();
        int[] next = new int[50];
        for (int i = 0; i < next.length; i++) next[i] = ours.nextInt(1000 + i);
        ResumableRandom restored = new ResumableRandom(0);
        restored.restore(state);
        for (int i = 0; i < next.length; i++) assertEquals(next[i], restored.nextInt(1000 + i), "draw " + i + " after restore");
        assertThrows(IllegalArgumentException.class, () -> restored.restore(1L << 48));
    }

    /** What a run leaves: every weight of the model in order, and the history's numbers without the wall time. */
    private record Outcome(List<float[]> weights, List<String> history, int restoredEpoch) {
        void assertSame(Outcome other) {
            assertEquals(history, other.history, "the history");
            assertEquals(restoredEpoch, other.restoredEpoch, "the restored epoch");
            assertEquals(weights.size(), other.weights.size());
            for (int i = 0; i < weights.size(); i++) assertArrayEquals(weights.get(i), other.weights.get(i), "weight " + i);
        }
    }

    private static Outcome outcome(Sequential m, History h) {
        List<String> lines = new ArrayList<>();
        for (History.Epoch e : h.epochs()) lines.add(e.epoch() + " " + e.loss() + " " + e.accuracy() + " " + e.valLoss() + " " + e.valAccuracy());
        return new Outcome(m.getWeights(), lines, h.restoredEpoch());
    }

    /** The state a two-epoch fit of the toy model checkpoints after its first epoch. */
    private static TrainingState firstCheckpoint(Supplier<Optimizer> optimizer) {
        List<TrainingState> states = new ArrayList<>();
        try (Sequential m = toyModel(optimizer)) {
            m.fit(X, Y, options(2).checkpoint(states::add));
        }
        return states.get(0);
    }

    /**
     * FitOptions.onEpochEnd hears each epoch once, as it ends, with the figures the history keeps;
     * after the checkpoint of that epoch is written; a resumed fit does not hand over the state's
     * epochs again; and an exception from it ends the fit there.
     */
    @Test
    void theEpochListenerHearsEachEpochOnceAsItEnds() {
        List<History.Epoch> heard = new ArrayList<>();
        List<TrainingState> states = new ArrayList<>();
        try (Sequential m = toyModel(Adam::new)) {
            History h = m.fit(X, Y, options(3).checkpoint(states::add).onEpochEnd(e -> {
                assertEquals(e.epoch(), states.size(), "epoch " + e.epoch() + " heard after its checkpoint");
                heard.add(e);
            }));
            assertEquals(h.epochs(), heard);
        }
        heard.clear();
        try (Sequential m = toyModel(Adam::new)) {
            m.fit(X, Y, options(3).resume(states.get(0)).onEpochEnd(heard::add));
            assertEquals(List.of(2, 3), heard.stream().map(History.Epoch::epoch).toList(), "the state's epoch 1 is not heard again");
        }
        class Stop extends RuntimeException {}
        try (Sequential m = toyModel(Adam::new)) {
            List<TrainingState> written = new ArrayList<>();
            assertThrows(Stop.class, () -> m.fit(X, Y, options(3).checkpoint(written::add).onEpochEnd(e -> {
                if (e.epoch() == 2) throw new Stop();
            })));
            assertEquals(2, written.size(), "the fit ended at epoch 2");
        }
    }

    private static Sequential toyModel(Supplier<Optimizer> optimizer) {
        Sequential m = new Sequential(new Embedding(20, 5, 10), new Lstm(9), new Dropout(0.5f), new Dense(1, "sigmoid")).seed(11).threads(2);
        m.compile("binary_crossentropy", optimizer.get(), "accuracy");
        return m;
    }

    /** Every callback on: validation split, early stopping that restores, a plateau that lowers the rate. */
    private static FitOptions options(int epochs) {
        return new FitOptions().epochs(epochs).batchSize(32).validationSplit(0.25).verbose(false)
                .earlyStopping(new EarlyStopping("val_loss", 10, 0, true))
                // minDelta 10: no epoch after the first counts as better, so the rate halves, then cools down for two
                .reduceLrOnPlateau(new ReduceLrOnPlateau("loss", 0.5, 0, 10, 0, 2));
    }

    private static void assertResumedFitMatches(Supplier<Optimizer> optimizer) {
        List<TrainingState> states = new ArrayList<>();
        Outcome whole;
        try (Sequential m = toyModel(optimizer)) {
            History h = m.fit(X, Y, options(4).checkpoint(states::add));
            whole = outcome(m, h);
        }
        assertEquals(4, states.size(), "one state per epoch");
        for (int after = 1; after <= 3; after++) {
            try (Sequential m = toyModel(optimizer)) {  // a new process: a fresh model with the same seed
                History h = m.fit(X, Y, options(4).resume(states.get(after - 1)));
                whole.assertSame(outcome(m, h));
            }
        }
    }

    @Test
    void aFitResumedAfterAnyEpochTrainsAsTheUninterruptedFit() {
        assertResumedFitMatches(() -> new Adam(0.01f));
        assertResumedFitMatches(() -> new AdamW(0.01f, 0.01f));
        assertResumedFitMatches(() -> new Sgd(0.1f, 0.9f, true));
        assertResumedFitMatches(() -> new RmsProp(0.01f, 0.9f, 0.5f, 1e-7f, true));
    }

    @Test
    void theStatesTellTheCallbacksApart() {
        // Were the plateau or the sequence not carried over, the test above could pass by accident only if they
        // did not matter: check they do. The plateau lowers the rate, the shuffler moves, dropout keys count on.
        List<TrainingState> states = new ArrayList<>();
        try (Sequential m = toyModel(() -> new Adam(0.01f))) {
            m.fit(X, Y, options(3).checkpoint(states::add));
        }
        assertEquals(0.01f, states.get(0).optimizer().learningRate());
        assertEquals(0.005f, states.get(1).optimizer().learningRate(), "the plateau halved the rate after epoch 2");
        assertEquals(2, states.get(1).plateau().cooldownLeft(), "and cools down");
        assertEquals(0.005f, states.get(2).optimizer().learningRate(), "through epoch 3");
        assertEquals(1, states.get(2).plateau().cooldownLeft());
        assertNotEquals(states.get(0).sequence().shufflerState(), states.get(1).sequence().shufflerState());
        assertEquals(3, states.get(2).sequence().epochsStarted());
        assertEquals(3 * 3, states.get(2).optimizer().iterations(), "72 samples in batches of 32: 3 updates an epoch");
        // The weights alone are not the state: a fresh fit from epoch 1's weights trains to other weights than the resumed one.
        try (Sequential resumed = toyModel(() -> new Adam(0.01f)); Sequential fromWeights = toyModel(() -> new Adam(0.01f))) {
            resumed.fit(X, Y, options(3).resume(states.get(0)));
            fromWeights.setWeights(states.get(0).weights());
            fromWeights.fit(X, Y, options(2));
            assertTrue(!java.util.Arrays.equals(resumed.getWeights().get(1), fromWeights.getWeights().get(1)), "the optimizer state and sequence matter");
        }
    }

    /** The fit that applies a state clears it from the options: the arrays are freed, and the next fit with them goes on, not back. */
    @Test
    void aStateIsAppliedOnce() {
        List<TrainingState> states = new ArrayList<>();
        List<float[]> twoFits;
        try (Sequential m = toyModel(() -> new Adam(0.01f))) {
            m.fit(X, Y, options(2).checkpoint(states::add));
            m.fit(X, Y, options(2));
            twoFits = m.getWeights();
        }
        try (Sequential m = toyModel(() -> new Adam(0.01f))) {
            FitOptions o = options(2).resume(states.get(0));
            m.fit(X, Y, o);
            assertEquals(null, o.resume(), "taken by the fit");
            m.fit(X, Y, o);  // with the state kept, this fit went back to epoch 1's state
            List<float[]> w = m.getWeights();
            for (int i = 0; i < w.size(); i++) assertArrayEquals(twoFits.get(i), w.get(i), "weight " + i);
        }
    }

    @Test
    void aFitThatEarlyStoppingEndedStaysEnded() {
        List<TrainingState> states = new ArrayList<>();
        FitOptions stopsEarly = new FitOptions().epochs(8).batchSize(32).validationSplit(0.25).verbose(false)
                .earlyStopping(new EarlyStopping("val_loss", 0, 0, true));  // patience 0: the first epoch without improvement stops
        Outcome whole;
        try (Sequential m = toyModel(() -> new Sgd(1e-30f))) {  // nothing improves after epoch 1 (or by rounding only)
            whole = outcome(m, m.fit(X, Y, stopsEarly.checkpoint(states::add)));
        }
        TrainingState last = states.get(states.size() - 1);
        assertTrue(last.stopped() && last.epochsDone() < 8, "early stopping ended it: " + last.epochsDone() + " epochs");
        try (Sequential m = toyModel(() -> new Sgd(1e-30f))) {
            History h = m.fit(X, Y, new FitOptions().epochs(8).batchSize(32).validationSplit(0.25).verbose(false)
                    .earlyStopping(new EarlyStopping("val_loss", 0, 0, true)).resume(last));
            whole.assertSame(outcome(m, h));
        }
    }

    @Test
    void aSequenceModelSortedByLengthResumesToo() {
        Random r = new Random(5);
        float[][][] x = new float[40][][];
        float[] y = new float[40];
        for (int n = 0; n < x.length; n++) {
            x[n] = new float[3 + r.nextInt(6)][4];
            for (float[] step : x[n]) for (int f = 0; f < 4; f++) step[f] = (float) r.nextGaussian();
            y[n] = x[n][0][0] > 0 ? 1 : 0;
        }
        Supplier<Sequential> model = () -> {
            Sequential m = new Sequential(new Input(vectorlstm.layers.Shape.VARIABLE, 4), new Lstm(7), new Dense(1, "sigmoid")).seed(3).threads(2);
            m.compile("binary_crossentropy", new Adam(0.02f), "accuracy");
            return m;
        };
        List<TrainingState> states = new ArrayList<>();
        Outcome whole;
        try (Sequential m = model.get()) {
            whole = outcome(m, m.fit(x, y, new FitOptions().epochs(3).batchSize(8).sortByLength(true).verbose(false).checkpoint(states::add)));
        }
        try (Sequential m = model.get()) {
            whole.assertSame(outcome(m, m.fit(x, y, new FitOptions().epochs(3).batchSize(8).sortByLength(true).verbose(false).resume(states.get(0)))));
        }
    }

    @Test
    void aStateThatDoesNotBelongIsRefusedBeforeAnythingChanges() {
        List<TrainingState> states = new ArrayList<>();
        try (Sequential m = toyModel(() -> new Adam(0.01f))) {
            m.fit(X, Y, options(2).checkpoint(states::add));
        }
        TrainingState s = states.get(0);
        try (Sequential m = toyModel(() -> new Adam(0.01f))) {
            List<float[]> before = m.getWeights();
            int[][] otherX = SequentialTest.randomIds(96, 10, 20, 4);
            assertRefused(() -> m.fit(otherX, SequentialTest.labelsContainingOne(otherX), options(2).resume(s)), "other data");
            assertRefused(() -> m.fit(X, Y, options(2).batchSize(16).resume(s)), "batch size 32, this fit has 16");
            assertRefused(() -> m.fit(X, Y, options(2).validationSplit(0.5).resume(s)), "other data");
            assertRefused(() -> m.fit(X, Y, options(2).earlyStopping(null).resume(s)), "it was trained with early stopping");
            assertRefused(() -> m.fit(X, Y, options(2).reduceLrOnPlateau(null).resume(s)), "ReduceLrOnPlateau");
            assertRefused(() -> m.fit(X, Y, options(2).resume(states.get(1)).epochs(1)), "after epoch 2, this fit has only 1");
            List<float[]> after = m.getWeights();
            for (int i = 0; i < before.size(); i++) assertArrayEquals(before.get(i), after.get(i), "weight " + i + " untouched by a refused resume");
        }
        try (Sequential m = toyModel(() -> new Sgd(0.1f))) {
            assertRefused(() -> m.fit(X, Y, options(2).resume(s)), "trained with adam, this model is compiled with sgd");
        }
        try (Sequential m = toyModel(() -> new RmsProp(0.01f))) {
            assertRefused(() -> m.fit(X, Y, options(2).resume(s)), "trained with adam");
        }
        try (Sequential wider = new Sequential(new Embedding(20, 5, 10), new Lstm(10), new Dropout(0.5f), new Dense(1, "sigmoid")).seed(11)) {
            wider.compile("binary_crossentropy", new Adam(0.01f), "accuracy");
            assertRefused(() -> wider.fit(X, Y, options(2).resume(s)), "has 180 values, the model's 200");
        }
        try (Sequential m = toyModel(() -> new Adam(0.01f))) {
            int[] broken = s.sequence().order().clone();
            broken[0] = broken[1];
            TrainingState forged = new TrainingState(s.epochsDone(), s.stopped(), s.dataFingerprint(), s.frozenFingerprint(), s.batchSize(), s.threads(), s.history(),
                    new TrainingState.Sequence(s.sequence().shufflerState(), s.sequence().epochsStarted(), broken), s.optimizer(),
                    s.weightNames(), s.weights(), s.earlyStopping(), s.plateau());
            assertRefused(() -> m.fit(X, Y, options(2).resume(forged)), "not a permutation");
        }
    }

    /** A state with values no fit leaves (a forged or damaged file's) is refused, and nothing of it is applied first. */
    @Test
    void impossibleValuesAreRefusedBeforeAnythingIsApplied() {
        TrainingState s = firstCheckpoint(() -> new Adam(0.01f));
        float[] nan = s.weights().get(1).clone();
        nan[4] = Float.NaN;
        List<float[]> nanWeights = new ArrayList<>(s.weights());
        nanWeights.set(1, nan);
        int[] shortOrder = java.util.Arrays.copyOf(s.sequence().order(), 10);
        Object[][] cases = {
            {with(s, s.weightNames(), nanWeights, s.sequence(), s.stopped(), s.earlyStopping()), "weight lstm/kernel[4] is NaN"},
            {with(s, s.weightNames(), s.weights(), new TrainingState.Sequence(1L << 50, 1, s.sequence().order()), false, s.earlyStopping()), "is not a 48-bit number"},
            {with(s, s.weightNames(), s.weights(), new TrainingState.Sequence(s.sequence().shufflerState(), -1, s.sequence().order()), false, s.earlyStopping()),
                "counts -1 epochs started"},
            {with(s, s.weightNames(), s.weights(), new TrainingState.Sequence(s.sequence().shufflerState(), 1, shortOrder), false, s.earlyStopping()),
                "its sample order holds 10 samples, this fit trains on 72"},
            {with(s, s.weightNames(), s.weights(), s.sequence(), false, new TrainingState.Watch(0.5, 7, 0, 0, null)), "do not fit 1 epochs"},
        };
        try (Sequential m = toyModel(() -> new Adam(0.01f))) {
            m.fit(X, Y, options(1));  // trained already: a half-applied state would show in its weights and step count
            List<float[]> before = m.getWeights();
            long iterations = m.optimizer().iterations();
            for (Object[] c : cases) assertRefused(() -> m.fit(X, Y, options(2).resume((TrainingState) c[0])), (String) c[1]);
            List<float[]> after = m.getWeights();
            for (int i = 0; i < before.size(); i++) assertArrayEquals(before.get(i), after.get(i), "weight " + i);
            assertEquals(iterations, m.optimizer().iterations(), "the step count untouched");
        }
        // "Stopped" needs early stopping: without, the resumed fit ended at once and saved a one-epoch model.
        List<TrainingState> plain = new ArrayList<>();
        FitOptions noStopping = new FitOptions().epochs(3).batchSize(32).verbose(false);
        try (Sequential m = toyModel(() -> new Adam(0.01f))) {
            m.fit(X, Y, noStopping.checkpoint(plain::add));
        }
        TrainingState p = plain.get(0);
        try (Sequential m = toyModel(() -> new Adam(0.01f))) {
            assertRefused(() -> m.fit(X, Y, new FitOptions().epochs(3).batchSize(32).verbose(false).resume(with(p, p.weightNames(), p.weights(), p.sequence(), true, null))),
                    "it says early stopping ended its fit, but it had no early stopping");
        }
    }

    /**
     * Values no optimizer step leaves, forged with a valid checksum: they were resumed from, and the
     * run failed later as "training diverged ... try a lower learning rate".
     */
    @Test
    void aNegativeSecondMomentOrAnImpossibleStepCountIsRefused() {
        TrainingState s = firstCheckpoint(() -> new Adam(0.01f));
        assertEquals(3, s.optimizer().iterations(), "72 samples in batches of 32: 3 steps in the epoch done");
        TrainingState negativeV = withSlotValue(s, "v", 2, 5, -1f);
        TrainingState manySteps = withOptimizer(s, new TrainingState.OptimizerState("adam", Long.MAX_VALUE, s.optimizer().learningRate(), s.optimizer().slots()));
        TrainingState fourSteps = withOptimizer(s, new TrainingState.OptimizerState("adam", 4, s.optimizer().learningRate(), s.optimizer().slots()));
        try (Sequential m = toyModel(() -> new Adam(0.01f))) {
            assertRefused(() -> m.fit(X, Y, options(2).resume(negativeV)), "optimizer slot v of lstm/recurrent_kernel[5] is -1.0, and it cannot be negative");
            assertRefused(() -> m.fit(X, Y, options(2).resume(manySteps)), "step count " + Long.MAX_VALUE + " is more than any run makes");
        }
        // More steps than the fit's own epochs made is legitimate: the model that wrote the state had trained before
        // that fit (a first bound counted only the resuming model's steps and refused such a resume).
        try (Sequential m = toyModel(() -> new Adam(0.01f))) {
            m.fit(X, Y, options(2).resume(fourSteps));
            assertEquals(4 + 3, m.optimizer().iterations(), "resumed at 4 steps, then the second epoch's 3");
        }
        // RMSprop's moving average of squared gradients is non-negative too; its momentum is not.
        TrainingState r = firstCheckpoint(() -> new RmsProp(0.01f, 0.9f, 0.5f, 1e-7f, true));
        try (Sequential m = toyModel(() -> new RmsProp(0.01f, 0.9f, 0.5f, 1e-7f, true))) {
            TrainingState forged = withSlotValue(r, "velocity", 0, 0, -0.5f);
            assertRefused(() -> m.fit(X, Y, options(2).resume(forged)), "optimizer slot velocity of embedding/embeddings[0] is -0.5, and it cannot be negative");
            m.fit(X, Y, options(2).resume(r));  // the state as the fit left it (negative momentum and means among it) resumes
        }
    }

    /** s with element {@code index} of tensor {@code tensor} of optimizer slot {@code slot} set to {@code value}, the rest as it was. */
    private static TrainingState withSlotValue(TrainingState s, String slot, int tensor, int index, float value) {
        Map<String, List<float[]>> slots = new java.util.LinkedHashMap<>(s.optimizer().slots());
        List<float[]> tensors = new ArrayList<>(slots.get(slot));
        float[] changed = tensors.get(tensor).clone();
        changed[index] = value;
        tensors.set(tensor, changed);
        slots.put(slot, tensors);
        TrainingState.OptimizerState o = s.optimizer();
        return withOptimizer(s, new TrainingState.OptimizerState(o.name(), o.iterations(), o.learningRate(), slots));
    }

    private static TrainingState withOptimizer(TrainingState s, TrainingState.OptimizerState optimizer) {
        return new TrainingState(s.epochsDone(), s.stopped(), s.dataFingerprint(), s.frozenFingerprint(), s.batchSize(), s.threads(), s.history(), s.sequence(),
                optimizer, s.weightNames(), s.weights(), s.earlyStopping(), s.plateau());
    }

    private static TrainingState with(TrainingState s, List<String> names, List<float[]> weights, TrainingState.Sequence sequence, boolean stopped, TrainingState.Watch stopping) {
        return new TrainingState(s.epochsDone(), stopped, s.dataFingerprint(), s.frozenFingerprint(), s.batchSize(), s.threads(), s.history(), sequence,
                s.optimizer(), names, weights, stopping, s.plateau());
    }

    /** A frozen table (pre-trained vectors) is not in the state: a model with another is refused, not trained on from weights that expect the first. */
    @Test
    void aModelWithOtherFrozenWeightsIsRefused() {
        java.util.function.IntFunction<Sequential> frozen = seed -> {
            float[] table = new float[20 * 5];
            Random r = new Random(seed);
            for (int i = 0; i < table.length; i++) table[i] = (float) r.nextGaussian();
            Sequential m = new Sequential(new Embedding(20, 5, 10).initialWeights(table).trainable(false), new Lstm(9), new Dense(1, "sigmoid")).seed(11);
            m.compile("binary_crossentropy", new Adam(0.01f), "accuracy");
            return m;
        };
        List<TrainingState> states = new ArrayList<>();
        try (Sequential m = frozen.apply(1)) {
            m.fit(X, Y, new FitOptions().epochs(2).batchSize(32).verbose(false).checkpoint(states::add));
        }
        try (Sequential same = frozen.apply(1); Sequential other = frozen.apply(2)) {
            same.fit(X, Y, new FitOptions().epochs(2).batchSize(32).verbose(false).resume(states.get(0)));
            assertRefused(() -> other.fit(X, Y, new FitOptions().epochs(2).batchSize(32).verbose(false).resume(states.get(0))),
                    "its model's frozen weights differ from this model's (other pre-trained vectors?)");
        }
    }

    private static void assertRefused(org.junit.jupiter.api.function.Executable fit, String expected) {
        TrainingState.Refused e = assertThrows(TrainingState.Refused.class, fit);
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
    }

}
