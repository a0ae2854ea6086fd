package io.recur.testing;

/**
 * Float64 references for RMSNorm and LayerNorm over the last axis: outputs, the per-row statistics
 * the backends save (mean, rstd), and the gradients. LayerNorm centres each row; RMSNorm does not.
 */
public final class NormReference {
    private NormReference() {}

    /** Per-row statistics: mean (0 for RMSNorm) and rstd = 1/sqrt(mean((x - mean)^2) + eps), each (rows). */
    public record Stats(D mean, D rstd) {}

    /** dx, and the weight and bias gradients summed over rows (dBias null for RMSNorm). */
    public record Grads(D dx, D dWeight, D dBias) {}

    public static D rmsNorm(D x, D weight, float eps) { return normalize(x, weight, null, stats(x, eps, false)); }

    /** weight and bias null mean 1 and 0. */
    public static D layerNorm(D x, D weight, D bias, float eps) { return normalize(x, weight, bias, stats(x, eps, true)); }

    public static Stats stats(D x, float eps, boolean centred) {
        int dim = x.shape[x.rank() - 1], rows = x.size() / dim;
        D mean = D.zeros(rows), rstd = D.zeros(rows);
        for (int r = 0; r < rows; r++) {
            double mu = 0, var = 0;
            if (centred) {
                for (int j = 0; j < dim; j++) mu += x.data[r * dim + j];
                mu /= dim;
            }
            for (int j = 0; j < dim; j++) var += sq(x.data[r * dim + j] - mu);
            mean.data[r] = mu;
            rstd.data[r] = 1 / Math.sqrt(var / dim + eps);
        }
        return new Stats(mean, rstd);
    }

    /**
     * With g = dy * weight and xhat = (x - mean) * rstd: dx = rstd * (g - mean(g) - xhat * mean(g * xhat)),
     * without the mean(g) term when not centred; dWeight = sum over rows of dy * xhat, dBias = sum of dy.
     */
    public static Grads backward(D x, D weight, D dy, float eps, boolean centred) {
        int dim = x.shape[x.rank() - 1], rows = x.size() / dim;
        Stats s = stats(x, eps, centred);
        D dx = D.zeros(x.shape), dw = D.zeros(dim), db = D.zeros(dim);
        for (int r = 0; r < rows; r++) {
            double mu = s.mean.data[r], rs = s.rstd.data[r], meanG = 0, meanGX = 0;
            for (int j = 0; j < dim; j++) {
                int i = r * dim + j;
                double xhat = (x.data[i] - mu) * rs, g = dy.data[i] * weight.data[j];
                meanG += g / dim;
                meanGX += g * xhat / dim;
                dw.data[j] += dy.data[i] * xhat;
                db.data[j] += dy.data[i];
            }
            for (int j = 0; j < dim; j++) {
                int i = r * dim + j;
                double xhat = (x.data[i] - mu) * rs;
                dx.data[i] = rs * (dy.data[i] * weight.data[j] - (centred ? meanG : 0) - xhat * meanGX);
            }
        }
        return new Grads(dx, dw, centred ? db : null);
    }

    private static D normalize(D x, D weight, D bias, Stats s) {
        int dim = x.shape[x.rank() - 1];
        double[] y = new double[x.size()];
        for (int r = 0; r < x.size() / dim; r++)
            for (int j = 0; j < dim; j++) {
                double w = weight == null ? 1 : weight.data[j], b = bias == null ? 0 : bias.data[j];
                y[r * dim + j] = (x.data[r * dim + j] - s.mean.data[r]) * s.rstd.data[r] * w + b;
            }
        return x.withData(y);
    }

    private static double sq(double v) { return v * v; }
}
