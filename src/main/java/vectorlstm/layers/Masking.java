package vectorlstm.layers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import vectorlstm.memory.Slab;
import vectorlstm.memory.Tensor;

/**
 * Keras' {@code Masking(mask_value=0.0)}: a step whose features all equal {@code maskValue} is
 * masked for the layers above, and its output is zero. A step the incoming mask already hides
 * (the padding of a variable-length batch) stays masked. Keras' Masking drops a mask it receives
 * from a layer, so a Masking after a masking Embedding or another Masking is refused when the
 * model is built ({@code Sequential}) rather than computed otherwise.
 * Input and output {@code [T, b, F]}.
 */
public final class Masking extends Layer {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;
    private final float maskValue;

    public Masking() { this(0f); }

    public Masking(float maskValue) {
        if (!Float.isFinite(maskValue)) throw new IllegalArgumentException("Masking's maskValue must be finite, got " + maskValue);
        this.maskValue = maskValue;
    }

    @Override public String typeName() { return "Masking"; }
    @Override public String namePrefix() { return "masking"; }
    public float maskValue() { return maskValue; }

    @Override
    protected Shape doBuild(Shape input) {
        requireRank(input, 2, "Masking", "(None, timesteps, features)");
        return input;
    }

    private static final class MaskingState implements State {
        final Tensor output, mask, dx;
        Tensor lastMask;
        int steps;

        MaskingState(Slab slab, int maxB, int maxSteps, int features, boolean needDx) {
            output = slab.tensor(maxSteps, maxB, features);
            mask = slab.tensor(maxSteps, maxB);
            dx = needDx ? slab.tensor(maxSteps, maxB, features) : null;
        }
    }

    @Override
    public State newState(Slab slab, int maxBatch, int maxSteps, boolean training) {
        return new MaskingState(slab, maxBatch, maxSteps, inputShape().dim(1), keepsInputGradient(training));
    }

    // x [T, b, F] → mask[t, n] = (some feature != maskValue) and incoming mask; out = x · mask.
    @Override
    public Tensor forward(State state, Tensor x, Tensor mask, Pass pass) {
        MaskingState s = (MaskingState) state;
        int b = pass.batch(), steps = x.dim(0), f = inputShape().dim(1);
        s.steps = steps;
        Tensor out = s.output.prefix(steps, b, f);
        Tensor m = s.mask.prefix(steps, b);
        MemorySegment in = x.segment(), o = out.segment();
        for (int t = 0; t < steps; t++) {
            for (int n = 0; n < b; n++) {
                long row = ((long) t * b + n) * f;
                boolean real = mask == null || mask.get((long) t * b + n) != 0f;
                if (real) {
                    real = false;
                    for (int j = 0; j < f && !real; j++) real = in.getAtIndex(F32, row + j) != maskValue;
                }
                m.set((long) t * b + n, real ? 1f : 0f);
                if (real) MemorySegment.copy(in, row * Float.BYTES, o, row * Float.BYTES, (long) f * Float.BYTES);
                else Tensor.zero(o, row, f);
            }
        }
        s.lastMask = m;
        return out;
    }

    @Override
    public Tensor outputMask(State state) { return ((MaskingState) state).lastMask; }

    // dx = dOut where the step is real, 0 where it is masked.
    @Override
    public Tensor backward(State state, Tensor gradOutput, List<Tensor> grads, int b) {
        if (!inputGradientNeeded) return null;
        MaskingState s = (MaskingState) state;
        int f = inputShape().dim(1);
        Tensor dx = s.dx.prefix(s.steps, b, f);
        dx.copyFrom(gradOutput);
        for (int t = 0; t < s.steps; t++) {
            RecurrentLayer.zeroMaskedRows(s.lastMask, t, b, f, dx.segment(), (long) t * b * f);
        }
        return dx;
    }
}
