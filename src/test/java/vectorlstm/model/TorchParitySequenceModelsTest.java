package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vectorlstm.layers.Bidirectional;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.GlobalAveragePooling1D;
import vectorlstm.layers.Input;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.Parameter;
import vectorlstm.layers.Shape;
import vectorlstm.memory.Tensor;

/**
 * Masked, stacked and bidirectional LSTM models against PyTorch run on each row's real steps only
 * (fixtures by tools/parity/make_sequence_fixtures.py): outputs within 1e-5, loss and every
 * gradient (the embedding table's too: padding rows get none) within 1e-4; predict and the
 * scorer give the fixture's outputs; a padded row scores as the row alone.
 */
class TorchParitySequenceModelsTest {
    private static final String[] LSTM = {"kernel", "recurrent_kernel", "bias"};

    /** The model of a set, with the fixture's weights (in the model's parameter order). */
    private static Sequential model(String set, int inputLength) {
        Sequential m = new Sequential(layers(set, inputLength)).threads(1);
        m.compile(set.equals("masked_numeric") ? "sparse_categorical_crossentropy" : "binary_crossentropy", new Adam(), "accuracy");
        List<Parameter> params = new ArrayList<>();
        for (Layer l : m.layers()) params.addAll(l.parameters());
        String[] names = weightNames(set);
        assertEquals(names.length, params.size(), "parameters");
        for (int i = 0; i < names.length; i++) params.get(i).value().copyFrom(ParityFixture.read(set, names[i]).floats());
        return m;
    }

    private static Layer[] layers(String set, int inputLength) {
        int h = set.equals("stacked_masked") ? 0 : ParityFixture.read(set, "forward_lstm_recurrent_kernel").dim(0);
        return switch (set) {
            case "bilstm" -> new Layer[] {embedding(set, inputLength), new Bidirectional(new Lstm(h)), new Dense(1, "sigmoid")};
            case "stacked_masked" -> new Layer[] {embedding(set, inputLength),
                    new Lstm(ParityFixture.read(set, "lstm_recurrent_kernel").dim(0), true),
                    new Lstm(ParityFixture.read(set, "lstm_1_recurrent_kernel").dim(0)), new Dense(1, "sigmoid")};
            case "bilstm_seq_avg" -> new Layer[] {embedding(set, inputLength),
                    new Bidirectional(new Lstm(h, true), Bidirectional.MergeMode.AVE), new GlobalAveragePooling1D(), new Dense(1, "sigmoid")};
            case "masked_numeric" -> new Layer[] {new Input(Shape.VARIABLE, ParityFixture.read(set, "x").dim(2)),
                    new Bidirectional(new Lstm(h)), new Dense(ParityFixture.read(set, "dense_bias").dim(0), "softmax")};
            default -> throw new IllegalArgumentException(set);
        };
    }

    private static Embedding embedding(String set, int inputLength) {
        ParityFixture e = ParityFixture.read(set, "embedding");
        return new Embedding(e.dim(0), e.dim(1), inputLength).maskZero(true);
    }

    private static String[] weightNames(String set) {
        List<String> names = new ArrayList<>();
        if (!set.equals("masked_numeric")) names.add("embedding");
        for (String layer : set.equals("stacked_masked") ? List.of("lstm_", "lstm_1_") : List.of("forward_lstm_", "backward_lstm_")) {
            for (String w : LSTM) names.add(layer + w);
        }
        names.add("dense_kernel");
        names.add("dense_bias");
        return names.toArray(String[]::new);
    }

    private static Samples samples(String set) {
        if (set.equals("masked_numeric")) return new Samples.Sequences(sequences(set));
        ParityFixture f = ParityFixture.read(set, "ids");
        int[][] x = new int[f.dim(0)][f.dim(1)];
        for (int n = 0; n < x.length; n++) for (int t = 0; t < x[n].length; t++) x[n][t] = (int) f.values()[n * x[n].length + t];
        return new Samples.Tokens(x);
    }

    /** The float sequences of masked_numeric at their own lengths ([B, T, F] zero-padded in the fixture). */
    private static float[][][] sequences(String set) {
        ParityFixture x = ParityFixture.read(set, "x"), lengths = ParityFixture.read(set, "lengths");
        int steps = x.dim(1), features = x.dim(2);
        float[][][] out = new float[x.dim(0)][][];
        for (int n = 0; n < out.length; n++) {
            out[n] = new float[(int) lengths.values()[n]][features];
            for (int t = 0; t < out[n].length; t++) for (int j = 0; j < features; j++) out[n][t][j] = (float) x.values()[(n * steps + t) * features + j];
        }
        return out;
    }

    private static double maxAbsDiff(double[] expected, Tensor actual) {
        assertEquals(expected.length, actual.size(), "size");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual.get(i)));
        return worst;
    }

    private static double maxAbsDiff(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "size");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        return worst;
    }

    /** A time-major engine output [T, b, F] against a fixture [B, T, F]. */
    private static double maxAbsDiffTimeMajor(ParityFixture expected, Tensor actual) {
        int b = expected.dim(0), steps = expected.dim(1), f = expected.dim(2);
        assertEquals(expected.values().length, actual.size(), "size");
        double worst = 0;
        for (int n = 0; n < b; n++) {
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < f; j++) {
                    worst = Math.max(worst, Math.abs(expected.values()[(n * steps + t) * f + j] - actual.get(((long) t * b + n) * f + j)));
                }
            }
        }
        return worst;
    }

    /** The intermediate outputs to compare: fixture name → layer index (time-major when the fixture is [B, T, F]). */
    private static List<Object[]> intermediates(String set) {
        return switch (set) {
            case "stacked_masked" -> List.of(new Object[] {"sequence1", 1}, new Object[] {"last_hidden", 2});
            case "bilstm_seq_avg" -> List.of(new Object[] {"merged_sequence", 1}, new Object[] {"pooled", 2});
            default -> List.<Object[]>of(new Object[] {"last_hidden", 1});
        };
    }

    private static int inputLength(String set) {
        return set.equals("masked_numeric") ? 0 : ParityFixture.read(set, "ids").dim(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bilstm", "stacked_masked", "bilstm_seq_avg", "masked_numeric"})
    void forwardLossAndEveryGradientMatchPyTorch(String set) {
        try (Sequential m = model(set, inputLength(set))) {
            Samples x = samples(set);
            float[] y = ParityFixture.read(set, "labels").floats();
            int b = x.size();
            // Rows in input order (every output compared), then staged longest first as training
            // does, which lets recurrent layers skip the masked rows (only loss and gradients, sums over rows, compare).
            for (boolean sorted : new boolean[] {false, true}) try (WorkerPool pool = new WorkerPool(m.layers(), x.longest(), b, 1, true)) {
                Worker w = pool.workers[0];
                w.stage(x, y, null, 0, b, sorted);
                w.trainStep(b, 1f / b, m.loss(), 0);
                int last = m.layers().size() - 1;
                StringBuilder report = new StringBuilder("parity " + set + (sorted ? " (rows longest first)" : "") + ": max |diff|");
                List<Object[]> outputs = new ArrayList<>(intermediates(set));
                outputs.add(new Object[] {"logits", -1});
                outputs.add(new Object[] {"probs", last});
                for (Object[] o : sorted ? List.<Object[]>of() : outputs) {
                    String name = (String) o[0];
                    int layer = (Integer) o[1];
                    ParityFixture expected = ParityFixture.read(set, name);
                    Tensor actual = layer < 0 ? w.logits(b) : w.output(layer);
                    double d = expected.shape().length == 3 ? maxAbsDiffTimeMajor(expected, actual) : maxAbsDiff(expected.values(), actual);
                    report.append(String.format(" %s %.2e,", name, d));
                    assertTrue(d <= 1e-5, name + " differs from PyTorch by " + d);
                }
                double loss = Math.abs(ParityFixture.read(set, "loss").values()[0] - w.result.lossSum / b);
                System.out.println(report.append(String.format(" loss %.2e", loss)));
                assertTrue(loss <= 1e-4, "loss differs from PyTorch by " + loss);

                List<Tensor> grads = new ArrayList<>();
                for (List<Tensor> layer : w.grads) grads.addAll(layer);
                String[] names = weightNames(set);
                for (int i = 0; i < names.length; i++) {
                    double[] expected = ParityFixture.read(set, "grad_" + names[i]).values();
                    Tensor actual = grads.get(i);
                    System.out.printf("parity %s: max |diff| grad_%s %.2e%n", set, names[i], maxAbsDiff(expected, actual));
                    // Every element, as TorchParityTest and GruTorchParityTest check: a largest difference of 1e-4 let whole rows of small gradients be wrong.
                    assertEquals((long) expected.length, actual.size(), "grad_" + names[i] + " size");
                    for (int k = 0; k < expected.length; k++) {
                        double d = Math.abs(expected[k] - actual.get(k));
                        assertTrue(d <= 1e-6 + 1e-3 * Math.abs(expected[k]), "grad_" + names[i] + "[" + k + "] is " + actual.get(k) + ", PyTorch's " + expected[k]);
                    }
                }
                if (!set.equals("masked_numeric")) {
                    for (int j = 0; j < grads.get(0).dim(1); j++) assertEquals(0f, grads.get(0).get(j), "the padding row's embedding gradient");
                }
            }
        }
    }

    /** predict at batch 1, an uneven batch (b - 1) and all rows at once, and the scorer, all give the fixture's outputs. */
    @ParameterizedTest
    @ValueSource(strings = {"bilstm", "stacked_masked", "bilstm_seq_avg", "masked_numeric"})
    void predictAndScorerAgreeWithTheFixture(String set) {
        double[] expected = ParityFixture.read(set, "probs").values();
        Samples x = samples(set);
        int units = expected.length / x.size();
        try (Sequential m = model(set, inputLength(set)); Scorer scorer = m.newScorer()) {
            StringBuilder report = new StringBuilder("parity " + set + ": predict max |diff|");
            for (int batch : new int[] {1, x.size() - 1, x.size()}) {
                float[] predicted = switch (x) {
                    case Samples.Tokens t -> m.predict(t.x(), batch);
                    case Samples.Sequences q -> m.predict(q.x(), batch);
                };
                double d = maxAbsDiff(expected, predicted);
                report.append(String.format(" batch %d %.2e,", batch, d));
                assertTrue(d <= 1e-5, "predict at batch " + batch + " differs by " + d);
            }
            float[] scored = new float[expected.length], one = new float[units];
            for (int n = 0; n < x.size(); n++) {
                switch (x) {
                    case Samples.Tokens t -> scorer.scoreAll(t.x()[n], one);
                    case Samples.Sequences q -> scorer.scoreAll(q.x()[n], one);
                }
                System.arraycopy(one, 0, scored, n * units, units);
            }
            double d = maxAbsDiff(expected, scored);
            System.out.println(report.append(String.format(" scorer %.2e", d)));
            assertTrue(d <= 1e-5, "scorer differs by " + d);
        }
    }

    /**
     * Each row's real tokens alone, in a model whose input length is their number, score as the
     * padded row does (and as PyTorch on those tokens).
     */
    @ParameterizedTest
    @ValueSource(strings = {"bilstm", "stacked_masked", "bilstm_seq_avg"})
    void aSequenceAndTheSamePaddedSequenceScoreAlike(String set) {
        int[][] x = ((Samples.Tokens) samples(set)).x();
        double[] expected = ParityFixture.read(set, "probs").values();
        double worstPadded = 0, worstReference = 0;
        try (Sequential padded = model(set, x[0].length); Scorer paddedScorer = padded.newScorer()) {
            for (int n = 0; n < x.length; n++) {
                int[] real = Arrays.stream(x[n]).filter(id -> id != 0).toArray();
                try (Sequential alone = model(set, real.length); Scorer scorer = alone.newScorer()) {
                    float s = scorer.score(real);
                    worstPadded = Math.max(worstPadded, Math.abs(s - paddedScorer.score(x[n])));
                    worstReference = Math.max(worstReference, Math.abs(s - expected[n]));
                }
            }
        }
        System.out.printf("parity %s: unpadded vs padded max |diff| %.2e, unpadded vs PyTorch %.2e%n", set, worstPadded, worstReference);
        assertTrue(worstPadded <= 1e-6, "a padded row scores differently from the row alone by " + worstPadded);
        assertTrue(worstReference <= 1e-5, "a row alone differs from PyTorch by " + worstReference);
    }
}
