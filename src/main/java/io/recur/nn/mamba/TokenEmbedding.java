package io.recur.nn.mamba;

import io.recur.nn.Layer;
import io.recur.nn.Param;
import io.recur.ops.Index;
import io.recur.tensor.Tensor;

/**
 * torch.nn.Embedding with a caller-chosen initial table (mamba_ssm draws it from N(0, 0.02²), not
 * torch's N(0, 1)); the table doubles as the tied output head.
 */
public final class TokenEmbedding extends Layer {
    private final Param weight;

    /** Takes ownership of the table (vocab, dim). */
    public TokenEmbedding(Tensor weight) {
        if (weight.rank() != 2) throw new IllegalArgumentException("embedding: weight must be (vocab, dim), got " + weight.shape());
        this.weight = parameter("weight", weight);
    }

    public Param weight() { return weight; }

    /** Rows of the table for int32 ids of any shape: (…) → (…, dim). */
    @Override
    public Tensor forward(Tensor ids) { return Index.embedding(weight.get(), ids); }
}
