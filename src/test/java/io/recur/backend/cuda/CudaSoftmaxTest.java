package io.recur.backend.cuda;

import io.recur.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CudaSoftmaxTest extends CudaTestBase {
    private static final int[][] SHAPES = {{1, 1}, {3, 1000}, {17, 33}, {2, 5000}, {1000, 7}};

    static double[] softmaxRows(float[] x, int rows, int cols, boolean log) {
        double[] y = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[r * cols + j]);
            for (int j = 0; j < cols; j++) sum += Math.exp(x[r * cols + j] - max);
            for (int j = 0; j < cols; j++) {
                double v = x[r * cols + j] - max;
                y[r * cols + j] = log ? v - Math.log(sum) : Math.exp(v) / sum;
            }
        }
        return y;
    }

    @Test
    void softmaxAndLogSoftmaxMatch() {
        for (int[] s : SHAPES)
            for (boolean log : new boolean[] {false, true}) {
                int rows = s[0], cols = s[1];
                float[] x = uniform(rows * cols, -20, 20);
                double[] expected = softmaxRows(x, rows, cols, log);
                Tensor tx = upload(x, rows, cols), ty = poisoned(rows, cols);
                cuda.softmax(tx, rows, cols, log, ty);
                // log-softmax near 0 is log(sum of exps ~ 1): a float sum carries ~1 ulp of 1 (1e-7) per few terms
                double atol = log ? 1e-6 : 1e-7;
                assertClose(expected, ty.toFloatArray(), 1e-5, atol, (log ? "log-" : "") + "softmax " + rows + "x" + cols);
                cuda.softmax(tx, rows, cols, log, tx);  // y may alias x
                assertClose(expected, tx.toFloatArray(), 1e-5, atol, "in place");
            }
    }

    @Test
    void softmaxBackwardMatches() {
        for (int[] s : SHAPES)
            for (boolean log : new boolean[] {false, true}) {
                int rows = s[0], cols = s[1];
                float[] x = uniform(rows * cols, -5, 5), dy = uniform(rows * cols, -1, 1);
                double[] yd = softmaxRows(x, rows, cols, log);
                float[] y = new float[yd.length];
                for (int i = 0; i < y.length; i++) y[i] = (float) yd[i];
                double[] expected = new double[y.length];
                for (int r = 0; r < rows; r++) {
                    double dot = 0;
                    for (int j = 0; j < cols; j++) dot += log ? dy[r * cols + j] : (double) dy[r * cols + j] * y[r * cols + j];
                    for (int j = 0; j < cols; j++) {
                        int i = r * cols + j;
                        expected[i] = log ? dy[i] - Math.exp(y[i]) * dot : y[i] * (dy[i] - dot);
                    }
                }
                Tensor tdy = upload(dy, rows, cols), dx = poisoned(rows, cols);
                cuda.softmaxBackward(upload(y, rows, cols), tdy, rows, cols, log, dx);
                assertClose(expected, dx.toFloatArray(), 1e-4, 1e-5, "backward " + rows + "x" + cols + (log ? " log" : ""));
                cuda.softmaxBackward(upload(y, rows, cols), tdy, rows, cols, log, tdy);  // dx may alias dy
                assertClose(expected, tdy.toFloatArray(), 1e-4, 1e-5, "backward in place");
            }
    }

    @Test
    void crossEntropyWithIgnoredRows() {
        for (int[] s : SHAPES) {
            int rows = s[0], classes = s[1], ignore = -100;
            float[] logits = uniform(rows * classes, -8, 8), dLoss = uniform(rows, 0, 2);
            int[] targets = ints(rows, 0, classes);
            for (int r = 0; r < rows; r++) if (rnd.nextInt(4) == 0) targets[r] = ignore;
            double[] sm = softmaxRows(logits, rows, classes, true);
            double[] loss = new double[rows], grad = new double[rows * classes];
            for (int r = 0; r < rows; r++) {
                if (targets[r] == ignore) continue;
                loss[r] = -sm[r * classes + targets[r]];
                for (int j = 0; j < classes; j++)
                    grad[r * classes + j] = dLoss[r] * (Math.exp(sm[r * classes + j]) - (j == targets[r] ? 1 : 0));
            }
            Tensor tl = upload(logits, rows, classes), tt = upload(targets, rows);
            Tensor losses = poisoned(rows), dLogits = poisoned(rows, classes);
            cuda.crossEntropy(tl, tt, rows, classes, ignore, losses);
            assertClose(loss, losses.toFloatArray(), 1e-5, 1e-5, "cross-entropy " + rows + "x" + classes);
            cuda.crossEntropyBackward(tl, tt, upload(dLoss, rows), rows, classes, ignore, dLogits);
            assertClose(grad, dLogits.toFloatArray(), 1e-5, 1e-6, "cross-entropy backward " + rows + "x" + classes);
        }
    }

    /**
     * Large logits: the largest entry's small log-probability and loss keep float precision relative to
     * themselves, not to the logits (x - (max + log sum) would round to ulp(1000) = 6e-5).
     */
    @Test
    void logSoftmaxAndLossOfLargeLogitsKeepSmallValuesExact() {
        float[] x = {1000f, 995.4f, 996.1f};
        double[] expected = softmaxRows(x, 1, 3, true);
        Tensor tx = upload(x, 1, 3), ty = poisoned(1, 3), loss = poisoned(1);
        cuda.softmax(tx, 1, 3, true, ty);
        assertClose(expected, ty.toFloatArray(), 1e-5, 0, "log-softmax of [1000, 995.4, 996.1]");
        cuda.crossEntropy(tx, upload(new int[] {0}, 1), 1, 3, -100, loss);
        assertClose(new double[] {-expected[0]}, loss.toFloatArray(), 1e-5, 0, "loss of the confident class");
    }
}
