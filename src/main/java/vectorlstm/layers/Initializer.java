package vectorlstm.layers;

import java.util.Random;
import org.apache.commons.math3.linear.RealMatrix;
import vectorlstm.memory.Tensor;

/** Keras' weight initializers, writing straight into the (off-heap) parameter tensor. */
@FunctionalInterface
public interface Initializer {
    void fill(Tensor t, Random rng);

    static Initializer zeros() { return (t, rng) -> t.zero(); }

    static Initializer uniform(float low, float high) {
        return (t, rng) -> {
            for (long i = 0; i < t.size(); i++) t.set(i, low + (high - low) * rng.nextFloat());
        };
    }

    /** glorot_uniform: U(-l, l) with l = sqrt(6 / (fan_in + fan_out)); for a 2-D kernel fan_in = rows. */
    static Initializer glorotUniform() {
        return (t, rng) -> {
            int fanIn = t.dim(0), fanOut = t.dim(t.rank() - 1);
            float limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
            uniform(-limit, limit).fill(t, rng);
        };
    }

    /**
     * Keras' Orthogonal(gain 1) for a (rows, cols) kernel: QR of a normal (max, min) matrix, Q's
     * columns sign-corrected by diag(R), transposed when rows < cols — so an LSTM's (units,
     * 4*units) recurrent kernel gets orthonormal rows. QR comes from commons-math3 ({@link ThinQr}: only
     * the columns of Q used).
     */
    static Initializer orthogonal() {
        return (t, rng) -> {
            int rows = t.dim(0), cols = t.dim(t.rank() - 1);
            int tall = Math.max(rows, cols), narrow = Math.min(rows, cols);
            double[][] a = new double[tall][narrow];
            for (double[] row : a) for (int j = 0; j < narrow; j++) row[j] = rng.nextGaussian();
            ThinQr qr = new ThinQr(a);
            RealMatrix r = qr.getR();
            double[][] qt = qr.firstColumnsTransposed();  // qt[j][i] = Q[i][j]
            for (int j = 0; j < narrow; j++) {
                double sign = Math.signum(r.getEntry(j, j));
                if (sign == 0) sign = 1;
                for (int i = 0; i < tall; i++) qt[j][i] = qt[j][i] * sign;
            }
            // (rows, cols) either way: Q's columns as the rows when rows < cols, else as the columns
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t.set((long) i * cols + j, (float) (rows < cols ? qt[i][j] : qt[j][i]));
        };
    }
}
