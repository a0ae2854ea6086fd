package io.recur.nn.mamba;

import io.recur.nn.Initializer;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * mamba_ssm's initial values (Mamba.__init__ followed by MambaLMHeadModel's _init_weights):
 * torch's default U(±1/sqrt(fan_in)) for the linears and the conv, then linear biases zeroed,
 * out_proj divided by sqrt(n_layer) (the GPT-2 residual rescaling), the embedding N(0, 0.02²);
 * dt_proj.weight U(±dt_scale/sqrt(dt_rank)); dt_proj.bias the inverse softplus of dt drawn
 * log-uniformly in [dt_min, dt_max] and floored at dt_init_floor; A_log = log(1..N) in every
 * channel; D = 1.
 */
final class MambaInit {
    private MambaInit() {}

    static Tensor linearWeight(Initializer init, int out, int in) { return init.uniform(Shape.of(out, in), 1 / Math.sqrt(in)); }

    static Tensor zerosOrNull(Initializer init, boolean present, int n) { return present ? init.full(Shape.of(n), 0f) : null; }

    static Tensor convWeight(Initializer init, int channels, int width) { return init.uniform(Shape.of(channels, 1, width), 1 / Math.sqrt(width)); }

    static Tensor convBias(Initializer init, int channels, int width) { return init.uniform(Shape.of(channels), 1 / Math.sqrt(width)); }

    static Tensor outProjWeight(Initializer init, int dModel, int dInner, int nLayer) {
        return init.uniform(Shape.of(dModel, dInner), 1 / Math.sqrt(dInner) / Math.sqrt(nLayer));
    }

    static Tensor dtProjWeight(Initializer init, int dInner, int dtRank, double dtScale) {
        return init.uniform(Shape.of(dInner, dtRank), dtScale / Math.sqrt(dtRank));
    }

    /** softplus⁻¹(dt) for dt = exp(U(log dt_min, log dt_max)) clamped below at the floor: softplus(bias) starts at dt. */
    static Tensor dtBias(Initializer init, int dInner, SsmConfig c) {
        float[] u = init.uniformHost(Shape.of(dInner));
        float[] bias = new float[dInner];
        double lo = Math.log(c.dtMin()), hi = Math.log(c.dtMax());
        for (int i = 0; i < dInner; i++) {
            double dt = Math.max(Math.exp(lo + u[i] * (hi - lo)), c.dtInitFloor());
            bias[i] = (float) (dt + Math.log(-Math.expm1(-dt)));
        }
        return init.fromArray(bias, Shape.of(dInner));
    }

    /** A = -(1..N) in every channel, stored as log(1..N) (S4D-Real). */
    static Tensor aLog(Initializer init, int dInner, int n) {
        float[] a = new float[dInner * n];
        for (int i = 0; i < dInner; i++)
            for (int s = 0; s < n; s++) a[i * n + s] = (float) Math.log(s + 1);
        return init.fromArray(a, Shape.of(dInner, n));
    }

    static Tensor ones(Initializer init, int n) { return init.full(Shape.of(n), 1f); }

    static Tensor embedding(Initializer init, int vocab, int dModel) { return init.normal(Shape.of(vocab, dModel), 0, 0.02); }

    /** The LTI ablation's fixed B or C (d_inner, N): N(0, 1/N), so that C·h starts at the scale of the selective model's. */
    static Tensor fixedProjection(Initializer init, int dInner, int n) { return init.normal(Shape.of(dInner, n), 0, 1 / Math.sqrt(n)); }
}
