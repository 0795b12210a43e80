package vectorlstm.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import vectorlstm.memory.Tensor;

/**
 * The orthogonal initializer computes only Q's first columns; it must give the bits the full Q of
 * commons-math gave (the demo's and every seed's initial weights depend on them), on tall, wide,
 * square and one-row shapes.
 */
class InitializerTest {
    @Test
    void thinOrthogonalGivesTheBitsOfCommonsMathsFullQ() {
        int[][] shapes = {{100, 400}, {400, 100}, {37, 37}, {5, 12}, {12, 5}, {1, 4}, {4, 1}, {3, 300}};
        try (Arena arena = Arena.ofConfined()) {
            for (int[] shape : shapes) {
                for (long seed : new long[] {7, 42}) {
                    Tensor t = Tensor.wrap(arena.allocate((long) shape[0] * shape[1] * Float.BYTES, 64), shape[0], shape[1]);
                    Initializer.orthogonal().fill(t, new Random(seed));
                    float[] want = fullQReference(shape[0], shape[1], new Random(seed));
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(t.get(i)),
                                shape[0] + "x" + shape[1] + " seed " + seed + " element " + i);
                    }
                }
            }
        }
    }

    /** The initializer as it was: commons-math's full Q, its first columns sign-corrected, transposed when wide. */
    private static float[] fullQReference(int rows, int cols, Random rng) {
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
        RealMatrix out = rows < cols ? q.transpose() : q;
        float[] values = new float[rows * cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) values[i * cols + j] = (float) out.getEntry(i, j);
        return values;
    }
}
