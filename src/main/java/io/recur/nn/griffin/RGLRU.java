package io.recur.nn.griffin;

import io.recur.nn.Initializer;
import io.recur.nn.Module;
import io.recur.nn.Param;
import io.recur.ops.RgLru;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * recurrentgemma's RGLRU layer: a_param (width) on the reference's ring initialisation, and the
 * block-diagonal input_gate and a_gate (one block per head). The state is h (batch, width).
 */
public final class RGLRU extends Module {
    private final Param aParam;
    private final BlockDiagonalLinear inputGate, aGate;

    public RGLRU(Initializer init, int width, int numHeads) {
        this.aParam = parameter("a_param", init.fromArray(ReferenceInit.rgLruAParam(init, width), Shape.of(width)));
        this.inputGate = child("input_gate", new BlockDiagonalLinear(init, width, numHeads));
        this.aGate = child("a_gate", new BlockDiagonalLinear(init, width, numHeads));
    }

    /**
     * h for x (batch, T, width) continuing from h0 (batch, width), or, with h0 null, for a fresh
     * sequence: its first position is a segment start (segment_pos == 0), where the reference uses
     * a = 0 and multiplier 1.
     */
    public Tensor forward(Tensor x, Tensor h0) {
        Tensor resets = h0 == null ? firstPositionResets(x) : null;
        return RgLru.rgLru(x, inputGate.weight(), inputGate.bias(), aGate.weight(), aGate.bias(), aParam.get(), resets, h0);
    }

    private static Tensor firstPositionResets(Tensor x) {
        int batch = x.dim(0), length = x.dim(1);
        float[] resets = new float[batch * length];
        for (int b = 0; b < batch; b++) resets[b * length] = 1f;
        return x.backend().fromArray(resets, Shape.of(batch, length));
    }
}
