package vectorlstm.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/** GRU's Keras shapes and defaults, and its masks and go_backwards as RecurrentLayer describes them. */
class GruTest {
    private Arena arena;
    private Slab slab;

    @BeforeEach void open() { arena = Arena.ofConfined(); slab = Slab.allocate(arena, 4 << 20); }
    @AfterEach void close() { arena.close(); }

    private Gru built(Gru gru, int steps, int features) {
        gru.build(Shape.of(steps, features));
        Random rng = new Random(3);
        for (Parameter p : gru.parameters()) {
            Tensor t = slab.tensor(p.shape());
            p.initializer().fill(t, rng);
            for (long i = 0; i < t.size(); i++) t.set(i, t.get(i) + (float) (0.3 * rng.nextGaussian()));  // a bias that is not zero
            p.bind(t);
        }
        return gru;
    }

    /** x [T, b, D] with row n's steps given by {@code rows[n][t]} (D values each). */
    private Tensor input(float[][][] rows, int steps, int features) {
        Tensor x = slab.tensor(steps, rows.length, features);
        for (int n = 0; n < rows.length; n++) {
            for (int t = 0; t < steps; t++) for (int f = 0; f < features; f++) x.set(((long) t * rows.length + n) * features + f, rows[n][t][f]);
        }
        return x;
    }

    private static float[][] randomSteps(Random rng, int steps, int features) {
        float[][] s = new float[steps][features];
        for (float[] step : s) for (int f = 0; f < features; f++) step[f] = (float) rng.nextGaussian();
        return s;
    }

    @Test
    void kerasShapesAndDefaults() {
        Gru after = new Gru(5);
        assertEquals(Shape.of(5), after.build(Shape.of(7, 3)));
        assertEquals("GRU", after.typeName());
        assertArrayEquals(new int[] {3, 15}, after.kernel().shape());
        assertArrayEquals(new int[] {5, 15}, after.recurrentKernel().shape());
        assertArrayEquals(new int[] {2, 15}, after.bias().shape());
        Gru before = new Gru(5, true, false, false);
        assertEquals(Shape.of(7, 5), before.build(Shape.of(7, 3)));
        assertArrayEquals(new int[] {15}, before.bias().shape());
        assertEquals(15 * 3 + 15 * 5 + 2 * 15, after.parameterCount());
    }

    /**
     * The same sequence alone (3 steps), pre-padded and post-padded to 6 steps with masked padding
     * of random values: the same last state, and with returnSequences the carried state at
     * masked steps.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void maskedStepsCarryTheState(boolean resetAfter) {
        int d = 4, h = 7;
        Random rng = new Random(11);
        float[][] real = randomSteps(rng, 3, d), pad = randomSteps(rng, 3, d);
        float[][] pre = {pad[0], pad[1], pad[2], real[0], real[1], real[2]};
        float[][] post = {real[0], real[1], real[2], pad[0], pad[1], pad[2]};
        Gru gru = built(new Gru(h, true, false, resetAfter), 6, d);
        Layer.State state = gru.newState(slab, 2, 6, false);

        Tensor alone = gru.forward(state, input(new float[][][] {real, real}, 3, d), null, Pass.inference(2));
        float[] want = alone.slice(2L * 2 * h, 2, h).toArray();
        Tensor mask = slab.tensor(6, 2);
        for (int t = 0; t < 6; t++) {
            mask.set(2L * t, t >= 3 ? 1f : 0f);  // row 0 pre-padded
            mask.set(2L * t + 1, t < 3 ? 1f : 0f);  // row 1 post-padded
        }
        Tensor out = gru.forward(state, input(new float[][][] {pre, post}, 6, d), mask, Pass.inference(2));
        float[] last = out.slice(5L * 2 * h, 2, h).toArray();
        assertArrayEquals(want, last, 1e-6f);
        float[] carried = out.slice(3L * 2 * h + h, h).toArray(), atThree = out.slice(2L * 2 * h + h, h).toArray();
        assertArrayEquals(atThree, carried, 0f, "a masked step outputs the carried state");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void goBackwardsReadsTheReversedSequence(boolean resetAfter) {
        int d = 3, h = 9, steps = 5;
        Random rng = new Random(12);
        float[][] seq = randomSteps(rng, steps, d), reversed = new float[steps][];
        for (int t = 0; t < steps; t++) reversed[t] = seq[steps - 1 - t];
        Gru forwards = built(new Gru(h, false, false, resetAfter), steps, d);
        Gru backwards = new Gru(h, false, true, resetAfter);
        backwards.build(Shape.of(steps, d));
        for (int i = 0; i < 3; i++) backwards.parameters().get(i).bind(forwards.parameters().get(i).value());
        float[] want = forwards.forward(forwards.newState(slab, 1, steps, false), input(new float[][][] {reversed}, steps, d), null, Pass.inference(1)).toArray();
        float[] got = backwards.forward(backwards.newState(slab, 1, steps, false), input(new float[][][] {seq}, steps, d), null, Pass.inference(1)).toArray();
        assertArrayEquals(want, got, 0f);
    }
}
