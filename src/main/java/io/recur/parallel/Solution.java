package io.recur.parallel;

import io.recur.tensor.Tensor;

/**
 * The result of Newton's iterations on a trajectory.
 *
 * @param states     the last accepted iterate, (batch, T, n); owned by the caller's scope
 * @param iterations how many iterations ran (a rejected non-finite one included)
 * @param residual   max |h_new − h| of the last iteration (NaN if it produced a non-finite state)
 * @param converged  whether residual ≤ tolerance was reached, or an undamped method completed T
 *                   iterations (after which it is exact up to rounding)
 */
public record Solution(Tensor states, int iterations, double residual, boolean converged) {}
