package io.recur.ops;

import io.recur.backend.Backend;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * The three GEMM shapes that matmul, linear and their gradients need, each issued as one backend
 * GEMM call (batched where the batch cannot be folded into the rows).
 */
final class Gemms {
    private Gemms() {}

    /** out (rows..., n) = x (rows..., k) · op(w): the leading dimensions of x flatten into GEMM rows. */
    static void rowsTimes(Tensor x, Tensor w, boolean transW, Tensor out) {
        int rows = (int) out.shape().outer(-1), n = out.shape().last(), k = x.shape().last();
        gemm(false, transW, 1, rows, n, k, x, 0, w, 0, out, 0);
    }

    /**
     * out (p, q) = Σ over leading indices of x_iᵀ y_i for x (…, r, p) and y (…, r, q) of the same
     * leading shape: the batch folds into the contraction, so a weight gradient is one GEMM over all rows.
     */
    static void foldedProduct(Tensor x, Tensor y, Tensor out) {
        int rows = (int) x.shape().outer(-1), p = x.shape().last(), q = y.shape().last();
        gemm(true, false, 1, p, q, rows, x, 0, y, 0, out, 0);
    }

    /**
     * out (batch…, m, n) = op(x_i) op(y_i) for every batch index i of out, where x and y hold
     * matrices in their last two dimensions and broadcast over out's batch dimensions (numpy rules).
     */
    static void product(Tensor x, boolean tx, Tensor y, boolean ty, Tensor out) {
        Shape batchShape = Broadcasting.leading(out.shape(), 2);
        int batch = batchShape.intSize();
        if (!tx && batchSize(y) == 1 && batchSize(x) == batch) {
            // x's matrices are consecutive row blocks against one y: a single GEMM over batch*m rows.
            rowsTimes(x, y, ty, out);
            return;
        }
        int m = out.dim(-2), n = out.dim(-1), k = tx ? x.dim(-2) : x.dim(-1);
        try (Operand xs = Operand.over(x, batchShape); Operand ys = Operand.over(y, batchShape)) {
            gemm(tx, ty, batch, m, n, k, xs.tensor, xs.stride, ys.tensor, ys.stride, out, (long) m * n);
        }
    }

    /** Number of matrices in a stack (the product of all but the last two dimensions). */
    static long batchSize(Tensor t) { return Broadcasting.leading(t.shape(), 2).size(); }

    private static void gemm(boolean ta, boolean tb, int batch, int m, int n, int k,
                             Tensor a, long strideA, Tensor b, long strideB, Tensor c, long strideC) {
        Backend be = c.backend();
        if (c.size() == 0) return;
        if (k == 0) { be.fill(c, 0f); return; } // an empty sum; GEMM kernels need not handle k = 0
        be.gemm(ta, tb, batch, m, n, k, 1f, a, strideA, b, strideB, 0f, c, strideC);
    }

    /** One GEMM operand over a batch: the tensor, the stride between its matrices, and whether we made it. */
    private record Operand(Tensor tensor, long stride, boolean owned) implements AutoCloseable {
        static Operand over(Tensor t, Shape batchShape) {
            long matrix = (long) t.dim(-2) * t.dim(-1);
            long n = batchSize(t);
            if (n == 1) return new Operand(t, 0, false);          // one matrix for the whole batch
            if (n == batchShape.size()) return new Operand(t, matrix, false);
            // Partly broadcast batch, e.g. (2, 1, ·, ·) against (1, 3, ·, ·): materialise the full stack.
            Tensor full = Outputs.f32(t.backend(), Broadcasting.append(batchShape, t.dim(-2), t.dim(-1)));
            t.backend().broadcastTo(t, full);
            return new Operand(full, matrix, true);
        }

        @Override public void close() { if (owned) tensor.close(); }
    }
}
