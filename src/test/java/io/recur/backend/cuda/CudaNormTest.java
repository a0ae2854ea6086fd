package io.recur.backend.cuda;

import io.recur.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CudaNormTest extends CudaTestBase {
    private static final int[][] SHAPES = {{1, 1}, {7, 33}, {3, 768}, {1500, 40}, {2, 3000}};  // rows, dim (1500 rows: chunked weight grads)
    private static final float EPS = 1e-5f;

    /** Forward and backward of LayerNorm (centred) or RMSNorm, in double. */
    private record Reference(double[] y, double[] mean, double[] rstd, double[] dx, double[] dw, double[] db) {}

    private static Reference reference(float[] x, float[] w, float[] b, float[] dy, int rows, int dim, boolean centred,
                                       float[] dw0, float[] db0) {
        double[] y = new double[x.length], mean = new double[rows], rstd = new double[rows], dx = new double[x.length];
        double[] dw = toDouble(dw0), db = db0 == null ? null : toDouble(db0);
        for (int r = 0; r < rows; r++) {
            double mu = 0, var = 0;
            if (centred) { for (int j = 0; j < dim; j++) mu += x[r * dim + j]; mu /= dim; }
            for (int j = 0; j < dim; j++) { double d = x[r * dim + j] - mu; var += d * d; }
            double rs = 1 / Math.sqrt(var / dim + EPS);
            mean[r] = mu;
            rstd[r] = rs;
            double meanG = 0, meanGX = 0;
            for (int j = 0; j < dim; j++) {
                int i = r * dim + j;
                double xhat = (x[i] - mu) * rs;
                y[i] = xhat * w[j] + (b == null ? 0 : b[j]);
                double g = dy[i] * w[j];
                meanG += g;
                meanGX += g * xhat;
                dw[j] += dy[i] * xhat;
                if (db != null) db[j] += dy[i];
            }
            meanG /= dim;
            meanGX /= dim;
            for (int j = 0; j < dim; j++) {
                int i = r * dim + j;
                double xhat = (x[i] - mu) * rs;
                dx[i] = rs * (dy[i] * w[j] - (centred ? meanG : 0) - xhat * meanGX);
            }
        }
        return new Reference(y, mean, rstd, dx, dw, db);
    }

    @Test
    void rmsNormForwardAndBackward() {
        for (int[] s : SHAPES) {
            int rows = s[0], dim = s[1];
            float[] x = uniform(rows * dim, -2, 2), w = uniform(dim, 0.5f, 1.5f), dy = uniform(rows * dim, -1, 1), dw0 = uniform(dim, -1, 1);
            Reference ref = reference(x, w, null, dy, rows, dim, false, dw0, null);
            Tensor tx = upload(x, rows, dim), tw = upload(w, dim), y = poisoned(rows, dim), rstd = poisoned(rows);
            cuda.rmsNorm(tx, tw, rows, dim, EPS, y, rstd);
            String what = "rmsNorm " + rows + "x" + dim;
            assertClose(ref.y(), y.toFloatArray(), 1e-5, 1e-5, what);
            assertClose(ref.rstd(), rstd.toFloatArray(), 1e-5, 0, what + " rstd");
            Tensor dx = poisoned(rows, dim), dw = upload(dw0, dim);
            cuda.rmsNormBackward(tx, tw, rstd, upload(dy, rows, dim), rows, dim, dx, dw);
            assertClose(ref.dx(), dx.toFloatArray(), 1e-4, 1e-5, what + " dx");
            assertClose(ref.dw(), dw.toFloatArray(), 1e-4, 1e-3, what + " dWeight");
        }
    }

    @Test
    void layerNormForwardAndBackward() {
        for (int[] s : SHAPES) {
            int rows = s[0], dim = s[1];
            float[] x = uniform(rows * dim, 1, 3), w = uniform(dim, 0.5f, 1.5f), b = uniform(dim, -1, 1), dy = uniform(rows * dim, -1, 1);
            float[] dw0 = uniform(dim, -1, 1), db0 = uniform(dim, -1, 1);
            Reference ref = reference(x, w, b, dy, rows, dim, true, dw0, db0);
            Tensor tx = upload(x, rows, dim), tw = upload(w, dim), y = poisoned(rows, dim), mean = poisoned(rows), rstd = poisoned(rows);
            cuda.layerNorm(tx, tw, upload(b, dim), rows, dim, EPS, y, mean, rstd);
            String what = "layerNorm " + rows + "x" + dim;
            assertClose(ref.y(), y.toFloatArray(), 1e-4, 1e-4, what);
            assertClose(ref.mean(), mean.toFloatArray(), 1e-5, 1e-6, what + " mean");
            assertClose(ref.rstd(), rstd.toFloatArray(), 1e-4, 0, what + " rstd");
            Tensor dx = poisoned(rows, dim), dw = upload(dw0, dim), db = upload(db0, dim);
            cuda.layerNormBackward(tx, tw, mean, rstd, upload(dy, rows, dim), rows, dim, dx, dw, db);
            assertClose(ref.dx(), dx.toFloatArray(), 1e-3, 1e-4, what + " dx");
            assertClose(ref.dw(), dw.toFloatArray(), 1e-4, 1e-3, what + " dWeight");
            assertClose(ref.db(), db.toFloatArray(), 1e-4, 1e-3, what + " dBias");
        }
    }
}
