package vectorlstm.layers;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * commons-math's QR decomposition of a tall m x n matrix, forming only Q's first n columns.
 * {@code getQ()} builds all of the m x m Q: for an LSTM of 1,024 units (m = 4,096) that is 128 MB,
 * as much again for its transpose, and most of the orthogonal initializer's time (15 s; 2,048
 * units took 112 s and 1.9 GB). The columns come from the same Householder vectors, in the same
 * steps and order as {@code getQT()}, so they have its bits: the initial weights of every seed
 * stay what they were.
 */
final class ThinQr extends QRDecomposition {
    /** The decomposition's own working array (its qrt), kept when it passes it to each reflection. No initializer: set during super's constructor. */
    private double[][] householder;

    ThinQr(double[][] tall) {
        super(new Array2DRowRealMatrix(tall, false));
    }

    @Override
    protected void performHouseholderReflection(int minor, double[][] matrix) {
        householder = matrix;
        super.performHouseholderReflection(minor, matrix);
    }

    /** Rows 0..n-1 of {@link #getQT()}, that is {@code qt[j][i] = Q[i][j]}, computed as getQT computes them. */
    double[][] firstColumnsTransposed() {
        int n = householder.length, m = householder[0].length;
        RealMatrix r = getR();  // its diagonal is the decomposition's rDiag, copied
        double[][] qta = new double[n][m];
        for (int minor = n - 1; minor >= 0; minor--) {
            double[] v = householder[minor];
            qta[minor][minor] = 1.0d;
            if (v[minor] != 0.0) {
                double rDiag = r.getEntry(minor, minor);
                for (int col = minor; col < n; col++) {
                    double alpha = 0;
                    for (int row = minor; row < m; row++) alpha -= qta[col][row] * v[row];
                    alpha /= rDiag * v[minor];
                    for (int row = minor; row < m; row++) qta[col][row] += -alpha * v[row];
                }
            }
        }
        return qta;
    }
}
