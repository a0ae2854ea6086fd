package io.recur.testing;

/**
 * Causal depthwise conv1d in float64 on the channels-first layout: x and out (batch, channels, T),
 * weight (channels, W), state (batch, channels, W-1) or null (zeros), bias (channels) or null.
 * Written as a sum over the padded input xx = [state, x]; the backward by hand. Channels-last
 * tensors are these with the last two axes swapped ({@link D#swapLastTwo}).
 */
public final class Conv1dReference {
    private Conv1dReference() {}

    public record Grads(double[] dx, double[] dWeight, double[] dBias, double[] dState) {}

    /** xx at time t of (b, c): x for t >= 0, the state before (zeros without one). */
    private static double xx(double[] x, double[] state, int b, int c, int t, int channels, int length, int width) {
        if (t >= 0) return x[(b * channels + c) * length + t];
        int i = width - 1 + t;
        return state == null || i < 0 ? 0 : state[(b * channels + c) * (width - 1) + i];
    }

    private static double pre(double[] x, double[] w, double[] bias, double[] state, int b, int c, int t, int channels,
                              int length, int width) {
        double z = bias == null ? 0 : bias[c];
        for (int k = 0; k < width; k++) z += w[c * width + k] * xx(x, state, b, c, t - (width - 1) + k, channels, length, width);
        return z;
    }

    private static double sigmoid(double z) { return 1 / (1 + Math.exp(-z)); }

    public static double[] forward(double[] x, double[] w, double[] bias, double[] state, int batch, int channels,
                                   int length, int width, boolean silu) {
        double[] out = new double[x.length];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
                for (int t = 0; t < length; t++) {
                    double z = pre(x, w, bias, state, b, c, t, channels, length, width);
                    out[(b * channels + c) * length + t] = silu ? z * sigmoid(z) : z;
                }
        return out;
    }

    public static Grads backward(double[] x, double[] w, double[] bias, double[] state, double[] g, int batch, int channels,
                                 int length, int width, boolean silu) {
        int n = width - 1;
        double[] dx = new double[x.length], dw = new double[w.length], db = new double[channels];
        double[] ds = new double[batch * channels * n];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
                for (int t = 0; t < length; t++) {
                    double z = pre(x, w, bias, state, b, c, t, channels, length, width), s = sigmoid(z);
                    double dz = g[(b * channels + c) * length + t] * (silu ? s * (1 + z * (1 - s)) : 1);
                    db[c] += dz;
                    for (int k = 0; k < width; k++) {
                        int at = t - n + k;   // the input this tap reads
                        dw[c * width + k] += dz * xx(x, state, b, c, at, channels, length, width);
                        if (at >= 0) dx[(b * channels + c) * length + at] += dz * w[c * width + k];
                        else if (n + at >= 0) ds[(b * channels + c) * n + n + at] += dz * w[c * width + k];
                    }
                }
        return new Grads(dx, dw, db, ds);
    }
}
