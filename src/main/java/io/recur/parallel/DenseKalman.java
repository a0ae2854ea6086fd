package io.recur.parallel;

import io.recur.backend.Backend;
import io.recur.ops.Arith;
import io.recur.ops.MatMul;
import io.recur.ops.Scans;
import io.recur.tensor.DType;
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
 *     and the smoother gains G_t = P_t J_{t+1}ᵀ P̂_{t+1}⁻¹ do not depend on the data: the backend
 *     computes them ({@link Backend#kalmanGains}), in float64; the CPU sequentially in time
 *     (O(T·n³)), CUDA in parallel over time by an associative scan of Särkkä and
 *     García-Fernández's filtering elements (O(T log T · n³) work, O(log T) depth; n ≤ 32).</li>
 * <li>The means are linear recurrences in parallel over time: the filter
 *     m_t = (I − K_t) J_t m_{t-1} + (I − K_t)(b_t − y_t) + y_t (a forward matrix scan from h0) and
 *     the smoother s_t = G_t s_{t+1} + m_t − G_t (J_{t+1} m_t + b_{t+1}) (a reverse matrix scan).</li>
 * </ul>
 */
final class DenseKalman {
    private DenseKalman() {}

    /** The smoothed trajectory (batch, T, n) from J (batch, T, n, n), b and y (batch, T, n), h0 (batch, n) or null, λ > 0. */
    static Tensor smooth(Tensor jacobian, Tensor b, Tensor h0, Tensor y, float damping) {
        if (!(damping > 0)) throw new IllegalArgumentException("ELK: damping must be > 0 (λ = 0 is DEER), got " + damping);
        int batch = jacobian.dim(0), length = jacobian.dim(1), n = jacobian.dim(2);
        Backend backend = jacobian.backend();
        Tensor keep = backend.allocate(jacobian.shape(), DType.F32);       // I − K_t
        Tensor smoother = backend.allocate(jacobian.shape(), DType.F32);   // G_t, 0 at the last step
        backend.kalmanGains(jacobian, batch, length, n, 1.0 / damping, keep, smoother);
        Tensor mean = Scans.matrixScan(MatMul.matmul(keep, jacobian), Arith.add(Batched.apply(keep, Arith.sub(b, y)), y), h0, false);
        Tensor predictedNext = Arith.add(Batched.apply(TimeShift.left(jacobian), mean), TimeShift.left(b));
        return Scans.matrixScan(smoother, Arith.sub(mean, Batched.apply(smoother, predictedNext)), null, true);
    }
}
