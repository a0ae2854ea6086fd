package io.recur.parallel;

import io.recur.backend.BlockTerms;
import io.recur.ops.Activations;
import io.recur.ops.Arith;
import io.recur.tensor.Tensor;
import java.util.List;

/**
 * torch.nn.RNN's tanh cell: f = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), with ∂f/∂h = diag(1 - f²) W_hh.
 */
public final class ElmanCell extends ProjectedCell {
    private static final BlockTerms TERMS = BlockTerms.single(0);

    public ElmanCell(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {
        super("ElmanCell", 1, weightIh, weightHh, biasIh, biasHh);
    }

    @Override public int stateSize() { return hidden; }

    @Override
    public Linearization linearize(Tensor prev, Tensor drive, JacobianKind jacobian) {
        Tensor value = Activations.tanh(Arith.add(drive, recurrent(prev)));
        if (jacobian == JacobianKind.NONE) return new Linearization(value, null);
        return new Linearization(value, jacobian(List.of(tanhSlope(value)), TERMS, jacobian));
    }
}
