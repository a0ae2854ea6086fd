package io.recur.nn.griffin;

import io.recur.backend.UnaryOp;
import io.recur.testing.Conv1dReference;
import io.recur.testing.D;
import io.recur.testing.ElementwiseReference;
import io.recur.testing.GemmReference;
import io.recur.testing.LocalAttentionReference;
import io.recur.testing.NormReference;
import io.recur.testing.RgLruReference;
import io.recur.testing.RopeReference;
import java.util.Arrays;
import java.util.Map;

/**
 * Hawk or Griffin as a backbone model in float64, written from recurrentgemma's definitions:
 * features (batch, T, in) → input_proj → per block r = x + temporal(temporal_pre_norm(x)),
 * x = r + mlp_block(channel_pre_norm(r)) → final_norm → lm_head. Parameters by their full names in
 * the model (backbone.…, lm_head.weight); every sequence starts fresh.
 */
final class GriffinBackboneReference {
    private GriffinBackboneReference() {}

    static D forward(D features, Map<String, D> p, GriffinConfig config) {
        D x = linear(features, p.get("backbone.input_proj.weight"), p.get("backbone.input_proj.bias"));
        for (int i = 0; i < config.numLayers(); i++) {
            String b = "backbone.blocks." + i + ".";
            D normed = norm(x, p.get(b + "temporal_pre_norm.scale"));
            D r = add(x, switch (config.blockTypes().get(i)) {
                case RECURRENT -> recurrentBlock(normed, p, b + "recurrent_block.");
                case ATTENTION -> attentionBlock(normed, p, b + "attention_block.", config);
            });
            x = add(r, mlp(norm(r, p.get(b + "channel_pre_norm.scale")), p, b + "mlp_block."));
        }
        return linear(norm(x, p.get("backbone.final_norm.scale")), p.get("lm_head.weight"), null);
    }

    /** Multi-query attention: RoPE'd queries (heads) and one key/value head, each position seeing the window before it and itself. */
    private static D attentionBlock(D x, Map<String, D> p, String at, GriffinConfig config) {
        int batch = x.shape[0], length = x.shape[1], heads = config.numHeads(), headDim = config.headDim();
        D q = RopeReference.firstHalf(linear(x, p.get(at + "proj_q.weight"), null).reshape(batch, length, heads, headDim), 0);
        D k = RopeReference.firstHalf(linear(x, p.get(at + "proj_k.weight"), null).reshape(batch, length, 1, headDim), 0);
        D v = linear(x, p.get(at + "proj_v.weight"), null);
        D attended = LocalAttentionReference.forward(q, k.reshape(batch, length, headDim), v, config.attentionWindowSize() + 1);
        return linear(attended.reshape(batch, length, heads * headDim), p.get(at + "proj_final.weight"), p.get(at + "proj_final.bias"));
    }

    /** gelu(linear_y(x)) ⊙ RG-LRU(conv_1d(linear_x(x))) → linear_out. */
    private static D recurrentBlock(D x, Map<String, D> p, String at) {
        int batch = x.shape[0], length = x.shape[1];
        D y = gelu(linear(x, p.get(at + "linear_y.weight"), p.get(at + "linear_y.bias")));
        D u = linear(x, p.get(at + "linear_x.weight"), p.get(at + "linear_x.bias"));
        int width = u.shape[2];
        D w = p.get(at + "conv_1d.w");   // (temporal width, width): channels-last
        double[] convFirst = Conv1dReference.forward(u.swapLastTwo().data, w.swapLastTwo().data, p.get(at + "conv_1d.b").data, null,
                batch, width, length, w.shape[0], false);
        D conv = new D(convFirst, batch, width, length).swapLastTwo();
        D gateX = blockDiagonal(conv, p.get(at + "rg_lru.input_gate.w"), p.get(at + "rg_lru.input_gate.b"));
        D gateA = blockDiagonal(conv, p.get(at + "rg_lru.a_gate.w"), p.get(at + "rg_lru.a_gate.b"));
        double[] resets = new double[batch * length];
        for (int s = 0; s < batch; s++) resets[s * length] = 1;   // a fresh sequence starts a segment
        D h = new D(RgLruReference.forward(conv.data, gateX.data, gateA.data, p.get(at + "rg_lru.a_param").data, resets, null,
                batch, length, width), batch, length, width);
        return linear(h.zip(y, (a, c) -> a * c), p.get(at + "linear_out.weight"), p.get(at + "linear_out.bias"));
    }

    /** ffw_down(gelu(x · w₀ + b₀) ⊙ (x · w₁ + b₁)). */
    private static D mlp(D x, Map<String, D> p, String at) {
        D w = p.get(at + "ffw_up.w"), b = p.get(at + "ffw_up.b");
        int size = w.shape[1] * w.shape[2], expanded = w.shape[2];
        D gate = project(x, Arrays.copyOfRange(w.data, 0, size), expanded, false, Arrays.copyOfRange(b.data, 0, expanded));
        D value = project(x, Arrays.copyOfRange(w.data, size, 2 * size), expanded, false, Arrays.copyOfRange(b.data, expanded, 2 * expanded));
        return linear(gelu(gate).zip(value, (g, v) -> g * v), p.get(at + "ffw_down.weight"), p.get(at + "ffw_down.bias"));
    }

    /** y[…, h, j] = Σ_i x[…, h, i] w[h, i, j] + b[h, j]. */
    private static D blockDiagonal(D x, D w, D b) {
        int heads = w.shape[0], block = w.shape[1], width = heads * block, rows = x.size() / width;
        D y = D.zeros(x.shape);
        for (int r = 0; r < rows; r++)
            for (int h = 0; h < heads; h++)
                for (int j = 0; j < block; j++) {
                    double s = b.data[h * block + j];
                    for (int i = 0; i < block; i++) s += x.data[r * width + h * block + i] * w.data[(h * block + i) * block + j];
                    y.data[r * width + h * block + j] = s;
                }
        return y;
    }

    /** x (…, in) · weightᵀ (out, in) + bias (out, or null): torch's Linear. */
    private static D linear(D x, D weight, D bias) {
        return project(x, weight.data, weight.shape[0], true, bias == null ? null : bias.data);
    }

    /** x (…, in) times w, (out, in) when transposed else (in, out), plus bias (out, or null). */
    private static D project(D x, double[] w, int out, boolean transposed, double[] bias) {
        int in = x.shape[x.rank() - 1], rows = x.size() / in;
        double[] c = new double[rows * out];
        for (int r = 0; bias != null && r < rows; r++) System.arraycopy(bias, 0, c, r * out, out);
        int[] shape = x.shape.clone();
        shape[shape.length - 1] = out;
        return new D(GemmReference.gemm(false, transposed, 1, rows, out, in, 1, x.data, 0, w, 0, bias == null ? 0 : 1, c, 0), shape);
    }

    /** recurrentgemma's RMSNorm: the weight is 1 + scale. */
    private static D norm(D x, D scale) { return NormReference.rmsNorm(x, scale.map(s -> 1 + s), GemmaRMSNorm.EPS); }

    private static D gelu(D x) { return x.map(v -> ElementwiseReference.unary(UnaryOp.GELU, v)); }

    private static D add(D a, D b) { return a.zip(b, Double::sum); }
}
