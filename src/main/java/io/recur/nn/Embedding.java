package io.recur.nn;

import io.recur.ops.Index;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/** torch.nn.Embedding: rows of weight (vocab, dim) picked by int32 ids; init N(0, 1) as torch. */
public final class Embedding extends Layer {
    private final Param weight;

    public Embedding(Initializer init, int vocab, int dim) {
        if (vocab < 1 || dim < 1) throw new IllegalArgumentException("Embedding: vocab and dim must be >= 1, got " + vocab + ", " + dim);
        this.weight = parameter("weight", init.normal(Shape.of(vocab, dim), 0, 1));
    }

    /** The table, e.g. to tie an output head to it. */
    public Param weight() { return weight; }

    @Override
    public Tensor forward(Tensor ids) { return Index.embedding(weight.get(), ids); }
}
