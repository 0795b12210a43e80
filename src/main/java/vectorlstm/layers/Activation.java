package vectorlstm.layers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import vectorlstm.memory.Tensor;

/** Activations of {@link Dense}, applied to {@code [rows, cols]} pre-activations, with their backward. */
public enum Activation {
    LINEAR, SIGMOID, TANH, RELU, SOFTMAX;

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    public static Activation parse(String name) {
        if (name == null) throw new IllegalArgumentException("no activation given (null); use \"linear\" for none");
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "linear", "none" -> LINEAR;
            case "sigmoid" -> SIGMOID;
            case "tanh" -> TANH;
            case "relu" -> RELU;
            case "softmax" -> SOFTMAX;
            default -> throw new IllegalArgumentException("unknown activation '" + name + "' (linear, sigmoid, tanh, relu, softmax)");
        };
    }

    public String kerasName() { return name().toLowerCase(Locale.ROOT); }

    /** out = f(z) for {@code rows x cols} values; softmax is taken along each row. */
    void apply(Tensor z, Tensor out, int rows, int cols) {
        long bytes = (long) rows * cols * Float.BYTES;
        MemorySegment.copy(z.segment(), 0, out.segment(), 0, bytes);
        for (int r = 0; r < rows; r++) applyInPlace(out.segment(), (long) r * cols, cols);
    }

    /** x = f(x) for one row of {@code cols} floats at float offset {@code off}; allocates nothing. */
    public void applyInPlace(MemorySegment x, long off, int cols) {
        if (this == SOFTMAX) {
            softmaxInPlace(x, off, cols);
            return;
        }
        for (int j = 0; j < cols; j++) {
            float v = x.getAtIndex(F, off + j);
            x.setAtIndex(F, off + j, switch (this) {
                case LINEAR -> v;
                case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-v)));
                case TANH -> (float) Math.tanh(v);
                case RELU -> Math.max(v, 0f);
                case SOFTMAX -> throw new AssertionError();
            });
        }
    }

    /** Softmax of one row, shifted by its maximum so exp never overflows. */
    private static void softmaxInPlace(MemorySegment x, long off, int cols) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < cols; j++) max = Math.max(max, x.getAtIndex(F, off + j));
        for (int j = 0; j < cols; j++) sum += Math.exp(x.getAtIndex(F, off + j) - max);
        for (int j = 0; j < cols; j++) x.setAtIndex(F, off + j, (float) (Math.exp(x.getAtIndex(F, off + j) - max) / sum));
    }

    /** dz = dOut · f'(z), from the activated values {@code out} (and z for relu). */
    void backward(Tensor z, Tensor out, Tensor dOut, Tensor dz, int rows, int cols) {
        if (this == SOFTMAX) {
            // dz_i = y_i (g_i - Σ_j g_j y_j), the softmax Jacobian applied to g
            for (int r = 0; r < rows; r++) {
                long off = (long) r * cols;
                double dot = 0;
                for (int j = 0; j < cols; j++) dot += (double) dOut.get(off + j) * out.get(off + j);
                for (int j = 0; j < cols; j++) dz.set(off + j, (float) (out.get(off + j) * (dOut.get(off + j) - dot)));
            }
            return;
        }
        long n = (long) rows * cols;
        for (long i = 0; i < n; i++) {
            float y = out.get(i), g = dOut.get(i);
            dz.set(i, switch (this) {
                case LINEAR -> g;
                case SIGMOID -> g * y * (1 - y);
                case TANH -> g * (1 - y * y);
                case RELU -> z.get(i) > 0 ? g : 0f;
                case SOFTMAX -> throw new AssertionError();
            });
        }
    }
}
