package vectorlstm.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Finite-difference checks of every layer's backward. The scalar objective is
 * {@code L = Σ output · R} for a fixed random R, so dL/doutput = R; every parameter and every
 * input element is nudged by ±ε and the central difference (accumulated in double) is compared
 * with the analytic gradient.
 */
class LayerGradientCheckTest {
    private static final double EPS = 1e-2;
    private Arena arena;

    @BeforeEach void open() { arena = Arena.ofConfined(); }
    @AfterEach void close() { arena.close(); }

    private Slab slab() { return Slab.allocate(arena, 8 << 20); }

    /** Standard deviation of the random weights; the hard-sigmoid checks lower it to stay clear of the clipped ends' kinks. */
    private double weightScale = 0.5;

    private void bindRandomParameters(Layer layer, Slab slab, long seed) {
        Random rng = new Random(seed);
        for (Parameter p : layer.parameters()) {
            Tensor t = slab.tensor(p.shape());
            for (long i = 0; i < t.size(); i++) t.set(i, (float) (rng.nextGaussian() * weightScale));
            p.bind(t);
        }
    }

    private static Tensor randomTensor(Slab slab, long seed, int... shape) {
        Tensor t = slab.tensor(shape);
        Random rng = new Random(seed);
        for (long i = 0; i < t.size(); i++) t.set(i, (float) rng.nextGaussian());
        return t;
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (long i = 0; i < a.size(); i++) s += (double) a.get(i) * b.get(i);
        return s;
    }

    /** Compares analytic with central differences for every element of {@code t}. */
    private static void check(String what, Tensor t, Tensor analytic, DoubleSupplier objective) {
        double worst = 0, diff2 = 0, norm2 = 0;
        for (long i = 0; i < t.size(); i++) {
            float saved = t.get(i);
            t.set(i, (float) (saved + EPS));
            double plus = objective.getAsDouble();
            t.set(i, (float) (saved - EPS));
            double minus = objective.getAsDouble();
            t.set(i, saved);
            double numeric = (plus - minus) / (2 * EPS), a = analytic.get(i);
            double err = Math.abs(numeric - a) / Math.max(1.0, Math.abs(numeric) + Math.abs(a));
            worst = Math.max(worst, err);
            diff2 += (numeric - a) * (numeric - a);
            norm2 += numeric * numeric;
        }
        assertTrue(worst < 2e-3, what + ": worst relative gradient error " + worst);
        // Per element, a gradient below about 1 is held to 2e-3 absolute only (float32 differences are that noisy):
        // every entry scaled by 1.01, or the small ones zeroed, passed. As a whole the gradient is held to 2e-3 of its
        // norm, about four times the worst seen (4.6e-4, Lstm(100)'s recurrent kernel).
        double whole = Math.sqrt(diff2 / Math.max(norm2, 1e-300));
        assertTrue(whole < 2e-3, what + ": the gradient differs from the central differences by " + whole + " of its norm");
    }

    private void checkLayer(Layer layer, Shape inputShape, int batch, boolean sequenceInput) {
        checkLayer(layer, inputShape, batch, sequenceInput, null, Pass.inference(batch));
    }

    /**
     * Finite differences of {@code Σ forward(x)·r} against backward, for every weight and the input.
     * {@code maskRows[t][n]} false masks step t of row n (null: no mask); a training pass keeps
     * its dropout masks fixed (they derive from the pass's key), so the objective is smooth.
     */
    private void checkLayer(Layer layer, Shape inputShape, int batch, boolean sequenceInput, boolean[][] maskRows, Pass pass) {
        checkLayer(layer, inputShape, batch, sequenceInput, maskRows, pass, false);
    }

    /** {@code spaced}: inputs at least 0.1 apart, so a ±EPS nudge never changes which one is the maximum. */
    private void checkLayer(Layer layer, Shape inputShape, int batch, boolean sequenceInput, boolean[][] maskRows, Pass pass, boolean spaced) {
        layer.setInputGradientNeeded(true);
        layer.build(inputShape);
        Slab slab = slab();
        bindRandomParameters(layer, slab, 1);
        int[] inShape = sequenceInput
                ? new int[] {inputShape.dim(0), batch, inputShape.dim(1)}
                : new int[] {batch, inputShape.dim(0)};
        Tensor x = randomTensor(slab, 2, inShape);
        if (spaced) {
            List<Integer> ranks = new ArrayList<>();
            for (int i = 0; i < x.size(); i++) ranks.add(i);
            java.util.Collections.shuffle(ranks, new Random(5));
            for (int i = 0; i < x.size(); i++) x.set(i, 0.1f * ranks.get(i) - 1f);
        }
        Tensor mask = null;
        if (maskRows != null) {
            mask = slab.tensor(inputShape.dim(0), batch);
            for (int t = 0; t < maskRows.length; t++) for (int n = 0; n < batch; n++) mask.set((long) t * batch + n, maskRows[t][n] ? 1f : 0f);
        }
        Tensor m = mask;
        Layer.State state = layer.newState(slab, batch, inputShape.dim(0), true);
        Tensor out0 = layer.forward(state, x, m, pass);
        Tensor r = randomTensor(slab, 3, out0.shape());
        List<Tensor> grads = new ArrayList<>();
        for (Parameter p : layer.parameters()) grads.add(slab.tensor(p.shape()));
        Tensor dxView = layer.backward(state, r, grads, batch);
        Tensor dx = slab.tensor(x.shape());
        dx.copyFrom(dxView);

        DoubleSupplier objective = () -> dot(layer.forward(state, x, m, pass), r);
        for (int i = 0; i < grads.size(); i++) {
            check(layer.typeName() + "." + layer.parameters().get(i).name(), layer.parameters().get(i).value(), grads.get(i), objective);
        }
        check(layer.typeName() + " input", x, dx, objective);
    }

    @Test
    void lstmLastStateGradients() {
        checkLayer(new Lstm(9), Shape.of(5, 3), 2, true);  // 9 units: a full vector plus a tail at 128 and 256 bits (the forced-width executions), all tail at 512
    }

    /** Units that fill and overrun whole vectors at 16 lanes too (37 = 2·16 + 5, 100 = 6·16 + 4): the gate kernels' vector bodies. */
    @ParameterizedTest
    @ValueSource(ints = {37, 100})
    void lstmGradientsWithManyUnits(int units) {
        checkLayer(new Lstm(units), Shape.of(3, 2), 2, true);
    }

    @Test
    void lstmReturnSequencesGradients() {
        checkLayer(new Lstm(10, true), Shape.of(4, 2), 3, true);
    }

    @Test
    void denseGradientsForEveryActivation() {
        for (Activation a : Activation.values()) {
            checkLayer(new Dense(3, a), Shape.of(4), 2, false);
        }
    }

    /**
     * Wider than a vector on both sides (37 = 2·16 + 5 inputs to 100 units, and back): the Dense
     * GEMMs' vector bodies and tails, which Dense(3) on 4 inputs leaves to their scalar tails; an
     * LSTM and GRU of 100 units with dropout, returning sequences, in both reset modes.
     */
    @Test
    void wideDenseRecurrentAndDropoutGradients() {
        checkLayer(new Dense(100, "tanh"), Shape.of(37), 3, false);
        checkLayer(new Dense(37, "sigmoid"), Shape.of(100), 3, false);
        checkLayer(new Lstm(100, true), Shape.of(3, 2), 2, true);
        Lstm dropped = new Lstm(100);
        dropped.dropout(0.3f).recurrentDropout(0.4f);
        dropped.setName("lstm");
        checkLayer(dropped, Shape.of(3, 4), 2, true, null, Pass.training(2, 13));
        for (boolean resetAfter : new boolean[] {true, false}) checkLayer(new Gru(100, false, false, resetAfter), Shape.of(3, 2), 2, true);
    }

    @Test
    void embeddingGradientIsTheScatterOfTheOutputGradient() {
        Embedding e = new Embedding(6, 3, 5);
        e.build(Shape.of(5));
        Slab slab = slab();
        bindRandomParameters(e, slab, 4);
        int batch = 2;
        Tensor ids = slab.intTensor(batch, 5);
        int[] tokens = {0, 3, 3, 5, 1, 2, 2, 2, 0, 4};
        for (int i = 0; i < tokens.length; i++) ids.setInt(i, tokens[i]);
        Layer.State state = e.newState(slab, batch, 5, true);
        Pass pass = Pass.inference(batch);
        Tensor out = e.forward(state, ids, null, pass);
        Tensor r = randomTensor(slab, 5, out.shape());
        List<Tensor> grads = List.of(slab.tensor(6, 3));
        e.backward(state, r, grads, batch);
        check("Embedding.embeddings", e.parameters().get(0).value(), grads.get(0), () -> dot(e.forward(state, ids, null, pass), r));
    }

    /** Rows 0 and 2 pre-padded (masked at the start), row 1 post-padded, one step masked in the middle of row 2. */
    private static boolean[][] mixedMask(int steps) {
        boolean[][] m = new boolean[steps][3];
        for (int t = 0; t < steps; t++) {
            m[t][0] = t >= 2;
            m[t][1] = t < steps - 2;
            m[t][2] = t >= 1 && t != 3;
        }
        return m;
    }

    @Test
    void lstmGoBackwardsGradients() {
        checkLayer(new Lstm(7, false, true), Shape.of(5, 3), 2, true);
        checkLayer(new Lstm(7, true, true), Shape.of(5, 3), 2, true);
    }

    @Test
    void maskedLstmGradients() {
        checkLayer(new Lstm(9), Shape.of(6, 4), 3, true, mixedMask(6), Pass.inference(3));
        checkLayer(new Lstm(9, true), Shape.of(6, 4), 3, true, mixedMask(6), Pass.inference(3));
        checkLayer(new Lstm(9, true, true), Shape.of(6, 4), 3, true, mixedMask(6), Pass.inference(3));
    }

    /**
     * The masked, reversed and sequence-returning paths with units that fill and overrun whole
     * vectors at 16 lanes too (37 = 2·16 + 5): below 16 units every option ran in the kernels'
     * scalar tails only.
     */
    @Test
    void maskedReversedAndSequenceGradientsWithManyUnits() {
        checkLayer(new Lstm(37, true, true), Shape.of(4, 3), 3, true, mixedMask(4), Pass.inference(3));
        checkLayer(new Gru(37, true, true, true), Shape.of(4, 3), 3, true, mixedMask(4), Pass.inference(3));
        checkLayer(new Bidirectional(new Lstm(37, true), Bidirectional.MergeMode.parse("concat")), Shape.of(4, 3), 3, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"concat", "sum", "ave", "mul"})
    void bidirectionalGradientsForEveryMergeMode(String mode) {
        Bidirectional.MergeMode m = Bidirectional.MergeMode.parse(mode);
        checkLayer(new Bidirectional(new Lstm(6), m), Shape.of(5, 3), 3, true, mixedMask(5), Pass.inference(3));
        checkLayer(new Bidirectional(new Lstm(6, true), m), Shape.of(5, 3), 3, true, mixedMask(5), Pass.inference(3));
    }

    /** Both reset modes; 9 units are a full vector plus a tail at 128 and 256 bits (the forced-width executions), 37 = 2·16 + 5 at 512. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void gruLastStateGradients(boolean resetAfter) {
        checkLayer(new Gru(9, false, false, resetAfter), Shape.of(5, 3), 2, true);
        checkLayer(new Gru(37, false, false, resetAfter), Shape.of(3, 2), 2, true);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void gruReturnSequencesAndGoBackwardsGradients(boolean resetAfter) {
        checkLayer(new Gru(10, true, false, resetAfter), Shape.of(4, 2), 3, true);
        checkLayer(new Gru(7, false, true, resetAfter), Shape.of(5, 3), 2, true);
        checkLayer(new Gru(7, true, true, resetAfter), Shape.of(5, 3), 2, true);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void maskedGruGradients(boolean resetAfter) {
        checkLayer(new Gru(9, false, false, resetAfter), Shape.of(6, 4), 3, true, mixedMask(6), Pass.inference(3));
        checkLayer(new Gru(9, true, false, resetAfter), Shape.of(6, 4), 3, true, mixedMask(6), Pass.inference(3));
        checkLayer(new Gru(9, true, true, resetAfter), Shape.of(6, 4), 3, true, mixedMask(6), Pass.inference(3));
    }

    /** Bidirectional makes its GRUs output zero at masked steps (zeroOutputForMask): that path too. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void bidirectionalGruGradients(boolean resetAfter) {
        checkLayer(new Bidirectional(new Gru(6, false, false, resetAfter)), Shape.of(5, 3), 3, true, mixedMask(5), Pass.inference(3));
        checkLayer(new Bidirectional(new Gru(6, true, false, resetAfter), Bidirectional.MergeMode.SUM), Shape.of(5, 3), 3, true, mixedMask(5), Pass.inference(3));
    }

    @Test
    void poolingGradientsOverRealSteps() {
        checkLayer(new GlobalAveragePooling1D(), Shape.of(5, 4), 3, true, mixedMask(5), Pass.inference(3));
        checkLayer(new GlobalMaxPooling1D(), Shape.of(5, 4), 3, true, mixedMask(5), Pass.inference(3), true);
        checkLayer(new GlobalMaxPooling1D(true), Shape.of(5, 4), 3, true, mixedMask(5), Pass.inference(3), true);  // Keras': masked steps count
    }

    @Test
    void maskingAndDropoutGradients() {
        checkLayer(new Masking(0.25f), Shape.of(5, 4), 3, true, mixedMask(5), Pass.inference(3));
        Dropout d = new Dropout(0.4f);
        d.setName("dropout");
        checkLayer(d, Shape.of(5, 4), 3, true, null, Pass.training(3, 42));
    }

    /** Keras' dropout and recurrent_dropout: the masks are fixed for a given pass key, so the objective is smooth. */
    @Test
    void lstmDropoutGradients() {
        Lstm plain = new Lstm(7);
        plain.dropout(0.3f).recurrentDropout(0.4f);
        plain.setName("lstm");
        checkLayer(plain, Shape.of(5, 4), 3, true, null, Pass.training(3, 11));
        Lstm masked = new Lstm(7, true, true);
        masked.dropout(0.3f).recurrentDropout(0.4f);
        masked.setName("lstm");
        checkLayer(masked, Shape.of(5, 4), 3, true, mixedMask(5), Pass.training(3, 12));
    }

    /** Keras 2's and Keras 3's hard sigmoid as the recurrent activation (small weights keep the gates off the clipped ends). */
    @ParameterizedTest
    @ValueSource(strings = {"hard_sigmoid_keras2", "hard_sigmoid_keras3"})
    void lstmHardSigmoidGradients(String activation) {
        weightScale = 0.15;  // as for the GRU below: stay clear of the clip's kinks
        checkLayer(new Lstm(9).recurrentActivation(RecurrentActivation.parse(activation)), Shape.of(5, 3), 2, true);
        checkLayer(new Lstm(17, true, true).recurrentActivation(RecurrentActivation.parse(activation)), Shape.of(4, 3), 3, true, mixedMask(4), Pass.inference(3));
    }

    /** GRU's dropout and recurrent dropout, both reset modes, with a mask and reading backwards. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void gruDropoutGradients(boolean resetAfter) {
        Gru plain = new Gru(7, false, false, resetAfter);
        plain.dropout(0.3f).recurrentDropout(0.4f);
        plain.setName("gru");
        checkLayer(plain, Shape.of(5, 4), 3, true, null, Pass.training(3, 21));
        Gru masked = new Gru(7, true, true, resetAfter);
        masked.dropout(0.3f).recurrentDropout(0.4f);
        masked.setName("gru");
        checkLayer(masked, Shape.of(5, 4), 3, true, mixedMask(5), Pass.training(3, 22));
    }

    /** GRU with Keras 2's and Keras 3's hard sigmoid, both reset modes (Keras 2 files: hard_sigmoid with reset_after false). */
    @ParameterizedTest
    @CsvSource({"hard_sigmoid_keras2, false", "hard_sigmoid_keras2, true", "hard_sigmoid_keras3, false", "hard_sigmoid_keras3, true"})
    void gruHardSigmoidGradients(String activation, boolean resetAfter) {
        // Finite differences cannot see through a kink (a ±EPS nudge that crosses the clip at
        // |x| = 2.5 or 3): small weights keep the gates on the line. The clipped ends are covered
        // by hardSigmoidGruKernelsMatchScalar, whose scalar twin states the derivative plainly.
        weightScale = 0.15;
        checkLayer(new Gru(9, false, false, resetAfter).recurrentActivation(RecurrentActivation.parse(activation)), Shape.of(5, 3), 2, true);
        checkLayer(new Gru(17, true, true, resetAfter).recurrentActivation(RecurrentActivation.parse(activation)), Shape.of(4, 3), 3, true, mixedMask(4), Pass.inference(3));
    }
}
