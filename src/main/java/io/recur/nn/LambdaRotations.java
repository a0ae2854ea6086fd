package io.recur.nn;

import io.recur.autograd.Tape;
import io.recur.backend.Backend;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * LRU's eigenvalues λ_n = exp(-exp(ν_n) + i·exp(θ_n)) as real 2×2 matrices [[Re, -Im], [Im, Re]]
 * (multiplying a state (Re h, Im h) by λ), differentiable in ν and θ. The ops have no sin/cos, and
 * these are N numbers per forward, so value and gradient are computed on the host.
 */
final class LambdaRotations {
    private LambdaRotations() {}

    /** (N) nu_log and theta_log → (N, 2, 2). */
    static Tensor of(Tensor nuLog, Tensor thetaLog) {
        float[] nu = nuLog.toFloatArray(), theta = thetaLog.toFloatArray();
        int n = nu.length;
        double[] re = new double[n], im = new double[n];
        float[] m = new float[4 * n];
        for (int k = 0; k < n; k++) {
            double modulus = Math.exp(-Math.exp(nu[k])), phase = Math.exp(theta[k]);
            re[k] = modulus * Math.cos(phase);
            im[k] = modulus * Math.sin(phase);
            m[4 * k] = (float) re[k];
            m[4 * k + 1] = (float) -im[k];
            m[4 * k + 2] = (float) im[k];
            m[4 * k + 3] = (float) re[k];
        }
        Backend be = nuLog.backend();
        Tensor out = be.fromArray(m, Shape.of(n, 2, 2));
        return Tape.record("lruLambda", out, (ctx, g) -> {
            float[] gm = g.toFloatArray();
            float[] dNu = new float[n], dTheta = new float[n];
            for (int k = 0; k < n; k++) {
                double gRe = gm[4 * k] + gm[4 * k + 3], gIm = gm[4 * k + 2] - gm[4 * k + 1];
                // d λ/d ν = -exp(ν) λ; d λ/d θlog = i exp(θlog) λ
                dNu[k] = (float) (-Math.exp(nu[k]) * (gRe * re[k] + gIm * im[k]));
                dTheta[k] = (float) (Math.exp(theta[k]) * (gIm * re[k] - gRe * im[k]));
            }
            return new Tensor[] {g.backend().fromArray(dNu, Shape.of(n)), g.backend().fromArray(dTheta, Shape.of(n))};
        }, new Tensor[] {nuLog, thetaLog});
    }
}
