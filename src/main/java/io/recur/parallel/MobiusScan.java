package io.recur.parallel;

import io.recur.backend.Backend;
import io.recur.tensor.DType;
import io.recur.tensor.Tensor;

/**
 * Prefix compositions of elementwise Möbius maps p ↦ (m11 p + m12) / (m21 p + m22), each held as
 * its 2×2 matrix (four tensors of one shape (batch, T, …), entries ≥ 0): the scalar Riccati
 * recursion of a Kalman filter's variance is such a map per step. One backend op
 * ({@link Backend#mobiusPrefix}) runs it: the CPU sequentially in time, CUDA as an associative scan
 * of the normalised matrices.
 */
final class MobiusScan {
    private MobiusScan() {}

    /**
     * The value after each step when the start value is 0: p_t = (M_t ∘ … ∘ M_0)(0), every channel
     * (the dimensions after time) on its own. Needs m22 > 0 at every step. Not recorded for
     * gradients: the variances are data-independent constants of the solver's step.
     */
    static Tensor fromZero(Tensor m11, Tensor m12, Tensor m21, Tensor m22) {
        for (Tensor m : new Tensor[] {m12, m21, m22})
            if (!m.shape().equals(m11.shape()))
                throw new IllegalArgumentException("MobiusScan: the four matrix entries need one shape, got " + m11.shape() + " and " + m.shape());
        if (m11.shape().rank() < 2)
            throw new IllegalArgumentException("MobiusScan: entries must be (batch, T, …), got " + m11.shape());
        int batch = m11.dim(0), length = m11.dim(1);
        int channels = length == 0 || batch == 0 ? 0 : Math.toIntExact(m11.size() / ((long) batch * length));
        Backend backend = m11.backend();
        Tensor values = backend.allocate(m11.shape(), DType.F32);
        backend.mobiusPrefix(m11, m12, m21, m22, batch, length, channels, values);
        return values;
    }
}
