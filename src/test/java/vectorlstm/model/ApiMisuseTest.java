package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
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

    private static int[][] randomIds(int n, int vocab, int steps, long seed) {
        java.util.Random r = new java.util.Random(seed);
        int[][] x = new int[n][steps];
        for (int[] row : x) for (int t = 0; t < steps; t++) row[t] = 1 + r.nextInt(vocab - 1);
        return x;
    }

    /**
     * threads(n) took any n, and predict cut step memory and started a thread for each of them
     * whatever the rows: threads(1024) for 4 rows took 230 MB and 765 ms, threads(Integer.MAX_VALUE)
     * an OutOfMemoryError on every predict. Now at most MAX_THREADS, and a predict uses no more
     * workers than it has rows; the outputs are those of one thread.
     */
    private static long predictThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("vector-lstm-predict")).count();
    }

    @Test
    void threadsAreCappedAndAPredictStartsNoMoreWorkersThanItHasRows() {
        try (Sequential m = model(10, 3)) {
            assertMessage(IllegalArgumentException.class, () -> m.threads(Sequential.MAX_THREADS + 1), "threads must be 1..1024, got 1025");
            assertMessage(IllegalArgumentException.class, () -> m.threads(Integer.MAX_VALUE), "threads must be 1..1024");
            float[] one = m.threads(1).predict(X, 4);
            long before = predictThreads();  // other tests' models may keep theirs
            float[] many = m.threads(Sequential.MAX_THREADS).predict(X, 4);
            assertArrayEquals(one, many);
            assertTrue(predictThreads() - before <= 3, "4 rows: the caller and at most 3 more, not 1,023: " + (predictThreads() - before));
        }
        Sequential closed = model(10, 3);
        closed.close();
        assertMessage(IllegalStateException.class, () -> closed.threads(2), "closed");
    }

    @Test
    void settingsChangedDuringAFitWaitForItInsteadOfPullingItsWorkersAway() throws Exception {
        // threads() and compile() during fit closed the worker pool under it: engine-internal
        // exceptions, and with 3+ threads a worker waiting forever (close() then hung too).
        int[][] x = randomIds(256, 50, 20, 1);
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) y[i] = x[i][0] % 2;
        try (Sequential m = new Sequential(new Embedding(50, 8, 20), new Lstm(16), new Dense(1, "sigmoid")).threads(4)) {
            m.compile("binary_crossentropy", new Adam());
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread trainer = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 20; i++) m.fit(x, y, new FitOptions().epochs(1).batchSize(16).verbose(false));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(120), () -> {
                for (int i = 0; trainer.isAlive(); i++) {
                    m.threads(3 + i % 2);
                    if (i % 5 == 0) m.compile("binary_crossentropy", new Adam());
                    Thread.sleep(1);
                }
                trainer.join();
            });
            assertEquals(null, failure.get(), "fit must not fail because settings changed between its calls");
            assertTrue(Float.isFinite(m.predict(x, 64)[0]));
        }
    }

    @Test
    void aScorerRefusesASecondThreadInsteadOfMixingTwoCalls() throws Exception {
        // One scorer shared by two threads: wrong scores on one thread's scorer, and two callers
        // spinning forever on a two-thread scorer. Now the second caller is told.
        int[][] x = randomIds(8, 50, 200, 2);
        try (Sequential m = new Sequential(new Embedding(50, 8, 200), new Lstm(24), new Dense(1, "sigmoid")).seed(5)) {
            m.compile("binary_crossentropy", new Adam());
            float[] expected = new float[x.length];
            try (Scorer alone = m.newScorer()) {
                for (int i = 0; i < x.length; i++) expected[i] = alone.score(x[i]);
            }
            for (int threads : new int[] {1, 2}) {
                try (Scorer shared = m.newScorer(threads)) {
                    java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger(), wrong = new java.util.concurrent.atomic.AtomicInteger();
                    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                    Runnable caller = () -> {
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        for (int call = 0; call < 3000; call++) {
                            int i = call % x.length;
                            try {
                                if (Float.floatToIntBits(shared.score(x[i])) != Float.floatToIntBits(expected[i])) wrong.incrementAndGet();
                            } catch (IllegalStateException e) {
                                if (!e.getMessage().startsWith("this scorer is in use by another thread")) throw e;
                                refused.incrementAndGet();
                            }
                        }
                    };
                    Thread a = Thread.ofPlatform().start(caller), b = Thread.ofPlatform().start(caller);
                    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(120), () -> {
                        start.countDown();
                        a.join();
                        b.join();
                    });
                    assertEquals(0, wrong.get(), threads + "-thread scorer: every call that ran gave the single-thread bits");
                    assertTrue(refused.get() > 0, threads + "-thread scorer: the two callers overlapped and one was refused");
                }
            }
        }
    }

    @Test
    void aRecompiledModelFreesTheLastOptimizersState() {
        try (Sequential m = model(50, 7)) {
            m.compile("binary_crossentropy", new Adam());
            m.fit(X, Y, new FitOptions().epochs(1).batchSize(2).verbose(false));
            java.lang.foreign.Arena first = m.optimizerStateForTests();
            assertTrue(first.scope().isAlive());
            m.compile("binary_crossentropy", new Adam(0.0005f));  // Keras users re-compile to change the learning rate
            m.fit(X, Y, new FitOptions().epochs(1).batchSize(2).verbose(false));
            assertTrue(!first.scope().isAlive(), "the first Adam's moments are freed when the second's are cut");
            java.lang.foreign.Arena second = m.optimizerStateForTests();
            m.close();
            assertTrue(!second.scope().isAlive());
        }
    }

    @Test
    void aRunThatDivergesAfterItsBestEpochKeepsThatEpochsWeights() {
        // Epoch 1 at a sane rate, then SGD at 1e30: the loss is NaN in epoch 2.
        int[][] x = randomIds(64, 50, 5, 3);
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) y[i] = x[i][0] % 2;
        try (Sequential m = model(50, 4)) {
            int stepsPerEpoch = 48 / 8;
            m.compile("binary_crossentropy", new Sgd(0.01f).schedule((iterations, base) -> iterations < stepsPerEpoch ? base : 1e30f));
            TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> m.fit(x, y, new FitOptions().epochs(3).batchSize(8).validationSplit(0.25)
                    .earlyStopping(EarlyStopping.onValidationLoss(2)).verbose(false)));
            assertTrue(e.getMessage().contains("in epoch 2") && e.getMessage().endsWith("; the weights of epoch 1 (the best so far) were restored"), e.getMessage());
            assertEquals(1, e.history().epochs().size());
            assertEquals(1, e.history().restoredEpoch());
            for (float[] w : m.getWeights()) for (float v : w) assertTrue(Float.isFinite(v), "the weights are epoch 1's, not NaN");
            assertTrue(Float.isFinite(m.predict(x, 8)[0]));
            // The optimizer's state took the NaN gradients: the next fit cuts it afresh and trains on.
            java.lang.foreign.Arena spoiled = m.optimizerStateForTests();
            m.fit(x, y, new FitOptions().epochs(1).batchSize(16).verbose(false));  // 4 steps, all below the schedule's jump
            assertTrue(!spoiled.scope().isAlive() && m.optimizerStateForTests() != spoiled);
            for (float[] w : m.getWeights()) for (float v : w) assertTrue(Float.isFinite(v));
        }
        // Without a snapshot the weights are the broken ones, and the message does not claim otherwise.
        try (Sequential m = model(50, 4)) {
            m.compile("binary_crossentropy", new Sgd(1e30f));
            TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> m.fit(x, y, new FitOptions().epochs(2).batchSize(8).verbose(false)));
            assertTrue(!e.getMessage().contains("restored") && e.history().epochs().isEmpty(), e.getMessage());
            assertMessage(IllegalStateException.class, () -> e.history().last(), "no epoch was completed");
        }
    }

    /**
     * The loss is computed before each update, so an epoch whose last update breaks the weights
     * ended "fine" (loss 0.693) and left NaN behind for predict; it is a divergence like any other.
     */
    @Test
    void anEpochWhoseLastUpdateBreaksTheWeightsHasDiverged() {
        int[][] x = randomIds(4, 50, 5, 5);
        float[] y = {0, 1, 1, 0};
        for (Optimizer o : new Optimizer[] {new RmsProp(3e38f), new AdamW(1e9f, 1e30f)}) {
            try (Sequential m = model(50, 4)) {
                m.compile("binary_crossentropy", o);
                TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> m.fit(x, y, new FitOptions().epochs(1).batchSize(4).verbose(false)),
                        o.getClass().getSimpleName());
                assertTrue(e.getMessage().matches("training diverged: weight \\S+ holds (NaN|-?Infinity) after the last update of epoch 1 .*"), e.getMessage());
            }
        }
    }

    /**
     * A layer's weight writes run through its model, so that scorers never pack weights half
     * written: a second owner (a caller's NONE) would let them bypass it, and is refused.
     */
    @Test
    void aLayersWeightsOwnerIsSetOnce() {
        try (Sequential m = model(10, 3)) {
            m.build();
            Lstm lstm = (Lstm) m.layers().get(1);
            assertMessage(IllegalStateException.class, () -> lstm.setWeightsOwner(vectorlstm.layers.Layer.WeightsOwner.NONE),
                    "layer 'lstm' belongs to a model already");
            assertMessage(IllegalArgumentException.class, () -> lstm.setWeightsOwner(null), "no weights owner given");
            // Still the model's: a layer's setWeights is a model change its scorers follow.
            try (Scorer scorer = m.newScorer()) {
                float before = scorer.score(X[0]);
                List<float[]> w = lstm.getWeights();
                for (float[] a : w) java.util.Arrays.fill(a, 0.5f);
                lstm.setWeights(w);
                assertTrue(before != scorer.score(X[0]), "the scorer followed the layer's new weights");
            }
        }
        // The layers a Bidirectional wraps are the model's too: a write to one of them is a change its scorers follow.
        try (Sequential m = new Sequential(new Embedding(10, 4, 5), new vectorlstm.layers.Bidirectional(new vectorlstm.layers.Gru(3)), new Dense(1, "sigmoid"))) {
            m.build();
            vectorlstm.layers.Gru inner = (vectorlstm.layers.Gru) ((vectorlstm.layers.Bidirectional) m.layers().get(1)).forwardLayer();
            assertMessage(IllegalStateException.class, () -> inner.setWeightsOwner(vectorlstm.layers.Layer.WeightsOwner.NONE), "belongs to a model already");
            try (Scorer scorer = m.newScorer()) {
                float before = scorer.score(X[0]);
                long version = m.weightsVersion();
                List<float[]> w = inner.getWeights();
                for (float[] a : w) java.util.Arrays.fill(a, 0.5f);
                inner.setWeights(w);
                assertTrue(m.weightsVersion() != version, "the wrapped layer's write is a change of the model");
                assertTrue(before != scorer.score(X[0]), "the scorer followed the wrapped layer's new weights");
            }
        }
    }

    @Test
    void anInputLayerAfterAnotherLayerIsRefused() {
        // The Embedding read the pooling's float bits as token ids: an IndexOutOfBoundsException, or silently rows 1 and 2.
        try (Sequential m = new Sequential(new vectorlstm.layers.Input(3, 2), new vectorlstm.layers.GlobalAveragePooling1D(), new Embedding(10, 4, 2),
                new Lstm(3), new Dense(1, "sigmoid"))) {
            assertMessage(IllegalArgumentException.class, m::build, "layer 3 (Embedding) reads the model's input, so it must be the first layer");
        }
        try (Sequential m = new Sequential(new Embedding(10, 4, 2), new vectorlstm.layers.Input(2, 4), new Lstm(3), new Dense(1, "sigmoid"))) {
            assertMessage(IllegalArgumentException.class, m::build, "layer 2 (InputLayer) reads the model's input");
        }
    }

    @Test
    void settingsMadeAfterWrappingReachBothDirections() {
        Lstm l = new Lstm(4);
        vectorlstm.layers.Bidirectional b = new vectorlstm.layers.Bidirectional(l);
        l.dropout(0.5f).recurrentDropout(0.3f).recurrentActivation(vectorlstm.layers.RecurrentActivation.HARD_SIGMOID_KERAS3);
        try (Sequential m = new Sequential(new Embedding(10, 4, 5), b, new Dense(1, "sigmoid"))) {
            m.build();
            // The backward copy was made with the wrapper, before these settings: it trained without them.
            assertEquals(0.5f, b.backwardLayer().dropout());
            assertEquals(0.3f, b.backwardLayer().recurrentDropout());
            assertEquals(vectorlstm.layers.RecurrentActivation.HARD_SIGMOID_KERAS3, b.backwardLayer().recurrentActivation());
            assertTrue(b.backwardLayer().goBackwards() && !b.forwardLayer().goBackwards());
        }
    }

    /** Sizes past what a long, an int-indexed buffer or one Java array holds: an IllegalArgumentException each, not the arithmetic's own exception. */
    @Test
    void sizesPastWhatMemoryOrAnArrayHoldsAreRefusedAsSuch() {
        int max = Integer.MAX_VALUE;
        try (Sequential m = new Sequential(new Embedding(max, max, 1), new vectorlstm.layers.GlobalAveragePooling1D(), new Dense(1, "sigmoid"))) {
            assertMessage(IllegalArgumentException.class, m::build, "holds more floats than any memory");  // was an IndexOutOfBoundsException
        }
        try (Sequential m = new Sequential(new Embedding(max, 1 << 30, 1), new vectorlstm.layers.GlobalAveragePooling1D(), new Dense(1, "sigmoid"))) {
            assertMessage(IllegalArgumentException.class, m::build, "more than any memory holds");  // was "slab overflow"
        }
        // A Dropout's buffer past 2^31 floats (it indexes with ints): an ArithmeticException; a max
        // pooling's maxima past 2^31: a NegativeArraySizeException. Both found before any memory is taken.
        try (Sequential m = new Sequential(new Embedding(10, 30000, 100000), new vectorlstm.layers.Dropout(0.5f),
                new vectorlstm.layers.GlobalAveragePooling1D(), new Dense(1, "sigmoid"))) {
            m.compile("binary_crossentropy", new Adam());
            assertMessage(IllegalArgumentException.class, () -> m.fit(new int[1][100000], new float[1], new FitOptions().epochs(1).verbose(false)),
                    "need a layer buffer of more than 2^31 floats");
        }
        try (Sequential m = new Sequential(new Embedding(10, 1 << 20, 1), new vectorlstm.layers.GlobalMaxPooling1D(), new Dense(1, "sigmoid"))) {
            // (its maxima's steps were a heap array: now counted with the other buffers, refused with them)
            assertMessage(IllegalArgumentException.class, () -> m.predict(new int[2048][1], 2048), "use a smaller batch size");
        }
        // Outputs past one Java array: a NegativeArraySizeException (any length) or an ArithmeticException (fixed).
        for (int length : new int[] {vectorlstm.layers.Shape.VARIABLE, 1}) {
            try (Sequential m = new Sequential(new Embedding(5, 1, length), new Lstm(1), new Dense(65536, "softmax"))) {
                assertMessage(IllegalArgumentException.class, () -> m.predict(new int[32768][1], 64), "more than one Java array holds: predict them in parts");
            }
        }
    }

    /** A null where a value belongs is named, not a NullPointerException (some surfaced only later, in compile or fit). */
    @Test
    void nullArgumentsAreNamed() {
        assertMessage(IllegalArgumentException.class, () -> new Dense(1, (vectorlstm.layers.Activation) null), "Dense needs an activation");
        assertMessage(IllegalArgumentException.class, () -> new Embedding(10, 4, 5).initialWeights(null), "no embedding weights given (null)");
        assertMessage(IllegalArgumentException.class, () -> new vectorlstm.layers.Bidirectional(null), "Bidirectional needs a recurrent layer and a merge mode");
        assertMessage(IllegalArgumentException.class, () -> new vectorlstm.layers.Bidirectional(new Lstm(3), null), "and a merge mode");
        assertMessage(IllegalArgumentException.class, () -> new vectorlstm.classifier.OptimizerSpec(null, 0.001f, 0, false, 0, Float.NaN, Float.NaN, "constant"),
                "an optimizer spec needs a name");
        assertEquals(0.001f, vectorlstm.classifier.OptimizerSpec.defaultLearningRate(null));
        try (Sequential m = model(50, 4)) {
            assertMessage(IllegalArgumentException.class, () -> m.compile((String) null, new Adam()), "no loss given (null)");
            assertMessage(IllegalArgumentException.class, () -> m.compile("binary_crossentropy", new Adam(), (String[]) null), "no metrics given (null)");
            assertMessage(IllegalArgumentException.class, () -> m.compile("binary_crossentropy", new Adam(), (String) null), "a metric is null");
            m.compile("binary_crossentropy", new Adam());
            assertMessage(IllegalArgumentException.class, () -> m.fit(X, Y, (FitOptions) null), "no fit options given (null)");
            assertMessage(IllegalArgumentException.class, () -> m.layers().get(1).setWeights(null), "no weights given (null)");
        }
        try (Sequential m = model(50, 4)) {
            assertMessage(IllegalArgumentException.class, () -> m.buildOn(null, null), "buildOn needs the weights");
        }
    }

    /** A fit's callbacks run on the fitting thread, inside the model's lock: a close from there left the fit on freed memory. */
    @Test
    void closeFreesEverythingItOwnsWhenTheWeightsArenaIsNotItsToClose() {
        // Weights built on an automatic arena (which no one may close): close used to throw at it and
        // leave the optimizer's state behind; so did an owner that had closed its arena already.
        for (boolean auto : new boolean[] {true, false}) {
            java.util.List<float[]> values;
            try (Sequential source = model(50, 4)) {
                values = source.getWeights();
            }
            java.lang.foreign.Arena owner = auto ? java.lang.foreign.Arena.ofAuto() : java.lang.foreign.Arena.ofShared();
            List<java.lang.foreign.MemorySegment> segments = new ArrayList<>();
            for (float[] v : values) segments.add(owner.allocateFrom(java.lang.foreign.ValueLayout.JAVA_FLOAT, v));
            Sequential m = model(50, 4);
            m.buildOn(segments, owner);
            m.compile("binary_crossentropy", new Adam());
            m.fit(randomIds(16, 50, 5, 1), new float[16], new FitOptions().epochs(1).batchSize(8).verbose(false));
            java.lang.foreign.Arena moments = m.optimizerStateForTests();
            if (!auto) owner.close();
            m.close();
            assertTrue(m.isClosed());
            assertTrue(!moments.scope().isAlive(), "the optimizer's state is freed (" + (auto ? "automatic" : "closed") + " weights arena)");
        }
    }

    @Test
    void aFitsOwnCallbacksCannotCloseOrRecompileTheModel() {
        try (Sequential m = model(50, 4)) {
            m.compile("binary_crossentropy", new Adam());
            int[][] x = randomIds(16, 50, 5, 1);
            float[] y = new float[16];
            assertMessage(IllegalStateException.class, () -> m.fit(x, y, new FitOptions().epochs(2).batchSize(8).verbose(false).checkpoint(state -> m.close())),
                    "close during this model's own fit (from one of its callbacks): call it after fit returns");
            assertMessage(IllegalStateException.class, () -> m.fit(x, y, new FitOptions().epochs(2).batchSize(8).verbose(false)
                    .checkpoint(state -> m.compile("binary_crossentropy", new Adam()))), "compile during this model's own fit");
            assertMessage(IllegalStateException.class, () -> m.fit(x, y, new FitOptions().epochs(2).batchSize(8).verbose(false)
                    .checkpoint(state -> m.fit(x, y, new FitOptions().epochs(1).batchSize(8)))), "fit during this model's own fit");
            // Anything that replaces the workers the fit runs on: an evaluate of a larger batch, a change of threads.
            int[][] many = randomIds(64, 50, 5, 2);
            assertMessage(IllegalStateException.class, () -> m.fit(x, y, new FitOptions().epochs(2).batchSize(8).verbose(false)
                    .checkpoint(state -> m.evaluate(many, new float[64], 64))), "needs other workers");
            int threadsBefore = m.threads();
            assertMessage(IllegalStateException.class, () -> m.fit(x, y, new FitOptions().epochs(2).batchSize(8).verbose(false)
                    .checkpoint(state -> m.threads(threadsBefore + 1))), "a change of threads");
            assertEquals(threadsBefore, m.threads(), "a refused change changes nothing");
            // What fits the fit's workers is fine: an evaluate of the fit's own batch size.
            List<Double> accuracies = new ArrayList<>();
            m.fit(x, y, new FitOptions().epochs(2).batchSize(8).verbose(false).checkpoint(state -> accuracies.add(m.evaluate(x, y, 8).accuracy())));
            assertEquals(2, accuracies.size());
            assertEquals(1, m.fit(x, y, new FitOptions().epochs(1).batchSize(8).verbose(false)).epochs().size(), "the model goes on as before");
        }
    }

    @Test
    void smallGapsInTheSettingsAreRefused() {
        assertMessage(IllegalArgumentException.class, () -> new Sequential().add(null), "no layer given (null)");
        assertMessage(IllegalStateException.class, () -> new Dense(1).setWeights(java.util.List.of(new float[1], new float[1])),
                "this Dense is in no model yet: add it to a Sequential");
        assertMessage(IllegalArgumentException.class, () -> new Adam(0.001f, 0.9f, 0.999f, Float.POSITIVE_INFINITY), "a finite epsilon > 0");
        assertMessage(IllegalArgumentException.class, () -> new EarlyStopping(null, 2, 0, true), "EarlyStopping monitors");
        assertMessage(IllegalArgumentException.class, () -> new EarlyStopping("val_loss", 2, Double.POSITIVE_INFINITY, true), "a finite minDelta");
        assertMessage(IllegalArgumentException.class, () -> new ReduceLrOnPlateau(null), "ReduceLrOnPlateau monitors");
        assertMessage(IllegalArgumentException.class, () -> new ReduceLrOnPlateau("val_f1"), "ReduceLrOnPlateau monitors val_loss, val_accuracy, loss or accuracy (or val_acc, acc), not 'val_f1'");
        // Was refused: Keras code compiled with metrics=["acc"] watches "val_acc", the accuracy the history records as val_accuracy.
        assertEquals("val_accuracy", new ReduceLrOnPlateau("val_acc").monitor());
        assertEquals("accuracy", new EarlyStopping("acc", 2, 0, true).monitor());
        assertMessage(IllegalArgumentException.class, () -> new FitOptions().validationData((int[][]) null, Y), "validation data needs both x and y, got y without x");
        assertMessage(IllegalArgumentException.class, () -> new FitOptions().validationData(X, null), "x without y");
        assertMessage(IllegalArgumentException.class, () -> new Embedding(50, 8, Integer.MAX_VALUE), "is more than the limit of 100000 steps");
        assertMessage(IllegalArgumentException.class, () -> new vectorlstm.layers.Input(Integer.MAX_VALUE, 1), "Input timesteps must be in [1, 100000]");
        // A batch whose activations cannot be allocated: said as the batch's, not a raw OutOfMemoryError.
        try (Sequential m = new Sequential(new Embedding(50, 256, 2000), new Lstm(512, true), new vectorlstm.layers.GlobalAveragePooling1D(), new Dense(1, "sigmoid"))) {
            m.compile("binary_crossentropy", new Adam());
            assertMessage(IllegalArgumentException.class, () -> m.fit(new int[4096][2000], new float[4096], new FitOptions().epochs(1).batchSize(4096).verbose(false)),
                    "batches of 4096 sequences of 2000 steps need");
        }
    }

    @Test
    void oneOptimizerCannotTrainTwoOpenModels() {
        // Its state (moments, step count) is cut for one model's weights; a second model stepped
        // with the first one's moments, or ran off their end (IndexOutOfBounds in the kernel).
        Adam adam = new Adam();
        try (Sequential first = model(50, 7); Sequential second = model(20, 3)) {
            first.compile("binary_crossentropy", adam);
            first.fit(X, Y, new FitOptions().epochs(1).batchSize(4));
            assertMessage(IllegalArgumentException.class, () -> second.compile("binary_crossentropy", adam), "compiled into another open model");
            first.compile("binary_crossentropy", adam);  // compiling its own model again is fine
            first.compile("binary_crossentropy", new Adam());  // and compiling that model with another frees this one
            second.compile("binary_crossentropy", adam);
            second.fit(X, Y, new FitOptions().epochs(1).batchSize(4));
        }
        try (Sequential third = model(20, 3)) {
            Adam shared = new Adam();
            try (Sequential fourth = model(20, 3)) {
                fourth.compile("binary_crossentropy", shared);
            }
            third.compile("binary_crossentropy", shared);  // its model is closed: free again
            third.fit(X, Y, new FitOptions().epochs(1).batchSize(4));
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
            m.fit(X, Y, new FitOptions().epochs(2).batchSize(4));
            small = m.predictThroughLayers(X, 4);
        }
        try (Sequential m = model(20, 3)) {
            m.compile("binary_crossentropy", new Sgd(0.1f));
            m.fit(X, Y, new FitOptions().epochs(2).batchSize(Integer.MAX_VALUE));
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
        // Calls that touch no memory of the model say so too, rather than doing nothing.
        assertMessage(IllegalStateException.class, m::weightsChanged, "the model is closed");
        assertMessage(IllegalStateException.class, () -> m.threads(1), "the model is closed");
        assertMessage(IllegalStateException.class, m::getWeights, "the model is closed");
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
