package io.recur.nn;

import io.recur.ops.MatMul;
import io.recur.ops.RecurrentCells;
import io.recur.tensor.Tensor;

/**
 * torch.nn.LSTM: gates i, f, g, o from x W_ihᵀ + b_ih + h W_hhᵀ + b_hh; c' = σ(f) c + σ(i) tanh(g),
 * h' = σ(o) tanh(c'). State parts (h, c), each (num_layers, batch, hidden). The gate arithmetic of
 * a step is one fused operation ({@link RecurrentCells#lstmCell}).
 */
public final class LSTM extends TorchRecurrent {
    public LSTM(Initializer init, RecurrentConfig config) { super(init, config, 4); }

    @Override public int stateParts() { return 2; }

    @Override
    protected Tensor[] cell(Tensor inputGates, Tensor[] state, Tensor weightHh, Tensor biasHh) {
        RecurrentCells.LstmState next = RecurrentCells.lstmCell(inputGates, MatMul.linear(state[0], weightHh, biasHh), state[1]);
        return new Tensor[] {next.h(), next.c()};
    }
}
