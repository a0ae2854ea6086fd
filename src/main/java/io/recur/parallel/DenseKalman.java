package io.recur.parallel;

import io.recur.ops.Arith;
import io.recur.ops.MatMul;
import io.recur.ops.Scans;
import io.recur.tensor.Shape;
import io.recur.tensor.Tensor;

/**
 * ELK's step: the Levenberg–Marquardt update of the trajectory with full Jacobians,
 * <pre>
 *   argmin_h Σ_t ‖h_t − J_t h_{t-1} − b_t‖² + λ Σ_t ‖h_t − y_t‖²      (h_{-1} = h0 fixed, y = current guess),
 * </pre>
 * the posterior mean of h_t = J_t h_{t-1} + b_t + w_t, w_t ~ N(0, I), observed as y_t = h_t + v_t,
 * v_t ~ N(0, σ² I) with σ² = 1/λ: a Kalman filter and a Rauch–Tung–Striebel smoother.
 * <ul>
 * <li>The covariances P̂_t = J_t P_{t-1} J_tᵀ + I, P_t = (I − K_t) P̂_t with I − K_t = σ² (P̂_t + σ² I)⁻¹,
 *     and the smoother gains G_t = P_t J_{t+1}ᵀ P̂_{t+1}⁻¹ do not depend on the data. They are
 *     computed on the host in float64, sequentially in time (O(T·n³); n ≤ 32).</li>
 * <li>The means are linear recurrences in parallel over time: the filter
 *     m_t = (I − K_t) J_t m_{t-1} + (I − K_t)(b_t − y_t) + y_t (a forward matrix scan from h0) and
 *     the smoother s_t = G_t s_{t+1} + m_t − G_t (J_{t+1} m_t + b_{t+1}) (a reverse matrix scan).</li>
 * </ul>
 * The paper runs the covariance recursion in parallel as well (Särkkä and García-Fernández's
 * elements need batched n×n inverses, which this project has no kernel for yet).
 */
final class DenseKalman {
    private DenseKalman() {}

    /** The smoothed trajectory (batch, T, n) from J (batch, T, n, n), b and y (batch, T, n), h0 (batch, n) or null, λ > 0. */
    static Tensor smooth(Tensor jacobian, Tensor b, Tensor h0, Tensor y, float damping) {
        if (!(damping > 0)) throw new IllegalArgumentException("ELK: damping must be > 0 (λ = 0 is DEER), got " + damping);
        int batch = jacobian.dim(0), length = jacobian.dim(1), n = jacobian.dim(2);
        float[][] gains = gains(jacobian.toFloatArray(), batch, length, n, 1.0 / damping);
        Shape matrices = jacobian.shape();
        Tensor keep = jacobian.backend().fromArray(gains[0], matrices);   // I − K_t
        Tensor smoother = jacobian.backend().fromArray(gains[1], matrices); // G_t, 0 at the last step
        Tensor mean = Scans.matrixScan(MatMul.matmul(keep, jacobian), Arith.add(Batched.apply(keep, Arith.sub(b, y)), y), h0, false);
        Tensor predictedNext = Arith.add(Batched.apply(TimeShift.left(jacobian), mean), TimeShift.left(b));
        return Scans.matrixScan(smoother, Arith.sub(mean, Batched.apply(smoother, predictedNext)), null, true);
    }

    /** I − K_t and G_t for every (row, step), row-major like J, in float64 then rounded. */
    static float[][] gains(float[] jac, int batch, int length, int n, double observationVariance) {
        int nn = n * n;
        float[] keepOut = new float[jac.length], gainOut = new float[jac.length];
        double[][] predicted = new double[length][], filtered = new double[length][];
        for (int r = 0; r < batch; r++) {
            double[] p = new double[nn];
            for (int t = 0; t < length; t++) {
                int at = (r * length + t) * nn;
                double[] j = SmallMatrices.read(jac, at, n);
                double[] pp = SmallMatrices.sandwich(j, p, n);
                for (int i = 0; i < n; i++) pp[i * n + i] += 1;
                double[] s = pp.clone();
                for (int i = 0; i < n; i++) s[i * n + i] += observationVariance;
                double[] keep = SmallMatrices.inverse(s, n);
                for (int i = 0; i < nn; i++) keep[i] *= observationVariance;
                p = SmallMatrices.symmetrized(SmallMatrices.multiply(keep, pp, n), n);
                predicted[t] = pp;
                filtered[t] = p;
                SmallMatrices.write(keep, keepOut, at);
            }
            for (int t = 0; t + 1 < length; t++) {
                int next = (r * length + t + 1) * nn;
                double[] jNextT = SmallMatrices.transpose(SmallMatrices.read(jac, next, n), n);
                double[] g = SmallMatrices.multiply(SmallMatrices.multiply(filtered[t], jNextT, n), SmallMatrices.inverse(predicted[t + 1], n), n);
                SmallMatrices.write(g, gainOut, (r * length + t) * nn);
            }
        }
        return new float[][] {keepOut, gainOut};
    }
}
