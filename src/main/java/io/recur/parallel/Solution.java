package io.recur.parallel;

import io.recur.tensor.Tensor;

/**
 * The result of Newton's iterations on a trajectory.
 *
 * @param states     the last accepted iterate, (batch, T, n); owned by the caller's scope
 * @param iterations how many updates were computed (a rejected non-finite one included)
 * @param residual   undamped methods: max |h_new − h| of the last update; damped methods: the defect
 *                   max_t |f(h_{t-1}, x_t) − h_t| of the returned trajectory (a damped step may be
 *                   short while far from the answer, so a small update says nothing). NaN if the
 *                   last update was not finite (it is then rejected).
 * @param converged  whether residual ≤ tolerance was reached, or an undamped method completed T
 *                   iterations (after which it is exact up to rounding)
 */
public record Solution(Tensor states, int iterations, double residual, boolean converged) {}
