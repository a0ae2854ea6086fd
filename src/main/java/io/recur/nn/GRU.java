package io.recur.nn;

import io.recur.ops.MatMul;
import io.recur.ops.RecurrentCells;
import io.recur.tensor.Tensor;

/**
 * torch.nn.GRU: gates r, z, n; r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r ⊙ h_n) where
 * x_* = x W_ihᵀ + b_ih and h_* = h W_hhᵀ + b_hh (so b_hn stays inside the reset product, as in
 * torch); h' = (1 - z) n + z h. State: h, (num_layers, batch, hidden). The gate arithmetic of a
 * step is one fused operation ({@link RecurrentCells#gruCell}).
 */
public final class GRU extends TorchRecurrent {
    public GRU(Initializer init, RecurrentConfig config) { super(init, config, 3); }

    @Override public int stateParts() { return 1; }

    @Override
    protected Tensor[] cell(Tensor inputGates, Tensor[] state, Tensor weightHh, Tensor biasHh) {
        Tensor h = state[0];
        return new Tensor[] {RecurrentCells.gruCell(inputGates, MatMul.linear(h, weightHh, biasHh), h)};
    }
}
