package io.recur.parallel;

import io.recur.tensor.Tensor;

/**
 * A cell evaluated along a trajectory: value f(prev_t, x_t) (batch, T, n) and jacobian ∂f/∂h at the
 * same points, (batch, T, n, n) or its diagonal (batch, T, n), or null when not asked for.
 */
public record Linearization(Tensor value, Tensor jacobian) {}
