package io.recur.optim;

import io.recur.backend.Backend;
import io.recur.backend.BinaryOp;
import io.recur.backend.ScalarOp;
import io.recur.backend.UnaryOp;
import io.recur.tensor.DType;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * The backend work of blocked Kronecker-factored optimizers, on contiguous float32 tensors: cutting
 * blocks out of a parameter-shaped tensor and writing them back, a mode's statistics T Tᵀ (T the
 * mode-i unfolding), mode products with a factor-sized matrix, and norms. Temporaries belong to the
 * caller's scope.
 */
final class BlockOps {
    private BlockOps() {}

    /** The block's elements of full (the merged shape), as a contiguous tensor of the block's shape. */
    static Tensor extract(Tensor full, BlockLayout layout, BlockLayout.Block block) {
        Backend b = full.backend();
        int[] m = layout.merged();
        int last = m[m.length - 1], width = block.dims()[block.dims().length - 1];
        int outer = block.dims()[0] * BlockLayout.product(m, 1, m.length - 1);
        Tensor out = b.allocate(Shape.of(block.dims()), DType.F32);
        try (Tensor slab = rows(full, m, block)) {
            if (width == last) b.copy(slab, out);
            else b.copyBlock(slab, last, block.lastStart(), out, width, 0, outer, width, 1, false);
        }
        return out;
    }

    /** Writes a block-shaped tensor back into its place in full (the merged shape). */
    static void insert(Tensor part, Tensor full, BlockLayout layout, BlockLayout.Block block) {
        Backend b = full.backend();
        int[] m = layout.merged();
        int last = m[m.length - 1], width = block.dims()[block.dims().length - 1];
        int outer = block.dims()[0] * BlockLayout.product(m, 1, m.length - 1);
        try (Tensor slab = rows(full, m, block)) {
            if (width == last) b.copy(part, slab);
            else b.copyBlock(part, width, 0, slab, last, block.lastStart(), outer, width, 1, false);
        }
    }

    /** A view of the block's rows of the first dimension, everything after them flattened. */
    private static Tensor rows(Tensor full, int[] merged, BlockLayout.Block block) {
        try (Tensor flat = full.reshape(merged[0], -1)) { return flat.slice0(block.rowStart(), block.rowStart() + block.dims()[0]); }
    }

    /**
     * statistics ← beta·statistics + alpha·T Tᵀ for the mode-i unfolding T (dims[i] × the rest) of
     * the block-shaped x.
     */
    static void accumulateStatistics(Tensor x, BlockLayout.Block block, int mode, Tensor statistics, float beta, float alpha) {
        Backend b = x.backend();
        int n = block.dims()[mode], outer = block.outer(mode), inner = block.inner(mode);
        int rest = outer * inner;
        if (outer == 1) {
            b.gemm(false, true, 1, n, n, rest, alpha, x, 0, x, 0, beta, statistics, 0);
            return;
        }
        try (Tensor unfolded = b.allocate(Shape.of(n, rest), DType.F32)) {
            b.transpose(x, 1, outer, 1, n, inner, unfolded);          // (outer, n, inner) → (n, outer, inner)
            b.gemm(false, true, 1, n, n, rest, alpha, unfolded, 0, unfolded, 0, beta, statistics, 0);
        }
    }

    /** x ×_i op(matrix): every mode-i fibre v of x becomes op(matrix)·v, op the transpose if transpose. A new tensor. */
    static Tensor modeProduct(Tensor x, BlockLayout.Block block, int mode, Tensor matrix, boolean transpose) {
        Backend b = x.backend();
        int n = block.dims()[mode], outer = block.outer(mode), inner = block.inner(mode);
        Tensor out = b.allocate(x.shape(), DType.F32);
        b.gemm(transpose, false, outer, n, inner, n, 1f, matrix, 0, x, (long) n * inner, 0f, out, (long) n * inner);
        return out;
    }

    /** The product of x with op(matrix_i) along every mode that has a matrix (null: identity). */
    static Tensor allModes(Tensor x, BlockLayout.Block block, Tensor[] matrices, boolean transpose) {
        Tensor current = x;
        for (int i = 0; i < matrices.length; i++) {
            if (matrices[i] == null) continue;
            Tensor next = modeProduct(current, block, i, matrices[i], transpose);
            if (current != x) current.close();
            current = next;
        }
        return current == x ? copyOf(x) : current;
    }

    static Tensor copyOf(Tensor x) {
        Tensor out = x.backend().allocate(x.shape(), DType.F32);
        x.backend().copy(x, out);
        return out;
    }

    /** ‖x‖_F as a one-element tensor on x's backend (no host round trip). */
    static Tensor norm(Tensor x) {
        Backend b = x.backend();
        Tensor out = b.allocate(Shape.of(1), DType.F32);
        try (Tensor squares = b.allocate(x.shape(), DType.F32)) {
            b.unary(UnaryOp.SQUARE, x, squares);
            int[] ones = new int[x.rank()];
            java.util.Arrays.fill(ones, 1);
            try (Tensor sum = out.reshape(ones)) { b.sumTo(squares, sum); }
        }
        b.unary(UnaryOp.SQRT, out, out);
        return out;
    }

    /** x ← x · ‖target‖ / ‖x‖ (grafting: the direction of x with the length of target; 0 when x is 0). */
    static void rescaleToNorm(Tensor x, Tensor target) {
        Backend b = x.backend();
        try (Tensor nx = norm(x); Tensor nt = norm(target)) {
            b.scalar(ScalarOp.ADD, nx, 1e-30f, nx);
            b.binary(BinaryOp.DIV, nt, nx, nt);
            b.binary(BinaryOp.MUL, x, nt, x);
        }
    }

    /** An n×n identity matrix. */
    static void setIdentity(Tensor m, int n) {
        float[] eye = new float[n * n];
        for (int i = 0; i < n; i++) eye[i * n + i] = 1;
        try (Tensor host = m.backend().fromArray(eye, m.shape())) { m.backend().copy(host, m); }
    }
}
