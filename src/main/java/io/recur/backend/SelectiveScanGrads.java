package io.recur.backend;

import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * Where {@link Backend#selectiveScanBackward} writes the gradients, each with its input's shape and
 * overwritten: du, dDelta (of the raw delta, before bias and softplus), dA, dB and dC (fixed or
 * input-dependent like B and C) always; dD, dz and dDeltaBias exactly when the forward had D, z and
 * delta_bias; dh0 optionally when it had h0 (null: not wanted).
 */
public record SelectiveScanGrads(Tensor du, Tensor dDelta, Tensor dA, Tensor dB, Tensor dC, Tensor dD, Tensor dz,
                                 Tensor dDeltaBias, Tensor dh0) {

    /** Fails, naming the gradient, unless these fit the inputs of args. */
    public void check(SelectiveScanArgs args) {
        expect("du", du, args.u());
        expect("dDelta", dDelta, args.delta());
        expect("dA", dA, args.a());
        expect("dB", dB, args.b());
        expect("dC", dC, args.c());
        expect("dD", dD, args.d());
        expect("dz", dz, args.z());
        expect("dDeltaBias", dDeltaBias, args.deltaBias());
        if (dh0 != null) expect("dh0", dh0, args.h0());
    }

    private static void expect(String name, Tensor grad, Tensor input) {
        Shape want = input == null ? null : input.shape();
        Shape got = grad == null ? null : grad.shape();
        if (want == null ? got != null : !want.equals(got))
            throw new IllegalArgumentException("selectiveScanBackward: " + name + " must be " + (want == null ? "null (no such input)" : want)
                    + ", got " + (got == null ? "null" : got));
    }
}
