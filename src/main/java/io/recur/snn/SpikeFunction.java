package io.recur.snn;

import io.recur.autograd.Tape;
import io.recur.tensor.DType;
import io.recur.tensor.Tensor;

/**
 * The spike nonlinearity z = H(x)·(1 − refractory) of a scaled voltage x = (v − A)/thr, with H(x) = 1
 * for x > 0 and 0 otherwise. Its backward is the pseudo-derivative dz/dx = γ·max(0, 1 − |x|), zero
 * while refractory: the surrogate gradient that lets BPTT (and e-prop) pass through spikes.
 * Computed on the host, since it is one cheap pass over (batch, neurons) per step.
 */
public final class SpikeFunction {
    private SpikeFunction() {}

    /** The pseudo-derivative at scaled voltage x, for a neuron that is not refractory. */
    public static double pseudoDerivative(double x, double gamma) { return gamma * Math.max(0, 1 - Math.abs(x)); }

    /** A spike for scaled voltage x, for a neuron that is not refractory. */
    public static boolean fires(double x) { return x > 0; }

    /**
     * Spikes for scaled voltages x (any shape) given which neurons are refractory (same layout as
     * x, true: no spike and no gradient).
     */
    public static Tensor apply(Tensor x, boolean[] refractory, double gamma) {
        if (x.dtype() != DType.F32) throw new IllegalArgumentException("spike: the scaled voltage must be float32, got " + x.dtype());
        float[] v = x.toFloatArray();
        if (refractory.length != v.length)
            throw new IllegalArgumentException("spike: " + refractory.length + " refractory flags for " + v.length + " voltages");
        float[] z = new float[v.length];
        for (int i = 0; i < v.length; i++) z[i] = !refractory[i] && fires(v[i]) ? 1f : 0f;
        Tensor out = x.backend().fromArray(z, x.shape());
        boolean[] frozen = refractory.clone();
        return Tape.record("spike", out, (ctx, g) -> {
            float[] gv = g.toFloatArray(), xs = ctx.saved(0).toFloatArray();
            float[] dx = new float[gv.length];
            for (int i = 0; i < gv.length; i++) dx[i] = frozen[i] ? 0f : (float) (gv[i] * pseudoDerivative(xs[i], gamma));
            return new Tensor[] {g.backend().fromArray(dx, g.shape())};
        }, new Tensor[] {x}, x);
    }
}
