package io.recur.nn;

import io.recur.ops.Activations;
import io.recur.ops.Arith;
import io.recur.ops.MatMul;
import io.recur.tensor.Tensor;
import java.util.List;

/**
 * torch.nn.GRU: gates r, z, n; r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r ⊙ h_n) where
 * x_* = x W_ihᵀ + b_ih and h_* = h W_hhᵀ + b_hh (so b_hn stays inside the reset product, as in
 * torch); h' = (1 - z) n + z h. State: h, (num_layers, batch, hidden).
 */
public final class GRU extends TorchRecurrent {
    public GRU(Initializer init, RecurrentConfig config) { super(init, config, 3); }

    @Override public int stateParts() { return 1; }

    @Override
    protected Tensor[] cell(Tensor inputGates, Tensor[] state, Tensor weightHh, Tensor biasHh) {
        Tensor h = state[0];
        List<Tensor> x = splitGates(inputGates), hh = splitGates(MatMul.linear(h, weightHh, biasHh));
        Tensor r = Activations.sigmoid(Arith.add(x.get(0), hh.get(0)));
        Tensor z = Activations.sigmoid(Arith.add(x.get(1), hh.get(1)));
        Tensor n = Activations.tanh(Arith.add(x.get(2), Arith.mul(r, hh.get(2))));
        // (1 - z) n + z h, written as n + z (h - n)
        return new Tensor[] {Arith.add(n, Arith.mul(z, Arith.sub(h, n)))};
    }
}
