package io.recur.ops;

import io.recur.tensor.Shape;
import io.recur.testing.D;
import io.recur.testing.SoftmaxReference;
import java.util.Arrays;

/** float64 reference implementations of the ops, written plainly for the tests to compare with. */
final class ReferenceOps {
    private ReferenceOps() {}

    /** numpy matmul of stacks of matrices, with optional transposes of the last two dimensions. */
    static D matmul(D a, boolean transA, D b, boolean transB) {
        if (transA) a = transposeLast2(a);
        if (transB) b = transposeLast2(b);
        int m = a.shape[a.rank() - 2], k = a.shape[a.rank() - 1], n = b.shape[b.rank() - 1];
        if (b.shape[b.rank() - 2] != k) throw new IllegalArgumentException("reference matmul: inner dimensions differ");
        int[] aBatch = leading(a.shape, 2), bBatch = leading(b.shape, 2);
        int[] batch = Shape.broadcast(Shape.of(aBatch), Shape.of(bBatch)).dims();
        D out = D.zeros(append(batch, m, n));
        int[] idx = new int[batch.length];
        for (int i = 0; i < Shape.of(batch).intSize(); i++) {
            D.unravel(i, batch, idx);
            int ao = D.broadcastIndex(idx, aBatch) * m * k, bo = D.broadcastIndex(idx, bBatch) * k * n, oo = i * m * n;
            for (int r = 0; r < m; r++)
                for (int c = 0; c < n; c++) {
                    double s = 0;
                    for (int j = 0; j < k; j++) s += a.data[ao + r * k + j] * b.data[bo + j * n + c];
                    out.data[oo + r * n + c] = s;
                }
        }
        return out;
    }

    static D transposeLast2(D x) {
        int r = x.rank(), rows = x.shape[r - 2], cols = x.shape[r - 1];
        int[] shape = x.shape.clone();
        shape[r - 2] = cols;
        shape[r - 1] = rows;
        D out = D.zeros(shape);
        int mats = x.size() / Math.max(1, rows * cols);
        for (int b = 0; b < mats; b++)
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) out.data[b * rows * cols + j * rows + i] = x.data[b * rows * cols + i * cols + j];
        return out;
    }

    /** x (…, in) · wᵀ + bias, bias may be null. */
    static D linear(D x, D w, D bias) {
        D x2 = x.reshape(-1, x.shape[x.rank() - 1]);
        D y = matmul(x2, false, w, true);
        if (bias != null) y = y.zip(bias, Double::sum);
        int[] shape = x.shape.clone();
        shape[shape.length - 1] = w.shape[0];
        return y.reshape(shape);
    }

    /** Sum over one axis. */
    static D sum(D x, int axis, boolean keepDim) { return reduceAxis(x, axis, keepDim, 0, Double::sum); }

    static D max(D x, int axis, boolean keepDim) { return reduceAxis(x, axis, keepDim, Double.NEGATIVE_INFINITY, Math::max); }

    static D scalar(double v) { return new D(new double[] {v}); }

    private static D reduceAxis(D x, int axis, boolean keepDim, double init, java.util.function.DoubleBinaryOperator f) {
        int a = Shape.of(x.shape).axis(axis);
        int outer = 1, inner = 1, n = x.shape[a];
        for (int i = 0; i < a; i++) outer *= x.shape[i];
        for (int i = a + 1; i < x.rank(); i++) inner *= x.shape[i];
        double[] out = new double[outer * inner];
        Arrays.fill(out, init);
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < n; j++)
                for (int i = 0; i < inner; i++) out[o * inner + i] = f.applyAsDouble(out[o * inner + i], x.data[(o * n + j) * inner + i]);
        return new D(out, reducedShape(x.shape, a, keepDim));
    }

    /** torch's mean over the non-ignored targets; 0 when all are ignored. */
    static D crossEntropyMean(D logits, D targets, int ignoreIndex) {
        long counted = Arrays.stream(targets.data).filter(t -> t != ignoreIndex).count();
        double total = SoftmaxReference.crossEntropy(logits, targets, ignoreIndex).sum();
        return scalar(counted == 0 ? 0 : total / counted);
    }

    static int[] leading(int[] shape, int trailing) { return Arrays.copyOf(shape, shape.length - trailing); }

    static int[] append(int[] shape, int... extra) {
        int[] r = Arrays.copyOf(shape, shape.length + extra.length);
        System.arraycopy(extra, 0, r, shape.length, extra.length);
        return r;
    }

    private static int[] reducedShape(int[] shape, int a, boolean keepDim) {
        if (keepDim) {
            int[] r = shape.clone();
            r[a] = 1;
            return r;
        }
        int[] r = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != a) r[j++] = shape[i];
        return r;
    }
}
