package io.recur.nn.mamba;

import io.recur.nn.Initializer;
import io.recur.nn.RecurrentState;
import io.recur.nn.SequenceLayer;
import io.recur.nn.SequenceOutput;
import io.recur.ops.Arith;
import io.recur.ops.MatMul;
import io.recur.tensor.DType;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * mamba_ssm's MambaLMHeadModel: backbone (embedding, layers.{i}.norm/mixer, norm_f) and lm_head
 * tied to the embedding. lm_head.weight is not a parameter of its own: the one table serves both,
 * so {@link #stateDict()} holds backbone.embedding.weight only ({@link MambaWeights} accepts files
 * that also, or only, hold lm_head.weight). Logits have the padded vocabulary's width, as mamba_ssm's.
 *
 * <p>Input: int32 token ids (batch, L) for {@link #forward(Tensor, RecurrentState)}, (batch) for
 * {@link #step}. The state is every layer's (conv_state, ssm_state) in layer order.
 */
public final class MambaLM extends SequenceLayer {
    private final MambaConfig config;
    private final MambaBackbone backbone;

    public MambaLM(Initializer init, MambaConfig config) {
        this.config = config;
        backbone = child("backbone", new MambaBackbone(init, config));
    }

    public MambaConfig config() { return config; }

    @Override public int stateParts() { return 2 * config.nLayer(); }

    /** Logits (batch, L, padded vocab) for tokens (batch, L), continuing from a state (null: the start). */
    @Override
    public SequenceOutput forward(Tensor tokens, RecurrentState initial) {
        if (tokens.rank() != 2 || tokens.dtype() != DType.I32)
            throw new IllegalArgumentException("MambaLM: tokens must be int32 (batch, L), got " + tokens.dtype() + " " + tokens.shape());
        return run(tokens, initial, false);
    }

    /** Logits (batch, padded vocab) for one token per sequence (batch), and the next state. */
    @Override
    public SequenceOutput step(Tensor token, RecurrentState state) {
        if (token.rank() != 1 || token.dtype() != DType.I32)
            throw new IllegalArgumentException("MambaLM: a step takes int32 tokens (batch), got " + token.dtype() + " " + token.shape());
        return run(token, state, true);
    }

    private SequenceOutput run(Tensor tokens, RecurrentState initial, boolean oneStep) {
        checkOpen();
        checkStateParts(initial);
        Tensor x = backbone.embedding.forward(tokens);
        List<Tensor> finals = new ArrayList<>();
        int at = 0;
        for (MambaBlock block : backbone.layers) {
            RecurrentState s = initial == null ? null : initial.sub(at, 2);
            Tensor normed = block.norm.forward(x);
            SequenceOutput o = oneStep ? block.mixer.step(normed, s) : block.mixer.forward(normed, s);
            x = Arith.add(x, o.output());
            finals.addAll(o.state().parts());
            at += 2;
        }
        Tensor logits = MatMul.linear(backbone.normF.forward(x), backbone.embedding.weight().get(), null);
        return new SequenceOutput(logits, new RecurrentState(finals));
    }

    /** The tied table (padded vocab, d_model): embedding and lm_head. */
    public Tensor embeddingWeight() { return backbone.embedding.weight().get(); }

    /** Logits for tokens from the start, without the state: what a trainer calls. */
    public Tensor logits(Tensor tokens) { return forward(tokens, null).output(); }

}
