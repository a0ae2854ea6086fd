package io.recur.parallel;

import io.recur.ops.Arith;
import io.recur.ops.Scans;
import io.recur.tensor.Tensor;

/**
 * quasi-ELK's step: the Levenberg–Marquardt update of the trajectory with a diagonal Jacobian,
 * independently per channel. It minimizes
 * <pre>
 *   Σ_t (h_t − a_t h_{t-1} − b_t)² + λ Σ_t (h_t − y_t)²      (h_{-1} = h0 fixed, y = current guess)
 * </pre>
 * which is the posterior mean of the linear-Gaussian model h_t = a_t h_{t-1} + b_t + w_t,
 * w_t ~ N(0, 1), observed as y_t = h_t + v_t, v_t ~ N(0, σ² = 1/λ) (the ELK paper's formulation):
 * a Kalman filter and a Rauch–Tung–Striebel smoother. With the variances known, both means are
 * linear recurrences, so the whole step is three scans:
 * <ol>
 * <li>variances: P̂_t = a_t² P_{t-1} + 1, P_t = P̂_t / (1 + λ P̂_t), P_{-1} = 0 — a Möbius map per
 *     step, composed by {@link MobiusScan};</li>
 * <li>filter: m_t = (1 − k_t)(a_t m_{t-1} + b_t) + k_t y_t with k_t = λ P̂_t / (1 + λ P̂_t),
 *     m_{-1} = h0 — a forward diagonal scan;</li>
 * <li>smoother: s_t = m_t + g_t (s_{t+1} − a_{t+1} m_t − b_{t+1}) with g_t = P_t a_{t+1} / P̂_{t+1},
 *     s_{T-1} = m_{T-1} — a reverse diagonal scan.</li>
 * </ol>
 * The paper composes the filter and smoother with the parallel elements of Särkkä and
 * García-Fernández; splitting off the data-independent variances gives the same posterior with the
 * scans this project already has.
 */
final class ScalarKalman {
    private ScalarKalman() {}

    /** The smoothed trajectory (batch, T, n) from a, b, y (batch, T, n), h0 (batch, n) or null and λ ≥ 0. */
    static Tensor smooth(Tensor a, Tensor b, Tensor h0, Tensor y, float damping) {
        Tensor a2 = Arith.mul(a, a);
        Tensor one = Arith.addScalar(Arith.mulScalar(a, 0f), 1f);
        Tensor filtered = MobiusScan.fromZero(a2, one, Arith.mulScalar(a2, damping), Arith.addScalar(one, damping));
        Tensor predictedVariance = Arith.addScalar(Arith.mul(a2, TimeShift.right(filtered, zeroStep(a))), 1f);
        Tensor keep = Arith.rdiv(1f, Arith.addScalar(Arith.mulScalar(predictedVariance, damping), 1f)); // 1 − k_t
        Tensor variance = Arith.mul(keep, predictedVariance);
        Tensor mean = Scans.linearScanChannelsLast(Arith.mul(keep, a), Arith.add(Arith.mul(keep, Arith.sub(b, y)), y), h0, null, false);
        Tensor nextA = TimeShift.left(a), nextB = TimeShift.left(b);
        Tensor gain = Arith.mul(variance, TimeShift.left(Arith.div(a, predictedVariance)));
        Tensor predictedNext = Arith.add(Arith.mul(nextA, mean), nextB);
        return Scans.linearScanChannelsLast(gain, Arith.sub(mean, Arith.mul(gain, predictedNext)), null, null, true);
    }

    private static Tensor zeroStep(Tensor x) { return x.backend().zeros(x.shape().with(1, 1)); }
}
