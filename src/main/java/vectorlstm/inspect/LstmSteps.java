package vectorlstm.inspect;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import vectorlstm.layers.Activation;
import vectorlstm.layers.Dense;
import vectorlstm.layers.Dropout;
import vectorlstm.layers.Embedding;
import vectorlstm.layers.Layer;
import vectorlstm.layers.Lstm;
import vectorlstm.layers.RecurrentActivation;
import vectorlstm.model.Sequential;

/**
 * What an {@code Embedding → LSTM → Dense} model does at every step of one sequence, recorded:
 * the gates, the cell and hidden state, and the head applied to every h_t (the model's answer for
 * the text cut there when the padding is masked or absent; {@link Inspection} scores cut texts
 * otherwise). Plain loops in the textbook order (Keras' equations, gates
 * i, f, c, o), not the SIMD kernels: this is for looking, and a test holds it to the engine's answer.
 *
 * <pre>
 *   z_t = x_t·W + h_{t-1}·U + b          (1, 4H)
 *   i = σ(z_i)  f = σ(z_f)  g = tanh(z_c)  o = σ(z_o)      (1, H) each  (σ a hard sigmoid in Keras 2 files)
 *   c_t = f∘c_{t-1} + i∘g                  h_t = o∘tanh(c_t)
 *   out_t = head(h_t)                      (1, classes)
 * </pre>
 *
 * <p>With an Embedding that masks padding ({@code mask_zero}) a step that reads id 0 is skipped,
 * as Keras skips it: h and c carry over unchanged (so the head's answer too), and no gate is
 * computed, so the step's gates and pre-activations are NaN ({@link #masked} tells which steps).
 */
public final class LstmSteps {
    public final int steps, units, features, outputs;
    /** [T][H]: input, forget and output gates, candidate g, cell state c_t, hidden state h_t. */
    public final float[][] input, forget, output, candidate, cell, hidden;
    /** [T][4H] pre-activations z_t. */
    public final float[][] preActivations;
    /** [T][F]: the embedding rows read at each step. */
    public final float[][] x;
    /** [T][outputs]: the head on h_t (the last row is the model's answer). */
    public final float[][] head;
    /** [T][outputs] head pre-activations (logits). */
    public final float[][] logits;
    /** The head on h_0 = 0: the answer before any step (the bias alone). */
    public final float[] initialHead;
    /** [T]: steps the model skipped (id 0 under mask_zero); their gates are NaN, their h and c the step before's. */
    public final boolean[] masked;
    /** Whether the model masks id 0 (its Embedding has mask_zero). */
    public final boolean masksPadding;
    /** The i, f and o gates' function: the sigmoid, or a Keras file's hard sigmoid. */
    public final RecurrentActivation gateActivation;

    private LstmSteps(int t, int h, int f, int k, boolean masksPadding, RecurrentActivation gateActivation) {
        this.masksPadding = masksPadding;
        this.gateActivation = gateActivation;
        masked = new boolean[t];
        steps = t;
        units = h;
        features = f;
        outputs = k;
        input = new float[t][h];
        forget = new float[t][h];
        output = new float[t][h];
        candidate = new float[t][h];
        cell = new float[t][h];
        hidden = new float[t][h];
        preActivations = new float[t][4 * h];
        x = new float[t][f];
        head = new float[t][k];
        logits = new float[t][k];
        initialHead = new float[k];
    }

    /** True when {@link #run} can inspect this model. */
    public static boolean supports(Sequential model) { return unsupported(model) == null; }

    /**
     * Why {@link #run} cannot inspect this model, or null when it can. Each condition is named:
     * one message for all of them called a mask_zero model "not Embedding → LSTM → Dense" while
     * listing exactly those layers.
     */
    static String unsupported(Sequential model) {
        List<Layer> l = model.layers();
        // Dropout between the LSTM and the head (Keras' usual Embedding, LSTM, Dropout, Dense) does nothing when scoring.
        boolean onlyDropoutBetween = l.size() >= 3 && l.subList(2, l.size() - 1).stream().allMatch(x -> x instanceof Dropout);
        if (!(onlyDropoutBetween && l.get(0) instanceof Embedding e && l.get(1) instanceof Lstm lstm && l.get(l.size() - 1) instanceof Dense)) {
            return "looking inside needs an Embedding → LSTM → Dense model (Dropout before the Dense allowed); this one is " + describe(model);
        }
        // No model meets this today (Dense refuses a sequence); kept so that the record never misreads one.
        if (lstm.returnSequences()) return "looking inside needs an LSTM that returns its last step only; this model's has return_sequences";
        if (lstm.goBackwards()) return "looking inside needs an LSTM that reads forwards; this model's has go_backwards";
        return null;
    }

    /** Runs one padded sequence of token ids through the model, step by step. */
    public static LstmSteps run(Sequential model, int[] ids) {
        String unsupported = unsupported(model);
        if (unsupported != null) throw new IllegalArgumentException(unsupported);
        Embedding emb = (Embedding) model.layers().get(0);
        Lstm lstm = (Lstm) model.layers().get(1);
        Dense dense = head(model);
        // A model of any length (an import with a dynamic time axis) reads the sequence as it is.
        if (emb.inputLength() > 0 && ids.length != emb.inputLength()) throw new IllegalArgumentException("expected " + emb.inputLength() + " ids, got " + ids.length);
        if (ids.length == 0) throw new IllegalArgumentException("no ids to read");
        // Only the rows the sequence uses are read: the table itself may be a mapped gigabyte.
        MemorySegment table = emb.parameters().get(0).value().segment();
        List<float[]> lw = lstm.getWeights();
        float[] w = lw.get(0), u = lw.get(1), b = lw.get(2);
        List<float[]> dw = dense.getWeights();
        float[] wd = dw.get(0), bd = dw.get(1);
        int t = ids.length, h = lstm.units(), f = emb.outputDim(), k = dense.units(), g4 = 4 * h;
        LstmSteps s = new LstmSteps(t, h, f, k, emb.maskZero(), lstm.recurrentActivation());
        System.arraycopy(bd, 0, s.initialHead, 0, k);
        activate(dense.activation(), s.initialHead);
        float[] hPrev = new float[h], cPrev = new float[h];
        for (int step = 0; step < t; step++) {
            int id = ids[step];
            if (id < 0 || id >= emb.inputDim()) throw new IllegalArgumentException("token id " + id + " is outside [0, " + emb.inputDim() + ")");
            MemorySegment.copy(table, ValueLayout.JAVA_FLOAT, (long) id * f * Float.BYTES, s.x[step], 0, f);
            if (s.masksPadding && id == 0) {
                s.masked[step] = true;
                for (float[] notComputed : new float[][] {s.preActivations[step], s.input[step], s.forget[step], s.candidate[step], s.output[step]}) {
                    java.util.Arrays.fill(notComputed, Float.NaN);
                }
                System.arraycopy(cPrev, 0, s.cell[step], 0, h);
                System.arraycopy(hPrev, 0, s.hidden[step], 0, h);
                System.arraycopy(step == 0 ? s.initialHead : s.head[step - 1], 0, s.head[step], 0, k);
                if (step == 0) {
                    for (int j = 0; j < k; j++) s.logits[step][j] = bd[j];
                } else {
                    System.arraycopy(s.logits[step - 1], 0, s.logits[step], 0, k);
                }
                hPrev = s.hidden[step];
                cPrev = s.cell[step];
                continue;
            }
            float[] z = s.preActivations[step];
            for (int j = 0; j < g4; j++) {
                double acc = b[j];
                for (int q = 0; q < f; q++) acc += (double) s.x[step][q] * w[q * g4 + j];
                for (int q = 0; q < h; q++) acc += (double) hPrev[q] * u[q * g4 + j];
                z[j] = (float) acc;
            }
            for (int j = 0; j < h; j++) {
                float i = s.gate(z[j]), fg = s.gate(z[h + j]), gg = (float) Math.tanh(z[2 * h + j]), o = s.gate(z[3 * h + j]);
                float c = fg * cPrev[j] + i * gg;
                s.input[step][j] = i;
                s.forget[step][j] = fg;
                s.candidate[step][j] = gg;
                s.output[step][j] = o;
                s.cell[step][j] = c;
                s.hidden[step][j] = o * (float) Math.tanh(c);
            }
            for (int j = 0; j < k; j++) {
                double acc = bd[j];
                for (int q = 0; q < h; q++) acc += (double) s.hidden[step][q] * wd[q * k + j];
                s.logits[step][j] = (float) acc;
            }
            System.arraycopy(s.logits[step], 0, s.head[step], 0, k);
            activate(dense.activation(), s.head[step]);
            hPrev = s.hidden[step];
            cPrev = s.cell[step];
        }
        return s;
    }

    /** The model's answer: the head on the last h. */
    public float[] finalOutput() { return head[steps - 1].clone(); }

    /** The i, f and o gates' function; a hard sigmoid is clip(slope·v + 1/2, 0, 1), Keras 2's slope 0.2, Keras 3's 1/6. */
    private float gate(float v) {
        if (gateActivation == RecurrentActivation.SIGMOID) return (float) (1.0 / (1.0 + Math.exp(-v)));
        return Math.max(0f, Math.min(1f, Math.fma(gateActivation.slope(), v, 0.5f)));
    }

    /** How the i, f and o gates are written in a formula: σ, or hard_sigmoid (Keras' name for both slopes). */
    public String gateFunctionName() {
        return gateActivation == RecurrentActivation.SIGMOID ? "σ" : "hard_sigmoid";
    }

    /** The Dense layer's own activation, on a heap row. */
    private static void activate(Activation a, float[] v) {
        a.applyInPlace(MemorySegment.ofArray(v), 0, v.length);
    }

    /** The output layer: the last, after any Dropout. */
    static Dense head(Sequential model) {
        return (Dense) model.layers().get(model.layers().size() - 1);
    }

    private static String describe(Sequential model) {
        StringBuilder b = new StringBuilder();
        for (Layer l : model.layers()) b.append(b.isEmpty() ? "" : " → ").append(l.typeName());
        return b.toString();
    }
}
