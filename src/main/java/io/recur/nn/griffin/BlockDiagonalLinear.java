package io.recur.nn.griffin;

import io.recur.nn.Initializer;
import io.recur.nn.Layer;
import io.recur.nn.Param;
import io.recur.ops.BlockDiagonal;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/** recurrentgemma's BlockDiagonalLinear: w (blocks, block, block) ~ N(0, 1/block), b (blocks, block) = 0. */
public final class BlockDiagonalLinear extends Layer {
    private final Param w, b;

    public BlockDiagonalLinear(Initializer init, int width, int numBlocks) {
        int block = width / numBlocks;
        this.w = parameter("w", init.normal(Shape.of(numBlocks, block, block), 0, Math.sqrt(1.0 / block)));
        this.b = parameter("b", init.full(Shape.of(numBlocks, block), 0f));
    }

    public Tensor weight() { return w.get(); }

    public Tensor bias() { return b.get(); }

    @Override
    public Tensor forward(Tensor x) { return BlockDiagonal.linear(x, w.get(), b.get()); }
}
