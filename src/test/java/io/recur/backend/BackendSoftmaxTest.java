package io.recur.backend;

import io.recur.tensor.Tensor;
import io.recur.testing.BackendFixture;
import io.recur.testing.D;
import io.recur.testing.SoftmaxReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** softmax, log-softmax, cross-entropy and their gradients on every backend against float64 references. */
class BackendSoftmaxTest {
    /** (rows, cols): single element, single row, odd, long rows of several blocks, many short rows. */
    private static final int[][] SHAPES = {{1, 1}, {1, 9}, {7, 13}, {17, 33}, {3, 1000}, {2, 5000}, {1000, 7}, {300, 257}};
    private static final int IGNORE = -100;

    /** Logits within ±80 of 500: exp overflows unless the row maximum is subtracted. */
    private static D logits(BackendFixture f, int rows, int cols) {
        return f.rand.uniform(-80, 80, rows, cols).map(v -> v + 500).roundToFloat();
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void softmaxAndLogSoftmaxAlsoInPlace(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int[] s : SHAPES)
                for (boolean log : new boolean[] {false, true}) {
                    int rows = s[0], cols = s[1];
                    D x = logits(f, rows, cols), expected = SoftmaxReference.softmax(x, log);
                    String what = (log ? "log-softmax " : "softmax ") + rows + "x" + cols;
                    Tensor y = f.output(rows, cols);
                    backend.softmax(f.view(x), rows, cols, log, y);
                    f.assertClose(expected, y, 1e-5, 1e-6, what);
                    Tensor inPlace = f.view(x);
                    backend.softmax(inPlace, rows, cols, log, inPlace);
                    f.assertClose(expected, inPlace, 1e-5, 1e-6, what + " in place");
                }
        }
    }

    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void softmaxBackwardAlsoInPlace(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int[] s : SHAPES)
                for (boolean log : new boolean[] {false, true}) {
                    int rows = s[0], cols = s[1];
                    D y = SoftmaxReference.softmax(f.rand.uniform(-5, 5, rows, cols), log).roundToFloat(), dy = f.rand.normal(rows, cols);
                    D expected = SoftmaxReference.softmaxBackward(y, dy, log);
                    String what = (log ? "log-softmax' " : "softmax' ") + rows + "x" + cols;
                    Tensor dx = f.output(rows, cols), dyt = f.view(dy);
                    backend.softmaxBackward(f.view(y), dyt, rows, cols, log, dx);
                    f.assertClose(expected, dx, 1e-4, 1e-5, what);
                    backend.softmaxBackward(f.view(y), dyt, rows, cols, log, dyt);
                    f.assertClose(expected, dyt, 1e-4, 1e-5, what + " in place");
                }
        }
    }

    /** Every fourth row carries the ignore index: its loss and gradient are 0. */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void crossEntropyAndGradientSkipIgnoredRows(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            for (int[] s : SHAPES) {
                int rows = s[0], classes = s[1];
                D x = logits(f, rows, classes), dLoss = f.rand.normal(rows), targets = f.indices(classes, rows);
                for (int r = 3; r < rows; r += 4) targets.data[r] = IGNORE;
                String what = rows + "x" + classes;
                Tensor losses = f.output(rows), dLogits = f.output(rows, classes), t = f.intView(targets);
                backend.crossEntropy(f.view(x), t, rows, classes, IGNORE, losses);
                f.assertClose(SoftmaxReference.crossEntropy(x, targets, IGNORE), losses, 1e-5, 1e-5, "cross-entropy " + what);
                backend.crossEntropyBackward(f.view(x), t, f.view(dLoss), rows, classes, IGNORE, dLogits);
                f.assertClose(SoftmaxReference.crossEntropyBackward(x, targets, dLoss, IGNORE), dLogits, 1e-5, 1e-6,
                        "cross-entropy' " + what);
            }
        }
    }

    /**
     * The largest entry's small log-probability and a confident row's loss keep float precision
     * relative to themselves, not to the logits: x - (max + log sum) would round to ulp(1000) = 6e-5.
     */
    @ParameterizedTest
    @MethodSource("io.recur.testing.TestBackends#all")
    void smallLogProbabilitiesOfLargeLogitsKeepTheirDigits(Backend backend) {
        try (BackendFixture f = BackendFixture.on(backend)) {
            D x = new D(new double[] {1000, 995.4f, 996.1f}, new int[] {1, 3}), targets = new D(new double[] {0}, new int[] {1});
            Tensor y = f.output(1, 3), loss = f.output(1);
            backend.softmax(f.view(x), 1, 3, true, y);
            f.assertClose(SoftmaxReference.softmax(x, true), y, 1e-5, 0, "log-softmax of [1000, 995.4, 996.1]");
            backend.crossEntropy(f.view(x), f.intView(targets), 1, 3, IGNORE, loss);
            f.assertClose(SoftmaxReference.crossEntropy(x, targets, IGNORE), loss, 1e-5, 0, "loss of the confident class");
        }
    }
}
