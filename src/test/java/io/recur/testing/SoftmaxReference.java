package io.recur.testing;

/** Float64 references for softmax, log-softmax and cross-entropy over the last axis. */
public final class SoftmaxReference {
    private SoftmaxReference() {}

    /** Softmax or log-softmax over the last axis. */
    public static D softmax(D x, boolean log) {
        int cols = x.shape[x.rank() - 1], rows = x.size() / Math.max(1, cols);
        D out = D.zeros(x.shape);
        for (int r = 0; r < rows; r++) {
            double lse = logSumExp(x.data, r * cols, cols);
            for (int c = 0; c < cols; c++) {
                double l = x.data[r * cols + c] - lse;
                out.data[r * cols + c] = log ? l : Math.exp(l);
            }
        }
        return out;
    }

    /**
     * dx from y = softmax(x) (or log-softmax) and dy, through the Jacobian of each row:
     * softmax: dx = y * (dy - sum(dy * y)); log-softmax: dx = dy - exp(y) * sum(dy).
     */
    public static D softmaxBackward(D y, D dy, boolean log) {
        int cols = y.shape[y.rank() - 1], rows = y.size() / Math.max(1, cols);
        D dx = D.zeros(y.shape);
        for (int r = 0; r < rows; r++) {
            double dot = 0;
            for (int c = 0; c < cols; c++) dot += log ? dy.data[r * cols + c] : dy.data[r * cols + c] * y.data[r * cols + c];
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                dx.data[i] = log ? dy.data[i] - Math.exp(y.data[i]) * dot : y.data[i] * (dy.data[i] - dot);
            }
        }
        return dx;
    }

    /** Per-position cross entropy of logits (…, C) and targets (…) as doubles; ignored positions are 0. */
    public static D crossEntropy(D logits, D targets, int ignoreIndex) {
        int classes = logits.shape[logits.rank() - 1];
        D out = D.zeros(targets.shape);
        for (int r = 0; r < targets.size(); r++) {
            int t = (int) targets.data[r];
            if (t == ignoreIndex) continue;
            out.data[r] = logSumExp(logits.data, r * classes, classes) - logits.data[r * classes + t];
        }
        return out;
    }

    /** dLogits[r] = dLosses[r] * (softmax(logits[r]) - onehot(t_r)), 0 for ignored rows. */
    public static D crossEntropyBackward(D logits, D targets, D dLosses, int ignoreIndex) {
        int classes = logits.shape[logits.rank() - 1];
        D p = softmax(logits, false), out = D.zeros(logits.shape);
        for (int r = 0; r < targets.size(); r++) {
            int t = (int) targets.data[r];
            if (t == ignoreIndex) continue;
            for (int c = 0; c < classes; c++)
                out.data[r * classes + c] = dLosses.data[r] * (p.data[r * classes + c] - (c == t ? 1 : 0));
        }
        return out;
    }

    private static double logSumExp(double[] v, int start, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, v[start + i]);
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.exp(v[start + i] - max);
        return max + Math.log(s);
    }
}
