package io.recur.nn.griffin;

import io.recur.nn.Initializer;
import io.recur.nn.RecurrentState;
import io.recur.nn.SequenceOutput;
import io.recur.ops.Arith;
import io.recur.tensor.Tensor;

/**
 * recurrentgemma's ResidualBlock: r = x + temporal(temporal_pre_norm(x)); out = r +
 * mlp_block(channel_pre_norm(r)). The temporal block is named recurrent_block or attention_block
 * after its type, as the reference's state dict does.
 */
public final class ResidualBlock extends TemporalBlock {
    private final GemmaRMSNorm temporalPreNorm, channelPreNorm;
    private final TemporalBlock temporal;
    private final MLPBlock mlp;

    public ResidualBlock(Initializer init, GriffinConfig config, TemporalBlockType type) {
        double finalVarianceScale = 2.0 / config.numLayers();
        temporalPreNorm = child("temporal_pre_norm", new GemmaRMSNorm(init, config.width()));
        temporal = switch (type) {
            case RECURRENT -> child("recurrent_block", new RecurrentBlock(init, config, finalVarianceScale));
            case ATTENTION -> child("attention_block", new LocalAttentionBlock(init, config, finalVarianceScale));
        };
        channelPreNorm = child("channel_pre_norm", new GemmaRMSNorm(init, config.width()));
        mlp = child("mlp_block", new MLPBlock(init, config.width(), config.mlpExpandedWidth(), finalVarianceScale));
    }

    @Override public int stateParts() { return temporal.stateParts(); }

    @Override
    protected SequenceOutput run(Tensor x, RecurrentState state) {
        SequenceOutput t = temporal.run(temporalPreNorm.forward(x), state);
        Tensor residual = Arith.add(t.output(), x);
        return new SequenceOutput(Arith.add(mlp.forward(channelPreNorm.forward(residual)), residual), t.state());
    }
}
