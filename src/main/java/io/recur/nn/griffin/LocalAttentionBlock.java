package io.recur.nn.griffin;

import io.recur.nn.Initializer;
import io.recur.nn.Linear;
import io.recur.nn.RecurrentState;
import io.recur.nn.SequenceOutput;
import io.recur.ops.LocalAttention;
import io.recur.ops.Rope;
import io.recur.ops.Shapes;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;
import java.util.List;

/**
 * recurrentgemma's LocalAttentionBlock: multi-query attention over a sliding window — proj_q
 * (num_heads heads), proj_k and proj_v (one head of head_dim), RoPE on queries and keys, local
 * attention (each position sees attention_window_size earlier positions and its own, the
 * reference's mask), proj_final.
 *
 * <p>State parts: the keys and values (already rotated) of the last min(seen, attention_window_size)
 * positions, each (batch, n, head_dim), and the number of positions seen (a one-element tensor,
 * RoPE's next position). A chunk after a state runs the same kernel over cache + chunk, with the
 * cached rows' queries zero and their outputs dropped, so a one-token step is exact.
 */
public final class LocalAttentionBlock extends TemporalBlock {
    private final Linear projQ, projK, projV, projFinal;
    private final int heads, headDim, windowSize;

    public LocalAttentionBlock(Initializer init, GriffinConfig config, double finalVarianceScale) {
        int width = config.width();
        heads = config.numHeads();
        headDim = config.headDim();
        windowSize = config.attentionWindowSize();
        projQ = child("proj_q", ReferenceInit.linear(init, width, width, 1.0 / width, false));
        projK = child("proj_k", ReferenceInit.linear(init, width, headDim, 1.0 / width, false));
        projV = child("proj_v", ReferenceInit.linear(init, width, headDim, 1.0 / width, false));
        projFinal = child("proj_final", ReferenceInit.linear(init, width, width, finalVarianceScale / width, true));
    }

    @Override public int stateParts() { return 3; }

    @Override
    protected SequenceOutput run(Tensor x, RecurrentState state) {
        int batch = x.dim(0), length = x.dim(1);
        int seen = state == null ? 0 : positionOf(state.part(2));
        Tensor q = Rope.firstHalf(Shapes.reshape(projQ.forward(x), batch, length, heads, headDim), seen);
        Tensor k = Shapes.reshape(Rope.firstHalf(Shapes.reshape(projK.forward(x), batch, length, 1, headDim), seen), batch, length, headDim);
        Tensor v = projV.forward(x);
        int cached = 0;
        if (state != null) {
            cached = state.part(0).dim(1);
            checkCache(state, batch, cached);
            q = Shapes.concat(List.of(x.backend().zeros(Shape.of(batch, cached, heads, headDim)), q), 1);
            k = Shapes.concat(List.of(state.part(0), k), 1);
            v = Shapes.concat(List.of(state.part(1), v), 1);
        }
        Tensor attended = LocalAttention.attention(q, k, v, windowSize + 1);
        if (cached > 0) attended = Shapes.slice(attended, 1, cached, cached + length);
        Tensor out = projFinal.forward(Shapes.reshape(attended, batch, length, heads * headDim));
        int total = cached + length, keep = Math.min(windowSize, total);
        Tensor position = x.backend().fromArray(new float[] {seen + length}, Shape.of(1));
        return new SequenceOutput(out, RecurrentState.of(Shapes.slice(k, 1, total - keep, total), Shapes.slice(v, 1, total - keep, total), position));
    }

    private static int positionOf(Tensor position) {
        if (!position.shape().equals(Shape.of(1)))
            throw new IllegalArgumentException("LocalAttentionBlock: state part 2 must be the position, shape [1], got " + position.shape());
        return (int) position.toFloatArray()[0];
    }

    private void checkCache(RecurrentState state, int batch, int cached) {
        Shape expected = Shape.of(batch, cached, headDim);
        if (cached > windowSize || !state.part(0).shape().equals(expected) || !state.part(1).shape().equals(expected))
            throw new IllegalArgumentException("LocalAttentionBlock: the key/value cache must be (batch, n <= " + windowSize
                    + ", head_dim) = " + expected + ", got keys " + state.part(0).shape() + " and values " + state.part(1).shape());
    }
}
