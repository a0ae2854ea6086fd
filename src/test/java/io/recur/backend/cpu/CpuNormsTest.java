package io.recur.backend.cpu;

import io.recur.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CpuNormsTest extends CpuTestBase {
    private static final int[][] SHAPES = {{1, 1}, {1, 7}, {5, 33}, {260, 130}};   // rows, dim
    private static final float EPS = 1e-5f;

    @Test
    void rmsNormForwardAndBackward() {
        for (int[] s : SHAPES) {
            int rows = s[0], dim = s[1];
            double[] x = rounded(normal(rows * dim)), w = rounded(uniform(dim, 0.5, 1.5)), dy = rounded(normal(rows * dim));
            double[] dw0 = rounded(normal(dim));
            double[] y = new double[x.length], rstd = new double[rows], dx = new double[x.length], dw = dw0.clone();
            for (int r = 0; r < rows; r++) {
                double ss = 0, dot = 0;
                for (int j = 0; j < dim; j++) ss += x[r * dim + j] * x[r * dim + j];
                rstd[r] = 1 / Math.sqrt(ss / dim + EPS);
                for (int j = 0; j < dim; j++) {
                    y[r * dim + j] = x[r * dim + j] * rstd[r] * w[j];
                    dot += dy[r * dim + j] * w[j] * x[r * dim + j];
                    dw[j] += dy[r * dim + j] * x[r * dim + j] * rstd[r];
                }
                // d/dx_j of x_k * rstd * w_k, summed against dy_k
                for (int j = 0; j < dim; j++)
                    dx[r * dim + j] = rstd[r] * w[j] * dy[r * dim + j] - x[r * dim + j] * Math.pow(rstd[r], 3) * dot / dim;
            }
            Tensor yT = output(rows, dim), rstdT = output(rows), dxT = output(rows, dim), dwT = view(dw0, dim);
            Tensor xT = view(x, rows, dim), wT = view(w, dim);
            CPU.rmsNorm(xT, wT, rows, dim, EPS, yT, rstdT);
            assertClose(y, yT, 1e-5, 1e-6, "rmsNorm y " + rows + "x" + dim);
            assertClose(rstd, rstdT, 1e-6, 0, "rmsNorm rstd " + rows + "x" + dim);
            CPU.rmsNormBackward(xT, wT, rstdT, view(dy, rows, dim), rows, dim, dxT, dwT);
            assertClose(dx, dxT, 1e-4, 1e-5, "rmsNorm dx " + rows + "x" + dim);
            assertClose(dw, dwT, 1e-4, 1e-4, "rmsNorm dWeight " + rows + "x" + dim);
        }
    }

    @Test
    void layerNormForwardAndBackward() {
        for (int[] s : SHAPES) {
            int rows = s[0], dim = s[1];
            double[] x = rounded(normal(rows * dim)), w = rounded(uniform(dim, 0.5, 1.5)), b = rounded(normal(dim));
            double[] dy = rounded(normal(rows * dim)), dw0 = rounded(normal(dim)), db0 = rounded(normal(dim));
            for (int i = 0; i < x.length; i++) x[i] += 3;     // a mean far from 0
            double[] y = new double[x.length], mean = new double[rows], rstd = new double[rows], dx = new double[x.length];
            double[] dw = dw0.clone(), db = db0.clone();
            for (int r = 0; r < rows; r++) {
                double mu = 0, var = 0;
                for (int j = 0; j < dim; j++) mu += x[r * dim + j] / dim;
                for (int j = 0; j < dim; j++) var += Math.pow(x[r * dim + j] - mu, 2) / dim;
                mean[r] = mu;
                rstd[r] = 1 / Math.sqrt(var + EPS);
                double sumG = 0, sumGX = 0;
                for (int j = 0; j < dim; j++) {
                    double xhat = (x[r * dim + j] - mu) * rstd[r], g = dy[r * dim + j] * w[j];
                    y[r * dim + j] = xhat * w[j] + b[j];
                    sumG += g;
                    sumGX += g * xhat;
                    dw[j] += dy[r * dim + j] * xhat;
                    db[j] += dy[r * dim + j];
                }
                for (int j = 0; j < dim; j++) {
                    double xhat = (x[r * dim + j] - mu) * rstd[r], g = dy[r * dim + j] * w[j];
                    dx[r * dim + j] = rstd[r] * (g - sumG / dim - xhat * sumGX / dim);
                }
            }
            Tensor xT = view(x, rows, dim), wT = view(w, dim), yT = output(rows, dim), meanT = output(rows), rstdT = output(rows);
            CPU.layerNorm(xT, wT, view(b, dim), rows, dim, EPS, yT, meanT, rstdT);
            assertClose(y, yT, 1e-5, 1e-5, "layerNorm y " + rows + "x" + dim);
            assertClose(mean, meanT, 1e-6, 1e-6, "layerNorm mean " + rows + "x" + dim);
            assertClose(rstd, rstdT, 1e-5, 0, "layerNorm rstd " + rows + "x" + dim);
            Tensor dxT = output(rows, dim), dwT = view(dw0, dim), dbT = view(db0, dim);
            CPU.layerNormBackward(xT, wT, meanT, rstdT, view(dy, rows, dim), rows, dim, dxT, dwT, dbT);
            assertClose(dx, dxT, 1e-4, 1e-4, "layerNorm dx " + rows + "x" + dim);
            assertClose(dw, dwT, 1e-4, 1e-4, "layerNorm dWeight " + rows + "x" + dim);
            assertClose(db, dbT, 1e-5, 1e-4, "layerNorm dBias " + rows + "x" + dim);
        }
    }

    /** A null weight or bias means no affine part: the same as weight 1 and bias 0. */
    @Test
    void nullWeightAndBiasMeanIdentity() {
        int rows = 9, dim = 17;
        double[] x = rounded(normal(rows * dim)), dy = rounded(normal(rows * dim)), ones = new double[dim];
        java.util.Arrays.fill(ones, 1);
        Tensor xT = view(x, rows, dim), dyT = view(dy, rows, dim);
        Tensor y1 = output(rows, dim), y2 = output(rows, dim), mean = output(rows), rstd = output(rows);
        CPU.layerNorm(xT, view(ones, dim), view(new double[dim], dim), rows, dim, EPS, y1, mean, rstd);
        CPU.layerNorm(xT, null, null, rows, dim, EPS, y2, mean, rstd);
        assertClose(rounded(toDouble(y1.toFloatArray())), y2, 0, 0, "layerNorm without affine");
        Tensor dx1 = output(rows, dim), dx2 = output(rows, dim);
        CPU.layerNormBackward(xT, view(ones, dim), mean, rstd, dyT, rows, dim, dx1, null, null);
        CPU.layerNormBackward(xT, null, mean, rstd, dyT, rows, dim, dx2, null, null);
        assertClose(toDouble(dx1.toFloatArray()), dx2, 0, 0, "layerNorm' without affine");
        CPU.rmsNorm(xT, view(ones, dim), rows, dim, EPS, y1, rstd);
        CPU.rmsNorm(xT, null, rows, dim, EPS, y2, rstd);
        assertClose(toDouble(y1.toFloatArray()), y2, 0, 0, "rmsNorm without weight");
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
