package io.recur.nn.griffin;

import io.recur.nn.Initializer;
import io.recur.nn.ModuleList;
import io.recur.nn.RecurrentState;
import io.recur.nn.SequenceLayer;
import io.recur.nn.SequenceOutput;
import io.recur.ops.Activations;
import io.recur.ops.Arith;
import io.recur.ops.Shapes;
import io.recur.tensor.DType;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * recurrentgemma's Griffin language model — Hawk when every block is recurrent: int32 token ids
 * (batch, T) → embedder → residual blocks → final_norm → logits (batch, T, vocab) through the tied
 * embedding, soft-capped when the config says so. Parameter names and shapes are the reference's
 * state dict (embedder.input_embedding, blocks.{i}.…, final_norm.scale).
 *
 * <p>The state is the blocks' states in order (recurrent: conv inputs and RG-LRU h; attention: the
 * key/value cache and the position), so {@link #step} generates one token at a time without
 * re-running the prefix, and a chunked forward continues where the last one stopped.
 */
public final class Griffin extends SequenceLayer {
    private final GriffinConfig config;
    private final Embedder embedder;
    private final ModuleList<ResidualBlock> blocks;
    private final GemmaRMSNorm finalNorm;
    private final int parts;

    public Griffin(Initializer init, GriffinConfig config) {
        this.config = config;
        embedder = child("embedder", new Embedder(init, config.vocabSize(), config.width(), config.embeddingsScaleBySqrtDim()));
        List<ResidualBlock> list = new ArrayList<>();
        int p = 0;
        for (TemporalBlockType type : config.blockTypes()) {
            ResidualBlock block = new ResidualBlock(init, config, type);
            p += block.stateParts();
            list.add(block);
        }
        blocks = child("blocks", new ModuleList<>(list));
        finalNorm = child("final_norm", new GemmaRMSNorm(init, config.width()));
        parts = p;
    }

    public GriffinConfig config() { return config; }

    @Override public int stateParts() { return parts; }

    /** ids (batch, T) int32 after the state (null: a fresh sequence) → logits (batch, T, vocab) and the next state. */
    @Override
    public SequenceOutput forward(Tensor ids, RecurrentState initial) {
        checkOpen();
        checkStateParts(initial);
        if (ids.dtype() != DType.I32 || ids.rank() != 2 || ids.dim(1) == 0)
            throw new IllegalArgumentException("Griffin: ids must be int32 (batch, T) with T >= 1, got " + ids.dtype() + " " + ids.shape());
        Tensor x = embedder.encode(ids);
        List<Tensor> finals = new ArrayList<>();
        int at = 0;
        for (ResidualBlock block : blocks) {
            int n = block.stateParts();
            SequenceOutput o = block.forward(x, initial == null ? null : initial.sub(at, n));
            x = o.output();
            finals.addAll(o.state().parts());
            at += n;
        }
        return new SequenceOutput(logits(finalNorm.forward(x)), new RecurrentState(finals));
    }

    /** ids (batch) int32 → logits (batch, vocab) and the next state. */
    @Override
    public SequenceOutput step(Tensor ids, RecurrentState state) {
        if (ids.rank() != 1) throw new IllegalArgumentException("Griffin: a step takes ids (batch), got " + ids.shape());
        int batch = ids.dim(0);
        SequenceOutput o = forward(Shapes.reshape(ids, batch, 1), state);
        return new SequenceOutput(Shapes.reshape(o.output(), batch, config.vocabSize()), o.state());
    }

    private Tensor logits(Tensor x) {
        Tensor logits = embedder.decode(x);
        float cap = config.logitsSoftCap();
        return cap > 0 ? Arith.mulScalar(Activations.tanh(Arith.mulScalar(logits, 1 / cap)), cap) : logits;
    }
}
