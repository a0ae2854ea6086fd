package io.recur.testing;

/**
 * The RG-LRU in float64, one step at a time, straight from recurrentgemma's definition (channels-last
 * (batch, T, width); resets (batch, T) or null; h0 (batch, width) or null), and backpropagation
 * through that loop by hand, with the multiplier's derivative bounded as SqrtBoundDerivative does.
 */
public final class RgLruReference {
    private RgLruReference() {}

    public record Grads(double[] dx, double[] dGateX, double[] dGateA, double[] dLambda, double[] dh0) {}

    static double sigmoid(double z) { return 1 / (1 + Math.exp(-z)); }

    static double softplus(double z) { return z > 20 ? z : Math.log1p(Math.exp(z)); }

    /** Λ as recurrentgemma's rnn_param_init draws it: a² = exp(-2 softplus(Λ)) uniform in [0.81, 0.998]. */
    public static D lambdaInit(Rand rand, int width) {
        D d = D.zeros(width);
        for (int c = 0; c < width; c++) {
            double logRadius = 0.5 * Math.log(rand.uniform(0.9 * 0.9 + 1e-8, 0.999 * 0.999 + 1e-8));
            d.data[c] = Math.log(Math.exp(-logRadius) - 1);
        }
        return d.roundToFloat();
    }

    public static double[] forward(double[] x, double[] gx, double[] ga, double[] lambda, double[] resets, double[] h0,
                                   int batch, int length, int width) {
        double[] h = new double[x.length];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < width; c++) {
                double state = h0 == null ? 0 : h0[b * width + c];
                for (int t = 0; t < length; t++) {
                    int i = (b * length + t) * width + c;
                    boolean reset = resets != null && resets[b * length + t] != 0;
                    double logA = -8 * sigmoid(ga[i]) * softplus(lambda[c]);
                    double a = reset ? 0 : Math.exp(logA);
                    double multiplier = reset ? 1 : Math.sqrt(1 - Math.exp(2 * logA));
                    state = a * state + multiplier * sigmoid(gx[i]) * x[i];
                    h[i] = state;
                }
            }
        return h;
    }

    public static Grads backward(double[] x, double[] gx, double[] ga, double[] lambda, double[] resets, double[] h0,
                                 double[] gradH, int batch, int length, int width) {
        double[] h = forward(x, gx, ga, lambda, resets, h0, batch, length, width);
        double[] dx = new double[x.length], dgx = new double[x.length], dga = new double[x.length];
        double[] dLambda = new double[width], dh0 = new double[batch * width];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < width; c++) {
                double sp = softplus(lambda[c]), carry = 0;   // carry: d loss / d h_t through h_{t+1}
                for (int t = length - 1; t >= 0; t--) {
                    int i = (b * length + t) * width + c;
                    boolean reset = resets != null && resets[b * length + t] != 0;
                    double dh = gradH[i] + carry;
                    double sx = sigmoid(gx[i]), sa = sigmoid(ga[i]);
                    double logA = -8 * sa * sp, u = 1 - Math.exp(2 * logA);
                    double a = reset ? 0 : Math.exp(logA), multiplier = reset ? 1 : Math.sqrt(u);
                    double prev = t > 0 ? h[i - width] : (h0 == null ? 0 : h0[b * width + c]);
                    dx[i] = dh * multiplier * sx;
                    dgx[i] = dh * multiplier * x[i] * sx * (1 - sx);
                    if (!reset) {
                        double dMultiplier = dh * sx * x[i];
                        double du = dMultiplier / Math.sqrt(Math.max(4 * u, 1e-6));   // SqrtBoundDerivative
                        double dLogA = dh * prev * a + du * (-2 * Math.exp(2 * logA));
                        dga[i] = dLogA * (-8 * sp) * sa * (1 - sa);
                        dLambda[c] += dLogA * (-8 * sa) * sigmoid(lambda[c]);
                    }
                    carry = a * dh;
                }
                dh0[b * width + c] = carry;
            }
        return new Grads(dx, dgx, dga, dLambda, dh0);
    }
}
