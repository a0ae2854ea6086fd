package io.recur.nn;

import io.recur.ops.Activations;
import io.recur.ops.Arith;
import io.recur.ops.MatMul;
import io.recur.tensor.Tensor;
import java.util.List;

/**
 * torch.nn.LSTM: gates i, f, g, o from x W_ihᵀ + b_ih + h W_hhᵀ + b_hh; c' = σ(f) c + σ(i) tanh(g),
 * h' = σ(o) tanh(c'). State parts (h, c), each (num_layers, batch, hidden).
 */
public final class LSTM extends TorchRecurrent {
    public LSTM(Initializer init, RecurrentConfig config) { super(init, config, 4); }

    @Override public int stateParts() { return 2; }

    @Override
    protected Tensor[] cell(Tensor inputGates, Tensor[] state, Tensor weightHh, Tensor biasHh) {
        List<Tensor> g = splitGates(Arith.add(inputGates, MatMul.linear(state[0], weightHh, biasHh)));
        Tensor i = Activations.sigmoid(g.get(0)), f = Activations.sigmoid(g.get(1));
        Tensor candidate = Activations.tanh(g.get(2)), o = Activations.sigmoid(g.get(3));
        Tensor c = Arith.add(Arith.mul(f, state[1]), Arith.mul(i, candidate));
        return new Tensor[] {Arith.mul(o, Activations.tanh(c)), c};
    }
}
