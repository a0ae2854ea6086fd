package io.recur.backend.cpu;

import static io.recur.backend.cpu.CpuStorage.f32;
import static io.recur.backend.cpu.CpuStorage.i32;
import static io.recur.backend.cpu.CpuStorage.offset;
import static io.recur.backend.cpu.CpuStorage.requireSize;

import io.recur.tensor.Tensor;

/**
 * Row softmax, log-softmax and cross-entropy with their gradients. Every row subtracts its maximum
 * before exponentiating and sums in double, so large logits neither overflow nor lose the small terms.
 */
final class CpuSoftmax {
    private CpuSoftmax() {}

    static void softmax(Tensor x, int rows, int cols, boolean log, Tensor y) {
        long n = (long) rows * cols;
        requireSize(x, n, "softmax input");
        requireSize(y, n, "softmax output");
        float[] xs = f32(x), ys = f32(y);
        int xo = offset(x), yo = offset(y);
        CpuParallel.forRange(rows, 4L * cols, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xr = xo + r * cols, yr = yo + r * cols;
                float max = rowMax(xs, xr, cols);
                double sum = 0;
                for (int j = 0; j < cols; j++) {       // y holds exp(x - max) until normalised; y may alias x
                    float e = (float) Math.exp(xs[xr + j] - max);
                    if (!log) ys[yr + j] = e;
                    sum += e;
                }
                if (log) {
                    // (x - max) first: exact for nearby values, so large logits keep their small differences
                    float logSum = (float) Math.log(sum);
                    for (int j = 0; j < cols; j++) ys[yr + j] = (xs[xr + j] - max) - logSum;
                } else {
                    float inv = (float) (1 / sum);
                    for (int j = 0; j < cols; j++) ys[yr + j] *= inv;
                }
            }
        });
    }

    /** softmax: dx = y * (dy - sum(dy * y)); log-softmax: dx = dy - exp(y) * sum(dy). dx may alias dy. */
    static void softmaxBackward(Tensor y, Tensor dy, int rows, int cols, boolean log, Tensor dx) {
        long n = (long) rows * cols;
        requireSize(y, n, "softmaxBackward y");
        requireSize(dy, n, "softmaxBackward dy");
        requireSize(dx, n, "softmaxBackward dx");
        float[] ys = f32(y), dys = f32(dy), dxs = f32(dx);
        int yo = offset(y), dyo = offset(dy), dxo = offset(dx);
        CpuParallel.forRange(rows, 4L * cols, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int yr = yo + r * cols, dyr = dyo + r * cols, dxr = dxo + r * cols;
                double dot = 0;
                for (int j = 0; j < cols; j++) dot += log ? dys[dyr + j] : (double) dys[dyr + j] * ys[yr + j];
                float s = (float) dot;
                for (int j = 0; j < cols; j++)
                    dxs[dxr + j] = log ? dys[dyr + j] - (float) Math.exp(ys[yr + j]) * s
                                       : ys[yr + j] * (dys[dyr + j] - s);
            }
        });
    }

    static void crossEntropy(Tensor logits, Tensor targets, int rows, int classes, int ignoreIndex, Tensor losses) {
        requireSize(logits, (long) rows * classes, "crossEntropy logits");
        requireSize(targets, rows, "crossEntropy targets");
        requireSize(losses, rows, "crossEntropy losses");
        float[] ls = f32(logits), out = f32(losses);
        int[] ts = i32(targets);
        int lo = offset(logits), to = offset(targets), oo = offset(losses);
        CpuParallel.forRange(rows, 2L * classes, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int t = ts[to + r];
                if (t == ignoreIndex) { out[oo + r] = 0f; continue; }
                checkTarget(t, classes, r);
                int row = lo + r * classes;
                float max = rowMax(ls, row, classes);
                out[oo + r] = (float) (max + Math.log(sumExp(ls, row, classes, max)) - ls[row + t]);
            }
        });
    }

    static void crossEntropyBackward(Tensor logits, Tensor targets, Tensor dLosses, int rows, int classes,
                                     int ignoreIndex, Tensor dLogits) {
        requireSize(logits, (long) rows * classes, "crossEntropyBackward logits");
        requireSize(dLogits, (long) rows * classes, "crossEntropyBackward dLogits");
        requireSize(targets, rows, "crossEntropyBackward targets");
        requireSize(dLosses, rows, "crossEntropyBackward dLosses");
        float[] ls = f32(logits), dls = f32(dLosses), out = f32(dLogits);
        int[] ts = i32(targets);
        int lo = offset(logits), to = offset(targets), dlo = offset(dLosses), oo = offset(dLogits);
        CpuParallel.forRange(rows, 3L * classes, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int t = ts[to + r], row = lo + r * classes, orow = oo + r * classes;
                if (t == ignoreIndex) { java.util.Arrays.fill(out, orow, orow + classes, 0f); continue; }
                checkTarget(t, classes, r);
                float max = rowMax(ls, row, classes);
                double scale = dls[dlo + r] / sumExp(ls, row, classes, max);
                for (int j = 0; j < classes; j++) out[orow + j] = (float) (Math.exp(ls[row + j] - max) * scale);
                out[orow + t] -= dls[dlo + r];
            }
        });
    }

    private static void checkTarget(int t, int classes, int row) {
        if (t < 0 || t >= classes)
            throw new IllegalArgumentException("cross-entropy target " + t + " at row " + row + " is outside [0, " + classes + ")");
    }

    private static float rowMax(float[] a, int from, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) m = Math.max(m, a[from + j]);
        return m;
    }

    private static double sumExp(float[] a, int from, int n, float max) {
        double s = 0;
        for (int j = 0; j < n; j++) s += Math.exp(a[from + j] - max);
        return s;
    }
}
