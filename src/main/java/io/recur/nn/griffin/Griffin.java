package io.recur.nn.griffin;

import io.recur.nn.Initializer;
import io.recur.nn.RecurrentState;
import io.recur.nn.SequenceLayer;
import io.recur.nn.SequenceOutput;
import io.recur.ops.Activations;
import io.recur.ops.Arith;
import io.recur.ops.Shapes;
import io.recur.tensor.DType;
import io.recur.tensor.Tensor;

/**
 * recurrentgemma's Griffin language model — Hawk when every block is recurrent: int32 token ids
 * (batch, T) → embedder → residual blocks → final_norm → logits (batch, T, vocab) through the tied
 * embedding, soft-capped when the config says so. Parameter names and shapes are the reference's
 * state dict (embedder.input_embedding, blocks.{i}.…, final_norm.scale).
 *
 * <p>The blocks and final_norm are {@link GriffinBlocks}; its state (the blocks' states in order) lets
 * {@link #step} generate one token at a time without re-running the prefix, and a chunked forward
 * continue where the last one stopped.
 */
public final class Griffin extends SequenceLayer {
    private final GriffinConfig config;
    private final Embedder embedder;
    private final GriffinBlocks body;

    public Griffin(Initializer init, GriffinConfig config) {
        this.config = config;
        embedder = child("embedder", new Embedder(init, config.vocabSize(), config.width(), config.embeddingsScaleBySqrtDim()));
        // The body's children sit directly under this model, so the names stay the reference's (blocks.{i}.…, final_norm).
        body = new GriffinBlocks(init, config);
        body.children().forEach(this::child);
    }

    public GriffinConfig config() { return config; }

    @Override public int stateParts() { return body.stateParts(); }

    /** ids (batch, T) int32 after the state (null: a fresh sequence) → logits (batch, T, vocab) and the next state. */
    @Override
    public SequenceOutput forward(Tensor ids, RecurrentState initial) {
        checkOpen();
        if (ids.dtype() != DType.I32 || ids.rank() != 2 || ids.dim(1) == 0)
            throw new IllegalArgumentException("Griffin: ids must be int32 (batch, T) with T >= 1, got " + ids.dtype() + " " + ids.shape());
        SequenceOutput o = body.forward(embedder.encode(ids), initial);
        return new SequenceOutput(logits(o.output()), o.state());
    }

    /** ids (batch) int32 → logits (batch, vocab) and the next state. */
    @Override
    public SequenceOutput step(Tensor ids, RecurrentState state) {
        if (ids.rank() != 1) throw new IllegalArgumentException("Griffin: a step takes ids (batch), got " + ids.shape());
        int batch = ids.dim(0);
        SequenceOutput o = forward(Shapes.reshape(ids, batch, 1), state);
        return new SequenceOutput(Shapes.reshape(o.output(), batch, config.vocabSize()), o.state());
    }

    /** Frees the parameters; the body, whose children are this model's, is marked closed too. */
    @Override
    public void close() {
        super.close();
        body.close();
    }

    private Tensor logits(Tensor x) {
        Tensor logits = embedder.decode(x);
        float cap = config.logitsSoftCap();
        return cap > 0 ? Arith.mulScalar(Activations.tanh(Arith.mulScalar(logits, 1 / cap)), cap) : logits;
    }
}
