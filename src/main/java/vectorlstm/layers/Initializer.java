package vectorlstm.layers;

import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
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
     * 4*units) recurrent kernel gets orthonormal rows. QR comes from commons-math3.
     */
    static Initializer orthogonal() {
        return (t, rng) -> {
            int rows = t.dim(0), cols = t.dim(t.rank() - 1);
            int tall = Math.max(rows, cols), narrow = Math.min(rows, cols);
            double[][] a = new double[tall][narrow];
            for (double[] row : a) for (int j = 0; j < narrow; j++) row[j] = rng.nextGaussian();
            QRDecomposition qr = new QRDecomposition(new Array2DRowRealMatrix(a, false));
            RealMatrix q = qr.getQ().getSubMatrix(0, tall - 1, 0, narrow - 1);
            RealMatrix r = qr.getR();
            for (int j = 0; j < narrow; j++) {
                double sign = Math.signum(r.getEntry(j, j));
                if (sign == 0) sign = 1;
                for (int i = 0; i < tall; i++) q.setEntry(i, j, q.getEntry(i, j) * sign);
            }
            RealMatrix out = rows < cols ? q.transpose() : q;  // (rows, cols) either way
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t.set((long) i * cols + j, (float) out.getEntry(i, j));
        };
    }
}
