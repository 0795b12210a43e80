package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Dropout;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.Parameter;

class SequentialTest {
    private static Sequential seedModel() {
        Sequential m = new Sequential(new Embedding(5000, 32, 500), new Lstm(100), new Dense(1, "sigmoid"));
        m.compile("binary_crossentropy", new Adam(), "accuracy");
        return m;
    }

    @Test
    void trainingABackwardsLayerReturningSequencesUnderAMaskIsRefusedAsKerasWouldComputeOtherwise() {
        // Before, it trained and handed its mask on reversed, where Keras hands it on in time order: the LSTM after it
        // read other steps than Keras' (0.588 against 0.610 on a review of two words).
        int[][] x = {{0, 0, 3, 4, 5, 6, 7, 8, 9, 10, 11}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 19}};
        float[] y = {1, 0};
        try (Sequential m = new Sequential(new Embedding(20, 3, 11).maskZero(true), new Lstm(3, true, true), new Lstm(4), new Dense(1, "sigmoid"))) {
            m.compile("binary_crossentropy", new Adam(0.01f));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.fit(x, y, new FitOptions().epochs(1).batchSize(2)));
            assertTrue(e.getMessage().contains("layer 2 (LSTM) reads backwards (goBackwards) and returns sequences under a mask"), e.getMessage());
            m.predict(x, 2);  // a model saved so by an earlier version loads and scores as it was trained
        }
        // Without the mask, inside a Bidirectional, or returning only its last output, it trains.
        for (Layer second : new Layer[] {null, new vectorlstm.layers.Bidirectional(new Lstm(3, true)), new Lstm(3, false, true)}) {
            Layer[] layers = second == null
                    ? new Layer[] {new Embedding(20, 3, 11), new Lstm(3, true, true), new Lstm(4), new Dense(1, "sigmoid")}
                    : second instanceof Lstm ? new Layer[] {new Embedding(20, 3, 11).maskZero(true), second, new Dense(1, "sigmoid")}
                    : new Layer[] {new Embedding(20, 3, 11).maskZero(true), second, new Lstm(4), new Dense(1, "sigmoid")};
            try (Sequential m = new Sequential(layers)) {
                m.compile("binary_crossentropy", new Adam(0.01f));
                m.fit(x, y, new FitOptions().epochs(1).batchSize(2));
            }
        }
    }

    @Test
    void summaryAllocatesNoWeights() {
        // A vocabulary of 10 million was initialised (13 s, 1.3 GB) only to print a table of shapes and counts.
        try (Sequential m = new Sequential(new Embedding(10_000_000, 32, 500), new Lstm(100), new Dense(1, "sigmoid"))) {
            assertTrue(m.summary().contains("Total params: 320,053,301"));
            assertFalse(m.isBuilt(), "the summary built the model");
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            assertTrue(m.isBuilt());
        }
    }

    @Test
    void summaryHasKerasRowsAndCounts() {
        try (Sequential m = seedModel()) {
            String s = m.summary();
            assertTrue(s.matches("(?s).*embedding \\(Embedding\\)\\s+\\(None, 500, 32\\)\\s+160000\\s.*"), s);
            assertTrue(s.matches("(?s).*lstm \\(LSTM\\)\\s+\\(None, 100\\)\\s+53200\\s.*"), s);
            assertTrue(s.matches("(?s).*dense \\(Dense\\)\\s+\\(None, 1\\)\\s+101\\s.*"), s);
            assertTrue(s.contains("Total params: 213,301"), s);
            assertTrue(s.contains("Trainable params: 213,301"), s);
            assertTrue(s.contains("Non-trainable params: 0"), s);
        }
    }

    @Test
    void summaryIsKerasTableColumnForColumn() {
        // tf.keras 2.9-2.12 print_summary for the IMDB program: "Output Shape" at column 29 (it was 30), lines of 65
        // characters (66), a blank line after the last layer too.
        String keras = """
                Model: "sequential"
                _________________________________________________________________
                 Layer (type)                Output Shape              Param #  \s
                =================================================================
                 embedding (Embedding)       (None, 500, 32)           160000   \s
                                                                                \s
                 lstm (LSTM)                 (None, 100)               53200    \s
                                                                                \s
                 dense (Dense)               (None, 1)                 101      \s
                                                                                \s
                =================================================================
                Total params: 213,301
                Trainable params: 213,301
                Non-trainable params: 0
                _________________________________________________________________
                """;
        try (Sequential m = seedModel()) {
            assertEquals(keras, m.summary());
        }
        // A name longer than its column goes on in the next line, as Keras' print_row does, instead of pushing the shape right.
        Lstm longName = new Lstm(4);
        longName.setName("a_very_long_recurrent_layer_name");
        try (Sequential m = new Sequential(new Embedding(50, 8, 12), longName, new Dense(1, "sigmoid"))) {
            String s = m.summary();
            // Keras cuts at 27 characters and its two spaces then start the shape at 30: so does this.
            assertTrue(s.contains("\n a_very_long_recurrent_layer  (None, 4)                208       \n _name (LSTM)      "), s);
            assertTrue(s.lines().allMatch(l -> l.length() <= 65), s);
        }
    }

    @Test
    void aMaskingUnderAMaskIsRefusedAtBuild() {
        // Keras' Masking replaces the mask it receives; ours kept both, and the model scored otherwise than Keras' (0.5017 against 0.4993).
        try (Sequential m = new Sequential(new Embedding(10, 4, 6).maskZero(true), new vectorlstm.layers.Masking(), new Lstm(3), new Dense(1, "sigmoid"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, m::build);
            assertTrue(e.getMessage().startsWith("layer 2 (Masking) comes after a layer that masks already"), e.getMessage());
        }
        try (Sequential m = new Sequential(new Embedding(10, 4, 6), new vectorlstm.layers.Masking(), new Lstm(3, true), new vectorlstm.layers.Masking(0.5f),
                new Lstm(2), new Dense(1, "sigmoid"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, m::build);
            assertTrue(e.getMessage().startsWith("layer 4 (Masking)"), e.getMessage());
        }
        try (Sequential m = new Sequential(new Embedding(10, 4, 6), new vectorlstm.layers.Masking(), new Lstm(3), new Dense(1, "sigmoid"))) {
            m.build();  // one Masking on an unmasked Embedding is Keras' own case
        }
        try (Sequential m = new Sequential(new Embedding(10, 4, 6), new vectorlstm.layers.Masking(), new vectorlstm.layers.Dropout(0.2f),
                new vectorlstm.layers.Masking(), new Lstm(3), new Dense(1, "sigmoid"))) {
            m.build();  // Masking(0.0) on a Masking's zeros masks what Keras' would: the same result
        }
        try (Sequential m = new Sequential(new Embedding(10, 4, 6), new vectorlstm.layers.Masking(), new vectorlstm.layers.Masking(0.5f),
                new Lstm(3), new Dense(1, "sigmoid"))) {
            assertThrows(IllegalArgumentException.class, m::build, "Keras' Masking(0.5) would unmask the zeros the first one wrote");
        }
    }

    @Test
    void aBackwardsBidirectionalReturningSequencesOnVariableLengthInputIsRefused() {
        // Its outputs come in reading order, the mask in time order: a 2-step sequence batched with a 6-step one pooled only
        // padding (0.5 against 0.6460 alone), and its gradients were off by up to 93 %.
        try (Sequential m = new Sequential(new vectorlstm.layers.Input(vectorlstm.layers.Shape.VARIABLE, 3),
                new vectorlstm.layers.Bidirectional(new Lstm(3, true, true)), new vectorlstm.layers.GlobalMaxPooling1D(), new Dense(1, "sigmoid"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, m::build);
            assertTrue(e.getMessage().startsWith("layer 2 (Bidirectional) wraps a goBackwards layer that returns sequences, on variable-length input"), e.getMessage());
        }
        try (Sequential m = new Sequential(new vectorlstm.layers.Input(6, 3),
                new vectorlstm.layers.Bidirectional(new Lstm(3, true, true)), new vectorlstm.layers.GlobalMaxPooling1D(), new Dense(1, "sigmoid"))) {
            m.build();  // at a fixed length there is no batch padding to mistake
        }
    }

    @Test
    void layerNamesAreUniqueSinceTheyNameTheSavedWeights() {
        // An unnamed layer's Keras name skips one a layer was given: lstm is taken, so lstm_1.
        Lstm named = new Lstm(4);
        named.setName("lstm");
        Lstm unnamed = new Lstm(6, true);
        try (Sequential m = new Sequential(new Embedding(50, 8, 12), unnamed, named, new Dense(1, "sigmoid"))) {
            m.inferShapes();
            assertEquals(List.of("embedding", "lstm_1", "lstm", "dense"), m.layers().stream().map(Layer::name).toList());
        }
        Dense a = new Dense(3, "relu"), b = new Dense(1, "sigmoid");
        a.setName("head");
        b.setName("head");
        try (Sequential m = new Sequential(new Embedding(50, 8, 12), new Lstm(4), a, b)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, m::build);
            assertEquals("two layers are named 'head': layer names must differ", e.getMessage());
            b.setName("out");
            m.build();  // nothing was built yet: renamed, it builds
            assertEquals("out", m.layers().get(3).name());
        }
        for (String bad : new String[] {"", "__padding_0__", "tab\there"}) {
            assertThrows(IllegalArgumentException.class, () -> new Lstm(2).setName(bad), bad);
        }
    }

    @Test
    void repeatedLayerTypesGetKerasSuffixesAndSequenceShapes() {
        try (Sequential m = new Sequential(new Embedding(50, 8, 12), new Lstm(6, true), new Lstm(4), new Dense(3, "relu"), new Dense(1, "sigmoid"))) {
            String s = m.summary();
            assertTrue(s.contains("lstm (LSTM)"), s);
            assertTrue(s.matches("(?s).*lstm \\(LSTM\\)\\s+\\(None, 12, 6\\).*"), s);
            assertTrue(s.contains("lstm_1 (LSTM)"), s);
            assertTrue(s.contains("dense_1 (Dense)"), s);
            // LSTM params: 4 * (units * (features + units) + units)
            assertEquals(4 * (6 * (8 + 6) + 6), m.layers().get(1).parameterCount());
        }
    }

    @Test
    void frozenEmbeddingIsNotTrainable() {
        try (Sequential m = new Sequential(new Embedding(100, 4, 5).trainable(false), new Lstm(3), new Dense(1, "sigmoid"))) {
            String s = m.summary();
            long lstmAndDense = 4 * (3 * (4 + 3) + 3) + 4;
            assertTrue(s.contains("Trainable params: " + lstmAndDense), s);
            assertTrue(s.contains("Non-trainable params: 400"), s);
        }
    }

    @Test
    void kerasInitializers() {
        try (Sequential m = seedModel()) {
            List<Parameter> p = parameters(m);
            float[] emb = p.get(0).value().toArray();
            for (float v : emb) assertTrue(v >= -0.05f && v <= 0.05f);
            float[] bias = p.get(3).value().toArray();
            for (int j = 0; j < 400; j++) assertEquals(j >= 100 && j < 200 ? 1f : 0f, bias[j], "unit_forget_bias at " + j);
            // orthogonal recurrent kernel (100 x 400): rows are orthonormal, U·Uᵀ = I
            float[] u = p.get(2).value().toArray();
            for (int a = 0; a < 100; a += 33) {
                for (int b = 0; b < 100; b += 17) {
                    double dot = 0;
                    for (int j = 0; j < 400; j++) dot += (double) u[a * 400 + j] * u[b * 400 + j];
                    assertEquals(a == b ? 1.0 : 0.0, dot, 1e-5, "U row " + a + " · row " + b);
                }
            }
            float limit = (float) Math.sqrt(6.0 / (32 + 400));
            for (float v : p.get(1).value().toArray()) assertTrue(Math.abs(v) <= limit, "glorot limit");
        }
    }

    private static List<Parameter> parameters(Sequential m) {
        List<Parameter> out = new ArrayList<>();
        for (var l : m.layers()) out.addAll(l.parameters());
        return out;
    }

    static int[][] randomIds(int n, int steps, int vocab, long seed) {
        Random r = new Random(seed);
        int[][] x = new int[n][steps];
        for (int[] row : x) for (int t = 0; t < steps; t++) row[t] = r.nextInt(vocab);
        return x;
    }

    /** A learnable toy task: the label says whether token 1 occurs in the sequence. */
    static float[] labelsContainingOne(int[][] x) {
        float[] y = new float[x.length];
        for (int n = 0; n < x.length; n++) for (int id : x[n]) if (id == 1) y[n] = 1;
        return y;
    }

    private static float[] trainedWeights(int threads) {
        int[][] x = randomIds(96, 10, 20, 3);
        try (Sequential m = new Sequential(new Embedding(20, 5, 10), new Lstm(9), new Dense(1, "sigmoid")).seed(11).threads(threads)) {
            m.compile("binary_crossentropy", new Adam(0.01f), "accuracy");
            m.fit(x, labelsContainingOne(x), new FitOptions().epochs(2).batchSize(32).verbose(false));
            List<Float> all = new ArrayList<>();
            for (Parameter p : parameters(m)) for (float v : p.value().toArray()) all.add(v);
            float[] out = new float[all.size()];
            for (int i = 0; i < out.length; i++) out[i] = all.get(i);
            return out;
        }
    }

    /** The toy model with dropout, trained on one data set by fits of the given numbers of epochs. */
    private static float[] weightsAfterFits(int... epochsPerFit) {
        int[][] x = randomIds(96, 10, 20, 3);
        try (Sequential m = new Sequential(new Embedding(20, 5, 10), new Lstm(9), new Dropout(0.5f), new Dense(1, "sigmoid")).seed(11).threads(2)) {
            m.compile("binary_crossentropy", new Adam(0.01f), "accuracy");
            for (int epochs : epochsPerFit) m.fit(x, labelsContainingOne(x), new FitOptions().epochs(epochs).batchSize(32).verbose(false));
            List<Float> all = new ArrayList<>();
            for (Parameter p : parameters(m)) for (float v : p.value().toArray()) all.add(v);
            float[] out = new float[all.size()];
            for (int i = 0; i < out.length; i++) out[i] = all.get(i);
            return out;
        }
    }

    @Test
    void aNextFitGoesOnWithTheShufflingAndDropoutMasks() {
        // Each fit used to restart both: a loop of one-epoch fits saw the same order and masks every epoch.
        assertArrayEquals(weightsAfterFits(3), weightsAfterFits(1, 1, 1), "three one-epoch fits train as one three-epoch fit");
        assertArrayEquals(weightsAfterFits(3), weightsAfterFits(2, 1));
        int[][] x = randomIds(96, 10, 20, 3);
        try (Sequential m = new Sequential(new Embedding(20, 5, 10), new Lstm(9), new Dropout(0.5f), new Dense(1, "sigmoid")).seed(11)) {
            m.compile("binary_crossentropy", new Sgd(1e-30f), "accuracy");  // no weight moves: the loss shows the order and masks only
            FitOptions one = new FitOptions().epochs(1).batchSize(32).verbose(false);
            double first = m.fit(x, labelsContainingOne(x), one).last().loss();
            assertTrue(first != m.fit(x, labelsContainingOne(x), one).last().loss(), "the second fit draws other masks");
            m.seed(11);
            assertEquals(first, m.fit(x, labelsContainingOne(x), one).last().loss(), "setting the seed starts them again");
        }
        // Without shuffling a fit reads the data in its own order: it read it in the order an earlier fit had shuffled.
        try (Sequential shuffledBefore = new Sequential(new Embedding(20, 5, 10), new Lstm(9), new Dense(1, "sigmoid")).seed(11);
             Sequential fresh = new Sequential(new Embedding(20, 5, 10), new Lstm(9), new Dense(1, "sigmoid")).seed(11)) {
            shuffledBefore.compile("binary_crossentropy", new Adam(0.01f), "accuracy");
            shuffledBefore.fit(x, labelsContainingOne(x), new FitOptions().epochs(1).batchSize(32).verbose(false));
            shuffledBefore.setWeights(fresh.getWeights());  // the same start, only the order can differ
            FitOptions inOrder = new FitOptions().epochs(1).batchSize(32).shuffle(false).verbose(false);
            for (Sequential m : List.of(shuffledBefore, fresh)) {
                m.compile("binary_crossentropy", new Sgd(0.5f), "accuracy");
                m.fit(x, labelsContainingOne(x), inOrder);
            }
            List<float[]> a = shuffledBefore.getWeights(), b = fresh.getWeights();
            for (int i = 0; i < a.size(); i++) assertArrayEquals(b.get(i), a.get(i), "weight " + i);
        }
    }

    @Test
    void sameSeedAndThreadsGiveBitIdenticalWeights() {
        assertArrayEquals(trainedWeights(2), trainedWeights(2));
        assertArrayEquals(trainedWeights(1), trainedWeights(1));
    }

    @Test
    void threadCountsAgreeUpToRounding() {
        float[] one = trainedWeights(1), two = trainedWeights(2);
        for (int i = 0; i < one.length; i++) assertEquals(one[i], two[i], 1e-4, "weight " + i);
    }

    @Test
    void learnsAToyTaskAndEvaluatePredictAgree() {
        int[][] x = randomIds(512, 12, 10, 5);
        float[] y = labelsContainingOne(x);
        try (Sequential m = new Sequential(new Embedding(10, 8, 12), new Lstm(16), new Dense(1, "sigmoid")).seed(3)) {
            m.compile("binary_crossentropy", new Adam(0.01f), "accuracy");
            History h = m.fit(x, y, new FitOptions().epochs(8).batchSize(32).verbose(false));
            assertEquals(8, h.epochs().size());
            assertTrue(h.last().loss() < h.epochs().get(0).loss(), "loss went down");
            Evaluation e = m.evaluate(x, y, 64);
            assertTrue(e.accuracy() > 0.9, "accuracy " + e.accuracy());
            float[] p = m.predict(x, 50);
            long correct = 0;
            for (int i = 0; i < p.length; i++) if ((p[i] > 0.5f) == (y[i] > 0.5f)) correct++;
            assertEquals(e.accuracy(), (double) correct / x.length, 1e-9);
        }
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        try (Sequential m = new Sequential(new Embedding(10, 4, 5), new Lstm(3), new Dense(1, "sigmoid"))) {
            m.compile("binary_crossentropy", new Adam(), "accuracy");
            int[][] ok = randomIds(4, 5, 10, 1);
            float[] y = {0, 1, 0, 1};
            assertMessage(() -> m.fit(new int[][] {{1, 2, 3}}, new float[] {1}, new FitOptions().epochs(1).batchSize(1)), "expects 5");
            assertMessage(() -> m.fit(new int[][] {{1, 2, 3, 4, 10}}, new float[] {1}, new FitOptions().epochs(1).batchSize(1)), "outside the vocabulary");
            assertMessage(() -> m.fit(new int[][] {{1, 2, 3, 4, -1}}, new float[] {1}, new FitOptions().epochs(1).batchSize(1)), "outside the vocabulary");
            assertMessage(() -> m.fit(ok, new float[] {0, 1, Float.NaN, 1}, new FitOptions().epochs(1).batchSize(2)), "label of sample 2");
            assertMessage(() -> m.fit(ok, new float[] {0, 1}, new FitOptions().epochs(1).batchSize(2)), "y has 2");
            assertMessage(() -> m.fit(new int[0][], new float[0], new FitOptions().epochs(1).batchSize(2)), "no input samples");
            assertMessage(() -> m.fit(ok, y, new FitOptions().epochs(1).batchSize(0)), "batch size");
            assertMessage(() -> m.predict(new int[][] {{1, 2}}, 1), "expects 5");
        }
        assertMessage(() -> {
            try (Sequential m = new Sequential(new Embedding(10, 4, 5), new Lstm(3), new Dense(2, "sigmoid"))) {
                m.compile("binary_crossentropy", new Adam(), "accuracy");
            }
        }, "Dense(1, sigmoid)");
        assertMessage(() -> {
            try (Sequential m = new Sequential(new Embedding(10, 4, 5), new Dense(1, "sigmoid"))) {
                m.build();
            }
        }, "Dense expects");
        assertMessage(() -> {
            Embedding e = new Embedding(10, 4, 5);
            try (Sequential m = new Sequential(e, new Lstm(3), new Dense(1, "sigmoid"))) {
                m.build();
                e.trainable(false);
            }
        }, "before the model is built");
        assertMessage(() -> new Dense(1, "softplus"), "unknown activation");
        assertMessage(() -> new Lstm(0), "units must be 1..16384");
        assertMessage(() -> new Lstm(1 << 30), "units must be 1..16384, got 1073741824");  // 4 x units overflowed to 0
        assertMessage(() -> new vectorlstm.layers.Gru(1431655766), "units must be 1..16384");  // 3 x units overflowed to 2
        assertMessage(() -> new Dense(1, (String) null), "no activation given (null)");
        assertMessage(() -> Loss.parse("hinge"), "unknown loss");
    }

    private static void assertMessage(Runnable r, String fragment) {
        Exception e = assertThrows(RuntimeException.class, r::run);
        assertTrue(e.getMessage() != null && e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should contain '" + fragment + "'");
    }

    @Test
    void closeFreesEverythingAndForbidsFurtherUse() {
        Sequential m = seedModel();
        Parameter p = m.layers().get(0).parameters().get(0);
        m.close();
        m.close();  // idempotent
        assertThrows(IllegalStateException.class, () -> p.value().get(0), "weights are freed");
        assertThrows(IllegalStateException.class, () -> m.predict(new int[][] {new int[500]}, 1));
    }

    /** After close, weights and saving say "the model is closed", not the JDK's "Already closed"; null arguments are named. */
    @Test
    void aClosedModelAndNullArgumentsAreReportedByName() {
        Sequential m = new Sequential(new Embedding(10, 4, 5), new Lstm(3), new Dense(1, "sigmoid"));
        m.compile("binary_crossentropy", new Adam(0.01f), "accuracy");
        Scorer scorer = m.newScorer();
        assertMessage(() -> scorer.score(null), "no token ids given (null)");
        assertMessage(() -> scorer.scoreAll(new int[5], null), "no array given for the outputs (null)");
        assertMessage(() -> m.setWeights(null), "no weights given (null)");
        scorer.close();
        Layer lstm = m.layers().get(1);
        List<float[]> weights = lstm.getWeights();
        m.close();
        assertMessage(lstm::getWeights, "the model is closed");
        assertMessage(() -> lstm.setWeights(weights), "the model is closed");
        assertMessage(() -> vectorlstm.io.ModelFile.save(java.nio.file.Path.of("unused.vlstm"),
                new vectorlstm.io.SavedModel(m, null, vectorlstm.text.TextPreprocessing.NONE, null, 5)), "the model is closed");
    }
}
