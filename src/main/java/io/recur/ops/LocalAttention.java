package io.recur.ops;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * Causal sliding-window multi-query attention (Griffin's local attention): query position t of
 * every head attends to the window positions [t − window + 1, t] of one shared key/value head,
 * with logits scaled by 1/sqrt(head_dim). Fused kernels ({@link Backend#localAttention}) never form
 * the T×T matrix: the forward keeps each row's logsumexp and the backward recomputes the
 * probabilities from it. Differentiable in q, k and v.
 *
 * <p>recurrentgemma's mask lets a query see attention_window_size positions besides its own, i.e.
 * window = attention_window_size + 1 here.
 */
public final class LocalAttention {
    private LocalAttention() {}

    /**
     * @param q      queries (batch, T, heads, head_dim)
     * @param k      keys (batch, T, head_dim)
     * @param v      values (batch, T, head_dim)
     * @param window keys each query sees, its own included (>= 1; larger than T means full causal attention)
     * @return (batch, T, heads, head_dim)
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, int window) {
        String op = "localAttention";
        check(op, q, k, v, window);
        int batch = q.dim(0), length = q.dim(1), heads = q.dim(2), dim = q.dim(3);
        int win = Math.min(window, length);   // beyond T the window changes nothing
        float scale = (float) (1 / Math.sqrt(dim));
        Backend be = q.backend();
        Tensor out = Outputs.like(q), lse = Outputs.f32(be, Shape.of(batch, heads, length));
        be.localAttention(q, k, v, batch, length, heads, dim, win, scale, out, lse);
        Shape qShape = q.shape(), kvShape = k.shape();
        return Tape.record(op, out, (ctx, g) -> {
            Backend gb = g.backend();
            Tensor dq = Outputs.f32(gb, qShape), dk = Outputs.f32(gb, kvShape), dv = Outputs.f32(gb, kvShape);
            gb.localAttentionBackward(ctx.saved(0), ctx.saved(1), ctx.saved(2), ctx.saved(3), ctx.saved(4), g,
                    batch, length, heads, dim, win, scale, dq, dk, dv);
            return new Tensor[] {ctx.needsGrad(0) ? dq : null, ctx.needsGrad(1) ? dk : null, ctx.needsGrad(2) ? dv : null};
        }, new Tensor[] {q, k, v}, q, k, v, out, lse);
    }

    private static void check(String op, Tensor q, Tensor k, Tensor v, int window) {
        ShapeChecks.floats(op, "q", q);
        ShapeChecks.floats(op, "k", k);
        ShapeChecks.floats(op, "v", v);
        Checks.sameBackend(op, q, k, v);
        if (q.rank() != 4 || q.dim(1) == 0 || q.dim(3) == 0)
            throw new IllegalArgumentException(op + ": q must be (batch, T, heads, head_dim) with T, head_dim >= 1, got " + q.shape());
        Shape kv = Shape.of(q.dim(0), q.dim(1), q.dim(3));
        if (!k.shape().equals(kv))
            throw new IllegalArgumentException(op + ": k must be (batch, T, head_dim) = " + kv + " for q " + q.shape() + ", got " + k.shape());
        if (!v.shape().equals(kv))
            throw new IllegalArgumentException(op + ": v must be (batch, T, head_dim) = " + kv + " for q " + q.shape() + ", got " + v.shape());
        if (window < 1) throw new IllegalArgumentException(op + ": window must be >= 1, got " + window);
    }
}
