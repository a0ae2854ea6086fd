package io.recur.nn.griffin;

import io.recur.nn.Initializer;
import io.recur.nn.Module;
import io.recur.nn.Param;
import io.recur.ops.Arith;
import io.recur.ops.Index;
import io.recur.ops.MatMul;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * recurrentgemma's Embedder: input_embedding (vocab, width) ~ N(0, 1/width) encodes token ids and,
 * transposed, decodes activations to logits (the tied output head).
 */
public final class Embedder extends Module {
    private final Param inputEmbedding;
    private final boolean scaleBySqrtDim;

    public Embedder(Initializer init, int vocabSize, int width, boolean scaleBySqrtDim) {
        this.inputEmbedding = parameter("input_embedding", init.normal(Shape.of(vocabSize, width), 0, Math.sqrt(1.0 / width)));
        this.scaleBySqrtDim = scaleBySqrtDim;
    }

    /** int32 ids (…) → (…, width). */
    public Tensor encode(Tensor ids) {
        Tensor x = Index.embedding(inputEmbedding.get(), ids);
        return scaleBySqrtDim ? Arith.mulScalar(x, (float) Math.sqrt(inputEmbedding.shape().dim(1))) : x;
    }

    /** (…, width) → logits (…, vocab). */
    public Tensor decode(Tensor x) { return MatMul.linear(x, inputEmbedding.get(), null); }
}
