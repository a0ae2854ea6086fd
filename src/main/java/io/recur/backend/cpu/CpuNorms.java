package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.offset;
import static io.recur.backend.cpu.CpuStorage.requireSize;

import io.recur.tensor.Tensor;

/**
 * RMSNorm and LayerNorm over the last axis, with statistics in double. Rows run in parallel;
 * the weight and bias gradients, which sum over rows, run in parallel over columns instead.
 * A null weight or bias means 1 or 0 (no affine part); a null dWeight or dBias is not computed.
 */
final class CpuNorms {
    private CpuNorms() {}

    static void rmsNorm(Tensor x, Tensor weight, int rows, int dim, float eps, Tensor y, Tensor rstd) {
        checkSizes(x, weight, rows, dim, y, rstd);
        float[] xs = f32(x), ys = f32(y), rs = f32(rstd), ws = weight == null ? null : f32(weight);
        int xo = offset(x), yo = offset(y), ro = offset(rstd), wo = weight == null ? 0 : offset(weight);
        CpuParallel.forRange(rows, 2L * dim, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xr = xo + r * dim, yr = yo + r * dim;
                double ss = 0;
                for (int j = 0; j < dim; j++) ss += (double) xs[xr + j] * xs[xr + j];
                float rstdR = (float) (1 / Math.sqrt(ss / dim + eps));
                rs[ro + r] = rstdR;
                for (int j = 0; j < dim; j++) ys[yr + j] = xs[xr + j] * rstdR * (ws == null ? 1f : ws[wo + j]);
            }
        });
    }

    /** dx = rstd * (w*dy - x * rstd^2 * mean(w*dy*x)); dWeight += sum over rows of dy * x * rstd. */
    static void rmsNormBackward(Tensor x, Tensor weight, Tensor rstd, Tensor dy, int rows, int dim,
                                Tensor dx, Tensor dWeight) {
        checkSizes(x, weight, rows, dim, dy, rstd);
        requireSize(dx, (long) rows * dim, "rmsNormBackward dx");
        float[] xs = f32(x), rs = f32(rstd), dys = f32(dy), dxs = f32(dx), ws = weight == null ? null : f32(weight);
        int xo = offset(x), ro = offset(rstd), dyo = offset(dy), dxo = offset(dx), wo = weight == null ? 0 : offset(weight);
        CpuParallel.forRange(rows, 3L * dim, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xr = xo + r * dim, dyr = dyo + r * dim, dxr = dxo + r * dim;
                double dot = 0;
                for (int j = 0; j < dim; j++) dot += (double) dys[dyr + j] * (ws == null ? 1f : ws[wo + j]) * xs[xr + j];
                double rstdR = rs[ro + r];
                float coef = (float) (rstdR * rstdR * rstdR * dot / dim), rf = (float) rstdR;
                for (int j = 0; j < dim; j++)
                    dxs[dxr + j] = rf * dys[dyr + j] * (ws == null ? 1f : ws[wo + j]) - coef * xs[xr + j];
            }
        });
        if (dWeight != null)
            accumulateColumns(rows, dim, dWeight, (r, j) -> dys[dyo + r * dim + j] * xs[xo + r * dim + j] * (double) rs[ro + r]);
    }

    static void layerNorm(Tensor x, Tensor weight, Tensor bias, int rows, int dim, float eps,
                          Tensor y, Tensor mean, Tensor rstd) {
        checkSizes(x, weight, rows, dim, y, rstd);
        requireSize(mean, rows, "layerNorm mean");
        if (bias != null) requireSize(bias, dim, "layerNorm bias");
        float[] xs = f32(x), ys = f32(y), ms = f32(mean), rs = f32(rstd);
        float[] ws = weight == null ? null : f32(weight), bs = bias == null ? null : f32(bias);
        int xo = offset(x), yo = offset(y), mo = offset(mean), ro = offset(rstd);
        int wo = weight == null ? 0 : offset(weight), bo = bias == null ? 0 : offset(bias);
        CpuParallel.forRange(rows, 3L * dim, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xr = xo + r * dim, yr = yo + r * dim;
                double sum = 0;
                for (int j = 0; j < dim; j++) sum += xs[xr + j];
                double mu = sum / dim, var = 0;
                for (int j = 0; j < dim; j++) { double c = xs[xr + j] - mu; var += c * c; }
                float rstdR = (float) (1 / Math.sqrt(var / dim + eps)), muF = (float) mu;
                ms[mo + r] = muF;
                rs[ro + r] = rstdR;
                for (int j = 0; j < dim; j++)
                    ys[yr + j] = (xs[xr + j] - muF) * rstdR * (ws == null ? 1f : ws[wo + j]) + (bs == null ? 0f : bs[bo + j]);
            }
        });
    }

    /** With xhat = (x - mean) * rstd and g = dy * w: dx = rstd * (g - mean(g) - xhat * mean(g * xhat)). */
    static void layerNormBackward(Tensor x, Tensor weight, Tensor mean, Tensor rstd, Tensor dy, int rows, int dim,
                                  Tensor dx, Tensor dWeight, Tensor dBias) {
        checkSizes(x, weight, rows, dim, dy, rstd);
        requireSize(mean, rows, "layerNormBackward mean");
        requireSize(dx, (long) rows * dim, "layerNormBackward dx");
        float[] xs = f32(x), ms = f32(mean), rs = f32(rstd), dys = f32(dy), dxs = f32(dx);
        float[] ws = weight == null ? null : f32(weight);
        int xo = offset(x), mo = offset(mean), ro = offset(rstd), dyo = offset(dy), dxo = offset(dx);
        int wo = weight == null ? 0 : offset(weight);
        CpuParallel.forRange(rows, 4L * dim, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xr = xo + r * dim, dyr = dyo + r * dim, dxr = dxo + r * dim;
                double mu = ms[mo + r], rstdR = rs[ro + r], sumG = 0, sumGX = 0;
                for (int j = 0; j < dim; j++) {
                    double g = dys[dyr + j] * (ws == null ? 1f : ws[wo + j]);
                    sumG += g;
                    sumGX += g * (xs[xr + j] - mu) * rstdR;
                }
                double meanG = sumG / dim, meanGX = sumGX / dim;
                for (int j = 0; j < dim; j++) {
                    double g = dys[dyr + j] * (ws == null ? 1f : ws[wo + j]);
                    dxs[dxr + j] = (float) (rstdR * (g - meanG - (xs[xr + j] - mu) * rstdR * meanGX));
                }
            }
        });
        if (dWeight != null)
            accumulateColumns(rows, dim, dWeight, (r, j) -> dys[dyo + r * dim + j] * ((xs[xo + r * dim + j] - (double) ms[mo + r]) * rs[ro + r]));
        if (dBias != null)
            accumulateColumns(rows, dim, dBias, (r, j) -> dys[dyo + r * dim + j]);
    }

    @FunctionalInterface
    private interface Term { double at(int row, int col); }

    /** target[j] += sum over rows of term(r, j), in double, parallel over column ranges (no races). */
    private static void accumulateColumns(int rows, int dim, Tensor target, Term term) {
        requireSize(target, dim, "norm parameter gradient");
        float[] ts = f32(target);
        int to = offset(target);
        CpuParallel.forRange(dim, rows, (j0, j1) -> {
            double[] acc = new double[j1 - j0];
            for (int r = 0; r < rows; r++)
                for (int j = j0; j < j1; j++) acc[j - j0] += term.at(r, j);
            for (int j = j0; j < j1; j++) ts[to + j] += (float) acc[j - j0];
        });
    }

    private static void checkSizes(Tensor x, Tensor weight, int rows, int dim, Tensor other, Tensor rstd) {
        requireSize(x, (long) rows * dim, "norm input");
        requireSize(other, (long) rows * dim, "norm input/output");
        requireSize(rstd, rows, "norm rstd");
        if (weight != null) requireSize(weight, dim, "norm weight");
    }
}
