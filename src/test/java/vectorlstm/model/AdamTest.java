package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vectorlstm.layers.Initializer;
import vectorlstm.layers.Parameter;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Several Adam steps against a plain double-precision implementation of Keras' update, so the
 * moment decay and the bias correction are exercised (one step from zero moments would only
 * check lr·sign(g)). Also global clipping.
 */
class AdamTest {
    private static final int N = 37, STEPS = 5;

    private static double[] reference(float[] w0, float[][] grads, double lr, double clip) {
        double b1 = 0.9, b2 = 0.999, eps = 1e-7;
        double[] w = new double[N], m = new double[N], v = new double[N];
        for (int i = 0; i < N; i++) w[i] = w0[i];
        for (int t = 1; t <= STEPS; t++) {
            double norm = 0;
            for (float g : grads[t - 1]) norm += (double) g * g;
            norm = Math.sqrt(norm);
            double scale = clip > 0 && norm > clip ? clip / norm : 1;
            double lrT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            for (int i = 0; i < N; i++) {
                double g = grads[t - 1][i] * scale;
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                w[i] -= lrT * m[i] / (Math.sqrt(v[i]) + eps);
            }
        }
        return w;
    }

    private static void run(Adam adam, double clip) { run(adam, clip, 1f); }

    @Test
    void aWeightsLearningRateScaleMultipliesItsStep() { run(new Adam(0.02f), 0, 0.5f); }

    private static void run(Adam adam, double clip, float lrScale) {
        Random r = new Random(3);
        float[] w0 = new float[N];
        float[][] grads = new float[STEPS][N];
        for (int i = 0; i < N; i++) w0[i] = (float) r.nextGaussian();
        for (float[] g : grads) for (int i = 0; i < N; i++) g[i] = (float) (r.nextGaussian() * (i % 3 + 0.5));
        try (Arena arena = Arena.ofConfined()) {
            Slab slab = Slab.allocate(arena, 1 << 16);
            Parameter p = new Parameter("w", Initializer.zeros(), N);
            p.setLearningRateScale(lrScale);
            p.bind(slab.tensor(N));
            p.value().copyFrom(w0);
            Tensor g = slab.tensor(N);
            adam.allocateState(slab, List.of(p));
            for (float[] step : grads) {
                g.copyFrom(step);
                adam.step(List.of(p), List.of(g));
            }
            double[] want = reference(w0, grads, (adam.learningRate() * lrScale), clip);
            for (int i = 0; i < N; i++) assertEquals(want[i], p.value().get(i), 2e-6, "weight " + i);
        }
    }

    @Test
    void fiveStepsMatchKerasUpdateInDouble() { run(new Adam(0.01f), 0); }

    @Test
    void globalClipnormScalesTheGradientFirst() { run(new Adam(0.01f).globalClipnorm(0.5f), 0.5); }

    @Test
    void clipnormScalesEachWeightsGradientOnItsOwn() {
        // Two weights whose gradients have very different norms, changing from step to step; the
        // reference clips each one separately (Keras' clipnorm). Global clipping would scale the
        // small one down too, and is checked to give a different answer.
        Random r = new Random(9);
        float[][][] grads = new float[2][STEPS][N];
        for (int w = 0; w < 2; w++) for (float[] g : grads[w]) for (int i = 0; i < N; i++) g[i] = (float) (r.nextGaussian() * (w == 0 ? 3 : 0.05) * (1 + i % 4));
        double[] perWeightA = reference(new float[N], grads[0], 0.01, 1.0), perWeightB = reference(new float[N], grads[1], 0.01, 1.0);
        try (Arena arena = Arena.ofConfined()) {
            Slab slab = Slab.allocate(arena, 1 << 16);
            Parameter a = new Parameter("a", Initializer.zeros(), N), b = new Parameter("b", Initializer.zeros(), N);
            a.bind(slab.tensor(N));
            b.bind(slab.tensor(N));
            Tensor ga = slab.tensor(N), gb = slab.tensor(N);
            Adam adam = new Adam(0.01f).clipnorm(1f);
            adam.allocateState(slab, List.of(a, b));
            for (int t = 0; t < STEPS; t++) {
                ga.copyFrom(grads[0][t]);
                gb.copyFrom(grads[1][t]);
                adam.step(List.of(a, b), List.of(ga, gb));
            }
            for (int i = 0; i < N; i++) {
                assertEquals(perWeightA[i], a.value().get(i), 2e-6, "a[" + i + "]");
                assertEquals(perWeightB[i], b.value().get(i), 2e-6, "b[" + i + "]");
            }
        }
    }
}
