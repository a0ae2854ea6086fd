package io.recur.backend;

import io.recur.tensor.Tensor;

/**
 * One step of e-prop on an LSNN batch ({@link Backend#epropStep}), all float32 and row-major, with
 * B = batch, n = neurons (the first {@code lif} LIF, the rest ALIF), F = inputs, P = presynaptic
 * partners (F, plus n in a recurrent network: inputs first):
 * current (B, n) = W_in x_t + W_rec z_{t−1}; x (B, F) = x_t; the old state v0, a0 (threshold
 * adaptation), z0 (spikes), r0 (refractory steps left), psi0 (pseudo-derivatives ∂z/∂v), each
 * (B, n), and the new state v1 … psi1 written in place of separate tensors; ev0 (B, P) the old
 * presynaptic traces and ev1 the new; adapt (B, n − lif, P) the ALIF eligibility vectors and
 * filtered (B, n, P) the κ-filtered eligibility traces, both updated in place; signal (B, n) the
 * previous step's learning signal; grad and eSum (n, P) accumulate Σ_b signal·F_κ(e) and Σ_b e.
 * With {@code flush} only the signal is applied (after the last step) and nothing else changes.
 */
public record EPropStepArgs(Tensor current, Tensor x, Tensor v0, Tensor a0, Tensor z0, Tensor r0, Tensor psi0,
                            Tensor v1, Tensor a1, Tensor z1, Tensor r1, Tensor psi1, Tensor ev0, Tensor ev1,
                            Tensor adapt, Tensor filtered, Tensor signal, Tensor grad, Tensor eSum,
                            int batch, int neurons, int lif, int inputs, int presynaptic, int refractorySteps, boolean flush,
                            float alpha, float rho, float kappa, float threshold, float beta, float gamma) {}
