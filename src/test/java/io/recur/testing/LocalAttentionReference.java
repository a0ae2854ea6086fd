package io.recur.testing;

/**
 * Float64 reference for local multi-query attention, written the plain way: the full T×T logits
 * with the causal window mask, softmax over each row, and the gradients by the chain rule through
 * that softmax. q (B, T, H, D), k and v (B, T, D).
 */
public final class LocalAttentionReference {
    private LocalAttentionReference() {}

    /** out (B, T, H, D). */
    public static D forward(D q, D k, D v, int window) { return new Run(q, k, v, window).out; }

    /** The gradients {dq, dk, dv} of sum(out ⊙ dOut). */
    public static D[] backward(D q, D k, D v, int window, D dOut) {
        Run r = new Run(q, k, v, window);
        int b = r.b, t = r.t, h = r.h, d = r.d;
        D dq = D.zeros(q.shape), dk = D.zeros(k.shape), dv = D.zeros(v.shape);
        for (int bi = 0; bi < b; bi++)
            for (int hi = 0; hi < h; hi++)
                for (int i = 0; i < t; i++) {
                    int qi = ((bi * t + i) * h + hi) * d;
                    double[] dp = new double[t];
                    double dot = 0;
                    for (int j = 0; j < t; j++) {
                        double p = r.p[bi][hi][i][j];
                        for (int e = 0; e < d; e++) {
                            dp[j] += dOut.data[qi + e] * v.data[(bi * t + j) * d + e];
                            dv.data[(bi * t + j) * d + e] += p * dOut.data[qi + e];
                        }
                        dot += p * dp[j];
                    }
                    for (int j = 0; j < t; j++) {
                        double ds = r.p[bi][hi][i][j] * (dp[j] - dot) * r.scale;
                        for (int e = 0; e < d; e++) {
                            dq.data[qi + e] += ds * k.data[(bi * t + j) * d + e];
                            dk.data[(bi * t + j) * d + e] += ds * q.data[qi + e];
                        }
                    }
                }
        return new D[] {dq, dk, dv};
    }

    private static final class Run {
        final int b, t, h, d;
        final double scale;
        final double[][][][] p;
        final D out;

        Run(D q, D k, D v, int window) {
            b = q.shape[0]; t = q.shape[1]; h = q.shape[2]; d = q.shape[3];
            scale = 1 / Math.sqrt(d);
            p = new double[b][h][t][t];
            out = D.zeros(q.shape);
            for (int bi = 0; bi < b; bi++)
                for (int hi = 0; hi < h; hi++)
                    for (int i = 0; i < t; i++) {
                        int qi = ((bi * t + i) * h + hi) * d;
                        double[] s = new double[t];
                        double max = Double.NEGATIVE_INFINITY, sum = 0;
                        for (int j = 0; j < t; j++) {
                            boolean visible = j <= i && i - j < window;
                            double dot = 0;
                            for (int e = 0; e < d; e++) dot += q.data[qi + e] * k.data[(bi * t + j) * d + e];
                            s[j] = visible ? dot * scale : Double.NEGATIVE_INFINITY;
                            max = Math.max(max, s[j]);
                        }
                        for (int j = 0; j < t; j++) sum += s[j] = Math.exp(s[j] - max);
                        for (int j = 0; j < t; j++) {
                            p[bi][hi][i][j] = s[j] / sum;
                            for (int e = 0; e < d; e++) out.data[qi + e] += p[bi][hi][i][j] * v.data[(bi * t + j) * d + e];
                        }
                    }
        }
    }
}
