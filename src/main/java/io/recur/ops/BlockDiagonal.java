package io.recur.ops;

import io.recur.tensor.Tensor;

/**
 * recurrentgemma's BlockDiagonalLinear: the last axis of x split into heads of equal width, each
 * multiplied by its own square matrix, y[..., h, j] = Σ_i x[..., h, i] w[h, i, j] + b[h, j].
 * Used for the RG-LRU's gate projections.
 */
public final class BlockDiagonal {
    private BlockDiagonal() {}

    /**
     * @param x      (..., width)
     * @param weight (heads, width/heads, width/heads)
     * @param bias   (heads, width/heads), or null
     * @return y, x's shape
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        String op = "blockDiagonal";
        ShapeChecks.floats(op, "x", x);
        ShapeChecks.floats(op, "weight", weight);
        if (bias != null) ShapeChecks.floats(op, "bias", bias);
        Checks.sameBackend(op, x, weight, bias);
        Checks.rankAtLeast(op, "x", x, 1);
        if (weight.rank() != 3 || weight.dim(1) != weight.dim(2))
            throw new IllegalArgumentException(op + ": weight must be (heads, block, block), got " + weight.shape());
        int heads = weight.dim(0), block = weight.dim(1), width = x.dim(-1);
        if ((long) heads * block != width)
            throw new IllegalArgumentException(op + ": weight " + weight.shape() + " covers " + (long) heads * block
                    + " features but x " + x.shape() + " has " + width);
        if (bias != null && (bias.rank() != 2 || bias.dim(0) != heads || bias.dim(1) != block))
            throw new IllegalArgumentException(op + ": bias must be [" + heads + ", " + block + "] to match weight "
                    + weight.shape() + ", got " + bias.shape());
        int rows = Math.toIntExact(x.size() / Math.max(1, width));
        // Heads to the front: one batched GEMM (rows, block) × (block, block) per head.
        Tensor byHead = Shapes.transpose(Shapes.reshape(x, rows, heads, block), 0, 1);
        Tensor y = Shapes.transpose(MatMul.matmul(byHead, weight), 0, 1);
        if (bias != null) y = Arith.add(y, bias);
        return Shapes.reshape(y, x.shape().dims());
    }
}
