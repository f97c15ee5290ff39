package aiops.forecast.model;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Least squares by accumulated normal equations: rows are added one at a time (O(p^2) each, no design matrix kept)
 * and a snapshot can be solved at any point, which is what a rolling-origin backtest over prefixes needs.
 * A tiny ridge keeps the system solvable when gaps leave a column without support.
 */
final class NormalEquations {

    private final int p;
    private final double[] xtx;
    private final double[] xty;
    private int rows;

    NormalEquations(final int p) {
        this.p = p;
        this.xtx = new double[p * p];
        this.xty = new double[p];
    }

    private NormalEquations(final NormalEquations other) {
        this.p = other.p;
        this.xtx = other.xtx.clone();
        this.xty = other.xty.clone();
        this.rows = other.rows;
    }

    void add(final double[] x, final double y) {
        for (int i = 0; i < p; i++) {
            final double xi = x[i];
            if (xi == 0) {
                continue;
            }
            final int row = i * p;
            for (int j = i; j < p; j++) {
                xtx[row + j] += xi * x[j];
            }
            xty[i] += xi * y;
        }
        rows++;
    }

    int rows() {
        return rows;
    }

    NormalEquations copy() {
        return new NormalEquations(this);
    }

    /** The coefficients, or null when there are fewer rows than coefficients or the system is degenerate. */
    double[] solve() {
        if (rows < p) {
            return null;
        }
        final double[][] a = new double[p][p];
        double trace = 0;
        for (int i = 0; i < p; i++) {
            trace += xtx[i * p + i];
        }
        final double ridge = 1e-9 * Math.max(trace / p, 1e-12);
        for (int i = 0; i < p; i++) {
            for (int j = i; j < p; j++) {
                a[i][j] = xtx[i * p + j];
                a[j][i] = xtx[i * p + j];
            }
            a[i][i] += ridge;
        }
        try {
            final RealMatrix m = new Array2DRowRealMatrix(a, false);
            return new CholeskyDecomposition(m, 1e-12, 1e-14).getSolver().solve(new ArrayRealVector(xty, false))
                    .toArray();
        } catch (final NonPositiveDefiniteMatrixException | org.apache.commons.math3.linear.NonSymmetricMatrixException e) {
            return null;
        }
    }
}
