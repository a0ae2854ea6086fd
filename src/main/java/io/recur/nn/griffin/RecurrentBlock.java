package io.recur.nn.griffin;

import io.recur.nn.Initializer;
import io.recur.nn.Linear;
import io.recur.nn.RecurrentState;
import io.recur.nn.SequenceOutput;
import io.recur.ops.Activations;
import io.recur.ops.Arith;
import io.recur.ops.CausalConv1d;
import io.recur.ops.RgLru;
import io.recur.tensor.Tensor;

/**
 * recurrentgemma's RecurrentBlock: y = gelu(linear_y(x)); x' = RG-LRU(conv_1d(linear_x(x)));
 * out = linear_out(x' ⊙ y). State parts: the convolution's last inputs (batch, W − 1, lru_width)
 * and the RG-LRU's h (batch, lru_width).
 */
public final class RecurrentBlock extends TemporalBlock {
    private final Linear linearY, linearX, linearOut;
    private final Conv1D conv1d;
    private final RGLRU rgLru;

    public RecurrentBlock(Initializer init, GriffinConfig config, double finalVarianceScale) {
        int width = config.width(), lru = config.lruWidth();
        linearY = child("linear_y", ReferenceInit.linear(init, width, lru, 1.0 / width, true));
        linearX = child("linear_x", ReferenceInit.linear(init, width, lru, 1.0 / width, true));
        linearOut = child("linear_out", ReferenceInit.linear(init, lru, width, finalVarianceScale / lru, true));
        conv1d = child("conv_1d", new Conv1D(init, lru, config.conv1dTemporalWidth()));
        rgLru = child("rg_lru", new RGLRU(init, lru, config.numHeads()));
    }

    @Override public int stateParts() { return 2; }

    @Override
    protected SequenceOutput run(Tensor x, RecurrentState state) {
        Tensor y = Activations.gelu(linearY.forward(x));
        CausalConv1d.Step conv = conv1d.forward(linearX.forward(x), state == null ? null : state.part(0));
        Tensor h = rgLru.forward(conv.out(), state == null ? null : state.part(1));
        Tensor out = linearOut.forward(Arith.mul(h, y));
        return new SequenceOutput(out, RecurrentState.of(conv.state(), RgLru.lastState(h)));
    }
}
