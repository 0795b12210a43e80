package vectorlstm.layers;

import vectorlstm.memory.Tensor;

/** Element-wise activations of {@link Dense}, with the derivative backward needs. */
public enum Activation {
    LINEAR, SIGMOID, TANH, RELU;

    public static Activation parse(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "linear", "none" -> LINEAR;
            case "sigmoid" -> SIGMOID;
            case "tanh" -> TANH;
            case "relu" -> RELU;
            default -> throw new IllegalArgumentException("unknown activation '" + name + "' (linear, sigmoid, tanh, relu)");
        };
    }

    /** out[i] = f(z[i]) for the first n values. */
    void apply(Tensor z, Tensor out, long n) {
        for (long i = 0; i < n; i++) {
            float v = z.get(i);
            out.set(i, switch (this) {
                case LINEAR -> v;
                case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-v)));
                case TANH -> (float) Math.tanh(v);
                case RELU -> Math.max(v, 0f);
            });
        }
    }

    /** dz[i] = dOut[i] · f'(z[i]), written from the activated values {@code out}. */
    void backward(Tensor z, Tensor out, Tensor dOut, Tensor dz, long n) {
        for (long i = 0; i < n; i++) {
            float y = out.get(i), g = dOut.get(i);
            dz.set(i, switch (this) {
                case LINEAR -> g;
                case SIGMOID -> g * y * (1 - y);
                case TANH -> g * (1 - y * y);
                case RELU -> z.get(i) > 0 ? g : 0f;
            });
        }
    }

    public String kerasName() { return name().toLowerCase(java.util.Locale.ROOT); }
}
