package io.recur.nn.griffin;

import io.recur.nn.Initializer;
import io.recur.nn.ModuleList;
import io.recur.nn.RecurrentState;
import io.recur.nn.SequenceLayer;
import io.recur.nn.SequenceOutput;
import io.recur.ops.Shapes;
import io.recur.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Griffin's body without the embedder: the residual blocks, then final_norm, on (batch, T, width)
 * → (batch, T, width). {@link Griffin} puts its embedder and tied head around it; as a backbone of
 * {@link io.recur.nn.SequenceModel} it reads the input layer's features and feeds lm_head. Names:
 * blocks.{i}.…, final_norm.scale (vocab_size of the config is not used here).
 *
 * <p>The state is the blocks' states in order (recurrent: conv inputs and RG-LRU h; attention: the
 * key/value cache and the position); a step is a chunk of length one.
 */
public final class GriffinBlocks extends SequenceLayer {
    private final int width;
    private final ModuleList<ResidualBlock> blocks;
    private final GemmaRMSNorm finalNorm;
    private final int parts;

    public GriffinBlocks(Initializer init, GriffinConfig config) {
        width = config.width();
        List<ResidualBlock> list = new ArrayList<>();
        int p = 0;
        for (TemporalBlockType type : config.blockTypes()) {
            ResidualBlock block = new ResidualBlock(init, config, type);
            p += block.stateParts();
            list.add(block);
        }
        blocks = child("blocks", new ModuleList<>(list));
        finalNorm = child("final_norm", new GemmaRMSNorm(init, width));
        parts = p;
    }

    @Override public int stateParts() { return parts; }

    /** x (batch, T, width) after the state (null: a fresh sequence) → final_norm of the last block's output, and the next state. */
    @Override
    public SequenceOutput forward(Tensor x, RecurrentState initial) {
        checkOpen();
        checkStateParts(initial);
        if (x.rank() != 3 || x.dim(1) == 0 || x.dim(2) != width)
            throw new IllegalArgumentException("GriffinBlocks: x must be (batch, T, " + width + ") with T >= 1, got " + x.shape());
        List<Tensor> finals = new ArrayList<>();
        int at = 0;
        for (ResidualBlock block : blocks) {
            int n = block.stateParts();
            SequenceOutput o = block.forward(x, initial == null ? null : initial.sub(at, n));
            x = o.output();
            finals.addAll(o.state().parts());
            at += n;
        }
        return new SequenceOutput(finalNorm.forward(x), new RecurrentState(finals));
    }

    /** x (batch, width) → (batch, width) and the next state. */
    @Override
    public SequenceOutput step(Tensor xt, RecurrentState state) {
        if (xt.rank() != 2) throw new IllegalArgumentException("GriffinBlocks: a step takes (batch, " + width + "), got " + xt.shape());
        int batch = xt.dim(0);
        SequenceOutput o = forward(Shapes.reshape(xt, batch, 1, xt.dim(1)), state);
        return new SequenceOutput(Shapes.reshape(o.output(), batch, width), o.state());
    }
}
