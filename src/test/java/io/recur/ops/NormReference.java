package io.recur.ops;

import io.recur.testing.D;

/** Float64 references for RMSNorm and LayerNorm over the last axis. */
final class NormReference {
    private NormReference() {}

    static D rmsNorm(D x, D weight, float eps) {
        int dim = x.shape[x.rank() - 1];
        double[] y = new double[x.size()];
        for (int r = 0; r < x.size() / dim; r++) {
            double ms = 0;
            for (int j = 0; j < dim; j++) ms += sq(x.data[r * dim + j]);
            double rstd = 1 / Math.sqrt(ms / dim + eps);
            for (int j = 0; j < dim; j++) y[r * dim + j] = x.data[r * dim + j] * rstd * weight.data[j];
        }
        return x.withData(y);
    }

    /** weight and bias null mean 1 and 0. */
    static D layerNorm(D x, D weight, D bias, float eps) {
        int dim = x.shape[x.rank() - 1];
        double[] y = new double[x.size()];
        for (int r = 0; r < x.size() / dim; r++) {
            double mean = 0, var = 0;
            for (int j = 0; j < dim; j++) mean += x.data[r * dim + j];
            mean /= dim;
            for (int j = 0; j < dim; j++) var += sq(x.data[r * dim + j] - mean);
            double rstd = 1 / Math.sqrt(var / dim + eps);
            for (int j = 0; j < dim; j++) {
                double w = weight == null ? 1 : weight.data[j], b = bias == null ? 0 : bias.data[j];
                y[r * dim + j] = (x.data[r * dim + j] - mean) * rstd * w + b;
            }
        }
        return x.withData(y);
    }

    private static double sq(double v) { return v * v; }
}
