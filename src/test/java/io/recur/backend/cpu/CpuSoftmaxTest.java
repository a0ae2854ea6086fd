package io.recur.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.recur.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CpuSoftmaxTest extends CpuTestBase {
    /** (rows, cols): single element, single row, odd, and enough work for the parallel path. */
    private static final int[][] SHAPES = {{1, 1}, {1, 9}, {7, 13}, {300, 257}};

    /** Logits up to ±80 around an offset of 500: exp overflows without the max subtraction. */
    double[] logits(int n) {
        double[] x = uniform(n, -80, 80);
        for (int i = 0; i < n; i++) x[i] += 500;
        return rounded(x);
    }

    static double[] referenceSoftmax(double[] x, int rows, int cols, boolean log) {
        double[] y = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[r * cols + j]);
            for (int j = 0; j < cols; j++) sum += Math.exp(x[r * cols + j] - max);
            for (int j = 0; j < cols; j++)
                y[r * cols + j] = log ? x[r * cols + j] - max - Math.log(sum) : Math.exp(x[r * cols + j] - max) / sum;
        }
        return y;
    }

    @Test
    void softmaxAndLogSoftmaxMatchReference() {
        for (int[] s : SHAPES)
            for (boolean log : new boolean[] {false, true}) {
                int rows = s[0], cols = s[1];
                double[] x = logits(rows * cols), expected = referenceSoftmax(x, rows, cols, log);
                Tensor y = output(rows, cols);
                CPU.softmax(view(x, rows, cols), rows, cols, log, y);
                assertClose(expected, y, 1e-5, 1e-6, (log ? "log-softmax " : "softmax ") + rows + "x" + cols);
                Tensor inPlace = view(x, rows, cols);
                CPU.softmax(inPlace, rows, cols, log, inPlace);
                assertClose(expected, inPlace, 1e-5, 1e-6, "in place " + rows + "x" + cols);
            }
    }

    /** The Jacobian-vector product written out: dx_j = sum_i dy_i dy_i/dx_j. */
    @Test
    void softmaxBackwardMatchesJacobian() {
        for (int[] s : SHAPES)
            for (boolean log : new boolean[] {false, true}) {
                int rows = s[0], cols = s[1];
                double[] x = rounded(normal(rows * cols)), dy = rounded(normal(rows * cols));
                double[] p = referenceSoftmax(x, rows, cols, false), y = rounded(referenceSoftmax(x, rows, cols, log));
                double[] expected = new double[x.length];
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < cols; j++) {
                        double sum = 0;
                        for (int i = 0; i < cols; i++) {
                            double delta = i == j ? 1 : 0;
                            double jac = log ? delta - p[r * cols + j] : p[r * cols + i] * (delta - p[r * cols + j]);
                            sum += dy[r * cols + i] * jac;
                        }
                        expected[r * cols + j] = sum;
                    }
                Tensor dx = output(rows, cols), dyt = view(dy, rows, cols);
                CPU.softmaxBackward(view(y, rows, cols), dyt, rows, cols, log, dx);
                assertClose(expected, dx, 1e-4, 1e-5, (log ? "log-softmax' " : "softmax' ") + rows + "x" + cols);
                CPU.softmaxBackward(view(y, rows, cols), dyt, rows, cols, log, dyt);
                assertClose(expected, dyt, 1e-4, 1e-5, "in place " + rows + "x" + cols);
            }
    }

    @Test
    void crossEntropyAndGradientWithIgnoredRows() {
        int ignore = -100;
        for (int[] s : SHAPES) {
            int rows = s[0], classes = s[1];
            double[] x = logits(rows * classes), dl = rounded(normal(rows));
            int[] t = new int[rows];
            for (int r = 0; r < rows; r++) t[r] = r % 4 == 3 ? ignore : rng.nextInt(classes);
            double[] logp = referenceSoftmax(x, rows, classes, true);
            double[] loss = new double[rows], grad = new double[x.length];
            for (int r = 0; r < rows; r++) {
                if (t[r] == ignore) continue;
                loss[r] = -logp[r * classes + t[r]];
                for (int j = 0; j < classes; j++)
                    grad[r * classes + j] = dl[r] * (Math.exp(logp[r * classes + j]) - (j == t[r] ? 1 : 0));
            }
            Tensor losses = output(rows), dLogits = output(rows, classes);
            CPU.crossEntropy(view(x, rows, classes), intView(t, rows), rows, classes, ignore, losses);
            assertClose(loss, losses, 1e-5, 1e-5, "cross-entropy " + rows + "x" + classes);
            CPU.crossEntropyBackward(view(x, rows, classes), intView(t, rows), view(dl, rows), rows, classes, ignore, dLogits);
            assertClose(grad, dLogits, 1e-5, 1e-6, "cross-entropy' " + rows + "x" + classes);
        }
    }

    @Test
    void targetsOutOfRangeAndFloatTargetsAreRejected() {
        Tensor x = view(normal(6), 2, 3), losses = output(2);
        assertThrows(IllegalArgumentException.class, () -> CPU.crossEntropy(x, intView(new int[] {0, 3}, 2), 2, 3, -1, losses));
        assertThrows(IllegalArgumentException.class, () -> CPU.crossEntropy(x, output(2), 2, 3, -1, losses));
    }
}
