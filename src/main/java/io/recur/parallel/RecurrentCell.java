package io.recur.parallel;

import io.recur.tensor.Tensor;

/**
 * A recurrence h_t = f(h_{t-1}, x_t; θ) seen all at once: given a guess of the whole trajectory,
 * f and its Jacobian ∂f/∂h are evaluated at every step in parallel (batched over batch and time).
 * That is what Newton's method on the trajectory (DEER, ELK) needs.
 *
 * <p>Layouts are batch-major and channels-last: states (batch, T, n), the per-step drive (batch, T,
 * k). The input-side work that does not depend on the state (x W_ihᵀ + b_ih) is done once by
 * {@link #drive}, outside the Newton iterations. All methods are built from differentiable ops, so
 * on the tape they give gradients to the cell's weights, the drive and the previous states.
 */
public interface RecurrentCell {
    /** n, the size of the state vector (an LSTM's is [h, c], twice its hidden size). */
    int stateSize();

    /** The size of the part of the state that is the layer's output (h; for an LSTM the first half). */
    int outputSize();

    /** The state-independent part of every step, from the inputs x (batch, T, input): (batch, T, k). */
    Tensor drive(Tensor x);

    /**
     * f(prev_t, drive_t) for every step at once, and, unless jacobian is NONE, ∂f/∂h at those points:
     * (batch, T, n, n) for FULL (row i holds ∂f_i/∂h_j), (batch, T, n) for DIAGONAL (computed
     * directly, without forming the matrix).
     *
     * @param prev  the states each step starts from, (batch, T, n)
     * @param drive from {@link #drive}, (batch, T, k)
     */
    Linearization linearize(Tensor prev, Tensor drive, JacobianKind jacobian);
}
